// The layout of an MP4 file as far as the carrier needs it: top-level boxes, the one `moov`, its
// tracks and the iTunes metadata chain moov/udta/meta/ilst (docs/spec.md §10.7.1 to §10.7.3). Found by box
// headers only; no sample table is read here. Internal.
import { LimitExceededError } from '../../errors.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import { childrenOf, fileRoot, find, show, type Box } from './_box.js'
import type { BoxIO } from './_io.js'
import { handlerType, metaChildren, readMeta, type MetaBox } from './_meta.js'
import { MP4_LIMITS } from './limits.js'

/** Top-level boxes that only fragmented or segmented files have (ISO/IEC 14496-12 §8.8, §8.16). */
const FRAGMENT_BOXES = new Set(['moof', 'mfra', 'sidx', 'ssix', 'styp', 'emsg'])

/** The top-level boxes and the `moov` with its children. */
export interface FileLayout {
  readonly top: readonly Box[]
  readonly moov: Box
  readonly moovChildren: readonly Box[]
  /** Bytes after the last top-level box that are too few to be a box (tolerated, reported). */
  readonly trailingBytes: number
}

/** Reads the top-level boxes and the children of `moov`; refuses fragmented files. */
export async function readLayout(io: BoxIO): Promise<FileLayout> {
  const top = await childrenOf(io, fileRoot(io.size))
  const fragment = top.find((b) => FRAGMENT_BOXES.has(b.type))
  if (fragment) throw fragmented(`top-level ${show(fragment.type)} box at offset ${fragment.start}`)
  const moovs = top.filter((b) => b.type === 'moov')
  if (moovs.length === 0) throw new MalformedAudioError('mp4', 'no moov box')
  if (moovs.length > 1) throw new MalformedAudioError('mp4', 'more than one moov box', moovs[1]!.start)
  const moov = moovs[0]!
  const moovChildren = await childrenOf(io, moov)
  const mvex = find(moovChildren, 'mvex')
  if (mvex) throw fragmented(`moov/mvex box at offset ${mvex.start}`)
  const last = top[top.length - 1]
  return { top, moov, moovChildren, trailingBytes: io.size - (last ? last.end : 0) }
}

function fragmented(what: string): UnsupportedFormatError {
  return new UnsupportedFormatError('fragmented-mp4', `fragmented MP4 (${what}) is not supported by NoAI Tag v1 (docs/spec.md §10.7.2)`)
}

/** One `trak`: its handler and the boxes of its sample table, by type. */
export interface Track {
  readonly trak: Box
  readonly children: readonly Box[]
  /** `mdia/hdlr` handler_type: `soun` for audio. */
  readonly handler: string | undefined
  readonly stbl: Box | undefined
  /** The children of `stbl` (stsd, stts, stsc, stsz or stz2, stco or co64...). */
  readonly tables: readonly Box[]
  /** Path of boxes from `trak` down to `stbl` (trak, mdia, minf, stbl). */
  readonly path: readonly Box[]
  readonly dref: Box | undefined
}

/** Reads every `trak` of `moov` by headers (and each `hdlr`). */
export async function readTracks(io: BoxIO, layout: FileLayout): Promise<Track[]> {
  const traks = layout.moovChildren.filter((b) => b.type === 'trak')
  if (traks.length > MP4_LIMITS.maxTracks) throw new LimitExceededError('maxTracks', MP4_LIMITS.maxTracks, traks.length, 'MP4 track count')
  const out: Track[] = []
  for (const trak of traks) out.push(await readTrack(io, trak))
  return out
}

async function readTrack(io: BoxIO, trak: Box): Promise<Track> {
  const children = await childrenOf(io, trak)
  const mdia = find(children, 'mdia')
  const mdiaChildren = mdia ? await childrenOf(io, mdia) : []
  const hdlr = find(mdiaChildren, 'hdlr')
  const handler = hdlr ? await handlerType(io, hdlr) : undefined
  const minf = find(mdiaChildren, 'minf')
  const minfChildren = minf ? await childrenOf(io, minf) : []
  const stbl = find(minfChildren, 'stbl')
  const dinf = find(minfChildren, 'dinf')
  const dref = dinf ? find(await childrenOf(io, dinf), 'dref') : undefined
  const tables = stbl ? await childrenOf(io, stbl) : []
  const path = mdia && minf && stbl ? [trak, mdia, minf, stbl] : []
  return { trak, children, handler, stbl, tables, path, dref }
}

/** The audio tracks: every `trak` whose media handler is `soun`, in file order. */
export function audioTracks(tracks: readonly Track[]): Track[] {
  const audio = tracks.filter((t) => t.handler === 'soun')
  if (audio.length === 0) throw new UnsupportedFormatError('mp4', 'this MP4 file has no audio track (no trak whose mdia/hdlr handler is "soun")')
  return audio
}

/** The iTunes metadata chain moov/udta/meta/ilst, as far as it exists. */
export interface MetaChain {
  readonly udta: Box | undefined
  readonly udtaChildren: readonly Box[]
  /** The first `meta` in `udta` whose handler is `mdir`. */
  readonly meta: MetaBox | undefined
  readonly metaChildren: readonly Box[]
  readonly ilst: Box | undefined
}

/** Finds moov/udta/meta(hdlr mdir)/ilst by headers. */
export async function readChain(io: BoxIO, layout: FileLayout): Promise<MetaChain> {
  const udta = find(layout.moovChildren, 'udta')
  const udtaChildren = udta ? await childrenOf(io, udta) : []
  let meta: MetaBox | undefined
  for (const box of udtaChildren) {
    if (box.type !== 'meta') continue
    const m = await readMeta(io, box)
    if (m.handler === 'mdir') {
      meta = m
      break
    }
  }
  const children = meta ? await metaChildren(io, meta) : []
  return { udta, udtaChildren, meta, metaChildren: children, ilst: find(children, 'ilst') }
}
