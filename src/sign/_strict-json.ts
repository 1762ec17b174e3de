// A fast path for the strict JSON rules of docs/spec.md §4.10 on the verification hot path.
// `JSON.parse` is native and several times faster than the strict parser written in JS
// (src/_internal/json.ts), but silently keeps the last of duplicate names, accepts deep nesting
// and turns 1e400 into Infinity. So: parse natively, then prove the strict rules held, by
// comparing the number of member separators (`:` outside strings) in the text with the number of
// members in the result (equal if and only if no name repeats within an object), measuring the
// depth and checking every number is finite. Anything that fails goes to the strict parser, whose
// verdict (and error position) is authoritative. test/sign-json.test.ts checks both agree.
// Internal.
import { LIMITS } from '../limits.js'
import { parseDocumentJson } from '../validate/parse.js'

/** `:` characters outside strings, in text that JSON.parse accepted (so strings are well formed). */
function colonsOutsideStrings(text: string): number {
  let n = 0
  let i = 0
  const end = text.length
  while (i < end) {
    const c = text.charCodeAt(i++)
    if (c === 0x3a) n++
    else if (c === 0x22) {
      // Skip the string: up to the next quote that is not escaped.
      for (;;) {
        const d = text.charCodeAt(i++)
        if (d === 0x22) break
        if (d === 0x5c) i++
      }
    }
  }
  return n
}

/** Members in all objects, or -1 when nesting is deeper than the limit or a number is not finite. */
function membersOf(value: unknown, depth: number): number {
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : -1
  if (typeof value !== 'object' || value === null) return 0
  if (depth >= LIMITS.maxJsonDepth) return -1
  let n = 0
  if (Array.isArray(value)) {
    for (const v of value) {
      const m = membersOf(v, depth + 1)
      if (m < 0) return -1
      n += m
    }
    return n
  }
  // Own keys only: an enumerable member on a polluted Object.prototype must not be counted.
  for (const k of Object.keys(value)) {
    const m = membersOf((value as Record<string, unknown>)[k], depth + 1)
    if (m < 0) return -1
    n += m + 1
  }
  return n
}

/**
 * Parses JSON text under the strict rules (no byte order mark, no duplicate member names, depth
 * at most `LIMITS.maxJsonDepth`, finite numbers).
 *
 * @throws JsonParseError (from the strict parser) when the text breaks a rule.
 */
export function parseStrictJson(text: string): unknown {
  if (text.charCodeAt(0) !== 0xfeff) {
    let value: unknown
    let parsed = true
    try {
      value = JSON.parse(text)
    } catch {
      parsed = false // the strict parser below reports where
    }
    if (parsed) {
      const members = membersOf(value, 0)
      if (members >= 0 && members === colonsOutsideStrings(text)) return value
    }
  }
  return parseDocumentJson(text).value
}
