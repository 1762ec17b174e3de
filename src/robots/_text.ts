/** Text helpers of the site-level readers. @internal @module */
import { InvalidArgumentError, LimitExceededError } from '../errors.js'

/** Longest `source.text` of a FoundSignal (src/signals/types.ts). */
const MAX_SOURCE_TEXT = 512

/** Cuts text for `FoundSignal.source.text`. @internal */
export function clip(text: string): string {
  return text.length <= MAX_SOURCE_TEXT ? text : `${text.slice(0, MAX_SOURCE_TEXT - 1)}…`
}

/** Bytes of UTF-8 a UTF-16 code unit at `i` starts (0 for the low half of a surrogate pair). */
function unitBytes(text: string, i: number): number {
  const c = text.charCodeAt(i)
  if (c < 0x80) return 1
  if (c < 0x800) return 2
  if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) return 4
  if (c >= 0xdc00 && c <= 0xdfff && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) return 0
  return 3
}

/** Bytes of the UTF-8 encoding of `text` (a lone surrogate counts as U+FFFD, 3 bytes). @internal */
export function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) n += unitBytes(text, i)
  return n
}

/**
 * The number of UTF-16 code units of `text` whose UTF-8 encoding fits in `maxBytes` (never
 * splitting a surrogate pair). Costs O(maxBytes), whatever the length of `text`. @internal
 */
export function prefixWithinBytes(text: string, maxBytes: number): number {
  if (text.length * 3 <= maxBytes) return text.length
  let bytes = 0
  let i = 0
  for (; i < text.length; i++) {
    const n = unitBytes(text, i)
    if (bytes + n > maxBytes) break
    bytes += n
    if (n === 4) {
      i++
    }
  }
  return i
}

/**
 * Checks that a whole document fits a byte limit before it is parsed. @internal
 *
 * @throws LimitExceededError over the limit; InvalidArgumentError for a non-string.
 */
export function checkTextSize(text: unknown, limit: string, maxBytes: number, what: string): string {
  if (typeof text !== 'string') throw new InvalidArgumentError(`${what} must be given as a string, not ${text === null ? 'null' : typeof text}`)
  if (prefixWithinBytes(text, maxBytes) < text.length) throw new LimitExceededError(limit, maxBytes, undefined, `${what} of more than ${maxBytes} bytes`)
  return text
}

/** Checks an option that is a positive safe integer. @internal */
export function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}`)
  return value
}
