// The ID3v2 tag of a WAV `id3 `/`ID3 ` chunk or an AIFF `ID3 ` chunk (docs/spec.md §10.4.1,
// §10.8.3, §10.9.3): reading it, and the chunk pieces that write our TXXX frames into it, remove
// them, or create a new chunk. Internal.
import { LimitExceededError, isNoaiTagError } from '../../errors.js'
import { isAllZero, peekExact, readExact } from '../_read.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import { findOurEntries, foreignOfFrames, newId3v2Tag, parseId3v2, rewriteId3v2, serializeId3v2, type Id3v2OurEntries, type Id3v2Tag } from '../id3v2/index.js'
import type { ByteSource, ForeignMetadata, TagEntries } from '../types.js'
import { chunkBytes, payloadOffset, type IffChunk, type IffFormat } from './chunks.js'
import { IFF_LIMITS, id3PaddingFor } from './limits.js'
import type { ChunkEdit, Piece } from './plan.js'

/** Chunk IDs that hold an ID3v2 tag (both spellings are read in WAV and AIFF). */
export const ID3_CHUNK_IDS: ReadonlySet<string> = new Set(['id3 ', 'ID3 '])

/** An ID3 chunk and what its payload holds. */
export interface Id3Chunk {
  readonly chunk: IffChunk
  readonly payload: Uint8Array
  /** The tag, when the payload holds a parsable one. */
  readonly tag?: Id3v2Tag
  /** The payload is empty or all zero bytes (no tag). */
  readonly empty: boolean
  /** Why the payload could not be parsed. */
  readonly problem?: MalformedAudioError
}

/**
 * Reads and parses an ID3 chunk's payload. A damaged tag is returned with `problem` (a reader
 * reports it; a writer refuses the file).
 *
 * @throws LimitExceededError when the chunk is larger than `IFF_LIMITS.maxMetadataChunkBytes`.
 *
 * @example
 * ```ts
 * const c = await readId3Chunk(source, chunk, 'wav')
 * c.tag?.frames.map((f) => f.id) // ['TIT2', 'TXXX', ...]
 * ```
 */
export async function readId3Chunk(source: ByteSource, chunk: IffChunk, format: IffFormat, signal?: AbortSignal): Promise<Id3Chunk> {
  if (chunk.size > IFF_LIMITS.maxMetadataChunkBytes) {
    throw new LimitExceededError('maxMetadataChunkBytes', IFF_LIMITS.maxMetadataChunkBytes, chunk.size, `${JSON.stringify(chunk.id)} chunk size`)
  }
  const at = payloadOffset(chunk)
  const payload = peekExact(source, at, chunk.size, signal) ?? (await readExact(source, at, chunk.size, format, `${JSON.stringify(chunk.id)} chunk`, signal))
  if (isAllZero(payload)) return { chunk, payload, empty: true }
  try {
    return { chunk, payload, empty: false, tag: parseId3v2(payload, { offset: at, format }) }
  } catch (e) {
    if (!isNoaiTagError(e) || e.code !== 'ERR_NOAI_MALFORMED_INPUT') throw e
    return { chunk, payload, empty: false, problem: e as MalformedAudioError }
  }
}

const even = (n: number): number => n + (n % 2)
const editable = (t: Id3v2Tag): boolean => t.readable && (t.major === 3 || t.major === 4)

/** A chunk piece holding an ID3v2 tag whose padding stretches to any span (`tagFor(padding)`). */
function tagPiece(id: string, littleEndian: boolean, tagFor: (padding: number) => Uint8Array, o: { changed: boolean; old?: Id3Chunk; fileSize: number }): Piece {
  const minTag = tagFor(0).length
  const minSpan = IFF_LIMITS.chunkHeaderBytes + even(minTag)
  const old = o.old
  const keepsSpan = old !== undefined && old.chunk.span >= minSpan
  return {
    minSpan,
    preferredSpan: keepsSpan ? old.chunk.span : minSpan,
    rewriteSpan: keepsSpan ? old.chunk.span : minSpan + even(id3PaddingFor(o.fileSize)),
    elasticity: 2,
    changed: o.changed,
    build(span) {
      if (!o.changed && old && span === old.chunk.span) return chunkBytes(id, old.payload, littleEndian)
      return chunkBytes(id, tagFor(span - IFF_LIMITS.chunkHeaderBytes - minTag), littleEndian)
    },
  }
}

/**
 * The edit of an existing ID3 chunk: with `entries`, the chunk that receives our frames (always a
 * piece, so that its padding can absorb changes next to it); with `null`, a chunk from which ours
 * are removed (`undefined` when it holds none, `'drop'` when nothing else is left in it).
 *
 * @throws MalformedAudioError for a damaged tag; UnsupportedFormatError for a tag that cannot be
 *   rewritten (ID3v2.2 or an unknown version) when it must change.
 *
 * @example
 * ```ts
 * const edit = id3ChunkEdit(c, entries, { format: 'wav', littleEndian: true, fileSize: source.size })
 * ```
 */
export function id3ChunkEdit(c: Id3Chunk, entries: TagEntries | null, o: { readonly format: IffFormat; readonly littleEndian: boolean; readonly fileSize: number }): ChunkEdit | undefined {
  const id = c.chunk.id
  if (c.empty) {
    return entries ? tagPiece(id, o.littleEndian, (p) => newId3v2Tag(entries, p), { changed: true, fileSize: o.fileSize }) : undefined
  }
  if (c.problem) throw c.problem
  const tag = c.tag!
  if (!editable(tag)) {
    const ours = findOurEntries([tag])
    if (entries || ours.readable !== undefined || ours.document !== undefined) {
      throw new UnsupportedFormatError(o.format, `the ${JSON.stringify(id)} chunk at offset ${c.chunk.offset} holds an ID3v2.${tag.major} tag, which cannot be rewritten`)
    }
    return undefined
  }
  const r = rewriteId3v2(tag, entries, { paddingFor: () => 0 })
  if (!entries) {
    if (!r) return undefined
    if (r.frameCount === 0) return 'drop'
  }
  return tagPiece(id, o.littleEndian, (p) => serializeId3v2(tag, entries, p), { changed: r !== undefined, old: c, fileSize: o.fileSize })
}

/**
 * A new ID3 chunk holding a new ID3v2.4 tag with our entries.
 *
 * @example
 * ```ts
 * const piece = newId3ChunkPiece('id3 ', entries, { littleEndian: true, fileSize: source.size })
 * ```
 */
export function newId3ChunkPiece(id: string, entries: TagEntries, o: { readonly littleEndian: boolean; readonly fileSize: number }): Piece {
  return tagPiece(id, o.littleEndian, (p) => newId3v2Tag(entries, p), { changed: true, fileSize: o.fileSize })
}

/**
 * Our entries, the foreign XMP and C2PA frames, and the warnings of a file's ID3 chunks (in file
 * order: the first readable line and the first document win, docs/spec.md §8.3).
 *
 * @example
 * ```ts
 * const f = id3Findings(chunks, 'WAV')
 * f.entries.document // the NOAI_TAG value, or undefined
 * ```
 */
export function id3Findings(list: readonly Id3Chunk[], container: string): { entries: Id3v2OurEntries; foreign: ForeignMetadata[]; warnings: string[] } {
  const warnings: string[] = []
  const foreign: ForeignMetadata[] = []
  const tags: Id3v2Tag[] = []
  if (list.length > 1) warnings.push(`${container}: ${list.length} ID3 chunks; entries are read from all, in order, and written into the first`)
  for (const c of list) {
    const where = `${container} ${JSON.stringify(c.chunk.id)} chunk at offset ${c.chunk.offset}`
    if (c.empty) warnings.push(`${where} holds no ID3v2 tag (empty)`)
    else if (c.problem) warnings.push(`${where} could not be parsed (${c.problem.message}); it is ignored`)
    else {
      const tag = c.tag!
      tags.push(tag)
      warnings.push(...tag.warnings)
      foreign.push(...foreignOfFrames(tag.frames, tag.offset, `${container} ${c.chunk.id.trim()} chunk ID3v2`))
    }
  }
  const entries = findOurEntries(tags)
  return { entries, foreign, warnings: [...warnings, ...entries.warnings] }
}
