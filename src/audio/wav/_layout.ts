// The layout of a WAV file (docs/spec.md §10.8.1): the RIFF/RF64/BW64 header, the RF64 `ds64`
// chunk, and the top-level chunks. Reads only the 12-byte header, `ds64` and 8-byte chunk
// headers. Internal.
import { LimitExceededError } from '../../errors.js'
import { ascii, peekExact, readExact, u32le } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { IFF_LIMITS, SIZE_IN_DS64, walkChunks, type IffChunk } from '../iff/index.js'
import type { ByteSource } from '../types.js'
import { WAV_LIMITS } from './limits.js'

/** The RF64/BW64 `ds64` chunk (EBU Tech 3306 §3; ITU-R BS.2088 §3). */
export interface Ds64 {
  /** The 64-bit RIFF size (file length − 8). */
  readonly riffSize: number
  /** The 64-bit size of the `data` chunk. */
  readonly dataSize: number
}

/** Where things are in a WAV file. */
export interface WavLayout {
  /** `RIFF`, or `RF64`/`BW64` for files with 64-bit sizes. */
  readonly magic: 'RIFF' | 'RF64' | 'BW64'
  readonly ds64?: Ds64
  /** The bytes before the first chunk of `chunks`: the 12-byte header, plus `ds64` for RF64. */
  readonly head: Uint8Array
  /** The top-level chunks after the header (after `ds64` for RF64). */
  readonly chunks: readonly IffChunk[]
  /** Offset of the first chunk of `chunks`. */
  readonly bodyStart: number
  /** End of the RIFF chunk's contents (the file size, unless bytes follow the RIFF chunk). */
  readonly bodyEnd: number
  readonly warnings: readonly string[]
}

const MAGICS = new Set(['RIFF', 'RF64', 'BW64'])

function u64le(b: Uint8Array, at: number, what: string, fileOffset: number): number {
  const lo = u32le(b, at)
  const hi = u32le(b, at + 4)
  const v = hi * 2 ** 32 + lo
  if (!Number.isSafeInteger(v)) throw new MalformedAudioError('wav', `ds64 ${what} ${hi}·2^32+${lo} is larger than any file`, fileOffset + at)
  return v
}

async function readDs64(source: ByteSource, signal: AbortSignal | undefined): Promise<{ ds64: Ds64; bytes: Uint8Array; table: Map<string, number[]> }> {
  const H = IFF_LIMITS.chunkHeaderBytes
  const at = IFF_LIMITS.fileHeaderBytes
  const h = peekExact(source, at, H, signal) ?? (await readExact(source, at, H, 'wav', 'ds64 chunk header', signal))
  if (ascii(h, 0, 4) !== 'ds64') throw new MalformedAudioError('wav', `the first chunk of an RF64 file must be "ds64", found ${JSON.stringify(ascii(h, 0, 4))}`, at)
  const size = u32le(h, 4)
  if (size < WAV_LIMITS.minDs64Bytes) throw new MalformedAudioError('wav', `ds64 chunk of ${size} bytes is shorter than ${WAV_LIMITS.minDs64Bytes}`, at)
  if (size > WAV_LIMITS.maxDs64Bytes) throw new LimitExceededError('maxDs64Bytes', WAV_LIMITS.maxDs64Bytes, size, 'RF64 ds64 chunk size')
  const span = H + size + (size % 2)
  const bytes = peekExact(source, at, span, signal) ?? (await readExact(source, at, span, 'wav', 'ds64 chunk', signal))
  const p = H
  const ds64 = { riffSize: u64le(bytes, p, 'riffSize', at), dataSize: u64le(bytes, p + 8, 'dataSize', at) }
  const entries = u32le(bytes, p + 24)
  if (entries > (size - WAV_LIMITS.minDs64Bytes) / 12) throw new MalformedAudioError('wav', `ds64 table of ${entries} entries does not fit its ${size}-byte chunk`, at + p + 24)
  const table = new Map<string, number[]>()
  for (let i = 0; i < entries; i++) {
    const e = p + WAV_LIMITS.minDs64Bytes + 12 * i
    const id = ascii(bytes, e, e + 4)
    table.set(id, [...(table.get(id) ?? []), u64le(bytes, e + 4, `table size of ${JSON.stringify(id)}`, at)])
  }
  return { ds64, bytes, table }
}

/**
 * Reads the layout of a WAV file.
 *
 * @throws MalformedAudioError for a missing `RIFF`/`RF64`/`BW64` + `WAVE` header, a RIFF size of
 *   0xFFFFFFFF in a plain RIFF file, a missing or damaged `ds64` in RF64, a size running past the
 *   end of the file (a truncated file), or a damaged chunk list; LimitExceededError for too many
 *   chunks or an oversized `ds64`.
 *
 * @example
 * ```ts
 * const layout = await readWavLayout(source)
 * layout.chunks.map((c) => c.id) // ['fmt ', 'LIST', 'data']
 * ```
 */
export async function readWavLayout(source: ByteSource, signal?: AbortSignal): Promise<WavLayout> {
  const F = IFF_LIMITS.fileHeaderBytes
  const h = peekExact(source, 0, Math.min(F, source.size), signal) ?? (await readExact(source, 0, Math.min(F, source.size), 'wav', 'RIFF header', signal))
  const magic = ascii(h, 0, 4)
  if (h.length < F || !MAGICS.has(magic) || ascii(h, 8, 12) !== 'WAVE') throw new MalformedAudioError('wav', 'no RIFF/RF64/BW64 WAVE header', 0)
  const size32 = u32le(h, 4)
  const warnings: string[] = []
  let head = h
  let ds64: Ds64 | undefined
  let table = new Map<string, number[]>()
  let declaredEnd: number
  if (magic === 'RIFF') {
    if (size32 === SIZE_IN_DS64) throw new MalformedAudioError('wav', 'RIFF size 0xFFFFFFFF in a RIFF file (only RF64 files use it, with a ds64 chunk)', 4)
    declaredEnd = 8 + size32
  } else {
    const d = await readDs64(source, signal)
    ds64 = d.ds64
    table = d.table
    head = new Uint8Array(F + d.bytes.length)
    head.set(h)
    head.set(d.bytes, F)
    if (size32 !== SIZE_IN_DS64) warnings.push(`WAV: the ${magic} header size is ${size32}, not 0xFFFFFFFF; the ds64 size is used`)
    declaredEnd = 8 + ds64.riffSize
  }
  const bodyStart = head.length
  if (declaredEnd > source.size + 1) {
    throw new MalformedAudioError('wav', `${magic} size ${declaredEnd - 8} runs past the end of the file (${source.size} bytes): the file is truncated`, 4)
  }
  let bodyEnd = declaredEnd
  if (declaredEnd === source.size + 1) {
    warnings.push(`WAV: the ${magic} size counts a pad byte missing at the end of the file`)
    bodyEnd = source.size
  } else if (declaredEnd < source.size) {
    warnings.push(`WAV: ${source.size - declaredEnd} bytes after the end of the ${magic} chunk (kept as they are)`)
  }
  if (bodyEnd < bodyStart) throw new MalformedAudioError('wav', `${magic} size ${declaredEnd - 8} is smaller than its header`, 4)
  const walked = await walkChunks(source, {
    format: 'wav',
    littleEndian: true,
    start: bodyStart,
    end: bodyEnd,
    container: magic,
    signal,
    ...(ds64 ? { largeSize: (id: string) => (id === 'data' ? ds64.dataSize : table.get(id)?.shift()) } : {}),
  })
  return { magic: magic as WavLayout['magic'], ...(ds64 ? { ds64 } : {}), head, chunks: walked.chunks, bodyStart, bodyEnd, warnings: [...warnings, ...walked.warnings] }
}

/**
 * The bytes before the first chunk of a rewritten file whose RIFF chunk ends at `containerEnd`:
 * the header with the new RIFF size, or for RF64 the header (size field kept) and `ds64` with the
 * new 64-bit riffSize.
 *
 * @throws LimitExceededError when a plain RIFF file would exceed 4 GiB (it cannot hold the size).
 *
 * @example
 * ```ts
 * const head = rewrittenHead(layout, newLength) // RIFF size = newLength - 8
 * ```
 */
export function rewrittenHead(layout: WavLayout, containerEnd: number): Uint8Array {
  const out = layout.head.slice()
  const v = new DataView(out.buffer)
  const riffSize = containerEnd - 8
  if (layout.ds64) {
    const at = IFF_LIMITS.fileHeaderBytes + IFF_LIMITS.chunkHeaderBytes
    v.setUint32(at, riffSize % 2 ** 32, true)
    v.setUint32(at + 4, Math.floor(riffSize / 2 ** 32), true)
  } else {
    if (riffSize > IFF_LIMITS.maxSize32) throw new LimitExceededError('maxSize32', IFF_LIMITS.maxSize32, riffSize, 'RIFF size of the rewritten file')
    v.setUint32(4, riffSize, true)
  }
  return out
}
