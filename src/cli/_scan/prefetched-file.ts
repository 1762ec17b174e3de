/**
 * A file opened for a scan: its first {@link PREFETCH_BYTES} are read at once, and reads inside
 * them are served from memory. Small files (most datasets of clips) then cost one open, one read
 * and one close, as a plain read of the file would, instead of one system call per metadata
 * structure; in larger files the metadata at the start (ID3v2, FLAC blocks, RIFF and AIFF headers,
 * Ogg headers, a fast-start `moov`) is usually inside the prefix, and the rest is read by range.
 *
 * The open and the first read are synchronous while they are fast (docs/scan.md "Reading files"):
 * a file in the page cache costs a few microseconds that way, against two round trips through
 * libuv's thread pool, whose threads then compete with the scan for the CPU. A synchronous open
 * and read that takes longer than {@link SLOW_SYNC_READ_MS} came from the device; after
 * {@link SLOW_READS_TO_SWITCH} of them in a row, files are opened and read asynchronously (as many
 * at once as the scan's concurrency) for the next {@link ASYNC_FILES_AFTER_SLOW} files, and then a
 * synchronous read is tried again. So a dataset on a disk or a network share is read with
 * concurrency, and one in memory without the thread pool.
 *
 * @module
 */
import { closeSync, constants, fstat, fstatSync, open, openSync, read, readSync } from 'node:fs'
import { InvalidArgumentError, NoaiTagError } from '../../errors.js'
import type { ByteSource } from '../../audio/types.js'

/** Bytes read when the file is opened. */
export const PREFETCH_BYTES = 65_536

/** A synchronous open and first read slower than this (milliseconds) did I/O: the file was not in memory. */
export const SLOW_SYNC_READ_MS = 0.25

/** Slow synchronous reads in a row that switch to asynchronous reads (one may be a scheduling delay). */
export const SLOW_READS_TO_SWITCH = 2

/** Files opened asynchronously after a switch, before a synchronous read is tried again. */
export const ASYNC_FILES_AFTER_SLOW = 1000

/**
 * Synchronous opens between two turns of the event loop. A file read from memory is then scanned
 * in microtasks alone; without a turn now and then, timers (the progress line, the report's flush)
 * and signals would wait for a whole folder.
 */
export const SYNC_OPENS_PER_TURN = 64

// Asynchronous reads use the callback API of node:fs, not FileHandle: a scan of small files is
// bound by the cost of each call on the main thread, and FileHandle's is about twice as high
// (bench/scan.mjs). Closing a file opened for reading does no I/O, so it is done synchronously: one
// thread-pool round trip less per file.
const openFd = (path: string, flags: number): Promise<number> => new Promise((resolve, reject) => open(path, flags, (e, fd) => (e ? reject(e) : resolve(fd))))
const readFd = (fd: number, into: Uint8Array, at: number, length: number, position: number): Promise<number> =>
  new Promise((resolve, reject) => read(fd, into, at, length, position, (e, n) => (e ? reject(e) : resolve(n))))
const statFd = (fd: number): Promise<{ isFile(): boolean; size: number }> => new Promise((resolve, reject) => fstat(fd, (e, st) => (e ? reject(e) : resolve(st))))

/** Prefix buffers kept for reuse (one per item in flight is enough); reads return copies, never views of them. */
const MAX_POOLED = 256
const pool: Uint8Array[] = []

/** A byte source over an open file; close it when done. */
export interface PrefetchedFile extends ByteSource {
  /**
   * The whole file, when it fit in the first read (most clips): read it as bytes in memory, which
   * the audio readers take without a read cache. A view of a buffer that is reused after `close`:
   * nothing that holds it may outlive the file.
   */
  readonly whole?: Uint8Array
  close(): Promise<void>
}

/**
 * A path that names something other than a regular file (a device, a FIFO) was given as an item
 * (code `ERR_NOAI_IO`).
 *
 * @example
 * ```ts
 * await openPrefetched('/dev/zero') // throws NotAFileError: /dev/zero is not a regular file
 * ```
 */
export class NotAFileError extends NoaiTagError {
  override name = 'NotAFileError' as const
  constructor(path: string) {
    super('ERR_NOAI_IO', `${path} is not a regular file`)
  }
}

function rangeSource(fd: number, size: number, buffer: Uint8Array, prefix: number): PrefetchedFile {
  const head = buffer.subarray(0, prefix)
  let closed = false
  return {
    size,
    ...(prefix === size ? { whole: head } : {}),
    async read(offset, length, options) {
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
        throw new InvalidArgumentError(`invalid read range offset=${offset} length=${length}`)
      }
      if (options?.signal?.aborted) throw options.signal.reason
      const n = Math.max(0, Math.min(length, size - offset))
      if (offset + n <= head.byteLength) return head.slice(offset, offset + n)
      const out = new Uint8Array(n)
      let got = 0
      while (got < n) {
        const bytesRead = await readFd(fd, out, got, n - got, offset + got)
        if (bytesRead === 0) break
        got += bytesRead
      }
      return got === n ? out : out.subarray(0, got)
    },
    async close() {
      if (closed) return
      closed = true
      if (pool.length < MAX_POOLED) pool.push(buffer)
      closeSync(fd)
    },
  }
}

/** Flags of every open: read-only and non-blocking, so that a FIFO named in a list cannot stall the scan. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK

/** Options of {@link createOpener} (tests give a clock). */
export interface OpenerOptions {
  /** Milliseconds, for timing the synchronous reads; `performance.now` by default. */
  readonly now?: () => number
}

/** Opens files for a scan: see {@link openPrefetched}. `mode` is how the next file is opened. */
export interface Opener {
  (path: string): Promise<PrefetchedFile>
  readonly mode: 'sync' | 'async'
}

/**
 * A file opener with its own choice between synchronous and asynchronous reads (the module
 * comment says how it chooses).
 *
 * @example
 * ```ts
 * const open = createOpener()
 * const source = await open('clip.opus') // open.mode: 'sync' while the files come from memory
 * ```
 */
export function createOpener(options: OpenerOptions = {}): Opener {
  const now = options.now ?? (() => performance.now())
  let slowInARow = 0
  /** Files still to open asynchronously before trying a synchronous read again (0: synchronous). */
  let asyncLeft = 0
  /** Milliseconds the system calls of the last synchronous open took (set even when it failed). */
  const timing = { ms: 0 }
  let syncOpens = 0
  const opener = async (path: string): Promise<PrefetchedFile> => {
    if (asyncLeft > 0) {
      asyncLeft--
      return openAsync(path)
    }
    if (++syncOpens >= SYNC_OPENS_PER_TURN) {
      syncOpens = 0
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    try {
      return openNow(path, now, timing)
    } finally {
      if (timing.ms > SLOW_SYNC_READ_MS) {
        if (++slowInARow >= SLOW_READS_TO_SWITCH) {
          slowInARow = 0
          asyncLeft = ASYNC_FILES_AFTER_SLOW
        }
      } else slowInARow = 0
    }
  }
  return Object.defineProperty(opener, 'mode', { get: () => (asyncLeft > 0 ? 'async' : 'sync'), enumerable: true }) as Opener
}

function failOpen(fd: number, buffer: Uint8Array, e: unknown): never {
  if (pool.length < MAX_POOLED) pool.push(buffer)
  try {
    closeSync(fd)
  } catch {
    // The first error is the one reported.
  }
  throw e
}

/**
 * Opens and reads a file synchronously. `timing.ms` is set to the time of the system calls alone,
 * whether they succeed or fail (no allocation, so no collection, is timed).
 */
function openNow(path: string, now: () => number, timing: { ms: number }): PrefetchedFile {
  const buffer = pool.pop() ?? new Uint8Array(PREFETCH_BYTES)
  const started = now()
  let fd: number
  try {
    fd = openSync(path, OPEN_FLAGS)
  } catch (e) {
    timing.ms = now() - started
    if (pool.length < MAX_POOLED) pool.push(buffer)
    throw e
  }
  let size: number
  let bytesRead: number
  try {
    bytesRead = readSync(fd, buffer, 0, PREFETCH_BYTES, 0)
    size = bytesRead
    if (bytesRead === PREFETCH_BYTES) {
      const s = fstatSync(fd)
      if (!s.isFile()) throw new NotAFileError(path)
      size = s.size
    }
  } catch (e) {
    timing.ms = now() - started
    return failOpen(fd, buffer, e)
  }
  timing.ms = now() - started
  return rangeSource(fd, size, buffer, bytesRead)
}

async function openAsync(path: string): Promise<PrefetchedFile> {
  const fd = await openFd(path, OPEN_FLAGS)
  const buffer = pool.pop() ?? new Uint8Array(PREFETCH_BYTES)
  try {
    const bytesRead = await readFd(fd, buffer, 0, PREFETCH_BYTES, 0)
    let size = bytesRead
    if (bytesRead === PREFETCH_BYTES) {
      const s = await statFd(fd)
      if (!s.isFile()) throw new NotAFileError(path)
      size = s.size
    }
    return rangeSource(fd, size, buffer, bytesRead)
  } catch (e) {
    return failOpen(fd, buffer, e)
  }
}

/**
 * Opens a file and reads its first {@link PREFETCH_BYTES}, synchronously while files come from
 * memory, asynchronously otherwise (one opener for the whole process). A read shorter than that
 * reached the end of a regular file, so its size is known without `fstat`; otherwise `fstat` gives
 * it. The file is opened non-blocking, so that a FIFO named in a list cannot stall the scan.
 *
 * @throws the Node error (ENOENT, EACCES, EISDIR...) or NotAFileError.
 * @example
 * ```ts
 * const source = await openPrefetched('clip.opus')
 * try { await readAudioTag(source) } finally { await source.close() }
 * ```
 */
export const openPrefetched: Opener = createOpener()
