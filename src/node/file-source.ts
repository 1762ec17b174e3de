/**
 * A random-access byte source over a file (positional reads on a FileHandle).
 *
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises'
import { InvalidArgumentError } from '../errors.js'
import type { ByteSource } from '../audio/types.js'
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

/** A byte source over an already open handle (the caller keeps ownership). @internal */
export function handleSource(handle: ReadableHandle, size: number, path: string): FileByteSource {
  let bytesRead = 0
  let reads = 0
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
      const out = new Uint8Array(n)
      let got = 0
      while (got < n) {
        const r = await handle.read(out, got, n - got, offset + got)
        reads++
        if (r.bytesRead === 0) break
        got += r.bytesRead
      }
      bytesRead += got
      return got === n ? out : out.subarray(0, got)
    },
    close: () => handle.close(),
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
  return wrapIo(path, async () => {
    const handle = await open(path, 'r')
    try {
      const st = await handle.stat()
      return handleSource(handle, st.size, path)
    } catch (e) {
      await handle.close()
      throw e
    }
  })
}
