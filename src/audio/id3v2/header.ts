/**
 * The ID3v2 tag header and footer (ID3v2.4 structure §3.1 and §3.4; ID3v2.3 §3.1).
 *
 * @module
 */
import { MalformedAudioError } from '../errors.js'
import type { AudioFormat } from '../types.js'
import { ID3V2_LIMITS } from './limits.js'
import { readSyncsafe } from './syncsafe.js'

/** Header flag bits. */
export const ID3V2_FLAGS = {
  /** Unsynchronisation (v2.3: the whole tag; v2.4: every frame). */
  unsync: 0x80,
  /** v2.3/v2.4: an extended header follows; v2.2: the tag is compressed. */
  extendedHeader: 0x40,
  /** Experimental indicator. */
  experimental: 0x20,
  /** v2.4: a footer follows the tag. */
  footer: 0x10,
} as const

/** A parsed 10-byte ID3v2 header (or `3DI` footer). */
export interface Id3v2Header {
  /** Major version: 2, 3 or 4 (others are skipped unread). */
  readonly major: number
  /** Revision number. */
  readonly revision: number
  /** Header flags (see {@link ID3V2_FLAGS}). */
  readonly flags: number
  /** The size field: bytes after the header, excluding a footer. */
  readonly size: number
  /** Bytes of the whole tag: header, body and (v2.4) footer. */
  readonly totalBytes: number
}

/** Tells whether the 10 bytes at `at` start with the ID3v2 identifier `ID3`. */
export function isId3v2Header(bytes: Uint8Array, at = 0): boolean {
  return bytes.length >= at + 3 && bytes[at] === 0x49 && bytes[at + 1] === 0x44 && bytes[at + 2] === 0x33
}

function parse(bytes: Uint8Array, at: number, fileOffset: number, format: AudioFormat | 'id3v2', magic: string): Id3v2Header {
  const major = bytes[at + 3]!
  const revision = bytes[at + 4]!
  const flags = bytes[at + 5]!
  if (major === 0xff || revision === 0xff) throw new MalformedAudioError(format, `${magic} version bytes are 0xFF`, fileOffset + 3)
  const size = readSyncsafe(bytes, at + 6)
  if (size === undefined) throw new MalformedAudioError(format, `${magic} size is not a syncsafe integer`, fileOffset + 6)
  const footer = major === 4 && (flags & ID3V2_FLAGS.footer) !== 0
  return { major, revision, flags, size, totalBytes: ID3V2_LIMITS.headerBytes * (footer ? 2 : 1) + size }
}

/**
 * Parses the 10-byte ID3v2 header at `at` in `bytes`, or returns `undefined` when there is no
 * `ID3` identifier there.
 *
 * @param fileOffset - Where `bytes[at]` is in the file, for error messages.
 * @throws MalformedAudioError when the header is cut short or its size is not syncsafe.
 * @example
 * ```ts
 * parseId3v2Header(first10Bytes)?.totalBytes // where the audio starts
 * ```
 */
export function parseId3v2Header(bytes: Uint8Array, at = 0, fileOffset = at, format: AudioFormat | 'id3v2' = 'id3v2'): Id3v2Header | undefined {
  if (!isId3v2Header(bytes, at)) return undefined
  if (bytes.length < at + ID3V2_LIMITS.headerBytes) throw new MalformedAudioError(format, 'ID3v2 header is cut short', fileOffset)
  return parse(bytes, at, fileOffset, format, 'ID3v2 header')
}

/**
 * Parses a v2.4 footer (`3DI`) at `at`, or returns `undefined` when there is none. A footer ends a
 * tag appended at the end of a file; the tag starts `totalBytes` before the footer's end.
 *
 * @example
 * ```ts
 * const f = parseId3v2Footer(last10Bytes) // f?.totalBytes: bytes to skip back
 * ```
 */
export function parseId3v2Footer(bytes: Uint8Array, at = 0, fileOffset = at, format: AudioFormat | 'id3v2' = 'id3v2'): Id3v2Header | undefined {
  if (bytes.length < at + ID3V2_LIMITS.headerBytes) return undefined
  if (bytes[at] !== 0x33 || bytes[at + 1] !== 0x44 || bytes[at + 2] !== 0x49) return undefined
  const h = parse(bytes, at, fileOffset, format, 'ID3v2 footer')
  return { ...h, totalBytes: ID3V2_LIMITS.headerBytes * 2 + h.size }
}
