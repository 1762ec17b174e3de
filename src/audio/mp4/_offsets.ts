// Chunk-offset fix-up for a rewrite that moves the bytes after `moov` (docs/spec.md §10.7.6):
// every stco/co64 entry of every track that points past the old moov gets the change
// of moov's size added; an stco whose entries would overflow 32 bits becomes a co64, which grows
// moov again, so the sizes are computed until they settle. Internal.
import { safeBound, u32be } from '../_read.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import { putU32, putU64 } from './_bytes.js'
import { childrenOf, find, type Box } from './_box.js'
import type { ChainEdit } from './_edit.js'
import type { BoxIO } from './_io.js'
import type { FileLayout, MetaChain, Track } from './_layout.js'
import { metaChildren, readMeta } from './_meta.js'
import { checkCount, tableBytes } from './_tables.js'
import { indexOf, nodeSize, open, replace, type Node } from './_tree.js'
import { MP4_LIMITS } from './limits.js'

/** One chunk offset table that has entries after moov. */
interface Table {
  readonly box: Box
  readonly stbl: Node
  readonly offsets: readonly number[]
  wide: boolean
}

/** Adds the growth of moov to every chunk offset after it; converts stco to co64 where needed. */
export async function shiftChunkOffsets(io: BoxIO, layout: FileLayout, tracks: readonly Track[], chain: MetaChain, edit: ChainEdit): Promise<void> {
  const moov = layout.moov
  const oldSize = moov.end - moov.start
  if (moov.end === io.size || nodeSize(edit.moov) === oldSize) return
  if (layout.top.some((b) => b.start >= moov.end && b.type !== 'free' && b.type !== 'skip')) await refuseOtherOffsets(io, layout, tracks, chain)
  safeBound(oldSize, MP4_LIMITS.maxMoovBytes, 'maxMoovBytes', 'MP4 moov box')
  const tables: Table[] = []
  for (const track of tracks) {
    const box = find(track.tables, 'co64') ?? find(track.tables, 'stco')
    if (!box) continue
    const offsets = await entries(io, box, moov)
    if (offsets.some((o) => o >= moov.end)) tables.push({ box, stbl: await openPath(io, edit.moov, track), offsets, wide: box.type === 'co64' })
  }
  let delta = 0
  for (let round = 0; round <= tables.length + 1; round++) {
    for (const t of tables) {
      if (!t.wide && t.offsets.some((o) => o >= moov.end && o + delta > 0xffff_ffff)) t.wide = true
      replace(t.stbl, t.box, { bytes: tableOf(t, moov.end, delta), box: t.box })
    }
    const next = nodeSize(edit.moov) - oldSize
    if (next === delta) return
    delta = next
  }
  throw new Error('internal: chunk offsets did not settle')
}

/** The entries of stco/co64; an entry inside moov is malformed (a sample cannot live in moov). */
async function entries(io: BoxIO, box: Box, moov: Box): Promise<number[]> {
  const body = await tableBytes(io, box)
  const wide = box.type === 'co64'
  const count = body.byteLength >= 8 ? u32be(body, 4) : 0
  checkCount(box, body, 8, count, wide ? 64 : 32)
  const out = new Array<number>(count)
  for (let i = 0; i < count; i++) {
    const at = 8 + (wide ? 8 : 4) * i
    if (wide && u32be(body, at) > 0x1f_ffff) throw new MalformedAudioError('mp4', `co64 entry ${i + 1} is beyond any file`, box.start)
    const o = wide ? u32be(body, at) * 0x1_0000_0000 + u32be(body, at + 4) : u32be(body, at)
    if (o >= moov.start && o < moov.end) throw new MalformedAudioError('mp4', `${box.type} entry ${i + 1} (${o}) points inside the moov box`, box.start)
    out[i] = o
  }
  return out
}

function tableOf(t: Table, pivot: number, delta: number): Uint8Array {
  const width = t.wide ? 8 : 4
  const out = new Uint8Array(16 + width * t.offsets.length)
  putU32(out, 0, out.byteLength)
  out.set(new TextEncoder().encode(t.wide ? 'co64' : 'stco'), 4)
  putU32(out, 12, t.offsets.length)
  t.offsets.forEach((o, i) => (t.wide ? putU64 : putU32)(out, 16 + width * i, o >= pivot ? o + delta : o))
  return out
}

/** Opens trak/mdia/minf/stbl of a track inside the opened moov; returns the stbl node. */
async function openPath(io: BoxIO, moov: Node, track: Track): Promise<Node> {
  let parent = moov
  for (const b of track.path) {
    const existing = parent.children[indexOf(parent, b)]
    if (existing && 'node' in existing) {
      parent = existing.node
      continue
    }
    const node = open(b, b === track.stbl ? track.tables : await childrenOf(io, b))
    replace(parent, b, { node, box: b })
    parent = node
  }
  return parent
}

/**
 * Other absolute offsets that this writer does not fix: `iloc` in any `meta` and `saio` in any
 * sample table. A file that has them and whose bytes after moov would move is refused.
 */
async function refuseOtherOffsets(io: BoxIO, layout: FileLayout, tracks: readonly Track[], chain: MetaChain): Promise<void> {
  if (tracks.some((t) => find(t.tables, 'saio'))) throw refuse('saio (sample auxiliary information offsets)')
  const metas = [...layout.top, ...layout.moovChildren, ...chain.udtaChildren].filter((b) => b.type === 'meta')
  for (const t of tracks) {
    metas.push(...t.children.filter((b) => b.type === 'meta'))
    const udta = find(t.children, 'udta')
    if (udta) metas.push(...(await childrenOf(io, udta)).filter((b) => b.type === 'meta'))
  }
  for (const m of metas) if (find(await metaChildren(io, await readMeta(io, m)), 'iloc')) throw refuse(`iloc (item locations) in the meta box at offset ${m.start}`)
}

function refuse(what: string): UnsupportedFormatError {
  return new UnsupportedFormatError('mp4', `cannot move the media data: the file has ${what}, whose absolute offsets this writer does not update (docs/spec.md §10.7.6)`)
}
