// A read cache over a byte source, for the metadata reads of one operation (docs/spec.md §10):
// format detection and the container reader ask for the same few headers, and a container walk
// (MP4 boxes, RIFF chunks) comes back to bytes it has already read. Small reads are remembered, so
// that no byte is read from the file twice, and a caller that knows the bytes it will need next
// (the children of a box it is descending) may let one read run ahead to cover them. Large reads
// (the audio, hashed in 1 MiB chunks) pass through and are not kept. Internal.
import { concatBytes } from '../_internal/bytes.js'
import { MEMORY_BYTES, READ_INTO, throwIfAborted, type ReadInto } from './_read.js'
import type { ByteSource } from './types.js'

/** Reads up to this many bytes are kept (the metadata reads of every container are smaller). */
const CACHED_READ_BYTES = 64 * 1024
/** Most bytes kept at once; the oldest ranges are dropped first (bounded memory per operation). */
const CACHE_BYTES = 1024 * 1024
/** Most ranges kept at once (each lookup looks at them all; the oldest are dropped first). */
const CACHE_RANGES = 256
/** Most bytes one read may run ahead of what is asked for (see {@link CachedSource.readAhead}). */
export const READ_AHEAD_BYTES = 1024

/**
 * Marks a source whose reads cost nothing (bytes in memory): caching it would only add work. A
 * symbol-keyed property (invisible to `Object.keys`, JSON and `for…in`), cheaper than a WeakSet.
 */
export const IN_MEMORY: unique symbol = Symbol.for('noai-tag.inMemory')
/** Marks a caching view made by {@link cachedSource}. */
const CACHING: unique symbol = Symbol.for('noai-tag.readCache')

type Marked = ByteSource & { readonly [IN_MEMORY]?: true; readonly [CACHING]?: true; readonly [MEMORY_BYTES]?: Uint8Array }

/** Marks a source as bytes in memory: {@link cachedSource} then reads it directly. */
export function markInMemory<S extends ByteSource>(source: S): S & { readonly [IN_MEMORY]: true } {
  return Object.assign(source, { [IN_MEMORY]: true as const })
}

/** A byte source that remembers its small reads; `readAhead` may read beyond what is asked. */
export interface CachedSource extends ByteSource {
  /**
   * Like `read(offset, length)`, but when the bytes must come from the underlying source, reads
   * up to {@link READ_AHEAD_BYTES} (at most up to `until`) so that the next small reads before
   * `until` are served from the cache.
   */
  readAhead(offset: number, length: number, until: number, options?: { readonly signal?: AbortSignal | undefined }): Promise<Uint8Array>
}

interface Segment {
  readonly start: number
  readonly end: number
  readonly bytes: Uint8Array
}

/**
 * A caching view of `source` for one operation. A source that is already one is returned as it
 * is; bytes in memory are read directly (`readAhead` reads exactly what is asked).
 */
export function cachedSource(source: ByteSource): CachedSource {
  const marked = source as Marked
  if (marked[CACHING]) return source as CachedSource
  if (marked[IN_MEMORY]) {
    return {
      size: source.size,
      read: (offset, length, options) => source.read(offset, length, options),
      readAhead: (offset, length, _until, options) => source.read(offset, length, options),
      [IN_MEMORY]: true,
      [CACHING]: true,
      ...(marked[MEMORY_BYTES] !== undefined ? { [MEMORY_BYTES]: marked[MEMORY_BYTES] } : {}),
    } as CachedSource
  }
  const segments: Segment[] = [] // in the order they were read
  let kept = 0

  const keep = (s: Segment): void => {
    if (s.bytes.byteLength > CACHED_READ_BYTES) return
    segments.push(s)
    kept += s.bytes.byteLength
    while ((kept > CACHE_BYTES || segments.length > CACHE_RANGES) && segments.length > 1) kept -= segments.shift()!.bytes.byteLength
  }

  const covering = (at: number): Segment | undefined => {
    for (let i = segments.length - 1; i >= 0; i--) {
      const s = segments[i]!
      if (at >= s.start && at < s.end) return s
    }
    return undefined
  }

  /** Start of the first cached byte after `at`, or `limit`. */
  const nextCached = (at: number, limit: number): number => {
    let next = limit
    for (const s of segments) if (s.start > at && s.start < next) next = s.start
    return next
  }

  async function get(offset: number, length: number, until: number, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const end = Math.min(source.size, offset + length)
    // Invalid ranges and empty reads go to the source as they are (it validates them).
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || end <= offset) return source.read(offset, length, signal ? { signal } : undefined)
    const whole = covering(offset)
    if (whole && end <= whole.end) return whole.bytes.subarray(offset - whole.start, end - whole.start)
    if (end - offset > CACHED_READ_BYTES) return source.read(offset, length, signal ? { signal } : undefined)
    // Assemble [offset, end) from cached ranges and reads of the gaps between them.
    const parts: Uint8Array[] = []
    for (let at = offset; at < end; ) {
      const s = covering(at)
      if (s) {
        const stop = Math.min(end, s.end)
        parts.push(s.bytes.subarray(at - s.start, stop - s.start))
        at = stop
        continue
      }
      const ahead = Math.min(source.size, Math.max(end, Math.min(until, at + READ_AHEAD_BYTES)))
      const want = nextCached(at, ahead) - at
      const bytes = await source.read(at, want, signal ? { signal } : undefined)
      if (bytes.byteLength > 0) keep({ start: at, end: at + bytes.byteLength, bytes })
      const used = Math.min(end - at, bytes.byteLength)
      parts.push(bytes.subarray(0, used))
      at += used
      if (bytes.byteLength < want) break // the source is shorter than its size: the caller sees a short read
    }
    return parts.length === 1 ? parts[0]! : concatBytes(parts)
  }

  /** The bytes when one cached range holds them all (the common case), without an async call. */
  const hit = (offset: number, length: number): Uint8Array | undefined => {
    const end = Math.min(source.size, offset + length)
    if (!(offset >= 0 && end > offset && Number.isSafeInteger(offset) && Number.isSafeInteger(length))) return undefined
    const s = covering(offset)
    return s && end <= s.end ? s.bytes.subarray(offset - s.start, end - s.start) : undefined
  }

  const into = (source as { readonly [READ_INTO]?: ReadInto })[READ_INTO]
  return {
    size: source.size,
    read: (offset, length, options) => {
      const bytes = options?.signal?.aborted ? undefined : hit(offset, length)
      return bytes ? Promise.resolve(bytes) : get(offset, length, offset + length, options?.signal)
    },
    readAhead: (offset, length, until, options) => {
      const bytes = options?.signal?.aborted ? undefined : hit(offset, length)
      return bytes ? Promise.resolve(bytes) : get(offset, length, until, options?.signal)
    },
    [CACHING]: true,
    // Reads into a caller's buffer (hashing the audio) bypass the cache, as large reads do.
    ...(into ? { [READ_INTO]: into } : {}),
  } as CachedSource
}

/**
 * Up to `length` bytes at `offset` (fewer at the end of the file, none without a read past it), as
 * `readUpTo` in _read.ts; through a cached source the read may run ahead up to `until`.
 */
export async function readAheadUpTo(source: ByteSource, offset: number, length: number, until: number, signal?: AbortSignal): Promise<Uint8Array> {
  throwIfAborted(signal)
  const n = Math.max(0, Math.min(length, source.size - offset))
  if (n === 0) return new Uint8Array(0)
  const options = signal ? { signal } : undefined
  return (source as Marked)[CACHING] ? (source as CachedSource).readAhead(offset, n, until, options) : source.read(offset, n, options)
}
