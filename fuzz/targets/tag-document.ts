// Fuzz target tag-document: parseTag on mutated JSON text of every tag vector (valid and invalid)
// and of generated tags, edited as JSON trees (types swapped, members added, removed and
// duplicated, deep nesting, edge numbers and strings) and as text. Properties:
//   - parseTag (text and UTF-8 bytes) returns a tag or throws a library error, in bounded time,
//     and both forms agree (the same tag, or errors with the same code);
//   - what parseTag accepts, JSON.parse accepts too, to an equal value that validateTag accepts
//     (the strict parser is never more lenient than JSON, and never reads another value);
//   - a value that JSON.parse reads and validateTag accepts is accepted by parseTag unless the text
//     breaks a rule of docs/spec.md §4.10 (size, depth, duplicate names, byte order mark).
import fc from 'fast-check'
import { parseTag, validateTag } from '../../src/index.js'
import { tagArb } from '../_arbitraries.js'
import { mutateJson, type Rng } from '../_mutate.js'
import { tagVectorTexts } from '../_seeds.js'
import { call, deepEqual, defineTarget, fail, show, textCodec } from '../_target.js'

const MEMBERS = ['version', 'subject', 'usage', 'issued', 'expires', 'issuer', 'id', 'self', 'essence', 'ids', 'urls', 'urlPatterns', 'rightsHolder', 'license', 'contact', 'disclosure', 'ext', '$schema', 'train-ai', 'all', 'search', 'format', 'sha256', 'scheme', 'value', 'name', 'ai', 'note', '__proto__', 'constructor']
const DICT = ['{', '}', '[', ']', ',', ':', '"', '\\u0000', '\\ud800', '\\"', '1e400', '-0', '01', '0x10', 'true', 'null', '"allowed"', '"denied"', '"__proto__":{}', '"version":1,', '\t', '\ufeff']

/** How many levels deep the JSON text nests (arrays and objects). */
function depth(text: string): number {
  let d = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') max = Math.max(max, ++d)
    else if (c === '}' || c === ']') d--
  }
  return max
}

/** Whether the text repeats a member name within one object (after unescaping). */
function hasDuplicateNames(text: string): boolean {
  // JSON.parse keeps the last duplicate silently: scan the tokens, one set of names per open object.
  let dup = false
  const stack: Set<string>[] = []
  const re = /"(?:[^"\\]|\\.)*"|[{}[\]:,]/g
  let m: RegExpExecArray | null
  let pendingKey: string | undefined
  const kinds: string[] = []
  while ((m = re.exec(text)) !== null && !dup) {
    const t = m[0]
    if (t === '{') {
      stack.push(new Set())
      kinds.push('o')
    } else if (t === '[') kinds.push('a')
    else if (t === '}') {
      stack.pop()
      kinds.pop()
    } else if (t === ']') kinds.pop()
    else if (t === ':' && pendingKey !== undefined) {
      const set = stack[stack.length - 1]
      if (set?.has(pendingKey)) dup = true
      set?.add(pendingKey)
      pendingKey = undefined
    } else if (t.startsWith('"')) {
      try {
        pendingKey = kinds[kinds.length - 1] === 'o' ? (JSON.parse(t) as string) : undefined
      } catch {
        pendingKey = undefined
      }
    } else pendingKey = undefined
  }
  return dup
}

/** Whether a value breaks I-JSON (RFC 7493, docs/spec.md §4.10): a number outside double precision (JSON.parse gives ±Infinity) or a lone surrogate. */
function notIJson(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v)
  if (typeof v === 'string') return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v)
  if (Array.isArray(v)) return v.some(notIJson)
  if (v !== null && typeof v === 'object') return Object.entries(v).some(([k, x]) => notIJson(k) || notIJson(x))
  return false
}

export function checkTagText(text: string): void {
  const fromText = call('parseTag(text)', () => parseTag(text))
  const fromBytes = call('parseTag(bytes)', () => parseTag(new TextEncoder().encode(text)))
  if (fromText.ok !== fromBytes.ok || (fromText.ok && fromBytes.ok && !deepEqual(fromText.value, fromBytes.value))) {
    fail('parseTag(bytes)', `text and bytes disagree: ${fromText.ok ? 'tag' : fromText.error.code} vs ${fromBytes.ok ? 'tag' : fromBytes.error.code}`)
  }
  if (!fromText.ok && !fromBytes.ok && fromText.error.code !== fromBytes.error.code) fail('parseTag(bytes)', `text throws ${fromText.error.code}, bytes throw ${fromBytes.error.code}`)
  let native: unknown
  let nativeOk = true
  try {
    native = JSON.parse(text)
  } catch {
    nativeOk = false
  }
  if (fromText.ok) {
    if (!nativeOk) fail('parseTag(text)', 'accepted text that JSON.parse rejects')
    if (!deepEqual(native, fromText.value)) fail('parseTag(text)', `read ${show(fromText.value)}, JSON.parse reads ${show(native)}`)
    if (!validateTag(native).ok) fail('parseTag(text)', 'accepted a value validateTag rejects')
    return
  }
  if (nativeOk && validateTag(native).ok) {
    const bytes = new TextEncoder().encode(text).length
    const excused = bytes > 65_536 || depth(text) > 32 || hasDuplicateNames(text) || text.charCodeAt(0) === 0xfeff || notIJson(native)
    if (!excused) fail('parseTag(text)', `rejected (${fromText.error.code}: ${fromText.error.message}) a text that JSON.parse reads to a valid tag and that breaks no rule of §4.10`)
  }
}

export default defineTarget<string>({
  name: 'tag-document',
  about: 'parseTag on mutated tag vectors and generated tags (strict JSON, size, depth, validation)',
  codec: textCodec,
  ext: '.json',
  shrink: 'text',
  async load() {
    const texts = tagVectorTexts().map((v) => v.text)
    const generated = fc.sample(tagArb(), { numRuns: 40, seed: 7 }).map((t) => JSON.stringify(t))
    const pool = [...texts, ...generated]
    return {
      seeds: texts,
      mutate: (r: Rng) => mutateJson(r.pick(pool), r, MEMBERS, [], DICT, pool),
      arbitrary: fc.tuple(tagArb(), fc.integer()).map(([t, n]) => {
        const text = JSON.stringify(t, null, n % 3)
        return n % 5 === 0 ? text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text
      }),
      check: checkTagText,
    }
  },
})
