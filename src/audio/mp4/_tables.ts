// The sample tables of one track (ISO/IEC 14496-12 §8.7.3 stsz/stz2, §8.7.4 stsc, §8.7.5
// stco/co64), loaded with every entry count checked against its box size before use (the check
// TagLib PR #1333 added after a crafted co64 count). Internal.
import { ascii, safeBound, u32be } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { find, payloadOf, show, type Box } from './_box.js'
import type { BoxIO } from './_io.js'
import type { Track } from './_layout.js'
import { MP4_LIMITS } from './limits.js'

/** The three tables that locate a track's samples, with accessors over their raw entries. */
export interface SampleTables {
  readonly sampleCount: number
  /** Size of sample `i` (0-based, decode order). */
  readonly sizeOf: (i: number) => number
  /** Every sample's size when all are equal, else 0. */
  readonly constantSize: number
  readonly chunkCount: number
  /** File offset of chunk `i` (0-based). */
  readonly chunkOffset: (i: number) => number
  readonly stscCount: number
  /** `first_chunk` (1-based) and `samples_per_chunk` of stsc entry `i`. */
  readonly firstChunk: (i: number) => number
  readonly samplesPerChunk: (i: number) => number
}

/** Reads a sample table box into memory, bounded by {@link MP4_LIMITS.maxSampleTableBytes}. */
export async function tableBytes(io: BoxIO, b: Box): Promise<Uint8Array> {
  const length = safeBound(b.end - payloadOf(b), MP4_LIMITS.maxSampleTableBytes, 'maxSampleTableBytes', `MP4 ${b.type} box`)
  return io.bytes(payloadOf(b), length, `${b.type} box`)
}

/** Checks that `count` entries of `entryBytes` each fit after `headerBytes` in the box. */
export function checkCount(b: Box, body: Uint8Array, headerBytes: number, count: number, entryBits: number): void {
  if (body.byteLength < headerBytes || (headerBytes + Math.ceil((count * entryBits) / 8)) > body.byteLength) {
    throw new MalformedAudioError('mp4', `${show(b.type)} box declares ${count} entries but holds ${body.byteLength} bytes`, b.start)
  }
}

function need(track: Track, ...types: string[]): Box {
  for (const t of types) {
    const b = find(track.tables, t)
    if (b) return b
  }
  throw new MalformedAudioError('mp4', `audio track has no ${types.join(' or ')} box`, (track.stbl ?? track.trak).start)
}

/** Loads stsz or stz2, stsc, and stco or co64 of a track. */
export async function loadTables(io: BoxIO, track: Track): Promise<SampleTables> {
  const sizes = await loadSizes(io, need(track, 'stsz', 'stz2'))
  const stscBox = need(track, 'stsc')
  const stsc = await tableBytes(io, stscBox)
  const stscCount = stsc.byteLength >= 8 ? u32be(stsc, 4) : 0
  checkCount(stscBox, stsc, 8, stscCount, 96)
  const offsets = need(track, 'stco', 'co64')
  const co = await tableBytes(io, offsets)
  const wide = offsets.type === 'co64'
  const chunkCount = co.byteLength >= 8 ? u32be(co, 4) : 0
  checkCount(offsets, co, 8, chunkCount, wide ? 64 : 32)
  const chunkOffset = wide ? (i: number) => u64(co, 8 + 8 * i, offsets) : (i: number) => u32be(co, 8 + 4 * i)
  return {
    ...sizes,
    chunkCount,
    chunkOffset,
    stscCount,
    firstChunk: (i) => u32be(stsc, 8 + 12 * i),
    samplesPerChunk: (i) => u32be(stsc, 12 + 12 * i),
  }
}

function u64(bytes: Uint8Array, at: number, b: Box): number {
  const high = u32be(bytes, at)
  if (high > 0x1f_ffff) throw new MalformedAudioError('mp4', 'co64 chunk offset is beyond any file', b.start)
  return high * 0x1_0000_0000 + u32be(bytes, at + 4)
}

type Sizes = Pick<SampleTables, 'sampleCount' | 'sizeOf' | 'constantSize'>

async function loadSizes(io: BoxIO, b: Box): Promise<Sizes> {
  const body = await tableBytes(io, b)
  if (body.byteLength < 12) throw new MalformedAudioError('mp4', `${show(b.type)} box is too short`, b.start)
  const count = u32be(body, 8)
  if (b.type === 'stsz') {
    const constant = u32be(body, 4)
    if (constant !== 0) return { sampleCount: count, constantSize: constant, sizeOf: () => constant }
    checkCount(b, body, 12, count, 32)
    return { sampleCount: count, constantSize: 0, sizeOf: (i) => u32be(body, 12 + 4 * i) }
  }
  const field = body[7]!
  if (field !== 4 && field !== 8 && field !== 16) throw new MalformedAudioError('mp4', `stz2 field_size ${field} is not 4, 8 or 16`, b.start)
  checkCount(b, body, 12, count, field)
  const sizeOf =
    field === 16 ? (i: number) => (body[12 + 2 * i]! << 8) | body[13 + 2 * i]!
    : field === 8 ? (i: number) => body[12 + i]!
    : (i: number) => (i % 2 === 0 ? body[12 + (i >> 1)]! >> 4 : body[12 + (i >> 1)]! & 0x0f)
  return { sampleCount: count, constantSize: 0, sizeOf }
}

/** Whether every data reference of a track is "in this file" (flag 1 of `url `/`urn `/`alis` entries). */
export async function selfContained(io: BoxIO, track: Track): Promise<boolean> {
  if (!track.dref) return true
  const body = await tableBytes(io, track.dref)
  const count = body.byteLength >= 8 ? u32be(body, 4) : 0
  let at = 8
  for (let i = 0; i < count; i++) {
    if (at + 12 > body.byteLength) throw new MalformedAudioError('mp4', `dref box declares ${count} entries but holds ${body.byteLength} bytes`, track.dref.start)
    const size = u32be(body, at)
    if (size < 12 || at + size > body.byteLength) throw new MalformedAudioError('mp4', `dref entry ${show(ascii(body, at + 4, at + 8))} has a bad size`, payloadOf(track.dref) + at)
    if ((body[at + 11]! & 1) === 0) return false
    at += size
  }
  return true
}
