// Bounded reads shared by the container modules (house rule 8: every length read from input is
// bounded by a named constant). Internal; not part of the published API.
import { LimitExceededError } from '../errors.js'
import { MalformedAudioError } from './errors.js'
import type { AudioFormat, ByteSource } from './types.js'

/**
 * The bytes of a source that is bytes in memory (`fromBytes`), under this key: the readers take
 * views of them at once ({@link peekExact}, {@link peekUpTo}), without a read and its await.
 */
export const MEMORY_BYTES: unique symbol = Symbol.for('noai-tag.memoryBytes')

/** The bytes behind a source made by `fromBytes` (or a read cache over one), else `undefined`. */
export function memoryBytes(source: ByteSource): Uint8Array | undefined {
  return (source as { readonly [MEMORY_BYTES]?: Uint8Array })[MEMORY_BYTES]
}

/**
 * What {@link readExact} gives, at once, when the source is bytes in memory, the range lies inside
 * them and the signal has not fired; otherwise `undefined`, and the caller awaits `readExact`
 * (which reads, or says what is wrong).
 */
export function peekExact(source: ByteSource, offset: number, length: number, signal?: AbortSignal): Uint8Array | undefined {
  const m = memoryBytes(source)
  if (m === undefined || signal?.aborted || !(offset >= 0 && length >= 0 && offset + length <= source.size && offset + length <= m.byteLength)) return undefined
  return m.subarray(offset, offset + length)
}

/** What {@link readUpTo} gives (at most `length` bytes, fewer at the end), at once, as {@link peekExact}. */
export function peekUpTo(source: ByteSource, offset: number, length: number, signal?: AbortSignal): Uint8Array | undefined {
  const m = memoryBytes(source)
  if (m === undefined || signal?.aborted || !(offset >= 0 && length >= 0 && source.size === m.byteLength)) return undefined
  const n = Math.max(0, Math.min(length, source.size - offset))
  return n === 0 ? undefined : m.subarray(offset, offset + n)
}

/** Throws when the caller's AbortSignal has fired (checked between reads and hash chunks). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError')
}

/**
 * Checks a length read from the input against a named limit.
 *
 * @throws LimitExceededError naming the limit, its bound and the value met.
 */
export function safeBound(value: number, maximum: number, limit: string, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > maximum) throw new LimitExceededError(limit, maximum, value, what)
  return value
}

/**
 * Reads exactly `length` bytes at `offset`, or throws a MalformedAudioError saying what was cut
 * short (a size field pointing past the end of the file).
 */
export async function readExact(
  source: ByteSource,
  offset: number,
  length: number,
  format: AudioFormat | 'id3v2',
  what: string,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  throwIfAborted(signal)
  if (offset < 0 || length < 0 || offset + length > source.size) {
    throw new MalformedAudioError(format, `${what} (${length} bytes) runs past the end of the file (${source.size} bytes)`, offset)
  }
  const bytes = await source.read(offset, length, signal ? { signal } : undefined)
  if (bytes.byteLength !== length) throw new MalformedAudioError(format, `${what}: read ${bytes.byteLength} of ${length} bytes`, offset)
  return bytes
}

/** Reads up to `length` bytes at `offset` (fewer at the end of the file). */
export async function readUpTo(source: ByteSource, offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
  throwIfAborted(signal)
  const n = Math.max(0, Math.min(length, source.size - offset))
  return n === 0 ? new Uint8Array(0) : source.read(offset, n, signal ? { signal } : undefined)
}

/**
 * A source's way to read into the caller's buffer: `[offset, offset + into.byteLength)` into `into`,
 * returning the count read (fewer only at the end of the file). Internal, and offered only where
 * the consumer of the bytes is known to be done with them when its `update` returns (noai-tag/node
 * hashing a file with node:crypto): then {@link forEachChunk} reuses two buffers instead of
 * allocating one per chunk (fresh memory costs page faults and garbage collection).
 */
export const READ_INTO: unique symbol = Symbol.for('noai-tag.readInto')
/** The signature of {@link READ_INTO}. */
export type ReadInto = (offset: number, into: Uint8Array, signal?: AbortSignal) => Promise<number>

/**
 * Feeds the bytes `[start, end)` of the source to `update` in chunks of `chunkBytes` (bounded
 * memory whatever the range: two chunks). The next chunk is read while the current one is hashed,
 * as a file stream reads ahead, so that a slow read and the hash overlap.
 */
export async function forEachChunk(
  source: ByteSource,
  start: number,
  end: number,
  chunkBytes: number,
  update: (bytes: Uint8Array) => void,
  options: { readonly format: AudioFormat; readonly signal?: AbortSignal | undefined },
): Promise<void> {
  const { format, signal } = options
  const into = (source as { readonly [READ_INTO]?: ReadInto })[READ_INTO]
  // Two buffers, alternately: one being hashed, the other being read into.
  const size = Math.min(chunkBytes, Math.max(0, end - start))
  const buffers = into ? [new Uint8Array(size), new Uint8Array(size)] : []
  let turn = 0
  const read = (at: number): Promise<Uint8Array> => {
    const n = Math.min(chunkBytes, end - at)
    const p = into
      ? (async () => {
          throwIfAborted(signal)
          const buffer = buffers[turn++ & 1]!.subarray(0, Math.max(0, Math.min(n, source.size - at)))
          return buffer.subarray(0, buffer.byteLength === 0 ? 0 : await into(at, buffer, signal))
        })()
      : readUpTo(source, at, n, signal)
    p.catch(() => undefined) // awaited below; never an unhandled rejection
    return p
  }
  let pending = start < end ? read(start) : undefined
  try {
    for (let at = start; pending !== undefined; ) {
      const n = Math.min(chunkBytes, end - at)
      const bytes = await pending
      pending = undefined
      if (bytes.byteLength !== n) throw new MalformedAudioError(format, `short read while hashing: ${bytes.byteLength} of ${n} bytes`, at)
      at += n
      if (at < end) pending = read(at)
      update(bytes)
    }
  } finally {
    if (pending) await pending.catch(() => undefined)
  }
}

/** ASCII text of bytes (for magic numbers and four-character codes). */
export function ascii(bytes: Uint8Array, start = 0, end = bytes.byteLength): string {
  // Four-character codes (box types, chunk and frame IDs) are most calls: one call, no concatenation.
  if (end - start === 4 && start >= 0 && end <= bytes.byteLength) return String.fromCharCode(bytes[start]!, bytes[start + 1]!, bytes[start + 2]!, bytes[start + 3]!)
  let s = ''
  for (let i = start; i < end && i < bytes.byteLength; i++) s += String.fromCharCode(bytes[i]!)
  return s
}

/**
 * Whether every byte is zero (padding checks). Four bytes at a time where the buffer allows: a
 * scan checks the padding of every tag it reads, often a kilobyte or more.
 */
export function isAllZero(bytes: Uint8Array): boolean {
  const n = bytes.byteLength
  let i = 0
  const lead = Math.min(n, (4 - (bytes.byteOffset & 3)) & 3)
  for (; i < lead; i++) if (bytes[i] !== 0) return false
  const words = (n - i) >>> 2
  if (words > 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words)
    for (let k = 0; k < words; k++) if (w[k] !== 0) return false
    i += words * 4
  }
  for (; i < n; i++) if (bytes[i] !== 0) return false
  return true
}

/** Big-endian unsigned 32-bit integer. */
export function u32be(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!
}

/** Little-endian unsigned 32-bit integer. */
export function u32le(bytes: Uint8Array, at: number): number {
  return ((bytes[at + 3]! << 24) >>> 0) + (bytes[at + 2]! << 16) + (bytes[at + 1]! << 8) + bytes[at]!
}
