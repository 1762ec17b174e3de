/**
 * Serialises a Vorbis comment list (docs/spec.md §10.5, §10.6): vendor, count, fields, then the
 * kept tail (framing byte or Opus trailing data) unchanged.
 *
 * @module
 */
import type { VorbisComment } from './parse.js'

function putU32le(out: Uint8Array, at: number, value: number): void {
  out[at] = value & 0xff
  out[at + 1] = (value >>> 8) & 0xff
  out[at + 2] = (value >>> 16) & 0xff
  out[at + 3] = (value >>> 24) & 0xff
}

/** Byte length of {@link serializeVorbisComment}'s output, without building it. */
export function vorbisCommentLength(vc: VorbisComment): number {
  let n = 8 + vc.vendor.byteLength + vc.tail.byteLength
  for (const f of vc.fields) n += 4 + f.raw.byteLength
  return n
}

/**
 * The bytes of a comment list. `serializeVorbisComment(parseVorbisComment(b))` equals `b`.
 *
 * @example
 * ```ts
 * const body = serializeVorbisComment({ vendor, fields, tail: new Uint8Array(0) }) // a FLAC block body
 * ```
 */
export function serializeVorbisComment(vc: VorbisComment): Uint8Array {
  const out = new Uint8Array(vorbisCommentLength(vc))
  putU32le(out, 0, vc.vendor.byteLength)
  out.set(vc.vendor, 4)
  let at = 4 + vc.vendor.byteLength
  putU32le(out, at, vc.fields.length)
  at += 4
  for (const f of vc.fields) {
    putU32le(out, at, f.raw.byteLength)
    out.set(f.raw, at + 4)
    at += 4 + f.raw.byteLength
  }
  out.set(vc.tail, at)
  return out
}
