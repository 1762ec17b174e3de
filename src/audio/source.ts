/**
 * Byte sources over Web API inputs (docs/spec.md §10): bytes in memory and Blobs (random access),
 * and a bounded adapter for ReadableStreams.
 *
 * @module
 */
import { InvalidArgumentError, LimitExceededError } from '../errors.js'
import { isBytes } from '../_internal/bytes.js'
import { IN_MEMORY } from './_cache.js'
import { MEMORY_BYTES } from './_read.js'
import type { ByteSource } from './types.js'

function range(size: number, offset: number, length: number): [number, number] {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new InvalidArgumentError(`invalid read range offset=${offset} length=${length}`)
  }
  const start = Math.min(offset, size)
  return [start, Math.min(size, start + length)]
}

/**
 * A byte source over bytes in memory (no copy).
 *
 * @example
 * ```ts
 * const source = fromBytes(new Uint8Array(await file.arrayBuffer()))
 * ```
 */
export function fromBytes(bytes: Uint8Array): ByteSource {
  if (!isBytes(bytes)) throw new InvalidArgumentError('fromBytes() expects a Uint8Array')
  const source = {
    size: bytes.byteLength,
    read(offset: number, length: number): Promise<Uint8Array> {
      const [s, e] = range(bytes.byteLength, offset, length)
      return Promise.resolve(bytes.subarray(s, e))
    },
    [IN_MEMORY]: true, // read directly, never through a read cache (src/audio/_cache.ts)
    [MEMORY_BYTES]: bytes, // views taken without a read by the readers that can
  }
  return source
}

/**
 * A byte source over a Blob or File: reads only the ranges asked for (`blob.slice`).
 *
 * @example
 * ```ts
 * dropZone.ondrop = (e) => readAudioTag(fromBlob(e.dataTransfer.files[0]))
 * ```
 */
export function fromBlob(blob: Blob): ByteSource {
  return {
    size: blob.size,
    async read(offset, length) {
      const [s, e] = range(blob.size, offset, length)
      return new Uint8Array(await blob.slice(s, e).arrayBuffer())
    },
  }
}

/** Default bound of {@link fromStream}: 256 MiB. */
export const MAX_STREAM_BUFFER_BYTES = 256 * 1024 * 1024

/**
 * Reads a stream into memory, up to a bound, and returns a byte source over it. Containers need
 * random access (an MP4's `moov` may follow its audio), so a stream is buffered; for larger inputs
 * use a Blob, a file (noai-tag/node) or HTTP Range requests.
 *
 * @throws LimitExceededError when the stream is longer than `maxBytes` (the stream is cancelled).
 * @example
 * ```ts
 * const source = await fromStream(response.body!, { maxBytes: 64 * 1024 * 1024 })
 * ```
 */
export async function fromStream(stream: ReadableStream<Uint8Array>, options: { readonly maxBytes?: number } = {}): Promise<ByteSource> {
  const max = options.maxBytes ?? MAX_STREAM_BUFFER_BYTES
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > max) {
      await reader.cancel().catch(() => undefined)
      throw new LimitExceededError('maxStreamBytes', max, undefined, 'audio stream')
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.byteLength
  }
  return fromBytes(bytes)
}
