/**
 * Plans writing or removing our entries in a FLAC file (docs/spec.md §10.5).
 *
 * In place when the new VORBIS_COMMENT block fits in the old one plus the PADDING blocks right
 * after it (or, with no VORBIS_COMMENT yet, in a run of PADDING blocks) with nothing left over or
 * at least 4 bytes left for a PADDING block; a leftover of 1 to 3 bytes cannot be a block, so the
 * file is rewritten then. A rewrite keeps every block except PADDING byte for byte and in order
 * (the new VORBIS_COMMENT at the old one's place, or after the last block when there was none), ends
 * with one fresh PADDING block of FLAC_LIMITS.freshPaddingBytes, and copies the audio unchanged.
 *
 * Ref: RFC 9639 §8 ; docs/spec.md §10.5.
 *
 * @module
 */
import { LimitExceededError } from '../../errors.js'
import { readExact } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import type { ByteSource, ContainerOptions, EditPlan, EditSegment, TagEntries } from '../types.js'
import { NEW_VENDOR, parseVorbisComment, serializeVorbisComment, withOurVorbisEntries } from '../vorbis-comment/index.js'
import type { VorbisComment } from '../vorbis-comment/index.js'
import { BLOCK, blockHeader, readFlacLayout } from './_layout.js'
import type { FlacBlock, FlacLayout } from './_layout.js'
import { FLAC_LIMITS } from './limits.js'

const HEADER = 4

/** A run of blocks `[first, end)` whose bytes the new VORBIS_COMMENT (and PADDING) may take. */
interface Region {
  readonly first: number
  readonly end: number
}

function regionBytes(blocks: readonly FlacBlock[], r: Region): number {
  let n = 0
  for (let i = r.first; i < r.end; i++) n += HEADER + blocks[i]!.length
  return n
}

function fits(available: number, needed: number): boolean {
  const left = available - needed
  return left === 0 || left >= HEADER
}

/** The region to fill in place: the VORBIS_COMMENT plus the PADDING after it, or a PADDING run. */
function findRegion(blocks: readonly FlacBlock[], vcIndex: number, needed: number): Region | undefined {
  const runFrom = (first: number, start: number): Region => {
    let end = start
    while (end < blocks.length && blocks[end]!.type === BLOCK.padding) end++
    return { first, end }
  }
  if (vcIndex >= 0) {
    const r = runFrom(vcIndex, vcIndex + 1)
    return fits(regionBytes(blocks, r), needed) ? r : undefined
  }
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i]!.type !== BLOCK.padding || blocks[i - 1]!.type === BLOCK.padding) continue
    const r = runFrom(i, i)
    if (fits(regionBytes(blocks, r), needed)) return r
  }
  return undefined
}

/** Patches that turn the region into the new VORBIS_COMMENT plus, if room is left, a PADDING block. */
function inPlace(blocks: readonly FlacBlock[], r: Region, body: Uint8Array): EditPlan {
  const start = blocks[r.first]!.offset
  const available = regionBytes(blocks, r)
  const last = blocks[r.end - 1]!.last
  const left = available - HEADER - body.byteLength
  const head = new Uint8Array(HEADER + body.byteLength + (left > 0 ? HEADER : 0))
  head.set(blockHeader(BLOCK.vorbisComment, body.byteLength, last && left === 0))
  head.set(body, HEADER)
  if (left > 0) head.set(blockHeader(BLOCK.padding, left - HEADER, last), HEADER + body.byteLength)
  // The new PADDING body must be zeros where the old region held a VORBIS_COMMENT or block headers.
  let dirtyEnd = start
  for (let i = r.first; i < r.end; i++) {
    const b = blocks[i]!
    dirtyEnd = Math.max(dirtyEnd, b.offset + HEADER + (b.type === BLOCK.padding ? 0 : b.length))
  }
  const zeros = Math.max(0, dirtyEnd - (start + head.byteLength))
  const patches = [{ offset: start, bytes: head }]
  if (zeros > 0) patches.push({ offset: start + head.byteLength, bytes: new Uint8Array(zeros) })
  return { kind: 'in-place', patches }
}

/** Segments of a rewritten file: blocks except PADDING in order, the new VORBIS_COMMENT, fresh PADDING, audio. */
function rewrite(layout: FlacLayout, vcIndex: number, body: Uint8Array, size: number): EditPlan {
  const segments: EditSegment[] = [{ copyFrom: 0, length: layout.marker + 4 }]
  const kept = layout.blocks.filter((b) => b.type !== BLOCK.padding)
  const vcAt = vcIndex >= 0 ? kept.indexOf(layout.blocks[vcIndex]!) : kept.length
  kept.forEach((b, i) => {
    if (i === vcAt) return
    segments.push({ bytes: blockHeader(b.type, b.length, false) }, { copyFrom: b.offset + HEADER, length: b.length })
  })
  const vc = new Uint8Array(HEADER + body.byteLength)
  vc.set(blockHeader(BLOCK.vorbisComment, body.byteLength, false))
  vc.set(body, HEADER)
  // Keep the block order: the new block goes where the old one was (or after the last block).
  const before = 1 + 2 * vcAt
  segments.splice(before, 0, { bytes: vc })
  const padding = new Uint8Array(HEADER + FLAC_LIMITS.freshPaddingBytes)
  padding.set(blockHeader(BLOCK.padding, FLAC_LIMITS.freshPaddingBytes, true))
  segments.push({ bytes: padding }, { copyFrom: layout.audioStart, length: size - layout.audioStart })
  return { kind: 'rewrite', segments }
}

/**
 * Plans writing (or, with `null`, removing) the `NOAI` and `NOAI_TAG` fields.
 *
 * @throws MalformedAudioError for a damaged file or one with two VORBIS_COMMENT blocks.
 * @throws LimitExceededError when the new VORBIS_COMMENT block would exceed 16 MiB − 1 bytes.
 * @example
 * ```ts
 * const plan = await planFlacWrite(source, { readable: 'train-ai=n', document: jws })
 * ```
 */
export async function planFlacWrite(source: ByteSource, entries: TagEntries | null, options: ContainerOptions = {}): Promise<EditPlan> {
  const { signal } = options
  const layout = await readFlacLayout(source, signal)
  const { blocks } = layout
  const vcIndex = blocks.findIndex((b) => b.type === BLOCK.vorbisComment)
  if (blocks.filter((b) => b.type === BLOCK.vorbisComment).length > 1) {
    throw new MalformedAudioError('flac', 'more than one VORBIS_COMMENT block (RFC 9639 §8.6); refusing to write', blocks[vcIndex]!.offset)
  }
  let old: VorbisComment | undefined
  if (vcIndex >= 0) {
    const b = blocks[vcIndex]!
    old = parseVorbisComment(await readExact(source, b.offset + HEADER, b.length, 'flac', 'VORBIS_COMMENT block', signal), { format: 'flac', offset: b.offset + HEADER })
  }
  if (entries === null && old === undefined) return { kind: 'unchanged' }
  const next = withOurVorbisEntries(old ?? { vendor: NEW_VENDOR, fields: [], tail: new Uint8Array(0) }, entries)
  if (next === undefined) return { kind: 'unchanged' }
  const body = serializeVorbisComment(next)
  if (body.byteLength > FLAC_LIMITS.maxBlockBytes) throw new LimitExceededError('maxBlockBytes', FLAC_LIMITS.maxBlockBytes, body.byteLength, 'FLAC VORBIS_COMMENT block')
  const region = findRegion(blocks, vcIndex, HEADER + body.byteLength)
  return region ? inPlace(blocks, region, body) : rewrite(layout, vcIndex, body, source.size)
}
