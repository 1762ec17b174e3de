// Fuzz target compact-form: parseCompact on mutated and generated RFC 9651 Dictionary text.
// Properties: parseCompact never throws (a failed parse is a value) and ends in bounded time; it
// succeeds exactly when structured-headers parses the text as a Dictionary within the length limit;
// every key it reports is a member of that Dictionary with the Token y or n, the last duplicate
// winning; and formatCompact of what it read parses back to the same usage.
import fc from 'fast-check'
import { parseDictionary, Token } from 'structured-headers'
import { formatCompact, LIMITS, parseCompact } from '../../src/index.js'
import { mutateText, type Rng } from '../_mutate.js'
import { call, deepEqual, defineTarget, fail, show, textCodec } from '../_target.js'

const SEEDS = [
  'train-ai=n, search=y',
  'train-ai=n',
  'all=n, search=y, x.y=y',
  'train-ai=n;q=1, search=y;reason="x"',
  'train-ai=?0, search="y", ai=:AAA=:, tdm=(y n), ai-input=y',
  'Train-AI=n',
  'train-ai=n, train-ai=y',
  '  train-ai = n ',
  'train-ai',
  '',
  'a=y,b=n,c=y,d=n,e=y,f=n',
  '*x=y',
]
const DICT = ['=', ',', ', ', ';', '"', '?1', '?0', ':', '(', ')', 'y', 'n', '*', '@1659578233', '%"x"', '1.5', '-0', 'train-ai', 'search', 'all', 'train-genai', 'ai-input', 'tdm', 'ai', 'x.y_z', '\t', ' ']

export function checkCompact(text: string): void {
  const r = call('parseCompact', () => parseCompact(text))
  if (!r.ok) fail('parseCompact', `threw ${r.error.code}: ${r.error.message} (parseCompact returns failures as values)`)
  let dict: ReturnType<typeof parseDictionary> | undefined
  try {
    dict = text.length > LIMITS.maxCompactLength ? undefined : parseDictionary(text)
  } catch {
    dict = undefined
  }
  const p = r.value
  if (p.ok !== (dict !== undefined)) fail('parseCompact', `ok=${p.ok} but structured-headers ${dict ? 'parses' : 'rejects'} it${p.ok ? '' : ` (${p.error})`}`)
  if (!p.ok || !dict) return
  const expected: Record<string, string> = {}
  for (const [key, [value]] of dict) {
    if (value instanceof Token && (value.toString() === 'y' || value.toString() === 'n')) expected[key] = value.toString() === 'y' ? 'allowed' : 'denied'
    else delete expected[key]
  }
  if (!deepEqual({ ...p.usage }, expected)) fail('parseCompact', `usage ${show(p.usage)}, but the Dictionary says ${show(expected)}`)
  const labels = Object.fromEntries(Object.entries(p.usage).filter(([k]) => /^[a-z][a-z0-9_.-]*$/.test(k)))
  const formatted = call('formatCompact', () => formatCompact(labels))
  if (!formatted.ok) fail('formatCompact', `cannot format ${show(labels)}: ${formatted.error.message}`)
  const again = parseCompact(formatted.value)
  if (!again.ok || !deepEqual({ ...again.usage }, labels)) fail('formatCompact', `${show(formatted.value)} does not parse back to ${show(labels)}`)
}

const KEY = fc.oneof(fc.constantFrom('train-ai', 'search', 'all', 'ai', 'tdm', 'train-genai', 'ai-input', '*', 'A', 'a*b', '_x'), fc.stringMatching(/^[a-z*][a-z0-9_.*-]{0,8}$/))
const VALUE = fc.oneof(fc.constantFrom('y', 'n', 'Y', '?1', '"y"', '1', ':eQ==:', '(y n)', '@1', '%"y"', ''), fc.stringMatching(/^[a-zA-Z*][a-zA-Z0-9:/!#$%&'*+.^_`|~-]{0,5}$/))
const MEMBER = fc.tuple(KEY, VALUE, fc.array(fc.tuple(KEY, VALUE), { maxLength: 2 })).map(([k, v, ps]) => (v === '' ? k : `${k}=${v}`) + ps.map(([pk, pv]) => `;${pk}${pv === '' ? '' : `=${pv}`}`).join(''))
export const COMPACT = fc.tuple(fc.array(MEMBER, { maxLength: 8 }), fc.constantFrom(', ', ',', ' ,', ',\t', ' , ')).map(([ms, sep]) => ms.join(sep))

export default defineTarget<string>({
  name: 'compact-form',
  about: 'parseCompact on mutated and generated compact forms, against structured-headers and formatCompact',
  codec: textCodec,
  ext: '.txt',
  shrink: 'text',
  async load() {
    return {
      seeds: SEEDS,
      mutate: (r: Rng) => mutateText(r.pick(SEEDS), r, DICT, SEEDS),
      arbitrary: COMPACT,
      check: checkCompact,
    }
  },
})
