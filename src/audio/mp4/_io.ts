// Bounded reads of an MP4 file (docs/spec.md §10.7.1, §10.7.5) through the operation's read cache
// (src/audio/_cache.ts): a box header costs 8 bytes (16 with a largesize), nothing is read twice,
// and inside a box being descended a read may run ahead over the next headers (never at the top
// level, where the next box may be `mdat`). Reading the tag of a moov-at-end file costs a few small
// reads, never the audio. Internal.
import { LimitExceededError } from '../../errors.js'
import { cachedSource, type CachedSource } from '../_cache.js'
import { peekExact, throwIfAborted } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import type { ByteSource } from '../types.js'
import { MP4_LIMITS } from './limits.js'

/** A byte source with a read cache, a box budget and the caller's AbortSignal. */
export class BoxIO {
  /** The source as given (for reads that bypass the cache: moved metadata, samples). */
  readonly source: ByteSource
  readonly size: number
  readonly signal: AbortSignal | undefined
  /** Reads through the operation's read cache (bytes in memory are read directly by it). */
  private readonly cache: CachedSource
  private boxes = 0

  constructor(source: ByteSource, signal?: AbortSignal) {
    this.source = source
    this.cache = cachedSource(source)
    this.size = source.size
    this.signal = signal
  }

  /**
   * Exactly `length` bytes at `offset` (a MalformedAudioError naming `what` when the file is
   * shorter). When they must be read, the read may run ahead up to `until` (bytes of the box being
   * walked that the next calls will ask for).
   */
  async bytes(offset: number, length: number, what: string, until = offset + length): Promise<Uint8Array> {
    throwIfAborted(this.signal)
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new MalformedAudioError('mp4', `${what} (${length} bytes) runs past the end of the file (${this.size} bytes)`, offset)
    }
    const bytes = await this.cache.readAhead(offset, length, until, this.signal ? { signal: this.signal } : undefined)
    if (bytes.byteLength !== length) throw new MalformedAudioError('mp4', `${what}: read ${bytes.byteLength} of ${length} bytes`, offset)
    return bytes
  }

  /**
   * The `length` bytes at `offset` at once, without a read, when the file is bytes in memory and
   * holds them (and the signal has not fired); otherwise `undefined`, and the caller awaits
   * {@link BoxIO.bytes}, which reads them or says what is wrong.
   */
  peek(offset: number, length: number): Uint8Array | undefined {
    return peekExact(this.source, offset, length, this.signal)
  }

  /** Counts one box header against {@link MP4_LIMITS.maxBoxes}. */
  countBox(): void {
    if (++this.boxes > MP4_LIMITS.maxBoxes) throw new LimitExceededError('maxBoxes', MP4_LIMITS.maxBoxes, undefined, 'MP4 box count')
  }
}
