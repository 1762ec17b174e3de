// Fuzz target roundtrip-web: generated valid tags (plain, or signed with a test key) written as
// HTTP header fields (tagHeaders) and as HTML head elements (tagHtml, for the page or, with
// data-noai-for, for embedded media) and read back. Properties: the readers report one noai-tag
// statement with the tag's known uses exactly, no mismatch, the tag itself (and the JWS) when one
// was written, and for media the resolved URL; the derived signals never allow a use the tag denies.
import fc from 'fast-check'
import { readHtmlSignalsSync, tagHtml } from '../../src/html.js'
import { readHttpSignals, tagHeaders } from '../../src/http.js'
import { knownUsage, preferenceFor, resolvePreferences, USES, type NoaiTag } from '../../src/index.js'
import { signTag } from '../../src/sign.js'
import { tagArb } from '../_arbitraries.js'
import { testKeys } from '../_seeds.js'
import { call, callAsync, deepEqual, defineTarget, fail, jsonCodec, show } from '../_target.js'

interface WebCase {
  readonly tag: NoaiTag
  readonly signed: boolean
  /** Write the HTML for embedded media at this relative URL. */
  readonly media?: string
}

const ISSUER = 'https://issuer.example'
const PAGE = 'https://site.example/music/page.html'

interface Statement {
  readonly signal: string
  readonly usage: Readonly<Record<string, string | undefined>>
  readonly tag?: unknown
  readonly jws?: string
  readonly mismatch?: boolean
  readonly for?: string
}

function checkOurs(op: string, signals: readonly Statement[], c: WebCase, jws: string | undefined, withDocument: boolean): void {
  const ours = signals.filter((s) => s.signal === 'noai-tag')
  if (ours.length !== 1) fail(op, `${ours.length} noai-tag statements: ${show(ours, 400)}`)
  const s = ours[0]!
  if (!deepEqual(s.usage, knownUsage(c.tag.usage))) fail(op, `usage ${show(s.usage)}, the tag's known uses are ${show(knownUsage(c.tag.usage))}`)
  if (s.mismatch === true) fail(op, 'mismatch reported for the writer\'s own output')
  if (jws !== undefined && s.jws !== jws) fail(op, `jws ${show(s.jws, 60)} is not the token written`)
  if (withDocument && !deepEqual(s.tag, c.tag)) fail(op, `tag ${show(s.tag)} is not the tag written ${show(c.tag)}`)
  // The other signals derived from the tag never allow what the tag denies.
  const resolved = resolvePreferences(c.tag.usage)
  for (const other of signals.filter((x) => x.signal !== 'noai-tag')) {
    const theirs = resolvePreferences(knownUsage(other.usage as Record<string, 'allowed' | 'denied'>))
    for (const use of USES) if (preferenceFor(resolved, use) === 'denied' && preferenceFor(theirs, use) === 'allowed') fail(op, `${other.signal} allows ${use}, which the tag denies`)
  }
}

export default defineTarget<WebCase>({
  name: 'roundtrip-web',
  about: 'generated tags: tagHeaders → readHttpSignals and tagHtml → readHtmlSignalsSync',
  codec: jsonCodec<WebCase>(),
  ext: '.json',
  shrink: 'none',
  async load() {
    const key = testKeys().find((k) => k.kid === 'test-es256')!
    const check = async (c: WebCase): Promise<void> => {
      let jws: string | undefined
      if (c.signed) {
        const s = await callAsync('signTag', () => signTag(c.tag, key.privateJwk!))
        if (!s.ok) return
        jws = s.value
      }
      const headers = call('tagHeaders', () => tagHeaders(c.tag, jws !== undefined ? { jws } : {}))
      if (!headers.ok) fail('tagHeaders', `${headers.error.code}: ${headers.error.message}`)
      const fromHeaders = call('readHttpSignals', () => readHttpSignals(headers.value, { url: PAGE }))
      if (!fromHeaders.ok) fail('readHttpSignals', `${fromHeaders.error.code}: ${fromHeaders.error.message}`)
      checkOurs('readHttpSignals', fromHeaders.value, c, jws, jws !== undefined)
      const html = call('tagHtml', () => tagHtml(c.tag, { ...(jws !== undefined ? { jws } : {}), ...(c.media !== undefined ? { for: c.media } : {}) }))
      if (!html.ok) fail('tagHtml', `${html.error.code}: ${html.error.message}`)
      const page = `<!doctype html><html><head><title>t</title>${html.value}</head><body><p>x</p></body></html>`
      const fromHtml = call('readHtmlSignalsSync', () => readHtmlSignalsSync(page, { url: PAGE }))
      if (!fromHtml.ok) fail('readHtmlSignalsSync', `${fromHtml.error.code}: ${fromHtml.error.message}`)
      checkOurs('readHtmlSignalsSync', fromHtml.value.signals, c, jws, true)
      if (c.media !== undefined) {
        const s = fromHtml.value.signals.find((x) => x.signal === 'noai-tag')!
        if (s.for !== new URL(c.media, PAGE).href) fail('readHtmlSignalsSync', `for ${show(s.for)}, expected ${new URL(c.media, PAGE).href}`)
      }
    }
    const arbitrary: fc.Arbitrary<WebCase> = fc.record(
      { tag: tagArb(ISSUER), signed: fc.boolean(), media: fc.constantFrom('a.mp3', '../m/b.flac?x=1', 'https://cdn.example/c.ogg', 'd%20e.wav') },
      { requiredKeys: ['tag', 'signed'] },
    )
    return { seeds: fc.sample(arbitrary, { numRuns: 6, seed: 19 }), arbitrary, check }
  },
})
