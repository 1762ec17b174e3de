// Windowed, bounded reads of an MP4 file (docs/spec.md §10.7.1, §10.7.5). Box headers are small and close
// together, so small reads go through one cached window: reading the tag of a moov-at-end file
// costs a few windows, never the audio. Internal.
import { LimitExceededError } from '../../errors.js'
import { readExact, throwIfAborted } from '../_read.js'
import type { ByteSource } from '../types.js'
import { MP4_LIMITS } from './limits.js'

/** Reads smaller than this go through the window (a window holds this many bytes). */
const WINDOW_BYTES = 4_096

/** A byte source with a small read-ahead window, a box budget and the caller's AbortSignal. */
export class BoxIO {
  readonly source: ByteSource
  readonly size: number
  readonly signal: AbortSignal | undefined
  private windowStart = 0
  private window: Uint8Array = new Uint8Array(0)
  private boxes = 0

  constructor(source: ByteSource, signal?: AbortSignal) {
    this.source = source
    this.size = source.size
    this.signal = signal
  }

  /** Exactly `length` bytes at `offset` (a MalformedAudioError naming `what` when the file is shorter). */
  async bytes(offset: number, length: number, what: string): Promise<Uint8Array> {
    throwIfAborted(this.signal)
    const w = this.window
    if (offset >= this.windowStart && offset + length <= this.windowStart + w.byteLength) {
      return w.subarray(offset - this.windowStart, offset - this.windowStart + length)
    }
    if (length >= WINDOW_BYTES || offset + length > this.size) return readExact(this.source, offset, length, 'mp4', what, this.signal)
    const n = Math.min(WINDOW_BYTES, this.size - offset)
    this.window = await readExact(this.source, offset, n, 'mp4', what, this.signal)
    this.windowStart = offset
    return this.window.subarray(0, length)
  }

  /** Counts one box header against {@link MP4_LIMITS.maxBoxes}. */
  countBox(): void {
    if (++this.boxes > MP4_LIMITS.maxBoxes) throw new LimitExceededError('maxBoxes', MP4_LIMITS.maxBoxes, undefined, 'MP4 box count')
  }
}
