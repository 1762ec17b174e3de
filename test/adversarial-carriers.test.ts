// Adversarial signatures end to end (issue 7, item 3): the signing vectors' token attacks carried by
// every carrier (the NoAI-Tag-JWS header field, the page head, and the document entry of every audio
// container) must reach the decision with the state and codes that verifyTag gives the bare token,
// and no attack may turn into an allow. Then the attacks a carrier makes possible, through checkUrl
// on loopback with real key discovery: a forged tag in an MP3, a valid tag moved to another FLAC, a
// page whose tag names an issuer whose key set lives on another origin, a key set redirected to
// another host, and a page signed by an issuer the crawler does not trust (docs/spec.md §13, §14,
// §15).
import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { applyAudioPlan, audioEssence, fromBytes, planAudioWrite, readAudioTag, writeAudioTag } from '../src/audio.js'
import { checkUrl, createCrawlCache, evaluate, type CheckUrlOptions, type Decision, type FoundSignal } from '../src/crawl.js'
import { readHtmlSignalsSync } from '../src/html.js'
import { readHttpSignals } from '../src/http.js'
import type { NoaiTag } from '../src/index.js'
import { signTag } from '../src/sign.js'
import { html, startServer, text, type Handler, type TestServer } from './crawl-server.js'
import { ISSUER_KEYS, SIGNED_DIR, privateJwk, testKey } from './sign-fixtures.js'

interface Vector {
  readonly description: string
  readonly jws: string
  readonly options: { readonly now: string; readonly url?: string; readonly essence?: { format: string; sha256: string }; readonly trust?: string[] }
  readonly expected: { readonly state: 'invalid' | 'valid' | 'trusted'; readonly codes: readonly string[] }
}

const VECTORS: readonly (readonly [string, Vector])[] = readdirSync(SIGNED_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'keys.json')
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(new URL(f, SIGNED_DIR), 'utf8')) as Vector])

/** Tokens whose payload is not a tag (or that are not three base64url parts): no carrier reads a statement from them. */
const UNREADABLE = new Set(['invalid-alg-none', 'invalid-encoding-padding', 'invalid-payload-not-json', 'invalid-payload-duplicate-member', 'invalid-payload-schema', 'invalid-token-malformed'])
/** An expired tag is no statement at all (docs/spec.md §4.7): it is reported, never verified. */
const EXPIRED = 'invalid-tag-expired'

const fixture = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/audio/${path}`, import.meta.url)))
const AUDIO: Readonly<Record<string, string>> = {
  mp3: 'mp3/bare.mp3',
  flac: 'flac/reference.flac',
  'ogg vorbis': 'ogg/oggenc.ogg',
  'ogg opus': 'ogg/opusenc.opus',
  m4a: 'mp4/aac-faststart.m4a',
  wav: 'wav/sox.wav',
  aiff: 'aiff/ffmpeg.aiff',
}

/**
 * Plants a document entry as a forger would, with the library's own low-level writer (no check of
 * the token), next to a readable line that claims everything is allowed.
 */
async function plant(bytes: Uint8Array, document: string): Promise<Uint8Array> {
  const source = fromBytes(bytes)
  return applyAudioPlan(source, await planAudioWrite(source, { readable: 'all=y', document }))
}

type Carrier = 'header' | 'html' | `audio ${string}`
const CARRIERS: readonly Carrier[] = ['header', 'html', ...Object.keys(AUDIO).map((k): Carrier => `audio ${k}`)]

/** The statements a carrier yields for a token, and what it said about what it could not read. */
async function carry(carrier: Carrier, jws: string): Promise<{ signals: readonly FoundSignal[]; said: string }> {
  if (carrier === 'header') {
    const signals = readHttpSignals({ 'NoAI-Tag-JWS': `"${jws}"`, 'Content-Usage': 'all=y' })
    return { signals, said: JSON.stringify(signals.flatMap((s) => s.tokens.map((t) => t.note ?? ''))) }
  }
  if (carrier === 'html') {
    const r = readHtmlSignalsSync(`<!doctype html><html><head><meta name="noai-tag" content="all=y"><script type="application/noai-tag+jws">${jws}</script></head><body></body></html>`)
    return { signals: r.signals, said: JSON.stringify(r.signals.flatMap((s) => s.tokens.map((t) => t.note ?? ''))) }
  }
  const report = await readAudioTag(await plant(fixture(AUDIO[carrier.slice('audio '.length)]!), jws))
  return { signals: report.signals, said: report.warnings.join('\n') }
}

/** The reason of the signed statement, if the decision has one. */
const signedReason = (d: Decision) => d.reasons.find((r) => r.verification !== undefined || r.status === 'expired')

describe('every signed vector through every carrier', () => {
  for (const carrier of CARRIERS) {
    describe(carrier, () => {
      for (const [name, v] of VECTORS) {
        const web = carrier === 'header' || carrier === 'html'
        // A URL binding is checked only for web carriers, an essence binding only for audio ones.
        if ((web && v.options.essence !== undefined) || (!web && v.options.url !== undefined)) continue
        it(name, async () => {
          const { signals, said } = await carry(carrier, v.jws)
          const options = {
            now: new Date(v.options.now),
            verify: { keys: ISSUER_KEYS, ...(v.options.trust ? { trust: v.options.trust } : {}) },
            ...(v.options.url !== undefined ? { url: v.options.url } : {}),
            ...(v.options.essence !== undefined ? { essence: v.options.essence } : {}),
          }
          // The payloads allow search (and deny train-ai); the planted readable line, the
          // Content-Usage field and the page's meta claim everything is allowed. Only those for
          // the web carriers are real statements of their own, so the check for them is on the
          // signed statement's reason; for audio, the readable line never stands in for the document.
          const search = await evaluate(signals, { ...options, use: 'search' })
          const reason = signedReason(search)
          if (UNREADABLE.has(name)) {
            expect(reason, 'no statement is read from a token whose payload is not a tag').toBeUndefined()
            expect(said, 'the carrier says why it read nothing').toMatch(/not|cannot|invalid/i)
            if (!web) expect(search.verdict).toBe('unknown')
            return
          }
          expect(reason, 'the signed statement reaches the decision').toBeDefined()
          if (name === EXPIRED) {
            expect(reason).toMatchObject({ status: 'expired', decisive: false })
            if (!web) expect(search.verdict).toBe('unknown')
            return
          }
          expect({ state: reason!.verification!.state, codes: reason!.verification!.codes }).toEqual({ state: v.expected.state, codes: v.expected.codes })
          const admitted = v.expected.state !== 'invalid'
          expect(reason!.verification!.allowsDropped).toBe(!admitted)
          if (!web) expect(search.verdict).toBe(admitted ? 'allow' : 'unknown')
          else if (!admitted) expect(reason!.decisive, 'an invalid tag never decides an allow').toBe(false)
          // Denies count whatever the signature: a forged deny harms nobody (docs/spec.md §15).
          if (v.expected.codes.every((c) => c !== 'payload-schema-invalid')) expect((await evaluate(signals, { ...options, use: 'train-ai' })).verdict).toBe('deny')
        })
      }
    })
  }
})

// ------------------------------------------------------------------------------------------------
// End to end through checkUrl, with the issuer's key set fetched from loopback.

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const serve = async (routes: Parameters<typeof startServer>[0] = {}): Promise<TestServer> => {
  const s = await startServer({ '/robots.txt': text('User-agent: *\nAllow: /\n'), ...routes })
  servers.push(s)
  return s
}

const JWKS = '/.well-known/noai-tag/jwks.json'
const keySet = (...kids: string[]) => ({ headers: { 'content-type': 'application/jwk-set+json' }, body: JSON.stringify({ keys: kids.map((k) => testKey(k).publicJwk) }) })

/** Serves bytes with Range support (RFC 9110 §14), as a CDN serves audio. */
function ranged(bytes: Uint8Array, type: string, extra: Record<string, string> = {}): Handler {
  return (req, res) => {
    const m = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''))
    const headers = { 'content-type': type, 'accept-ranges': 'bytes', ...extra }
    if (!m) {
      res.writeHead(200, { ...headers, 'content-length': String(bytes.length) })
      return void res.end(bytes)
    }
    const start = Number(m[1])
    const end = Math.min(bytes.length - 1, m[2] === '' ? bytes.length - 1 : Number(m[2]))
    res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': String(end + 1 - start) })
    res.end(bytes.subarray(start, end + 1))
  }
}

/** A fresh Ed25519 key the attacker made, with the `kid` the attacker chose. */
async function attackerKey(kid: string): Promise<JsonWebKey & { kid: string }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
  return { ...(await crypto.subtle.exportKey('jwk', pair.privateKey)), kid }
}

const tagOf = (issuer: string, subject: NoaiTag['subject']): NoaiTag => ({ version: 1, issuer, subject, usage: { search: 'allowed', 'train-ai': 'denied' }, issued: '2026-01-01T00:00:00Z' })
const check = (url: string, options: Partial<CheckUrlOptions>) => checkUrl(url, { use: 'search', userAgent: 'ExampleBot/1.0', cache: createCrawlCache(), ...options })

describe('checkUrl: attacks through the carriers', () => {
  it('a forged tag in an MP3 (the label\'s issuer and kid, the attacker\'s key) is invalid in the file and in the header field', async () => {
    const label = await serve({ [JWKS]: keySet('test-ed25519') })
    const forged = await signTag(tagOf(label.origin, { self: true }), await attackerKey('test-ed25519'))
    const mp3 = await writeAudioTag(fixture('mp3/bare.mp3'), { jws: forged })
    const site = await serve({ '/forged.mp3': ranged(mp3, 'audio/mpeg'), '/forged-header.mp3': ranged(fixture('mp3/bare.mp3'), 'audio/mpeg', { 'noai-tag-jws': `"${forged}"` }) })
    const verify = { allowHttpLoopback: true, trust: [label.origin] }
    for (const path of ['/forged.mp3', '/forged-header.mp3']) {
      const r = await check(site.url(path), { verify })
      expect(r.verdict, path).toBe('unknown')
      expect(r.reasons[0]!.verification, path).toMatchObject({ state: 'invalid', codes: ['signature-mismatch'], issuer: label.origin, allowsDropped: true })
      // Its deny still counts: a forged deny costs the forger, not the artist.
      expect((await check(site.url(path), { use: 'train-ai', verify })).verdict, path).toBe('deny')
    }
    // The genuine tag, signed with the label's key, verifies: the key set was the one consulted (a
    // tag bound to nothing but `self` is valid, not trusted: trust needs a checked binding, §13.9).
    const genuine = await writeAudioTag(fixture('mp3/bare.mp3'), { jws: await signTag(tagOf(label.origin, { self: true }), privateJwk('test-ed25519')) })
    site.route('/genuine.mp3', ranged(genuine, 'audio/mpeg'))
    const ok = await check(site.url('/genuine.mp3'), { verify })
    expect(ok.verdict).toBe('allow')
    expect(ok.reasons[0]!.verification).toMatchObject({ state: 'valid', codes: ['binding-not-checked'], allowsDropped: false })
  })

  it('a valid tag moved to another FLAC fails its essence binding; in its own FLAC it is trusted', async () => {
    const label = await serve({ [JWKS]: keySet('test-ed25519') })
    const own = fixture('flac/reference.flac')
    const other = fixture('flac/ffmpeg.flac')
    const jws = await signTag(tagOf(label.origin, { essence: [await audioEssence(own)] }), privateJwk('test-ed25519'))
    const site = await serve({ '/own.flac': ranged(await writeAudioTag(own, { jws }), 'audio/flac'), '/moved.flac': ranged(await writeAudioTag(other, { jws }), 'audio/flac') })
    const options = { verify: { allowHttpLoopback: true, trust: [label.origin] }, verifyAudioBinding: true }
    const a = await check(site.url('/own.flac'), options)
    expect(a.verdict).toBe('allow')
    expect(a.reasons[0]!.verification).toMatchObject({ state: 'trusted', codes: [], binding: 'checked' })
    const b = await check(site.url('/moved.flac'), options)
    expect(b.verdict).toBe('unknown')
    expect(b.reasons[0]!.verification).toMatchObject({ state: 'invalid', codes: ['content-hash-mismatch'], binding: 'checked', allowsDropped: true })
    // Without hashing, the binding is unchecked: valid, not trusted, so a crawler that requires
    // trusted tags drops the allow of a tag it did not bind.
    const unhashed = await check(site.url('/moved.flac'), { verify: options.verify })
    expect(unhashed.reasons[0]!.verification).toMatchObject({ state: 'valid', codes: ['binding-not-checked'], binding: 'not-checked' })
    expect((await check(site.url('/moved.flac'), { verify: { ...options.verify, requireTrusted: true } })).verdict).toBe('unknown')
  })

  it('a page whose tag names an issuer whose key set is on another origin: the key set\'s redirect is not followed (key-set-invalid)', async () => {
    const keyHost = await serve({ [JWKS]: keySet('test-ed25519') })
    const issuer = await serve({ [JWKS]: { status: 302, headers: { location: keyHost.url(JWKS) } } })
    const page = await serve()
    const jws = await signTag(tagOf(issuer.origin, { urls: [page.url('/track/1')] }), privateJwk('test-ed25519'))
    page.route('/track/1', html(`<script type="application/noai-tag+jws">${jws}</script>`))
    const r = await check(page.url('/track/1'), { verify: { allowHttpLoopback: true, trust: [issuer.origin, keyHost.origin] } })
    expect(r.verdict).toBe('unknown')
    expect(r.reasons[0]!.verification).toMatchObject({ state: 'invalid', codes: ['key-set-invalid'], issuer: issuer.origin, allowsDropped: true })
    expect(issuer.count(JWKS)).toBe(1)
    expect(keyHost.count(JWKS), 'the other origin is never asked').toBe(0)
  })

  it('a key set redirected to another host name for the same server is not followed either', async () => {
    const issuer = await serve()
    const port = new URL(issuer.origin).port
    issuer.route(JWKS, { status: 301, headers: { location: `http://localhost:${port}/keys.json` } })
    issuer.route('/keys.json', keySet('test-ed25519'))
    const jws = await signTag(tagOf(issuer.origin, { urls: [issuer.url('/p')] }), privateJwk('test-ed25519'))
    issuer.route('/p', html(`<script type="application/noai-tag+jws">${jws}</script>`))
    const r = await check(issuer.url('/p'), { verify: { allowHttpLoopback: true, trust: [issuer.origin] } })
    expect(r.reasons[0]!.verification).toMatchObject({ state: 'invalid', codes: ['key-set-invalid'] })
    expect(issuer.count('/keys.json')).toBe(0)
    // A redirect within the issuer's origin is followed (docs/spec.md §14.3.1).
    issuer.route(JWKS, { status: 302, headers: { location: '/keys.json' } })
    const same = await check(issuer.url('/p'), { verify: { allowHttpLoopback: true, trust: [issuer.origin] } })
    expect(same.reasons[0]!.verification).toMatchObject({ state: 'trusted', codes: [] })
    expect(issuer.count('/keys.json')).toBe(1)
  })

  it('a page signed by an issuer the crawler does not trust is valid but untrusted; with requireTrusted its allows are dropped', async () => {
    const label = await serve({ [JWKS]: keySet('test-ed25519') })
    const attackerKeyPair = await attackerKey('mine')
    const attacker = await serve({ [JWKS]: { headers: { 'content-type': 'application/jwk-set+json' }, body: JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: attackerKeyPair.x, kid: 'mine', alg: 'Ed25519' }] }) } })
    const jws = await signTag(tagOf(attacker.origin, { urls: [attacker.url('/track/1')] }), attackerKeyPair)
    attacker.route('/track/1', html(`<script type="application/noai-tag+jws">${jws}</script>`))
    const verify = { allowHttpLoopback: true, trust: [label.origin] }
    const r = await check(attacker.url('/track/1'), { verify })
    expect(r.reasons[0]!.verification).toMatchObject({ state: 'valid', codes: ['issuer-untrusted'], issuer: attacker.origin, allowsDropped: false })
    const strict = await check(attacker.url('/track/1'), { verify: { ...verify, requireTrusted: true } })
    expect(strict.verdict).toBe('unknown')
    expect(strict.reasons[0]!.verification).toMatchObject({ state: 'valid', allowsDropped: true })
    // The attacker cannot borrow the label's name: the label's key set has no key `mine`.
    const borrowed = await signTag(tagOf(label.origin, { urls: [attacker.url('/track/2')] }), attackerKeyPair)
    attacker.route('/track/2', html(`<script type="application/noai-tag+jws">${borrowed}</script>`))
    const b = await check(attacker.url('/track/2'), { verify })
    expect(b.verdict).toBe('unknown')
    expect(b.reasons[0]!.verification).toMatchObject({ state: 'invalid', codes: ['key-not-found'], issuer: label.origin })
  })
})
