// Top-level chunks of RIFF (WAV, BWF, RF64) and IFF (AIFF, AIFF-C) files (docs/spec.md §10.8,
// §10.9): a four-character code, a 32-bit size (little-endian in RIFF, big-endian in IFF) that
// counts the payload only, the payload, and one pad byte when the size is odd (not counted).
// Internal.
import { LimitExceededError } from '../../errors.js'
import { ascii, peekExact, readExact, throwIfAborted, u32be, u32le } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import type { ByteSource } from '../types.js'
import { IFF_LIMITS } from './limits.js'

/** The two chunk-based containers. */
export type IffFormat = 'wav' | 'aiff'

/** One chunk: where its header is, its real payload size, and the bytes it takes in the file. */
export interface IffChunk {
  /** Four-character code, e.g. `fmt `, `data`, `id3 `. */
  readonly id: string
  /** File offset of the 8-byte header. */
  readonly offset: number
  /** Payload bytes (for an RF64 chunk whose size field is 0xFFFFFFFF, the size from `ds64`). */
  readonly size: number
  /** Header, payload and pad byte: the distance to the next chunk. */
  readonly span: number
  /** The size is odd and the pad byte is missing (the chunk ends the container). */
  readonly missingPad: boolean
}

/**
 * Offset of a chunk's payload.
 *
 * @example
 * ```ts
 * payloadOffset({ id: 'data', offset: 36, size: 4000, span: 4008, missingPad: false }) // 44
 * ```
 */
export function payloadOffset(c: IffChunk): number {
  return c.offset + IFF_LIMITS.chunkHeaderBytes
}

/** The size field value that means "the size is in `ds64`" (RF64, BW64). */
export const SIZE_IN_DS64 = 0xffff_ffff

/** Options of {@link walkChunks}. */
export interface WalkOptions {
  readonly format: IffFormat
  readonly littleEndian: boolean
  /** Offset of the first chunk header. */
  readonly start: number
  /** End of the container's chunks (already checked against the file size). */
  readonly end: number
  /** Name of the container for messages (`RIFF`, `FORM`). */
  readonly container: string
  /** Real size of a chunk whose size field is 0xFFFFFFFF (RF64), or `undefined` when there is none. */
  readonly largeSize?: (id: string) => number | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * Walks the chunk headers from `start` to `end`, reading 8 bytes per chunk and seeking over the
 * payloads. A missing pad byte after the last chunk is tolerated with a warning.
 *
 * @throws MalformedAudioError for a header cut short, a chunk running past the end, or a size of
 *   0xFFFFFFFF with no `ds64` size; LimitExceededError for more than `IFF_LIMITS.maxChunks` chunks.
 *
 * @example
 * ```ts
 * const { chunks } = await walkChunks(source, { format: 'wav', littleEndian: true, start: 12, end: source.size, container: 'RIFF' })
 * ```
 */
export async function walkChunks(source: ByteSource, o: WalkOptions): Promise<{ chunks: IffChunk[]; warnings: string[] }> {
  const H = IFF_LIMITS.chunkHeaderBytes
  const chunks: IffChunk[] = []
  const warnings: string[] = []
  let at = o.start
  while (at < o.end) {
    throwIfAborted(o.signal)
    if (chunks.length === IFF_LIMITS.maxChunks) throw new LimitExceededError('maxChunks', IFF_LIMITS.maxChunks, undefined, `${o.container} chunk count`)
    if (o.end - at < H) throw new MalformedAudioError(o.format, `chunk header cut short (${o.end - at} of ${H} bytes before the end of the ${o.container} chunk)`, at)
    const h = peekExact(source, at, H, o.signal) ?? (await readExact(source, at, H, o.format, 'chunk header', o.signal))
    const id = ascii(h, 0, 4)
    const field = o.littleEndian ? u32le(h, 4) : u32be(h, 4)
    let size = field
    if (field === SIZE_IN_DS64) {
      const real = o.largeSize?.(id)
      if (real === undefined) throw new MalformedAudioError(o.format, `chunk ${JSON.stringify(id)} has the size 0xFFFFFFFF, which only RF64 files may use (with a ds64 entry)`, at)
      size = real
    }
    const payloadEnd = at + H + size
    if (payloadEnd > o.end) {
      throw new MalformedAudioError(o.format, `chunk ${JSON.stringify(id)} of ${size} bytes runs past the end of the ${o.container} chunk (${o.end}): the file is truncated or damaged`, at)
    }
    const odd = size % 2 === 1
    const missingPad = odd && payloadEnd === o.end
    if (missingPad) warnings.push(`${o.format.toUpperCase()}: chunk ${JSON.stringify(id)} has an odd size and no pad byte at the end of the file`)
    const span = H + size + (odd && !missingPad ? 1 : 0)
    chunks.push({ id, offset: at, size, span, missingPad })
    at += span
  }
  return { chunks, warnings }
}

/**
 * Writes a 32-bit size.
 *
 * @example
 * ```ts
 * writeU32(header, 4, riffSize, true)
 * ```
 */
export function writeU32(out: Uint8Array, at: number, value: number, littleEndian: boolean): void {
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, value, littleEndian)
}

/**
 * A whole chunk: header, payload, and a zero pad byte when the payload's length is odd.
 *
 * @throws LimitExceededError when the payload does not fit a 32-bit size.
 *
 * @example
 * ```ts
 * chunkBytes('id3 ', tagBytes, true) // 'id3 ' + size + tag (+ a pad byte when odd)
 * ```
 */
export function chunkBytes(id: string, payload: Uint8Array, littleEndian: boolean): Uint8Array {
  if (payload.length > IFF_LIMITS.maxSize32) throw new LimitExceededError('maxSize32', IFF_LIMITS.maxSize32, payload.length, `${JSON.stringify(id)} chunk size`)
  const H = IFF_LIMITS.chunkHeaderBytes
  const out = new Uint8Array(H + payload.length + (payload.length % 2))
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i)
  writeU32(out, 4, payload.length, littleEndian)
  out.set(payload, H)
  return out
}

/**
 * The header of a padding chunk that takes `span` bytes in all (its payload is not written here).
 *
 * @example
 * ```ts
 * fillerHeader('JUNK', 1024, true) // 'JUNK' + 1016
 * ```
 */
export function fillerHeader(id: string, span: number, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(IFF_LIMITS.chunkHeaderBytes)
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i)
  writeU32(out, 4, span - IFF_LIMITS.chunkHeaderBytes, littleEndian)
  return out
}

/** Chunk IDs that hold nothing but padding (RIFF `JUNK`, `junk`, `PAD `; Apple `FLLR`). */
export const PADDING_IDS: ReadonlySet<string> = new Set(['JUNK', 'junk', 'PAD ', 'FLLR'])
