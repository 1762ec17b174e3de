// Fuzz target http-headers: readHttpSignals on mutated and generated header fields, every parser in
// turn: NoAI-Tag and NoAI-Tag-JWS (compact form, RFC 9651 List of Strings holding a JWS),
// Content-Usage (aipref Dictionary), Content-Signal, tdm-reservation / tdm-policy, X-Robots-Tag
// (agent prefixes, comma lists) and Link (RFC 8288). An input is a list of [name, value] pairs.
// Seeds: tagHeaders' output for several tags, the web vectors' response headers, and hand-written
// fields for each parser. Properties:
//   - readHttpSignals returns statements (it throws only for a headers argument of the wrong
//     type), in bounded time, for the pairs and for the same fields as a record;
//   - the pairs and the record give the same statements;
//   - no invented statement: every stated token occurs in the field names or values, a reported JWS
//     occurs in a value, and its tag is its payload.
import fc from 'fast-check'
import { readHttpSignals, tagHeaders } from '../../src/http.js'
import { hashSeed, mutateText, type Rng } from '../_mutate.js'
import { signedVectors, webResources } from '../_seeds.js'
import { call, checkNotInvented, deepEqual, defineTarget, fail, jsonCodec, show } from '../_target.js'
import { COMPACT } from './compact-form.js'

type Pairs = [string, string][]

/**
 * Most characters of one mutant's fields, far above what the parsers read (HTTP_LIMITS: 16 lines of
 * 8 KiB per field): without it, 200 copies of a value grown to 1.6 MB by `mutateText` made a 320 MB
 * input, and the oracle's lower-cased copy of it exhausted the whole process (a fatal V8 OOM, which
 * a worker's heap limit does not catch), in a long run.
 */
const MAX_INPUT_CHARS = 2_000_000

const FIELDS = ['NoAI-Tag', 'NoAI-Tag-JWS', 'Content-Usage', 'Content-Signal', 'tdm-reservation', 'tdm-policy', 'X-Robots-Tag', 'Link'] as const
const AGENTS = [undefined, 'GPTBot', 'googlebot/2.1', 'bingbot', 'Mozilla/5.0 (compatible; ExampleBot/1.0)']
const URLS = [undefined, 'https://site.example/music/a.mp3', 'not a url', 'https://site.example']

/** Hand-written values for each parser. */
function fieldSeeds(jws: string): Pairs[] {
  return [
    [['NoAI-Tag', 'train-ai=n, search=y'], ['NoAI-Tag-JWS', `"${jws}"`]],
    [['NoAI-Tag', 'all=y'], ['NoAI-Tag-JWS', `"${jws}", "${jws}"`]],
    [['NoAI-Tag-JWS', jws]],
    [['Content-Usage', 'train-ai=n, search=y;q=1, ai-use=n, bots=y, Train-AI=n']],
    [['content-usage', 'train-ai=?0, search="y", tdm=(y), train-genai=y']],
    [['Content-Signal', 'search=yes, ai-train=no, ai-input=maybe, use=x']],
    [['tdm-reservation', '1'], ['tdm-policy', 'https://site.example/policy.json']],
    [['tdm-reservation', ' 0 ']],
    [['X-Robots-Tag', 'noai, noimageai'], ['X-Robots-Tag', 'GPTBot: noai'], ['x-robots-tag', 'bingbot: noarchive, nocache, otherbot: noai']],
    [['X-Robots-Tag', 'unavailable_after: 25 Jun 2010 15:00:00 PST, googlebot: noindex, noai']],
    [['Link', '</license.rsl>; rel="license"; type="application/rsl+xml", <https://site.example/tag.jws>; rel="noai-tag"; type="application/noai-tag+jws"']],
    [['Link', '<a>; rel=noai-tag, <b>; rel="license noai-tag"; type=application/rsl+xml; title*=UTF-8\'\'x']],
  ]
}

const DICT = [
  ',', ', ', ';', '=', '"', '\\"', ':', '<', '>', '?1', '*', 'y', 'n', 'yes', 'no', '1', '0', 'noai', 'noimageai', 'noarchive', 'nocache', 'GPTBot:', 'bingbot:',
  'rel="noai-tag"', 'rel="license"', 'type="application/rsl+xml"', '<https://x.example/a>', 'train-ai=n', 'search=y', 'ai-train=no', 'all=n', '\t', ' ', '%', '\u00e9',
]

/** The same fields as a record (names in lower case, repeated fields as arrays, order kept). */
function asRecord(pairs: Pairs): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [n, v] of pairs) (out[n.toLowerCase()] ??= []).push(v)
  return out
}

function options(pairs: Pairs): { url?: string; userAgent?: string } {
  const h = hashSeed(pairs.length, ...pairs.flat().map((s) => s.length))
  const url = URLS[h % URLS.length]
  const userAgent = AGENTS[(h >>> 3) % AGENTS.length]
  return { ...(url !== undefined ? { url } : {}), ...(userAgent !== undefined ? { userAgent } : {}) }
}

export function checkHeaders(pairs: Pairs): void {
  const o = options(pairs)
  const a = call('readHttpSignals(pairs)', () => readHttpSignals(pairs, o))
  if (!a.ok) fail('readHttpSignals(pairs)', `threw ${a.error.code}: ${a.error.message}`)
  const text = pairs.map(([n, v]) => `${n}: ${v}`).join('\n')
  checkNotInvented('readHttpSignals(pairs)', a.value, text, false)
  const b = call('readHttpSignals(record)', () => readHttpSignals(asRecord(pairs), o))
  if (!b.ok) fail('readHttpSignals(record)', `threw ${b.error.code}: ${b.error.message}`)
  if (!deepEqual(a.value, b.value)) fail('readHttpSignals(record)', `pairs give ${show(a.value, 300)}; the record gives ${show(b.value, 300)}`)
}

export default defineTarget<Pairs>({
  name: 'http-headers',
  about: 'readHttpSignals: NoAI-Tag, NoAI-Tag-JWS, Content-Usage, Content-Signal, tdm-*, X-Robots-Tag, Link',
  codec: jsonCodec<Pairs>(),
  ext: '.json',
  shrink: 'none',
  async load() {
    const jws = signedVectors().find((v) => v.file === 'valid-ed25519.json')!.jws
    const tag = { version: 1 as const, subject: { self: true as const }, usage: { 'train-ai': 'denied' as const, search: 'allowed' as const, 'ai-input': 'allowed' as const }, issued: '2026-01-01T00:00:00Z', license: 'https://site.example/l' }
    const emitted: Pairs[] = [
      Object.entries(tagHeaders(tag)),
      Object.entries(tagHeaders({ usage: { 'train-ai': 'denied', search: 'allowed' } }, { jws, link: 'https://site.example/t.jws' })),
      Object.entries(tagHeaders({ usage: { all: 'denied' } })),
    ]
    const fromVectors: Pairs[] = webResources()
      .map((r) => Object.entries(r.headers).filter(([n]) => FIELDS.some((f) => f.toLowerCase() === n.toLowerCase())))
      .filter((p) => p.length > 0)
    const seeds = [...emitted, ...fieldSeeds(jws), ...fromVectors]
    const values = seeds.flat().map(([, v]) => v)

    const mutate = (r: Rng): Pairs => {
      const pairs: Pairs = structuredClone(r.pick(seeds))
      const size = (): number => pairs.reduce((n, [a, b]) => n + a.length + b.length, 0)
      for (let n = 1 + r.int(3); n > 0 && size() <= MAX_INPUT_CHARS; n--) {
        const op = r.int(6)
        if (op <= 2 && pairs.length > 0) {
          const i = r.int(pairs.length)
          pairs[i] = [pairs[i]![0], mutateText(pairs[i]![1], r, DICT, values)]
        } else if (op === 3) pairs.push(structuredClone(r.pick(r.pick(seeds))))
        else if (op === 4 && pairs.length > 0) {
          const i = r.int(pairs.length)
          const [name, value] = pairs[i]!
          pairs[i] = [r.chance(0.5) ? name.toUpperCase() : r.pick(FIELDS), value]
        } else if (pairs.length > 0) {
          const [name, value] = r.pick(pairs)
          const room = Math.floor((MAX_INPUT_CHARS - size()) / (name.length + value.length + 1))
          for (let k = Math.min(r.pick([2, 20, 200]), room); k > 0; k--) pairs.push([name, value])
        }
      }
      return pairs
    }
    const jwsValue = fc.oneof(fc.constant(`"${jws}"`), fc.constant(jws), fc.string({ maxLength: 40 }).map((s) => `"${s.replace(/["\\]/g, '')}"`), fc.constant(`"${jws}", ("x");a=1, ?1`))
    const robots = fc.array(fc.tuple(fc.option(fc.constantFrom('GPTBot', 'googlebot', 'bingbot', 'a b', ''), { nil: undefined }), fc.array(fc.constantFrom('noai', 'noimageai', 'NOAI', 'noindex', 'noarchive', 'nocache', 'none', 'all', 'max-snippet: 5', ''), { maxLength: 4 })), { maxLength: 3 }).map((gs) => gs.map(([a, ds]) => (a === undefined ? '' : `${a}: `) + ds.join(', ')).join(', '))
    const signal = fc.array(fc.tuple(fc.constantFrom('search', 'ai-train', 'ai-input', 'use', 'Search', ''), fc.constantFrom('yes', 'no', 'YES', 'maybe', '')), { maxLength: 5 }).map((kv) => kv.map(([k, v]) => `${k}=${v}`).join(', '))
    const link = fc.array(fc.tuple(fc.constantFrom('/a.rsl', 'https://x.example/t.jws', '', 'a>b'), fc.constantFrom('license', 'noai-tag', 'license noai-tag', 'LICENSE', 'alternate'), fc.option(fc.constantFrom('application/rsl+xml', 'application/noai-tag+jws', 'text/html'), { nil: undefined })), { maxLength: 4 }).map((ls) => ls.map(([t, rel, type]) => `<${t}>; rel="${rel}"${type === undefined ? '' : `; type="${type}"`}`).join(', '))
    const value = (name: string): fc.Arbitrary<string> =>
      name === 'NoAI-Tag' || name === 'Content-Usage' ? COMPACT : name === 'NoAI-Tag-JWS' ? jwsValue : name === 'X-Robots-Tag' ? robots : name === 'Content-Signal' ? signal : name === 'Link' ? link : fc.constantFrom('0', '1', ' 1', '2', '', 'https://x.example/p')
    const pair = fc.constantFrom(...FIELDS).chain((name) => fc.tuple(fc.constantFrom(name, name.toLowerCase()), value(name)))
    return { seeds, mutate, arbitrary: fc.array(pair, { maxLength: 8 }) as fc.Arbitrary<Pairs>, check: checkHeaders }
  },
})
