// Fuzz target tdmrep-json: parseTdmrepJson and tdmrepSignals on mutated rule files (JSON trees
// edited: locations, reservations of every type, policies, duplicates, nesting) and generated ones.
// Properties: a value or a library error in bounded time; the result survives JSON; every rule kept
// says what the file says (its index names an object whose tdm-reservation is that number, or not
// 0/1 when unset); tdmrepSignals gives statements (or refuses a URL) and invents none.
import fc from 'fast-check'
import { parseTdmrepJson, tdmrepJsonFor, tdmrepSignals } from '../../src/robots.js'
import { policyArb } from '../_arbitraries.js'
import { mutateJson, type Rng } from '../_mutate.js'
import { corpus, webBodies } from '../_seeds.js'
import { call, defineTarget, fail, show, textCodec } from '../_target.js'
import { checkJsonSafe, checkSignals, sitePaths } from './_site-json.js'

const KEYS = ['location', 'tdm-reservation', 'tdm-policy', 'tdm-Reservation', 'extra']
const VALUES = [0, 1, 2, '1', '0', 1.0, -1, null, '/', '/*', '/a$', '*.mp3', 'https://site.example/x/*', 'https://other.example/', '', 'https://site.example/policy.json']

export function checkTdmrep(text: string): void {
  const parsed = call('parseTdmrepJson', () => parseTdmrepJson(text, { url: 'https://site.example/.well-known/tdmrep.json' }))
  if (!parsed.ok) return
  const file = parsed.value
  checkJsonSafe('parseTdmrepJson', file)
  let native: unknown
  try {
    native = JSON.parse(text.replace(/^\ufeff/, ''))
  } catch {
    fail('parseTdmrepJson', 'accepted text that JSON.parse rejects')
  }
  if (!Array.isArray(native)) fail('parseTdmrepJson', 'accepted JSON that is not an array')
  for (const rule of file.rules) {
    const source = native[rule.index] as Record<string, unknown> | undefined
    const written = source?.['tdm-reservation']
    if (rule.reservation !== null && written !== rule.reservation) fail('parseTdmrepJson', `rule ${rule.index} reports reservation ${rule.reservation}; the file says ${show(written)}`)
    if (rule.reservation === null && (written === 0 || written === 1)) fail('parseTdmrepJson', `rule ${rule.index} reports no reservation; the file says ${show(written)}`)
  }
  checkSignals('tdmrepSignals', text, sitePaths(file.rules.map((r) => r.location)), (url) => tdmrepSignals(file, url), /\\/.test(text))
}

const RULE = fc.record({ location: fc.oneof(fc.constantFrom('/', '/*', '/a/', '*.mp3', '/x$', 'https://site.example/m/*'), fc.string({ maxLength: 10 })), 'tdm-reservation': fc.oneof(fc.constantFrom(0, 1), fc.jsonValue({ maxDepth: 1 })), 'tdm-policy': fc.oneof(fc.webUrl(), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] })

export default defineTarget<string>({
  name: 'tdmrep-json',
  about: 'tdmrep.json: parseTdmrepJson and tdmrepSignals on mutated and generated rule files',
  codec: textCodec,
  ext: '.json',
  shrink: 'text',
  async load() {
    const seeds = [...new Set([...webBodies((r) => r.path.endsWith('tdmrep.json')), ...corpus('tdmrep-json'), ...fc.sample(policyArb, { numRuns: 4, seed: 9 }).map((p) => JSON.stringify(tdmrepJsonFor(p)))])]
    return {
      seeds,
      mutate: (r: Rng) => mutateJson(r.pick(seeds), r, KEYS, VALUES, ['[', ']', '{', '}', ',', '"location":', '"tdm-reservation":1', '\\u002f'], seeds),
      arbitrary: fc.tuple(fc.array(RULE, { maxLength: 8 }), fc.nat(2)).map(([rules, n]) => JSON.stringify(rules, null, n)),
      check: checkTdmrep,
    }
  },
})
