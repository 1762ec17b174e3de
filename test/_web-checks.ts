/**
 * What the browser-facing subpaths must do where Node's globals do not exist: in Chromium
 * (test/browser.test.ts) and in Node with `Buffer`, `process`, `global` and `setImmediate` removed
 * (test/no-node-globals.test.ts). esbuild bundles these functions with the BUILT subpaths (dist/);
 * each takes its subpath's module and returns plain JSON data that the tests assert on. Web APIs
 * only in this file: it runs in the page.
 */
import type * as Audio from '../src/audio.js'
import type * as Crawl from '../src/crawl.js'
import type * as Html from '../src/html.js'
import type * as Http from '../src/http.js'
import type * as Root from '../src/index.js'
import type * as Robots from '../src/robots.js'
import type * as Schema from '../src/schema.js'
import type * as Sign from '../src/sign.js'

/** A key of schema/v1/vectors/signed/keys.json (TEST ONLY keys). */
export interface VectorKey {
  readonly issuer: string
  readonly kid: string
  readonly status: 'active' | 'retired' | 'revoked'
  readonly revokedAt?: string
  readonly publicJwk: JsonWebKey & { kid: string }
  readonly privateJwk?: JsonWebKey & { kid: string }
}

/** One signed vector (schema/v1/vectors/signed/*.json). */
export interface SignedVector {
  readonly name: string
  readonly jws: string
  readonly options: {
    readonly now: string
    readonly essence?: { format: string; sha256: string }
    readonly url?: string
    readonly trust?: string[]
  }
}

/** What every check may use: plain JSON, sent into the page or the Node child. */
export interface WebCheckInput {
  readonly validDoc: unknown
  readonly invalidDoc: unknown
  readonly keys: readonly VectorKey[]
  readonly signedVectors: readonly SignedVector[]
  /** File names of schema/v1/vectors/audio. */
  readonly audioFiles: readonly string[]
  /** The time the audio vectors' signed tags are checked at. */
  readonly now: string
}

/** Loads an audio vector by file name, as a Blob (the page fetches it, the Node child reads it). */
export type LoadBlob = (file: string) => Promise<Blob>

const USAGE: Root.NoaiTag['usage'] = { search: 'allowed', 'train-ai': 'denied' }
const ISSUER = 'https://issuer.example'

const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

/** The keys given directly, as verifiers take them. */
function issuerKeys(input: WebCheckInput): Sign.IssuerKey[] {
  return input.keys.map((k) => ({
    issuer: k.issuer,
    kid: k.kid,
    jwk: k.publicJwk,
    status: k.status,
    ...(k.revokedAt !== undefined ? { revokedAt: k.revokedAt } : {}),
    source: 'options.keys',
  }))
}

/** `noai-tag`: validate, parse, the compact form. */
export function checkRoot(m: typeof Root, input: WebCheckInput) {
  const valid = m.validateTag(input.validDoc)
  const invalid = m.validateTag(input.invalidDoc)
  const parsed = m.parseTag(new TextEncoder().encode(JSON.stringify(input.validDoc)))
  const compact = m.parseCompact('train-ai=n, search=y')
  let parseError: string | undefined
  try {
    m.parseTag('{"version":1,"version":1}')
  } catch (e) {
    parseError = m.isNoaiTagError(e) ? e.code : message(e)
  }
  return {
    valid: valid.ok,
    invalidPaths: invalid.ok ? [] : invalid.issues.map((i) => i.path),
    compact: m.formatCompact(parsed.usage),
    parsedCompact: compact.ok ? compact.usage : compact.error,
    trainGenai: m.preferenceFor(m.resolvePreferences(parsed.usage), 'train-genai'),
    parseError,
  }
}

/** `noai-tag/schema`. */
export function checkSchema(m: typeof Schema) {
  return { id: m.tagSchema.$id, same: m.tagSchema.$id === m.TAG_SCHEMA_ID }
}

/** A key pair made by the runtime's Web Crypto, signing and verifying a tag; or why it could not. */
async function nativeKeyRoundTrip(m: typeof Sign, algorithm: 'Ed25519' | 'ES256'): Promise<string> {
  const params: EcKeyGenParams | Algorithm = algorithm === 'Ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' }
  let pair: CryptoKeyPair
  try {
    pair = (await crypto.subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair
  } catch (e) {
    return `generateKey failed: ${message(e)}`
  }
  const kid = `runtime-${algorithm.toLowerCase()}`
  const tag = { version: 1 as const, issuer: ISSUER, subject: { urls: [`${ISSUER}/track/1`] }, usage: USAGE, issued: '2026-01-01T00:00:00Z' }
  const jws = await m.signTag(tag, pair.privateKey, { kid })
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey)
  const r = await m.verifyTag(jws, {
    keys: [{ issuer: ISSUER, kid, jwk, status: 'active', source: 'options.keys' }],
    trust: [ISSUER],
    url: `${ISSUER}/track/1`,
    now: new Date('2026-06-01T00:00:00Z'),
  })
  return `${r.alg} ${r.state}`
}

/** `noai-tag/sign`: every signed vector, signing with the vector keys, and keys made by Web Crypto. */
export async function checkSign(m: typeof Sign, input: WebCheckInput) {
  const keys = issuerKeys(input)
  const vectors: { name: string; state: string; codes: readonly string[] }[] = []
  for (const v of input.signedVectors) {
    const { now, essence, url, trust } = v.options
    const r = await m.verifyTag(v.jws, { keys, now: new Date(now), ...(essence ? { essence } : {}), ...(url ? { url } : {}), ...(trust ? { trust } : {}) })
    vectors.push({ name: v.name, state: r.state, codes: r.codes })
  }
  const signed: Record<string, string> = {}
  for (const kid of ['test-ed25519', 'test-es256']) {
    const key = input.keys.find((k) => k.kid === kid)!
    const tag: Root.NoaiTag = { version: 1, issuer: ISSUER, subject: { essence: [{ format: 'flac', sha256: 'ab'.repeat(32) }] }, usage: USAGE, issued: '2026-01-01T00:00:00Z' }
    const jws = await m.signTag(tag, key.privateJwk!)
    const r = await m.verifyTag(jws, { keys, trust: [ISSUER], essence: { format: 'flac', sha256: 'ab'.repeat(32) }, now: new Date('2026-06-01T00:00:00Z') })
    const tampered = await m.verifyTag(`${jws.slice(0, -4)}${jws.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`, { keys, now: new Date('2026-06-01T00:00:00Z') })
    signed[kid] = `${r.alg} ${r.state} / tampered ${tampered.state} ${tampered.codes.join(' ')}`
  }
  const keySet = m.keySetDocument(input.keys.filter((k) => k.privateJwk !== undefined && k.issuer === ISSUER).map((k) => k.privateJwk!))
  return {
    vectors,
    signed,
    runtimeKeys: { Ed25519: await nativeKeyRoundTrip(m, 'Ed25519'), ES256: await nativeKeyRoundTrip(m, 'ES256') },
    keySetHasPrivateMembers: JSON.stringify(keySet).includes('"d"'),
    keySetKids: keySet.keys.map((k) => k.kid),
    keySetCors: m.keySetHeaders()['Access-Control-Allow-Origin'],
  }
}

const summary = (signals: readonly Root.FoundSignal[]) => signals.map((s) => ({ signal: s.signal, usage: s.usage, ...(s.agent !== undefined ? { agent: s.agent } : {}) }))

/** `noai-tag/http`: a `Headers` object with our fields and others'. */
export function checkHttp(m: typeof Http) {
  const headers = new Headers(m.tagHeaders({ usage: USAGE }))
  headers.append('Content-Usage', 'train-ai=n')
  headers.append('X-Robots-Tag', 'OtherBot: noai')
  return {
    written: Object.fromEntries(headers),
    signals: summary(m.readHttpSignals(headers, { url: `${ISSUER}/track/1` })),
    forExampleBot: m.readHttpSignals(headers, { userAgent: 'ExampleBot' }).map((s) => s.signal),
  }
}

/** A stream that delivers `text` in chunks of `size` bytes. */
function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let at = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
}

/** `noai-tag/html`: a string and a ReadableStream of a page. */
export async function checkHtml(m: typeof Html) {
  const head = m.tagHtml({ usage: USAGE })
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>t</title>${head}<meta name="robots" content="noimageai"></head><body>${'<p>body</p>'.repeat(2000)}</body></html>`
  const fromString = await m.readHtmlSignals(page)
  const fromStream = await m.readHtmlSignals(chunked(page, 7), { contentType: 'text/html; charset=utf-8' })
  return {
    head,
    fromString: summary(fromString.signals),
    fromStream: summary(fromStream.signals),
    stoppedAt: fromStream.stoppedAt,
    sync: m.readHtmlSignalsSync(page).signals.length,
  }
}

/** `noai-tag/robots`: robots.txt with aipref and Content Signals, and an RSL document (XML). */
export function checkRobots(m: typeof Robots) {
  const robots = m.parseRobotsTxt('User-agent: *\nContent-Usage: train-ai=n\nContent-Signal: search=yes, ai-train=no\nAllow: /\n', { url: `${ISSUER}/robots.txt` })
  const rsl = m.parseRsl(
    '<rsl xmlns="https://rslstandard.org/rsl"><content url="/tracks/*"><license><permits type="usage">search</permits><prohibits type="usage">ai-train</prohibits></license></content></rsl>',
    { url: `${ISSUER}/license.rsl` },
  )
  return {
    robots: summary(m.robotsSignals(robots, `${ISSUER}/tracks/1`, { userAgent: 'ExampleBot' })),
    rsl: summary(m.rslSignals(rsl, `${ISSUER}/tracks/1`)),
    robotsTxt: m.robotsTxtFor({ version: 1, issuer: ISSUER, updated: '2026-01-01T00:00:00Z', default: { usage: USAGE } }),
  }
}

/** `noai-tag/audio`: every audio vector read and hashed from a Blob; an untagged file stamped. */
export async function checkAudio(m: typeof Audio, input: WebCheckInput, load: LoadBlob) {
  const files = []
  for (const file of input.audioFiles) {
    const blob = await load(file)
    const report = await m.readAudioTag(blob)
    const essence = await m.audioEssence(blob)
    files.push({
      file,
      format: report.format,
      readable: report.readable,
      document: report.document,
      signed: report.signed,
      mismatch: report.mismatch,
      tag: report.tag,
      essence,
    })
  }
  const untagged = await load('flac-untagged.flac')
  const stamped = await m.writeAudioTag(untagged, { tag: { version: 1, subject: { self: true }, usage: USAGE, issued: '2026-01-01T00:00:00Z' } })
  const before = await m.audioEssence(untagged)
  const after = await m.audioEssence(new Blob([stamped as Uint8Array<ArrayBuffer>]))
  return {
    files,
    stamped: { readable: (await m.readAudioTag(new Blob([stamped as Uint8Array<ArrayBuffer>]))).readable, essenceKept: before.sha256 === after.sha256, size: stamped.length },
  }
}

/** `noai-tag/audio` and `noai-tag/sign` together: a signed file verified against its own essence. */
export async function checkSignedAudio(audio: typeof Audio, sign: typeof Sign, input: WebCheckInput, load: LoadBlob, file: string) {
  const blob = await load(file)
  const report = await audio.readAudioTag(blob)
  const essence = await audio.audioEssence(blob)
  const r = await sign.verifyTag(report.jws ?? '', { keys: issuerKeys(input), trust: [ISSUER], essence, now: new Date(input.now) })
  return { file, essence, state: r.state, codes: r.codes, usage: r.tag?.usage }
}

/** `noai-tag/crawl`: evaluate, and checkUrl over a fetch stub (so that its lazy chunks load). */
export async function checkCrawl(m: typeof Crawl, input: WebCheckInput, load: LoadBlob) {
  const audio = new Uint8Array(await (await load('flac-signed.flac')).arrayBuffer())
  const requests: string[] = []
  const fetchStub = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const u = new URL(url instanceof Request ? url.url : String(url))
    const range = new Headers(init?.headers).get('range')
    requests.push(`${u.pathname}${range ? ` ${range}` : ''}`)
    if (u.pathname === '/robots.txt') return new Response('User-agent: *\nAllow: /\n', { headers: { 'content-type': 'text/plain' } })
    if (u.pathname === '/page') {
      return new Response('<html><head><meta name="robots" content="noai"></head><body></body></html>', { headers: { 'content-type': 'text/html' } })
    }
    if (u.pathname === '/track.flac') {
      const m = /^bytes=(\d+)-(\d*)$/.exec(range ?? '')
      if (!m) return new Response(audio, { headers: { 'content-type': 'audio/flac', 'accept-ranges': 'bytes' } })
      const start = Number(m[1])
      const end = Math.min(audio.length - 1, m[2] === '' ? audio.length - 1 : Number(m[2]))
      return new Response(audio.slice(start, end + 1), {
        status: 206,
        headers: { 'content-type': 'audio/flac', 'accept-ranges': 'bytes', 'content-range': `bytes ${start}-${end}/${audio.length}` },
      })
    }
    return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } })
  }
  const options = {
    use: 'train-ai',
    userAgent: 'ExampleBot/1.0',
    fetch: fetchStub,
    cache: m.createCrawlCache(),
    now: new Date(input.now),
    verify: { keys: issuerKeys(input), trust: [ISSUER] },
    verifyAudioBinding: true,
  }
  const track = await m.checkUrl(`${ISSUER}/track.flac`, options)
  const page = await m.checkUrl(`${ISSUER}/page`, options)
  const nothing = await m.evaluate([], { use: 'train-ai' })
  return {
    track: { verdict: track.verdict, reasons: track.reasons.map((r) => ({ signal: r.signal, status: r.status, verification: r.verification?.state })) },
    page: { verdict: page.verdict, reasons: page.reasons.map((r) => r.signal) },
    nothing: nothing.verdict,
    requests: [...requests].sort(),
  }
}
