// ISO/IEC 14496-12 §4.2 box headers: u32 size + four-character type; size 1 means a u64 largesize
// follows, size 0 means "to the end of the file" (allowed only for the last top-level box). Every
// size is checked against the parent before it is used (docs/spec.md §10.7.8). Internal.
import { LimitExceededError } from '../../errors.js'
import { ascii, u32be } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import type { BoxIO } from './_io.js'
import { MP4_LIMITS } from './limits.js'

/** One box: where it starts and ends in the file and how its size was written. */
export interface Box {
  /** Four-character type, one character per byte (`©nam` keeps its 0xA9). */
  readonly type: string
  /** Offset of the size field. */
  readonly start: number
  /** Offset just past the box. */
  readonly end: number
  /** 8, or 16 with a 64-bit largesize. */
  readonly headerSize: number
  /** How the size was written: 32-bit, 64-bit (size 1 + largesize), or 0 ("to the end of the file"). */
  readonly sizeKind: 'u32' | 'u64' | 'eof'
  /** Nesting depth: 1 for top-level boxes. */
  readonly depth: number
}

/** The virtual parent of the top-level boxes. */
export function fileRoot(size: number): Box {
  return { type: '', start: 0, end: size, headerSize: 0, sizeKind: 'eof', depth: 0 }
}

/** Offset of the first payload byte. */
export function payloadOf(box: Box): number {
  return box.start + box.headerSize
}

/** Largest value a 64-bit size may take here: one that is a safe JavaScript integer. */
const MAX_SAFE_HIGH_WORD = 0x1f_ffff

/**
 * Parses the header at `bytes[0..]`, which is the file offset `start`, inside a parent ending at
 * `limit`. `bytes` holds at least 8 bytes (16 when the size field is 1).
 */
export function parseHeader(bytes: Uint8Array, start: number, limit: number, depth: number): Box {
  const size32 = u32be(bytes, 0)
  const type = ascii(bytes, 4, 8)
  let size = size32
  let headerSize = 8
  let sizeKind: Box['sizeKind'] = 'u32'
  if (size32 === 1) {
    if (bytes.byteLength < 16) throw new MalformedAudioError('mp4', `${show(type)} box 64-bit size is cut short`, start)
    const high = u32be(bytes, 8)
    if (high > MAX_SAFE_HIGH_WORD) throw new MalformedAudioError('mp4', `${show(type)} box 64-bit size is too large`, start)
    size = high * 0x1_0000_0000 + u32be(bytes, 12)
    headerSize = 16
    sizeKind = 'u64'
  } else if (size32 === 0) {
    if (depth !== 1) throw new MalformedAudioError('mp4', `${show(type)} box has size 0, allowed only for the last top-level box`, start)
    size = limit - start
    sizeKind = 'eof'
  }
  if (size < headerSize) throw new MalformedAudioError('mp4', `${show(type)} box size ${size} is smaller than its ${headerSize}-byte header`, start)
  if (start + size > limit) {
    const parent = depth === 1 ? 'the file' : 'its parent box'
    throw new MalformedAudioError('mp4', `${show(type)} box of size ${size} runs past the end of ${parent} (${limit - start} bytes left)`, start)
  }
  return { type, start, end: start + size, headerSize, sizeKind, depth }
}

/** A printable four-character code for messages (`'moov'`, `'\x00\x00\x00\x01'`). */
export function show(type: string): string {
  return JSON.stringify(type)
}

/** Top-level box headers read exactly (8 bytes) before reads may run ahead (a file of many tiny boxes). */
const TOP_LEVEL_EXACT_READS = 64

/** The children of a box read from the file, header by header (payloads are not read). */
export async function childrenOf(io: BoxIO, parent: Box, options: { readonly skip?: number } = {}): Promise<Box[]> {
  const depth = parent.depth + 1
  if (depth > MP4_LIMITS.maxBoxDepth) throw new LimitExceededError('maxBoxDepth', MP4_LIMITS.maxBoxDepth, depth, 'MP4 box nesting depth')
  const out: Box[] = []
  for (let at = payloadOf(parent) + (options.skip ?? 0); at < parent.end; ) {
    io.countBox()
    if (parent.end - at < 8) {
      if (depth === 1) break // trailing bytes after the last top-level box: reported by the caller
      throw new MalformedAudioError('mp4', `${parent.end - at} stray bytes at the end of the ${show(parent.type)} box`, at)
    }
    // 8 bytes, and 8 more for a largesize. Inside a box the read may run ahead over its children;
    // at the top level only after many boxes (a normal file has a few, and the next may be mdat).
    const until = depth === 1 && out.length < TOP_LEVEL_EXACT_READS ? at + 8 : parent.end
    let head = io.peek(at, 8) ?? (await io.bytes(at, 8, 'box header', until))
    if (u32be(head, 0) === 1) head = io.peek(at, Math.min(16, parent.end - at)) ?? (await io.bytes(at, Math.min(16, parent.end - at), 'box header', until))
    const box = parseHeader(head, at, parent.end, depth)
    out.push(box)
    at = box.end
  }
  return out
}

/** The boxes inside bytes already in memory (`bytes[0]` is at file offset `base`). */
export function boxesIn(bytes: Uint8Array, base: number, depth: number): Box[] {
  const out: Box[] = []
  const limit = base + bytes.byteLength
  for (let at = 0; at < bytes.byteLength; ) {
    if (bytes.byteLength - at < 8) throw new MalformedAudioError('mp4', `${bytes.byteLength - at} stray bytes inside a box`, base + at)
    const box = parseHeader(bytes.subarray(at, at + 16), base + at, limit, depth)
    out.push(box)
    at = box.end - base
  }
  return out
}

/** The first box of a type. */
export function find(boxes: readonly Box[], type: string): Box | undefined {
  return boxes.find((b) => b.type === type)
}
