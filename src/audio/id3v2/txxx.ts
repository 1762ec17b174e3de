// TXXX user-defined text frames (ID3v2.4 frames §4.2.6; ID3v2.3 §4.2.2): decoding any encoding,
// and encoding ours (v2.4 UTF-8, v2.3 ISO-8859-1; our values are ASCII). Internal.
import { InvalidArgumentError } from '../../errors.js'
import { ID3V2_LIMITS } from './limits.js'
import { writeSyncsafe, writeU32 } from './syncsafe.js'
import { decodeText, encodeAscii, findTerminator, isPrintableAscii, splitStrings, terminatorWidth, type Id3TextEncoding } from './text.js'
import type { FrameSizeMode, Id3v2Frame } from './frames.js'

/** A decoded TXXX frame: its description and its first value. */
export interface TxxxValue {
  readonly description: string
  /** The first value (v2.4 separates values with NUL; a trailing NUL is stripped). */
  readonly value: string
  /** More values followed the first one. */
  readonly extraValues: number
}

/** Decodes a TXXX (or v2.2 TXX) frame's data; `undefined` when it is not decodable or too large. */
export function decodeTxxx(frame: Id3v2Frame): TxxxValue | undefined {
  if ((frame.id !== 'TXXX' && frame.id !== 'TXX') || frame.data === undefined || frame.data.length < 1) return undefined
  if (frame.data.length > ID3V2_LIMITS.maxTextBytes + 1024) return undefined
  const enc = frame.data[0]!
  if (enc > 3) return undefined
  const e = enc as Id3TextEncoding
  const t = findTerminator(frame.data, 1, e)
  const description = decodeText(e, frame.data.subarray(1, t < 0 ? frame.data.length : t))
  const values = t < 0 ? [] : splitStrings(frame.data, t + terminatorWidth(e), e)
  return { description, value: values[0] ?? '', extraValues: Math.max(0, values.length - 1) }
}

/** Only the description of a TXXX frame (cheap: stops at the first terminator). */
export function txxxDescription(frame: Id3v2Frame): string | undefined {
  if ((frame.id !== 'TXXX' && frame.id !== 'TXX') || frame.data === undefined || frame.data.length < 1) return undefined
  const enc = frame.data[0]!
  if (enc > 3) return undefined
  const t = findTerminator(frame.data, 1, enc as Id3TextEncoding)
  return decodeText(enc as Id3TextEncoding, frame.data.subarray(1, t < 0 ? frame.data.length : t))
}

/**
 * Builds a complete TXXX frame (header and body) for a tag of version `major` (3 or 4): v2.4 as
 * UTF-8 (encoding 3), v2.3 as ISO-8859-1 (encoding 0). No terminator after the value, no flags.
 *
 * @param sizeMode - `plain` only to match a v2.4 tag whose other frames use plain sizes (old iTunes).
 */
export function buildTxxx(major: 3 | 4, description: string, value: string, sizeMode: FrameSizeMode = 'syncsafe'): Uint8Array {
  if (!isPrintableAscii(description) || !isPrintableAscii(value)) {
    throw new InvalidArgumentError(`ID3v2 TXXX ${description}: our entries must be ASCII without NUL (docs/spec.md §9.6)`)
  }
  const size = 1 + description.length + 1 + value.length
  const out = new Uint8Array(10 + size)
  out.set(encodeAscii('TXXX'), 0)
  if (major === 4 && sizeMode === 'syncsafe') writeSyncsafe(out, 4, size)
  else writeU32(out, 4, size)
  out[10] = major === 4 ? 3 : 0
  out.set(encodeAscii(description), 11)
  out[11 + description.length] = 0
  out.set(encodeAscii(value), 12 + description.length)
  return out
}
