/**
 * Plans writing or removing our entries in an Ogg Vorbis or Opus file (docs/spec.md §10.6).
 *
 * The comment header (and, for Vorbis, the setup header that shares its pages) is laid out again
 * into the same number of pages as before when it fits (at most 255 lacing values per page), so
 * that no other page changes: the plan is then in place when every new header page has its old
 * length, else a rewrite that copies all other pages unchanged. When the page count must change,
 * every later page of that stream gets a new sequence number and CRC (its body is copied), which
 * means reading those pages once while planning; other streams' pages are copied unchanged.
 *
 * Ref: RFC 3533 §6 ; Vorbis I §A.2 ; RFC 7845 §3, §5.2 ; docs/spec.md §10.6.
 *
 * @module
 */
import { LimitExceededError } from '../../errors.js'
import { MalformedAudioError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, EditPlan, EditSegment, TagEntries } from '../types.js'
import { withOurVorbisEntries } from '../vorbis-comment/index.js'
import { checkSetupPacket, commentPacket, parseCommentPacket } from './_codec.js'
import { readOggHeaders } from './_headers.js'
import type { OggHeaders } from './_headers.js'
import { FLAG, PageReader, bodyOffset, checkCrc, renumberedHeader } from './_page.js'
import { pagePackets } from './_paging.js'
import { OGG_LIMITS } from './limits.js'

const pageEnd = (h: { readonly offset: number; readonly raw: Uint8Array; readonly bodyLength: number }): number => h.offset + h.raw.byteLength + h.bodyLength

function pushCopy(segments: EditSegment[], from: number, length: number): void {
  if (length === 0) return
  const last = segments[segments.length - 1]
  if (last && 'copyFrom' in last && last.copyFrom + last.length === from) segments[segments.length - 1] = { copyFrom: last.copyFrom, length: last.length + length }
  else segments.push({ copyFrom: from, length })
}

/** Segments up to the end of the old header pages: new header pages where the old ones were. */
function headerSegments(h: OggHeaders, pages: readonly Uint8Array[]): EditSegment[] {
  const segments: EditSegment[] = []
  let prevEnd = 0
  h.pages.forEach((old, i) => {
    pushCopy(segments, prevEnd, old.offset - prevEnd)
    if (i < pages.length) segments.push({ bytes: pages[i]! })
    if (i === h.pages.length - 1) for (const p of pages.slice(i + 1)) segments.push({ bytes: p })
    prevEnd = pageEnd(old)
  })
  return segments
}

/** Appends the rest of the file, re-emitting the stream's later pages with shifted sequence numbers. */
async function renumberRest(source: ByteSource, h: OggHeaders, delta: number, segments: EditSegment[], signal: AbortSignal | undefined): Promise<void> {
  const r = new PageReader(source, { at: h.afterHeaders, window: AUDIO_LIMITS.ioChunkBytes, signal })
  let expected = (h.pages[h.pages.length - 1]!.seq + 1) >>> 0
  let count = 0
  let ended = h.eos
  while (!ended) {
    const p = await r.header()
    if (!p) break
    if (p.serial !== h.serial) {
      r.skipBody(p)
      pushCopy(segments, p.offset, pageEnd(p) - p.offset)
      continue
    }
    if (p.seq !== expected) throw new MalformedAudioError('ogg', `missing page in stream ${h.serial}: expected sequence number ${expected}, found ${p.seq}`, p.offset)
    if (++count > OGG_LIMITS.maxRenumberedPages) throw new LimitExceededError('maxRenumberedPages', OGG_LIMITS.maxRenumberedPages, undefined, 'Ogg pages to renumber')
    expected = (p.seq + 1) >>> 0
    const body = await r.body(p)
    checkCrc(p, body)
    segments.push({ bytes: renumberedHeader(p, (p.seq + delta) >>> 0, body) })
    pushCopy(segments, bodyOffset(p), p.bodyLength)
    ended = (p.headerType & FLAG.eos) !== 0
  }
  pushCopy(segments, r.pos, source.size - r.pos)
}

/**
 * Plans writing (or, with `null`, removing) the `NOAI` and `NOAI_TAG` fields of the first audio
 * stream's comment header.
 *
 * @throws MalformedAudioError for a damaged file (checked before anything is planned), or when audio
 * data shares the last header page.
 * @throws UnsupportedFormatError when the file has no Vorbis or Opus stream.
 * @example
 * ```ts
 * const plan = await planOggWrite(source, { readable: 'train-ai=n', document: jws })
 * ```
 */
export async function planOggWrite(source: ByteSource, entries: TagEntries | null, options: ContainerOptions = {}): Promise<EditPlan> {
  const { signal } = options
  const h = await readOggHeaders(source, signal)
  const vc = parseCommentPacket(h.codec, h.packets[0]!, h.commentOffset)
  if (h.codec === 'vorbis') checkSetupPacket(h.packets[1]!, h.commentOffset)
  const next = withOurVorbisEntries(vc, entries)
  if (next === undefined) return { kind: 'unchanged' }
  if (!h.freshAudioPage) throw new MalformedAudioError('ogg', 'audio data shares the last header page (Vorbis I §A.2, RFC 7845 §3); refusing to write', h.pages[h.pages.length - 1]!.offset)
  const packets = [commentPacket(h.codec, next), ...h.packets.slice(1)]
  const pages = pagePackets(packets, { serial: h.serial, firstSeq: (h.bos.seq + 1) >>> 0, preferredPages: h.pages.length, eos: h.eos })
  if (pages.length === h.pages.length && pages.every((p, i) => p.byteLength === pageEnd(h.pages[i]!) - h.pages[i]!.offset)) {
    return { kind: 'in-place', patches: pages.map((bytes, i) => ({ offset: h.pages[i]!.offset, bytes })) }
  }
  const segments = headerSegments(h, pages)
  if (pages.length === h.pages.length) pushCopy(segments, h.afterHeaders, source.size - h.afterHeaders)
  else await renumberRest(source, h, pages.length - h.pages.length, segments, signal)
  return { kind: 'rewrite', segments }
}
