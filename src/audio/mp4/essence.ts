// The MP4 essence (docs/spec.md §10.7.4): the bytes of every sample of every audio track
// (`mdia/hdlr` handler `soun`), tracks in `moov` order, samples in decode order, located through
// the track's sample tables. Nothing else: not the sample descriptions, not other tracks (chapters,
// cover art, text), not the boxes around `mdat`, so the digest does not depend on the layout. Internal.
import { forEachChunk, throwIfAborted } from '../_read.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { BoxIO } from './_io.js'
import { audioTracks, readLayout, readTracks, type Track } from './_layout.js'
import { loadTables, selfContained, type SampleTables } from './_tables.js'

/** Feeds the essence of an MP4 file to `hasher`. */
export async function mp4Essence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  const io = new BoxIO(source, options.signal)
  const layout = await readLayout(io)
  const audio = audioTracks(await readTracks(io, layout))
  const feeder = new RangeFeeder(source, hasher, options.signal)
  for (const [index, track] of audio.entries()) {
    if (!(await selfContained(io, track))) {
      throw new UnsupportedFormatError('mp4', `audio track ${index + 1} keeps its samples in another file (dref)`)
    }
    await hashTrack(io, track, feeder)
  }
}

async function hashTrack(io: BoxIO, track: Track, feeder: RangeFeeder): Promise<void> {
  const t = await loadTables(io, track)
  checkStsc(t, track)
  let sample = 0
  let entry = 0
  for (let chunk = 1; chunk <= t.chunkCount; chunk++) {
    while (entry + 1 < t.stscCount && t.firstChunk(entry + 1) <= chunk) entry++
    const n = t.samplesPerChunk(entry)
    if (n > t.sampleCount - sample) throw mismatch(track, `chunk ${chunk} runs past the ${t.sampleCount} samples of stsz`)
    const bytes = chunkBytes(t, sample, n, io.size)
    const offset = t.chunkOffset(chunk - 1)
    if (bytes > 0 && offset + bytes > io.size) throw mismatch(track, `chunk ${chunk} (${bytes} bytes at offset ${offset}) runs past the end of the file`)
    sample += n
    if (bytes > 0) await feeder.feed(offset, bytes)
  }
  if (sample !== t.sampleCount) throw mismatch(track, `stsc and stco describe ${sample} samples but stsz has ${t.sampleCount}`)
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

/**
 * Feeds byte ranges to a hasher through one window of {@link AUDIO_LIMITS.ioChunkBytes}: the
 * chunks of a track are usually adjacent, so a window serves many of them with one read.
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
    if (length >= chunk) {
      await forEachChunk(this.source, offset, end, chunk, (b) => this.hasher.update(b), { format: 'mp4', signal: this.signal })
      return
    }
    const n = Math.min(chunk, this.source.size - offset)
    this.window = await this.source.read(offset, n, this.signal ? { signal: this.signal } : undefined)
    this.start = offset
    if (this.window.byteLength < length) throw new MalformedAudioError('mp4', `short read of ${this.window.byteLength} of ${length} sample bytes`, offset)
    this.hasher.update(this.window.subarray(0, length))
  }
}
