// The MP4 essence (docs/spec.md §10.7.4): the bytes of every sample of every audio track
// (`mdia/hdlr` handler `soun`), tracks in `moov` order, samples in decode order, located through
// the track's sample tables. Nothing else: not the sample descriptions, not other tracks (chapters,
// cover art, text), not the boxes around `mdat`, so the digest does not depend on the layout. Internal.
import { markInMemory } from '../_cache.js'
import { readExact, throwIfAborted } from '../_read.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { payloadOf } from './_box.js'
import { BoxIO } from './_io.js'
import { audioTracks, readLayout, readTracks, type FileLayout, type Track } from './_layout.js'
import { loadTables, selfContained, type SampleTables } from './_tables.js'

/** Bytes read at once for the box walk and the sample tables of the essence (a `moov` of most audio files). */
const TABLE_WINDOW_BYTES = 256 * 1024

/** Feeds the essence of an MP4 file to `hasher`. */
export async function mp4Essence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  // The box walk reads many small ranges; through a larger window, `moov` usually costs one read.
  const io = new BoxIO(windowed(source, TABLE_WINDOW_BYTES), options.signal)
  const layout = await readLayout(io)
  const audio = audioTracks(await readTracks(io, layout))
  const feeder = new RangeFeeder(source, hasher, options.signal)
  const mdats = mdatPayloads(layout)
  for (const [index, track] of audio.entries()) {
    if (!(await selfContained(io, track))) {
      throw new UnsupportedFormatError('mp4', `audio track ${index + 1} keeps its samples in another file (dref)`)
    }
    await hashTrack(io, track, feeder, mdats)
  }
}

/** The payloads `[start, end)` of the top-level `mdat` boxes, in file order. */
function mdatPayloads(layout: FileLayout): (readonly [number, number])[] {
  return layout.top.filter((b) => b.type === 'mdat').map((b) => [payloadOf(b), b.end] as const)
}

/**
 * Hashes a track's chunks in table order. Chunks that follow each other in the file (the usual
 * layout of a file with one audio track) are joined into one run, hashed in large windows.
 */
async function hashTrack(io: BoxIO, track: Track, feeder: RangeFeeder, mdats: readonly (readonly [number, number])[]): Promise<void> {
  const t = await loadTables(io, track)
  checkStsc(t, track)
  let sample = 0
  let entry = 0
  let runStart = 0
  let runEnd = 0
  let m = 0 // the mdat that held the previous chunk (chunks usually follow each other in one mdat)
  for (let chunk = 1; chunk <= t.chunkCount; chunk++) {
    while (entry + 1 < t.stscCount && t.firstChunk(entry + 1) <= chunk) entry++
    const n = t.samplesPerChunk(entry)
    if (n > t.sampleCount - sample) throw mismatch(track, `chunk ${chunk} runs past the ${t.sampleCount} samples of stsz`)
    const bytes = chunkBytes(t, sample, n, io.size)
    const offset = t.chunkOffset(chunk - 1)
    if (bytes > 0 && offset + bytes > io.size) throw mismatch(track, `chunk ${chunk} (${bytes} bytes at offset ${offset}) runs past the end of the file`)
    sample += n
    if (bytes === 0) continue
    // docs/spec.md §10.7.4, malformed case 6: samples live in the payload of a top-level mdat, never
    // in moov or any other box, whose bytes a tag write may change.
    if (!inside(mdats[m], offset, bytes)) {
      m = mdats.findIndex((r) => inside(r, offset, bytes))
      if (m < 0) throw mismatch(track, `chunk ${chunk} (${bytes} bytes at offset ${offset}) lies outside the payload of every top-level mdat box`)
    }
    if (offset !== runEnd || runEnd === runStart) {
      if (runEnd > runStart) await feeder.feed(runStart, runEnd - runStart)
      runStart = offset
    }
    runEnd = offset + bytes
  }
  if (runEnd > runStart) await feeder.feed(runStart, runEnd - runStart)
  if (sample !== t.sampleCount) throw mismatch(track, `stsc and stco describe ${sample} samples but stsz has ${t.sampleCount}`)
}

/** Whether `[offset, offset + bytes)` lies within the payload `range` of an mdat. */
function inside(range: readonly [number, number] | undefined, offset: number, bytes: number): boolean {
  return range !== undefined && offset >= range[0] && offset + bytes <= range[1]
}

/** stsc entries start at chunk 1 and strictly increase (ISO/IEC 14496-12 §8.7.4). */
function checkStsc(t: SampleTables, track: Track): void {
  if (t.chunkCount > 0 && t.stscCount === 0) throw mismatch(track, 'stsc has no entries but stco has chunks')
  if (t.stscCount > 0 && t.firstChunk(0) !== 1) throw mismatch(track, `first stsc entry starts at chunk ${t.firstChunk(0)}, not 1`)
  for (let i = 1; i < t.stscCount; i++) if (t.firstChunk(i) <= t.firstChunk(i - 1)) throw mismatch(track, `stsc entry ${i + 1} does not increase`)
}

/** Total size of samples [first, first + n), bounded by the file size. */
function chunkBytes(t: SampleTables, first: number, n: number, fileSize: number): number {
  if (t.constantSize !== 0) return n * t.constantSize
  let total = 0
  for (let i = first; i < first + n && total <= fileSize; i++) total += t.sizeOf(i)
  return total
}

function mismatch(track: Track, what: string): MalformedAudioError {
  return new MalformedAudioError('mp4', `sample tables of the track at offset ${track.trak.start}: ${what}`, track.stbl?.start)
}

const noop = (): void => undefined

/** A source whose reads shorter than `window` bytes are served from one cached read of `window` bytes. */
function windowed(source: ByteSource, window: number): ByteSource {
  let start = 0
  let bytes: Uint8Array = new Uint8Array(0)
  // Small reads are served from memory: BoxIO needs no read cache of its own over it.
  return markInMemory({
    size: source.size,
    async read(offset, length, options) {
      if (offset >= start && offset + length <= start + bytes.byteLength) return bytes.subarray(offset - start, offset - start + length)
      if (length >= window) return source.read(offset, length, options)
      bytes = await source.read(offset, Math.max(0, Math.min(window, source.size - offset)), options)
      start = offset
      return bytes.subarray(0, length)
    },
  })
}

/**
 * Feeds byte ranges to a hasher through one window of {@link AUDIO_LIMITS.ioChunkBytes}: small
 * ranges close together (chunks of interleaved tracks) are served by one read; a range of a window
 * or more is streamed in windows, the next one read while the current one is hashed.
 */
class RangeFeeder {
  private start = 0
  private window: Uint8Array = new Uint8Array(0)
  private readonly source: ByteSource
  private readonly hasher: Hasher
  private readonly signal: AbortSignal | undefined

  constructor(source: ByteSource, hasher: Hasher, signal: AbortSignal | undefined) {
    this.source = source
    this.hasher = hasher
    this.signal = signal
  }

  async feed(offset: number, length: number): Promise<void> {
    throwIfAborted(this.signal)
    const end = offset + length
    if (offset >= this.start && end <= this.start + this.window.byteLength) {
      this.hasher.update(this.window.subarray(offset - this.start, end - this.start))
      return
    }
    const chunk = AUDIO_LIMITS.ioChunkBytes
    if (length >= chunk) return this.stream(offset, end)
    const n = Math.min(chunk, this.source.size - offset)
    this.window = await readExact(this.source, offset, n, 'mp4', 'sample bytes', this.signal)
    this.start = offset
    this.hasher.update(this.window.subarray(0, length))
  }

  /** Hashes `[offset, end)` in windows, reading the next while hashing the current. */
  private async stream(offset: number, end: number): Promise<void> {
    const read = (at: number): Promise<Uint8Array> => {
      throwIfAborted(this.signal)
      const p = readExact(this.source, at, Math.min(AUDIO_LIMITS.ioChunkBytes, end - at), 'mp4', 'sample bytes', this.signal)
      p.catch(noop) // awaited below; never an unhandled rejection
      return p
    }
    let pending: Promise<Uint8Array> | undefined = read(offset)
    try {
      for (let at = offset; pending !== undefined; ) {
        const bytes: Uint8Array = await pending
        pending = undefined
        at += bytes.byteLength
        if (at < end) pending = read(at)
        this.hasher.update(bytes)
      }
    } finally {
      if (pending) await pending.catch(noop)
    }
  }
}
