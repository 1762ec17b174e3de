/**
 * A random-access byte source over a file (positional reads on a FileHandle).
 *
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises'
import { InvalidArgumentError } from '../errors.js'
import type { ByteSource } from '../audio/types.js'
import { READ_INTO, type ReadInto } from '../audio/_read.js'
import { wrapIo } from './_io.js'

/** A {@link ByteSource} over an open file, counting what it reads. */
export interface FileByteSource extends ByteSource {
  /** The path it was opened with. */
  readonly path: string
  /** Bytes read so far (for "reads only metadata" checks and benchmarks). */
  readonly bytesRead: number
  /** Read calls so far. */
  readonly reads: number
  /** Closes the file. */
  close(): Promise<void>
}

/** What {@link handleSource} needs of a file handle: positional reads (and `close`). @internal */
export type ReadableHandle = Pick<FileHandle, 'close'> & {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>
}

/**
 * A byte source over an already open handle (the caller keeps ownership). `head`, when given, is
 * the file's first bytes, already read (and counted): reads inside it are served from memory.
 * @internal
 */
export function handleSource(
  handle: ReadableHandle,
  size: number,
  path: string,
  head?: { readonly bytes: Uint8Array; readonly reads: number },
  options: { readonly readInto?: boolean } = {},
): FileByteSource {
  let bytesRead = head?.bytes.byteLength ?? 0
  let reads = head?.reads ?? 0
  const prefix = head?.bytes ?? new Uint8Array(0)
  /** Reads up to `into.byteLength` bytes at `offset` into `into`; the count read. */
  const fill = async (offset: number, into: Uint8Array): Promise<number> => {
    let got = 0
    while (got < into.byteLength) {
      const r = await handle.read(into, got, into.byteLength - got, offset + got)
      reads++
      if (r.bytesRead === 0) break
      got += r.bytesRead
    }
    bytesRead += got
    return got
  }
  const readInto: ReadInto = async (offset, into, signal) => {
    if (signal?.aborted) throw signal.reason
    if (!Number.isSafeInteger(offset) || offset < 0) throw new InvalidArgumentError(`invalid read range offset=${offset} length=${into.byteLength}`)
    return fill(offset, into.subarray(0, Math.max(0, Math.min(into.byteLength, size - offset))))
  }
  return {
    path,
    size,
    get bytesRead() {
      return bytesRead
    },
    get reads() {
      return reads
    },
    async read(offset, length, options) {
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
        throw new InvalidArgumentError(`invalid read range offset=${offset} length=${length}`)
      }
      if (options?.signal?.aborted) throw options.signal.reason
      const n = Math.max(0, Math.min(length, size - offset))
      if (offset + n <= prefix.byteLength) return prefix.slice(offset, offset + n)
      const out = new Uint8Array(n)
      const got = await fill(offset, out)
      return got === n ? out : out.subarray(0, got)
    },
    close: () => handle.close(),
    ...(options.readInto ? { [READ_INTO]: readInto } : {}),
  }
}

/**
 * Opens a file as a byte source: reads only the ranges asked for (`pread`), so reading a tag from a
 * large file reads a few kilobytes. Close it when done.
 *
 * @throws AudioFileError (`ERR_NOAI_IO`) when the file cannot be opened.
 * @example
 * ```ts
 * import { fileSource } from 'noai-tag/node'
 * import { readAudioTag } from 'noai-tag/audio'
 * const source = await fileSource('song.flac')
 * try { console.log((await readAudioTag(source)).readable, source.bytesRead) } finally { await source.close() }
 * ```
 */
export async function fileSource(path: string): Promise<FileByteSource> {
  return openSource(path, async (handle) => handleSource(handle, (await handle.stat()).size, path))
}

/** Opens `path` and makes a source of the handle with `make`; the handle is closed when `make` fails. */
async function openSource(path: string, make: (handle: FileHandle) => Promise<FileByteSource>): Promise<FileByteSource> {
  return wrapIo(path, async () => {
    const handle = await open(path, 'r')
    try {
      return await make(handle)
    } catch (e) {
      await handle.close()
      throw e
    }
  })
}

/**
 * {@link fileSource} that reads the file's first `headBytes` while it asks for the file's size,
 * the two calls running at the same time: for a caller that reads the head first anyway (format
 * detection reads `DETECT_LIMITS.headBytes`), one round trip to the thread pool less per file.
 * The head counts in `bytesRead` and `reads` as read. @internal
 */
export async function fileSourceWithHead(path: string, headBytes: number): Promise<FileByteSource> {
  return openSource(path, async (handle) => {
    const buffer = new Uint8Array(headBytes)
    // Both settle before a failure closes the handle.
    const [st, first] = await Promise.allSettled([handle.stat(), handle.read(buffer, 0, headBytes, 0)])
    if (st.status === 'rejected') throw st.reason
    if (first.status === 'rejected') throw first.reason
    // A short read of the head is kept as far as it goes; the rest is read on demand.
    return handleSource(handle, st.value.size, path, { bytes: buffer.subarray(0, first.value.bytesRead), reads: 1 })
  })
}

/**
 * {@link fileSource} for hashing with node:crypto (`audioFileEssence`): its reads of the audio go
 * into two buffers that are reused (the hash has taken the bytes when `update` returns), not into
 * a fresh 1 MiB buffer per chunk (src/audio/_read.ts READ_INTO). Only for consumers that never
 * keep the bytes. @internal
 */
export async function fileSourceForHashing(path: string): Promise<FileByteSource> {
  return openSource(path, async (handle) => handleSource(handle, (await handle.stat()).size, path, undefined, { readInto: true }))
}
