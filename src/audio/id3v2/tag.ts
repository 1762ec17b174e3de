/**
 * Parsing a complete ID3v2 tag from bytes (ID3v2.4 structure §3; ID3v2.3 §3; ID3v2.2 read only).
 * Used by MP3 and by the `id3 `/`ID3 ` chunks of WAV and AIFF (docs/spec.md §10.4).
 *
 * @module
 */
import { MalformedAudioError } from '../errors.js'
import type { AudioFormat } from '../types.js'
import { determineSizeMode, parseFrames, type FrameSizeMode, type Id3v2Frame } from './frames.js'
import { ID3V2_FLAGS, parseId3v2Header } from './header.js'
import { ID3V2_LIMITS } from './limits.js'
import { readSyncsafe, removeUnsync } from './syncsafe.js'

export type { Id3v2Frame, FrameSizeMode } from './frames.js'

/** A parsed ID3v2 tag. Frames keep their stored bytes; the tag's version is never changed. */
export interface Id3v2Tag {
  /** File offset of the tag's first byte. */
  readonly offset: number
  /** Major version (2, 3 or 4; other versions have no frames and `readable: false`). */
  readonly major: number
  /** Revision byte. */
  readonly revision: number
  /** Header flags as stored. */
  readonly flags: number
  /** Bytes of the whole tag (header, body, footer). */
  readonly totalBytes: number
  /** The frames were parsed (v2.2-v2.4, not a compressed v2.2 tag). */
  readonly readable: boolean
  /** The frames, in order. */
  readonly frames: readonly Id3v2Frame[]
  /** Bytes after the last frame (zero padding, or junk treated as padding). */
  readonly paddingBytes: number
  /** How v2.4 frame sizes were read (`plain`: old iTunes). */
  readonly sizeMode: FrameSizeMode
  /** Tolerated oddities. */
  readonly warnings: readonly string[]
}

/** Options of {@link parseId3v2}. */
export interface ParseId3v2Options {
  /** File offset of `bytes[0]` (for error messages and foreign-data offsets). @defaultValue 0 */
  readonly offset?: number
  /** The container, for error messages. @defaultValue `'id3v2'` */
  readonly format?: AudioFormat | 'id3v2'
}

function extendedHeaderBytes(body: Uint8Array, major: number, format: AudioFormat | 'id3v2', at: number): number {
  if (body.length < 4) throw new MalformedAudioError(format, 'ID3v2 extended header is cut short', at)
  // v2.3: a plain size that excludes itself (6 or 10); v2.4: a syncsafe size that includes itself.
  const n = major === 3 ? ((body[0]! << 24) >>> 0) + (body[1]! << 16) + (body[2]! << 8) + body[3]! + 4 : readSyncsafe(body, 0)
  if (n === undefined || n < 6 || n > body.length) throw new MalformedAudioError(format, `ID3v2 extended header size ${n ?? 'not syncsafe'} is invalid`, at)
  return n
}

/**
 * Parses one complete ID3v2 tag at the start of `bytes` (which must hold the whole tag).
 *
 * v2.3 and v2.4 are parsed fully (extended header skipped; v2.3 whole-tag and v2.4 per-frame
 * unsynchronisation removed for reading; v2.4 footer; v2.4 frame sizes written as plain integers
 * by old iTunes detected as mutagen does). v2.2 is parsed for reading only. Other versions are
 * returned with no frames and `readable: false`.
 *
 * @throws MalformedAudioError when the tag is cut short or a frame runs past its end;
 *   LimitExceededError never (the caller bounds the bytes it reads).
 * @example
 * ```ts
 * const tag = parseId3v2(bytes, { offset: 0, format: 'mp3' })
 * tag.frames.map((f) => f.id) // ['TIT2', 'TXXX', ...]
 * ```
 */
export function parseId3v2(bytes: Uint8Array, options: ParseId3v2Options = {}): Id3v2Tag {
  const offset = options.offset ?? 0
  const format = options.format ?? 'id3v2'
  const h = parseId3v2Header(bytes, 0, offset, format)
  if (!h) throw new MalformedAudioError(format, 'no ID3v2 header', offset)
  if (h.totalBytes > bytes.length) throw new MalformedAudioError(format, `ID3v2 tag of ${h.totalBytes} bytes is cut short (${bytes.length} bytes)`, offset)
  const base = { offset, major: h.major, revision: h.revision, flags: h.flags, totalBytes: h.totalBytes, sizeMode: 'syncsafe' as const }
  const warnings: string[] = []
  if (h.major < 2 || h.major > 4 || (h.major === 2 && h.flags & ID3V2_FLAGS.extendedHeader)) {
    warnings.push(`ID3v2.${h.major} tag${h.major === 2 ? ' is compressed' : ' has an unknown version'}: skipped unread`)
    return { ...base, readable: false, frames: [], paddingBytes: 0, warnings }
  }
  const H = ID3V2_LIMITS.headerBytes
  let body = bytes.subarray(H, H + h.size)
  let bodyFileOffset: number | undefined = offset + H
  const wholeUnsync = h.major <= 3 && (h.flags & ID3V2_FLAGS.unsync) !== 0
  if (wholeUnsync) {
    body = removeUnsync(body)
    bodyFileOffset = undefined
  }
  if (h.major >= 3 && h.flags & ID3V2_FLAGS.extendedHeader) {
    const n = extendedHeaderBytes(body, h.major, format, offset + H)
    body = body.subarray(n)
    if (bodyFileOffset !== undefined) bodyFileOffset += n
  }
  const sizeMode = h.major === 4 ? determineSizeMode(body) : 'syncsafe'
  if (sizeMode === 'plain') warnings.push('ID3v2.4 frame sizes are plain integers (old iTunes), not syncsafe')
  const list = parseFrames(body, {
    major: h.major,
    headerUnsync: h.major === 4 && (h.flags & ID3V2_FLAGS.unsync) !== 0,
    sizeMode,
    bodyFileOffset,
    format,
    tagOffset: offset,
  })
  return { ...base, sizeMode, readable: true, frames: list.frames, paddingBytes: list.paddingBytes, warnings: [...warnings, ...list.warnings] }
}
