/**
 * Reads the AI-usage statements of an HTML page given whole, synchronously (docs/spec.md §11.2).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import { isBytes } from '../_internal/bytes.js'
import { ByteFeeder, readString, result, settings, type HtmlReadResult, type ReadHtmlSignalsOptions } from './_read.js'

/** First slice of byte input decoded; each further slice is twice as large (so a page whose head is short is decoded only that far). */
const FIRST_SLICE = 16_384

/**
 * The synchronous form of {@link readHtmlSignals}, for a page already in memory as a string or
 * bytes. It reads only as far as it must, exactly as `readHtmlSignals` does, and gives the same
 * result.
 *
 * @throws InvalidArgumentError when `input` is not a string or a Uint8Array, or `maxBytes` is not a
 *   positive integer.
 * @example
 * ```ts
 * import { readHtmlSignalsSync } from 'noai-tag/html'
 * const r = readHtmlSignalsSync('<head><meta name="robots" content="noai, noimageai"></head>')
 * r.signals[0]?.usage // { ai: 'denied' }
 * r.stoppedAt         // 'head-end'
 * ```
 */
export function readHtmlSignalsSync(input: string | Uint8Array, options: ReadHtmlSignalsOptions = {}): HtmlReadResult {
  const s = settings(options)
  if (typeof input === 'string') return readString(input, s)
  if (!isBytes(input)) throw new InvalidArgumentError(`HTML input must be a string, a Uint8Array or a ReadableStream, not ${input === null ? 'null' : typeof input}`)
  const feeder = new ByteFeeder(s)
  let at = 0
  let size = FIRST_SLICE
  for (;;) {
    const end = Math.min(input.length, at + size)
    if (feeder.push(input.subarray(at, end), end >= input.length)) break
    at = end
    size *= 2
  }
  return result(feeder.scanner, s, feeder.truncated, feeder.bytesRead, feeder.charset)
}
