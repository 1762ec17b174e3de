/**
 * Parses the compact form of preferences (docs/spec.md §8): an RFC 9651 Dictionary whose keys are
 * uses and whose values are the Tokens `y` or `n`, as in aipref's `Content-Usage`. Parsing uses
 * the `structured-headers` library (RFC 9651), not hand-written code.
 *
 * @module
 */
import { parseDictionary, Token } from 'structured-headers'
import { LIMITS } from '../limits.js'
import type { StatedPreference } from '../vocabulary/uses.js'

/** Why a member of the compact form was not taken. */
export interface CompactIgnored {
  /** The dictionary key. */
  readonly key: string
  /** Why it was ignored. */
  readonly reason: 'not-a-token' | 'not-y-or-n' | 'has-parameters-ignored'
}

/** Result of {@link parseCompact}. A failed parse means every use is unknown (docs/spec.md §8.2). */
export type CompactParseResult =
  | { readonly ok: true; readonly usage: Readonly<Record<string, StatedPreference>>; readonly ignored: readonly CompactIgnored[] }
  | { readonly ok: false; readonly error: string }

/**
 * Parses a compact-form string such as `train-ai=n, search=y`.
 *
 * Every key is kept (unknown uses included, so that callers can report them); values other than
 * the Tokens `y`/`n` are ignored; parameters are ignored; a repeated key takes its last value; a
 * string that is not a valid Dictionary (e.g. upper-case keys) yields `ok: false`.
 *
 * @example
 * ```ts
 * parseCompact('train-ai=n, search=y') // { ok: true, usage: { 'train-ai': 'denied', search: 'allowed' }, ignored: [] }
 * parseCompact('Train-AI=n')           // { ok: false, error: '...' }
 * ```
 */
export function parseCompact(text: string): CompactParseResult {
  if (typeof text !== 'string') return { ok: false, error: 'not a string' }
  if (text.length > LIMITS.maxCompactLength) {
    return { ok: false, error: `compact form is ${text.length} characters, over the limit maxCompactLength = ${LIMITS.maxCompactLength}` }
  }
  let dict
  try {
    dict = parseDictionary(text)
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
  const usage: Record<string, StatedPreference> = {}
  const ignored: CompactIgnored[] = []
  for (const [key, member] of dict) {
    const [value, params] = member
    if (!(value instanceof Token)) {
      ignored.push({ key, reason: 'not-a-token' })
      continue
    }
    const token = value.toString()
    if (token !== 'y' && token !== 'n') {
      ignored.push({ key, reason: 'not-y-or-n' })
      continue
    }
    if (params.size > 0) ignored.push({ key, reason: 'has-parameters-ignored' })
    Object.defineProperty(usage, key, { value: token === 'y' ? 'allowed' : 'denied', enumerable: true, writable: true, configurable: true })
  }
  return { ok: true, usage, ignored }
}
