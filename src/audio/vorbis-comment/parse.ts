/**
 * Parses a Vorbis comment list (the body of a FLAC VORBIS_COMMENT block, or an Ogg comment header
 * packet after its codec magic), keeping every field's bytes for byte-for-byte preservation.
 *
 * Ref: https://xiph.org/vorbis/doc/v-comment.html ; RFC 9639 §8.6 ; RFC 7845 §5.2 ;
 * docs/spec.md §10.5, §10.6.
 *
 * @module
 */
import { safeBound, u32le } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import type { AudioFormat } from '../types.js'
import { VORBIS_COMMENT_LIMITS } from './limits.js'

/** One `NAME=value` field, as stored. */
export interface VorbisField {
  /** The field's bytes (without its length prefix): `NAME=value`. */
  readonly raw: Uint8Array
  /** The name upper-cased (ASCII), or `undefined` when the field has no `=` or an invalid name. */
  readonly key: string | undefined
}

/** A parsed comment list. Serialising it unchanged gives back the input bytes. */
export interface VorbisComment {
  /** The vendor string's bytes (UTF-8, not decoded). */
  readonly vendor: Uint8Array
  /** The fields, in order. */
  readonly fields: readonly VorbisField[]
  /**
   * Bytes after the list, kept as they are: the framing byte of a Vorbis comment header (and
   * anything after it), the padding or binary data of an Opus `OpusTags` packet (RFC 7845 §5.2).
   * Empty for a well-formed FLAC block.
   */
  readonly tail: Uint8Array
}

/** Where the list sits, for error messages. */
export interface ParseVorbisCommentOptions {
  /** The container, named in errors. */
  readonly format: AudioFormat
  /** File offset of the first byte of `bytes`. */
  readonly offset: number
}

/**
 * The upper-cased name of a field, when the field has a valid name: ASCII 0x20 to 0x7D except
 * `=` (Vorbis I comment spec), followed by `=`. Names are case-insensitive on read.
 */
export function fieldKey(raw: Uint8Array): string | undefined {
  let key = ''
  for (let i = 0; i < raw.byteLength; i++) {
    const b = raw[i]!
    if (b === 0x3d) return i === 0 ? undefined : key
    if (b < 0x20 || b > 0x7d) return undefined
    key += String.fromCharCode(b >= 0x61 && b <= 0x7a ? b - 0x20 : b)
  }
  return undefined
}

/**
 * Parses a comment list. Every length is checked against the bytes that remain, and the field
 * count against {@link VORBIS_COMMENT_LIMITS}.maxFields and against the remaining bytes (each field
 * takes at least 4).
 *
 * @throws MalformedAudioError when a length runs past the end of `bytes`.
 * @throws LimitExceededError when the list has more than `maxFields` fields.
 * @example
 * ```ts
 * const vc = parseVorbisComment(blockBody, { format: 'flac', offset: 42 })
 * ```
 */
export function parseVorbisComment(bytes: Uint8Array, options: ParseVorbisCommentOptions): VorbisComment {
  const { format, offset } = options
  const need = (at: number, n: number, what: string): void => {
    if (at + n > bytes.byteLength) {
      throw new MalformedAudioError(format, `Vorbis comment ${what} (${n} bytes) runs past the end of its ${bytes.byteLength}-byte container`, offset + at)
    }
  }
  need(0, 4, 'vendor length')
  const vendorLength = u32le(bytes, 0)
  need(4, vendorLength, 'vendor string')
  const vendor = bytes.subarray(4, 4 + vendorLength)
  let at = 4 + vendorLength
  need(at, 4, 'field count')
  const count = u32le(bytes, at)
  at += 4
  safeBound(count, VORBIS_COMMENT_LIMITS.maxFields, 'maxFields', 'Vorbis comment field count')
  if (count * 4 > bytes.byteLength - at) {
    throw new MalformedAudioError(format, `Vorbis comment field count ${count} does not fit in the ${bytes.byteLength - at} bytes that follow`, offset + at - 4)
  }
  const fields: VorbisField[] = []
  for (let i = 0; i < count; i++) {
    need(at, 4, `field ${i} length`)
    const n = u32le(bytes, at)
    need(at + 4, n, `field ${i}`)
    const raw = bytes.subarray(at + 4, at + 4 + n)
    fields.push({ raw, key: fieldKey(raw) })
    at += 4 + n
  }
  return { vendor, fields, tail: bytes.subarray(at) }
}
