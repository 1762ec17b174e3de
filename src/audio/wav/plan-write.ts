/**
 * Plans writing or removing our entries in a WAV file (docs/spec.md §10.8.6).
 *
 * Writing: the TXXX frames go into the first `id3 `/`ID3 ` chunk (its version and every other frame
 * kept), or a new `id3 ` chunk with an ID3v2.4 tag; the readable line also goes into the first
 * `LIST`/`INFO` chunk as the sub-chunk `NOAI` (every other sub-chunk kept, in order), or a new
 * `LIST`/`INFO` chunk. Our entries are removed from any later ID3 chunk and INFO list. New chunks go
 * at the end of the RIFF chunk, before a final `C2PA` chunk (C2PA 2.2 §A.3.6 keeps it last).
 * Removing: our frames and `NOAI` sub-chunks are removed; a chunk left with nothing else in it is
 * dropped (in place, it becomes a `JUNK` chunk).
 *
 * @module
 */
import { ID3_CHUNK_IDS, id3ChunkEdit, newId3ChunkPiece, planChunkEdits, readId3Chunk, type ChunkEdit, type ChunkFile, type Piece } from '../iff/index.js'
import type { ByteSource, ContainerOptions, EditPlan, TagEntries } from '../types.js'
import { infoListEdit, newInfoListPiece, readInfoList } from './_info.js'
import { readWavLayout, rewrittenHead } from './_layout.js'

/** The chunk ID of a new ID3 chunk in WAV: lower-case, the one exiftool 12.57 reads (docs/spec.md §10.8.3). */
export const WAV_ID3_CHUNK_ID = 'id3 '

/**
 * Plans writing (or, with `null`, removing) the NoAI entries of a WAV file.
 *
 * @throws MalformedAudioError for a damaged file or a damaged ID3 tag or INFO list;
 *   UnsupportedFormatError when the ID3 chunk to change holds an ID3v2.2 tag; LimitExceededError
 *   for oversized metadata or a plain RIFF file that would pass 4 GiB.
 *
 * @example
 * ```ts
 * const plan = await planWavWrite(source, { readable: 'train-ai=n', document: jws })
 * ```
 */
export async function planWavWrite(source: ByteSource, entries: TagEntries | null, options: ContainerOptions = {}): Promise<EditPlan> {
  const { signal } = options
  const layout = await readWavLayout(source, signal)
  const { chunks } = layout
  const edits = new Map<number, ChunkEdit>()
  const o = { format: 'wav' as const, littleEndian: true, fileSize: source.size }
  let id3Target = false
  let infoTarget = false
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!
    let e: ChunkEdit | undefined
    if (ID3_CHUNK_IDS.has(c.id)) {
      e = id3ChunkEdit(await readId3Chunk(source, c, 'wav', signal), id3Target ? null : entries, o)
      id3Target = true
    } else if (c.id === 'LIST') {
      const list = await readInfoList(source, c, signal)
      if (!list) continue
      e = infoListEdit(list, infoTarget || !entries ? undefined : entries.readable)
      infoTarget = true
    }
    if (e !== undefined) edits.set(i, e)
  }
  const added: Piece[] = []
  if (entries && !infoTarget) added.push(newInfoListPiece(entries.readable))
  if (entries && !id3Target) added.push(newId3ChunkPiece(WAV_ID3_CHUNK_ID, entries, o))
  let insertAt = chunks.length
  while (insertAt > 0 && chunks[insertAt - 1]!.id === 'C2PA') insertAt--
  const file: ChunkFile = {
    format: 'wav',
    littleEndian: true,
    chunks,
    bodyStart: layout.bodyStart,
    bodyEnd: layout.bodyEnd,
    size: source.size,
    fillerId: 'JUNK',
    // A JUNK chunk first in a RIFF file is the place reserved for ds64 (EBU Tech 3306 §4): not taken.
    usable: (i) => !(layout.magic === 'RIFF' && i === 0),
    header: (end) => rewrittenHead(layout, end),
  }
  return planChunkEdits(source, file, { edits, added, insertAt }, signal)
}
