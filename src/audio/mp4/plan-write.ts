// Planning a write or removal of our entries in an MP4 file (docs/spec.md §10.7.6):
// in place when a free box absorbs the change; else `moov` is rewritten where it is, with the
// chunk offsets of every track fixed when the media data after it moves. Internal.
import { LimitExceededError } from '../../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, EditPlan, EditSegment, TagEntries } from '../types.js'
import { buildEdit, padAfterIlst } from './_edit.js'
import { ourItems, readItems, type IlstItem } from './_ilst.js'
import { planInPlace } from './_inplace.js'
import { BoxIO } from './_io.js'
import { audioTracks, readChain, readLayout, readTracks } from './_layout.js'
import { shiftChunkOffsets } from './_offsets.js'
import { push, serialize } from './_tree.js'
import { MP4_PADDING_BYTES } from './limits.js'

/** Plans writing (or, with `null`, removing) our two items. */
export async function planMp4Write(source: ByteSource, entries: TagEntries | null, options: ContainerOptions = {}): Promise<EditPlan> {
  const io = new BoxIO(source, options.signal)
  const layout = await readLayout(io)
  const tracks = await readTracks(io, layout)
  audioTracks(tracks)
  const chain = await readChain(io, layout)
  const items = chain.ilst ? await readItems(io, chain.ilst, { values: false }) : []
  const ours = entries ? checkedItems(entries) : null
  const existing = items.filter((i) => i.key !== undefined)
  if (ours === null && existing.length === 0) return { kind: 'unchanged' }
  if (ours !== null && (await alreadyThere(io, existing, ours))) return { kind: 'unchanged' }
  const edit = buildEdit(layout, chain, items, ours)
  const inPlace = await planInPlace(io, layout, edit)
  if (inPlace) return inPlace
  padAfterIlst(edit, MP4_PADDING_BYTES)
  await shiftChunkOffsets(io, layout, tracks, chain, edit)
  const segments: EditSegment[] = [{ copyFrom: 0, length: layout.moov.start }]
  for (const s of serialize(edit.moov)) push(segments, s)
  push(segments, { copyFrom: layout.moov.end, length: io.size - layout.moov.end })
  return { kind: 'rewrite', segments }
}

function checkedItems(entries: TagEntries): Uint8Array {
  for (const [name, value] of [
    ['NOAI', entries.readable],
    ['NOAI_TAG', entries.document],
  ] as const) {
    const length = new TextEncoder().encode(value).byteLength
    if (length > AUDIO_LIMITS.maxEntryBytes) throw new LimitExceededError('maxEntryBytes', AUDIO_LIMITS.maxEntryBytes, length, `MP4 ${name} value`)
  }
  return ourItems(entries)
}

/** True when the file holds exactly our two items, adjacent, with these bytes. */
async function alreadyThere(io: BoxIO, existing: readonly IlstItem[], ours: Uint8Array): Promise<boolean> {
  const [a, b] = existing
  if (existing.length !== 2 || a?.key !== 'readable' || b?.key !== 'document' || a.box.end !== b.box.start) return false
  if (b.box.end - a.box.start !== ours.byteLength) return false
  const old = await io.bytes(a.box.start, ours.byteLength, 'ilst item')
  return old.every((x, i) => x === ours[i])
}
