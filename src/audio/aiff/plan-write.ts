/**
 * Plans writing or removing our entries in an AIFF or AIFF-C file (docs/spec.md §10.9.5): the TXXX
 * frames go into the first `ID3 `/`id3 ` chunk (its version and every other frame kept), or a new
 * `ID3 ` chunk with an ID3v2.4 tag at the end of the FORM chunk; they are removed from any later ID3
 * chunk. Removing drops an ID3 chunk left with no frame (in place, it becomes a `FLLR` chunk).
 *
 * @module
 */
import { ID3_CHUNK_IDS, id3ChunkEdit, newId3ChunkPiece, planChunkEdits, readId3Chunk, type ChunkEdit, type ChunkFile } from '../iff/index.js'
import type { ByteSource, ContainerOptions, EditPlan, TagEntries } from '../types.js'
import { readAiffLayout, rewrittenHead } from './_layout.js'

/** The chunk ID of a new ID3 chunk in AIFF: upper-case, as ffmpeg and mutagen write it (docs/spec.md §10.9.3). */
export const AIFF_ID3_CHUNK_ID = 'ID3 '

/** The ID of the padding chunk that an in-place edit leaves in AIFF (IFF has no registered one; readers skip unknown chunks). */
export const AIFF_FILLER_ID = 'FLLR'

/**
 * Plans writing (or, with `null`, removing) the NoAI entries of an AIFF or AIFF-C file.
 *
 * @throws MalformedAudioError for a damaged file or ID3 tag; UnsupportedFormatError when the ID3
 *   chunk to change holds an ID3v2.2 tag; LimitExceededError for oversized metadata or a file that
 *   would pass 4 GiB.
 *
 * @example
 * ```ts
 * const plan = await planAiffWrite(source, { readable: 'train-ai=n', document: jws })
 * ```
 */
export async function planAiffWrite(source: ByteSource, entries: TagEntries | null, options: ContainerOptions = {}): Promise<EditPlan> {
  const { signal } = options
  const layout = await readAiffLayout(source, signal)
  const { chunks } = layout
  const edits = new Map<number, ChunkEdit>()
  const o = { format: 'aiff' as const, littleEndian: false, fileSize: source.size }
  let target = false
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!
    if (!ID3_CHUNK_IDS.has(c.id)) continue
    const e = id3ChunkEdit(await readId3Chunk(source, c, 'aiff', signal), target ? null : entries, o)
    target = true
    if (e !== undefined) edits.set(i, e)
  }
  const added = entries && !target ? [newId3ChunkPiece(AIFF_ID3_CHUNK_ID, entries, o)] : []
  const file: ChunkFile = {
    format: 'aiff',
    littleEndian: false,
    chunks,
    bodyStart: layout.head.length,
    bodyEnd: layout.bodyEnd,
    size: source.size,
    fillerId: AIFF_FILLER_ID,
    usable: () => true,
    header: (end) => rewrittenHead(layout, end),
  }
  return planChunkEdits(source, file, { edits, added, insertAt: chunks.length }, signal)
}
