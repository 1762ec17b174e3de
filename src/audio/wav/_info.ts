// The RIFF `LIST` chunk of type `INFO` (RIFF 1991 §"INFO List Chunk"; docs/spec.md §10.8.3):
// sub-chunks of a four-character code, a 32-bit little-endian size, a NUL-terminated value and a
// pad byte. Our readable line is the sub-chunk `NOAI`. Internal.
import { AUDIO_KEYS } from '../../constants.js'
import { LimitExceededError } from '../../errors.js'
import { ascii, peekExact, readExact, u32le } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { concatBytes } from '../../_internal/bytes.js'
import { chunkBytes, IFF_LIMITS, payloadOffset, type ChunkEdit, type IffChunk, type Piece } from '../iff/index.js'
import type { ByteSource } from '../types.js'

/** UTF-8 with U+FFFD for bad bytes, as the INFO values are read (no state kept between calls). */
const UTF8 = new TextDecoder()

const H = IFF_LIMITS.chunkHeaderBytes
const NOAI = AUDIO_KEYS.riffInfo

/** One sub-chunk of an INFO list: offsets inside the LIST payload. */
interface SubChunk {
  readonly id: string
  readonly offset: number
  readonly size: number
  /** The size is odd and the pad byte is missing (the sub-chunk ends the list). */
  readonly missingPad: boolean
}

/** A `LIST`/`INFO` chunk. */
export interface InfoList {
  readonly chunk: IffChunk
  /** The LIST payload: `INFO` and the sub-chunks. */
  readonly payload: Uint8Array
  readonly subs: readonly SubChunk[]
  /** Why the sub-chunks could not be parsed. */
  readonly problem?: MalformedAudioError
}

function parseSubs(payload: Uint8Array, fileOffset: number): { subs: SubChunk[]; problem?: MalformedAudioError } {
  const subs: SubChunk[] = []
  let at = 4
  while (at < payload.length) {
    if (subs.length === IFF_LIMITS.maxSubChunks) throw new LimitExceededError('maxSubChunks', IFF_LIMITS.maxSubChunks, undefined, 'LIST/INFO sub-chunk count')
    if (payload.length - at < H) return { subs, problem: new MalformedAudioError('wav', 'LIST/INFO sub-chunk header cut short', fileOffset + at) }
    const size = u32le(payload, at + 4)
    const end = at + H + size
    if (end > payload.length) {
      return { subs, problem: new MalformedAudioError('wav', `LIST/INFO sub-chunk ${JSON.stringify(ascii(payload, at, at + 4))} of ${size} bytes runs past the end of its LIST chunk`, fileOffset + at) }
    }
    const missingPad = size % 2 === 1 && end === payload.length
    subs.push({ id: ascii(payload, at, at + 4), offset: at, size, missingPad })
    at = end + (size % 2 === 1 && !missingPad ? 1 : 0)
  }
  return { subs }
}

/**
 * Reads a `LIST` chunk when its list type is `INFO` (else `undefined`, without reading more than
 * the 4-byte list type).
 *
 * @throws LimitExceededError for an INFO list larger than `IFF_LIMITS.maxMetadataChunkBytes` or with
 *   more than `IFF_LIMITS.maxSubChunks` sub-chunks.
 *
 * @example
 * ```ts
 * const list = await readInfoList(source, chunk) // undefined for LIST/adtl
 * ```
 */
export async function readInfoList(source: ByteSource, chunk: IffChunk, signal?: AbortSignal): Promise<InfoList | undefined> {
  if (chunk.size < 4) return undefined
  const at = payloadOffset(chunk)
  if (ascii(peekExact(source, at, 4, signal) ?? (await readExact(source, at, 4, 'wav', 'LIST type', signal))) !== 'INFO') return undefined
  if (chunk.size > IFF_LIMITS.maxMetadataChunkBytes) throw new LimitExceededError('maxMetadataChunkBytes', IFF_LIMITS.maxMetadataChunkBytes, chunk.size, 'LIST/INFO chunk size')
  const payload = peekExact(source, at, chunk.size, signal) ?? (await readExact(source, at, chunk.size, 'wav', 'LIST/INFO chunk', signal))
  return { chunk, payload, ...parseSubs(payload, at) }
}

/**
 * The values of the `NOAI` sub-chunks, in order: the bytes before the first NUL, as UTF-8.
 *
 * @example
 * ```ts
 * noaiValues(list) // ['train-ai=n']
 * ```
 */
export function noaiValues(list: InfoList): string[] {
  return list.subs
    .filter((s) => s.id === NOAI)
    .map((s) => {
      const v = list.payload.subarray(s.offset + H, s.offset + H + s.size)
      const nul = v.indexOf(0)
      return UTF8.decode(nul < 0 ? v : v.subarray(0, nul))
    })
}

/** The `NOAI` sub-chunk: the line, a NUL, `slack` more NULs, and the pad byte. */
function noaiSub(line: string, slack: number): Uint8Array {
  const text = new TextEncoder().encode(line)
  const value = new Uint8Array(text.length + 1 + slack)
  value.set(text)
  return chunkBytes(NOAI, value, true)
}

/** The LIST payload with every `NOAI` removed and, when `line` is given, one `NOAI` at the first one's place (or at the end). */
function payloadWith(list: Pick<InfoList, 'payload' | 'subs'>, line: string | undefined, slack: number): Uint8Array {
  const parts: { bytes: Uint8Array; needsPad: boolean }[] = []
  let placed = line === undefined
  for (const s of list.subs) {
    if (s.id === NOAI) {
      if (!placed) parts.push({ bytes: noaiSub(line!, slack), needsPad: false })
      placed = true
      continue
    }
    const padded = s.size % 2 === 1 && !s.missingPad
    parts.push({ bytes: list.payload.subarray(s.offset, s.offset + H + s.size + (padded ? 1 : 0)), needsPad: s.missingPad })
  }
  if (!placed) parts.push({ bytes: noaiSub(line!, slack), needsPad: false })
  const out: Uint8Array[] = [list.payload.subarray(0, 4)]
  parts.forEach((p, i) => {
    out.push(p.bytes)
    if (p.needsPad && i < parts.length - 1) out.push(new Uint8Array(1))
  })
  return concatBytes(out)
}

const even = (n: number): number => n + (n % 2)
const spanOf = (payloadLength: number): number => H + even(payloadLength)

/**
 * Bytes reserved for the value of a new `NOAI` sub-chunk (the line, its NUL and NUL padding): room
 * for the longest readable line over the seven uses of v1 (67 characters), so that changing the
 * usage later is written in place.
 */
export const NOAI_RESERVED_BYTES = 80

function listPiece(list: Pick<InfoList, 'payload' | 'subs'>, line: string | undefined, old: IffChunk | undefined): Piece {
  const minSpan = spanOf(payloadWith(list, line, 0).length)
  // With our line, the list stretches: the NOAI value takes more NUL bytes (readers stop at the first NUL).
  const elastic = line !== undefined
  const build = (span: number): Uint8Array => chunkBytes('LIST', payloadWith(list, line, span - minSpan), true)
  const oldBytes = old ? chunkBytes('LIST', list.payload, true) : undefined
  const keepsSpan = old !== undefined && old.span >= minSpan && (elastic || old.span === minSpan)
  const changed = !(keepsSpan && build(old.span).every((b, i) => b === oldBytes![i]))
  // A new or grown NOAI value gets room for any readable line of v1, so that a later change of the usage fits in place.
  const reserved = elastic ? minSpan + Math.max(0, NOAI_RESERVED_BYTES - even(new TextEncoder().encode(line).length + 1)) : minSpan
  const span = keepsSpan ? old.span : reserved
  return {
    minSpan,
    preferredSpan: span,
    rewriteSpan: span,
    elasticity: elastic ? 1 : 0,
    changed,
    build: (s) => (!changed && old && s === old.span ? oldBytes! : build(s)),
  }
}

/**
 * The edit of an INFO list: with `line`, the list that receives our `NOAI` (always a piece, so that
 * the NUL padding of our value can absorb changes next to it); with `undefined`, a list from which
 * `NOAI` is removed (`undefined` when it has none, `'drop'` when nothing else is left in it).
 *
 * @throws MalformedAudioError for a damaged INFO list (it cannot be rewritten safely).
 *
 * @example
 * ```ts
 * infoListEdit(list, 'train-ai=n') // a piece: the list with NOAI replaced
 * ```
 */
export function infoListEdit(list: InfoList, line: string | undefined): ChunkEdit | undefined {
  if (list.problem) throw list.problem
  if (line === undefined) {
    if (!list.subs.some((s) => s.id === NOAI)) return undefined
    if (list.subs.every((s) => s.id === NOAI)) return 'drop'
  }
  return listPiece(list, line, list.chunk)
}

/**
 * A new `LIST`/`INFO` chunk holding only our `NOAI` line.
 *
 * @example
 * ```ts
 * newInfoListPiece('train-ai=n').build(piece.minSpan) // LIST....INFONOAI....train-ai=n\0
 * ```
 */
export function newInfoListPiece(line: string): Piece {
  return listPiece({ payload: Uint8Array.from([0x49, 0x4e, 0x46, 0x4f]), subs: [] }, line, undefined)
}
