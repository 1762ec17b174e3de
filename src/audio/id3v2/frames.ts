// The frame list of an ID3v2 tag (ID3v2.4 structure §4; ID3v2.3 §3.3; ID3v2.2 §3.2). Internal.
import { ascii, isAllZero } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import type { AudioFormat } from '../types.js'
import { ID3V2_LIMITS } from './limits.js'
import { readSyncsafeLoose, removeUnsync } from './syncsafe.js'

/** One frame, kept as stored for byte-for-byte re-serialisation. */
export interface Id3v2Frame {
  /** Frame identifier (`TXXX`, `PRIV`...; three characters in v2.2). */
  readonly id: string
  /** Frame flags (two bytes; 0 in v2.2). */
  readonly flags: number
  /** The frame as stored: header and body (in a whole-tag unsynchronised v2.3 tag, after decoding). */
  readonly raw: Uint8Array
  /** Offset of the frame's first byte in the file, when stored bytes map one to one onto the file. */
  readonly fileOffset: number | undefined
  /** The frame content without flag extras and frame unsynchronisation; `undefined` when compressed or encrypted. */
  readonly data: Uint8Array | undefined
  /** Offset of `data` in the file, when it is stored contiguously as is. */
  readonly dataFileOffset: number | undefined
  /** The frame is compressed (zlib) or encrypted: kept raw, never parsed. */
  readonly opaque: boolean
}

/** How v2.4 frame sizes are read: syncsafe (the standard) or plain integers (old iTunes). */
export type FrameSizeMode = 'syncsafe' | 'plain'

const FRAME_ID = /^[A-Z0-9]{4}$/
const FRAME_ID_V22 = /^[A-Z0-9]{3}$/
const EMPTY_HEADER = (b: Uint8Array, at: number): boolean => isAllZero(b.subarray(at, at + 10))

function idAt(b: Uint8Array, at: number, n: number): string {
  return ascii(b, at, at + n)
}

function walk(body: Uint8Array, plain: boolean): { valid: number; overshoot: number } {
  // mutagen's determine_bpi: walk the frame list one way, count valid IDs, and see where it lands.
  let o = 0
  let valid = 0
  while (o < body.length - 10) {
    if (EMPTY_HEADER(body, o)) return { valid, overshoot: -((body.length - o) % 10) }
    const size = plain ? ((body[o + 4]! << 24) >>> 0) + (body[o + 5]! << 16) + (body[o + 6]! << 8) + body[o + 7]! : readSyncsafeLoose(body, o + 4)
    if (FRAME_ID.test(idAt(body, o, 4))) valid++
    o += 10 + size
  }
  return { valid, overshoot: o - body.length }
}

/**
 * Decides how to read v2.4 frame sizes: old iTunes wrote plain integers. Parses the list both ways
 * and takes the reading that lands on more valid frame IDs (mutagen `determine_bpi`).
 */
export function determineSizeMode(body: Uint8Array): FrameSizeMode {
  const bpi = walk(body, false)
  const int = walk(body, true)
  if (int.valid > bpi.valid || (int.valid === bpi.valid && bpi.overshoot >= 1 && int.overshoot < 1)) return 'plain'
  return 'syncsafe'
}

/** What {@link parseFrames} found. */
export interface FrameList {
  readonly frames: Id3v2Frame[]
  /** Bytes after the last frame (padding, or junk treated as padding). */
  readonly paddingBytes: number
  readonly warnings: string[]
}

interface Layout {
  readonly major: number
  readonly headerUnsync: boolean
  readonly sizeMode: FrameSizeMode
  /** File offset of `body[0]`, or undefined when the body was decoded (v2.3 whole-tag unsync). */
  readonly bodyFileOffset: number | undefined
  readonly format: AudioFormat | 'id3v2'
  /** File offset of the tag, for error messages. */
  readonly tagOffset: number
}

function frameData(raw: Uint8Array, headerLen: number, flags: number, l: Layout): { data: Uint8Array | undefined; extra: number; opaque: boolean; unsync: boolean } {
  let extra = 0
  let opaque = false
  let unsync = false
  if (l.major === 3) {
    // Extra bytes in flag order: decompressed size (compression), encryption method, group identifier.
    if (flags & 0x80) extra += 4
    if (flags & 0x40) extra += 1
    if (flags & 0x20) extra += 1
    opaque = (flags & 0xc0) !== 0
  } else if (l.major === 4) {
    // Extra bytes in flag order: group identifier, encryption method, data length indicator.
    if (flags & 0x40) extra += 1
    if (flags & 0x04) extra += 1
    if (flags & 0x01) extra += 4
    opaque = (flags & 0x0c) !== 0 // compression or encryption
    unsync = (flags & 0x02) !== 0 || l.headerUnsync
  }
  if (headerLen + extra > raw.length) return { data: undefined, extra: 0, opaque: true, unsync }
  if (opaque) return { data: undefined, extra, opaque, unsync }
  const stored = raw.subarray(headerLen + extra)
  return { data: unsync ? removeUnsync(stored) : stored, extra, opaque, unsync }
}

/**
 * Parses the frames of a tag body (after the header and extended header, before the footer; for a
 * whole-tag unsynchronised v2.3 tag, after decoding).
 *
 * @throws MalformedAudioError when a frame runs past the end of the tag.
 */
export function parseFrames(body: Uint8Array, l: Layout): FrameList {
  const frames: Id3v2Frame[] = []
  const warnings: string[] = []
  const headerLen = l.major === 2 ? 6 : 10
  let at = 0
  while (at < body.length) {
    if (body[at] === 0) break // padding starts
    const id = idAt(body, at, l.major === 2 ? 3 : 4)
    if (body.length - at < headerLen || !(l.major === 2 ? FRAME_ID_V22 : FRAME_ID).test(id)) {
      warnings.push(`ID3v2: ${body.length - at} bytes after the last frame are not a frame; treated as padding`)
      break
    }
    if (frames.length >= ID3V2_LIMITS.maxFrames) {
      throw new MalformedAudioError(l.format, `ID3v2 tag has more than ${ID3V2_LIMITS.maxFrames} frames (maxFrames)`, l.tagOffset)
    }
    let size: number
    if (l.major === 2) size = (body[at + 3]! << 16) + (body[at + 4]! << 8) + body[at + 5]!
    else if (l.major === 4 && l.sizeMode === 'syncsafe') size = readSyncsafeLoose(body, at + 4)
    else size = ((body[at + 4]! << 24) >>> 0) + (body[at + 5]! << 16) + (body[at + 6]! << 8) + body[at + 7]!
    const end = at + headerLen + size
    if (end > body.length) {
      const where = l.bodyFileOffset === undefined ? l.tagOffset : l.bodyFileOffset + at
      throw new MalformedAudioError(l.format, `ID3v2 frame ${id} of ${size} bytes runs past the end of the tag`, where)
    }
    const flags = l.major === 2 ? 0 : (body[at + 8]! << 8) | body[at + 9]!
    const raw = body.subarray(at, end)
    const d = frameData(raw, headerLen, flags, l)
    const fileOffset = l.bodyFileOffset === undefined ? undefined : l.bodyFileOffset + at
    const dataFileOffset = fileOffset === undefined || d.unsync || d.data === undefined ? undefined : fileOffset + headerLen + d.extra
    frames.push({ id, flags, raw, fileOffset, data: d.data, dataFileOffset, opaque: d.opaque })
    at = end
  }
  const padding = body.length - at
  if (padding > 0 && body[at] === 0 && !isAllZero(body.subarray(at))) {
    warnings.push('ID3v2: the padding holds non-zero bytes')
  }
  return { frames, paddingBytes: padding, warnings }
}
