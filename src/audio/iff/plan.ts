// Planning chunk edits in a RIFF or IFF file (docs/spec.md §10.8.6, §10.9.5). Internal.
//
// The container module says which chunks change (a new payload, or dropped) and which chunks are
// added; this module decides how:
// - in place, when every changed chunk sits in a run of consecutive chunks made only of changed
//   chunks, padding chunks (`JUNK`, `PAD `, `FLLR`) and our own chunks, and the new chunks of the
//   run fit its old bytes exactly: each keeps its old span where it can, room comes from elastic
//   chunks (ID3v2 padding, the NUL padding of our INFO value), and leftover room becomes one
//   padding chunk at the end of the run (8 bytes or more). Every chunk outside the runs, the audio
//   included, keeps its bytes and its offset; the file keeps its size;
// - else as a rewrite: every chunk copied in order (the audio as a copy range), changed chunks
//   replaced where they were, dropped chunks left out, added chunks inserted at `insertAt`, pad
//   bytes made right, and the container size (or the RF64 `ds64` size) rewritten.
import { readExact } from '../_read.js'
import type { ByteSource, EditPlan, EditSegment } from '../types.js'
import { concatBytes } from '../../_internal/bytes.js'
import { fillerHeader, PADDING_IDS, type IffChunk, type IffFormat } from './chunks.js'
import { IFF_LIMITS } from './limits.js'

/** A chunk that the writer builds: its bytes for any span it accepts. */
export interface Piece {
  /** Smallest span (header, payload and pad byte); even. */
  readonly minSpan: number
  /** Span it takes in place when the room allows (its old span, or room reserved for later edits); even, at least `minSpan`. */
  readonly preferredSpan: number
  /** Span to give it in a rewrite; even, at least `minSpan`. */
  readonly rewriteSpan: number
  /** 0: takes exactly `minSpan`. Otherwise any even span from `minSpan` up (the highest value absorbs leftover room first). */
  readonly elasticity: number
  /** The chunk differs from the one it replaces (always true for an added chunk). */
  readonly changed: boolean
  /** The chunk's bytes at `span` (an even span in its range). */
  build(span: number): Uint8Array
}

/** What happens to an existing chunk. */
export type ChunkEdit = Piece | 'drop'

/** A parsed chunk file, as the planner needs it. */
export interface ChunkFile {
  readonly format: IffFormat
  readonly littleEndian: boolean
  /** The top-level chunks the planner may move (for RF64, those after `ds64`). */
  readonly chunks: readonly IffChunk[]
  /** Offset of the first chunk in `chunks`. */
  readonly bodyStart: number
  /** End of the container's chunks; bytes after it (outside the container) are kept as they are. */
  readonly bodyEnd: number
  /** File size. */
  readonly size: number
  /** Four-character code of the padding chunks this format writes. */
  readonly fillerId: string
  /** Whether the padding chunk at this index may be taken by an in-place edit. */
  usable(index: number): boolean
  /**
   * The bytes before the first chunk (`bodyStart` of them) of a rewritten file whose container ends
   * at `containerEnd` (header, `ds64`, chunks).
   */
  header(containerEnd: number): Uint8Array
}

/** The changes to plan. */
export interface ChunkChanges {
  /** Existing chunks (by index in `ChunkFile.chunks`) that change or are dropped. */
  readonly edits: ReadonlyMap<number, ChunkEdit>
  /** New chunks, in order. */
  readonly added: readonly Piece[]
  /** Index of the chunk before which a rewrite inserts `added` (`chunks.length`: at the end). */
  readonly insertAt: number
}

interface Run {
  readonly first: number
  readonly end: number
  readonly start: number
  readonly span: number
  readonly pieces: readonly Piece[]
  readonly changed: boolean
}

const H = IFF_LIMITS.chunkHeaderBytes

/**
 * The spans of `pieces` laid out in `span` bytes, and the padding chunk left at the end (0 or at
 * least 8 bytes), or `undefined` when they do not fit. Each piece starts at its preferred span;
 * missing room is taken from elastic pieces down to their minimum (highest elasticity first); a
 * leftover too small for a padding chunk goes to the most elastic piece.
 */
function arrange(span: number, pieces: readonly Piece[]): { spans: number[]; filler: number } | undefined {
  const spans = pieces.map((p) => p.preferredSpan)
  let left = span - spans.reduce((n, x) => n + x, 0)
  const elastic = pieces.map((p, i) => [p.elasticity, i] as const).filter(([e]) => e > 0).sort((a, b) => b[0] - a[0]).map(([, i]) => i)
  for (const i of elastic) {
    if (left >= 0) break
    const take = Math.min(-left, spans[i]! - pieces[i]!.minSpan)
    spans[i]! -= take
    left += take
  }
  if (left < 0) return undefined
  if (left > 0 && left < H) {
    if (elastic.length === 0) return undefined
    spans[elastic[0]!]! += left
    left = 0
  }
  return { spans, filler: left }
}

function runsOf(file: ChunkFile, edits: ReadonlyMap<number, ChunkEdit>): Run[] | undefined {
  const runs: Run[] = []
  let cur: { first: number; pieces: Piece[]; changed: boolean } | undefined
  const close = (end: number): void => {
    if (!cur) return
    const a = file.chunks[cur.first]!
    const z = file.chunks[end - 1]!
    runs.push({ first: cur.first, end, start: a.offset, span: z.offset + z.span - a.offset, pieces: cur.pieces, changed: cur.changed })
    cur = undefined
  }
  for (let i = 0; i < file.chunks.length; i++) {
    const c = file.chunks[i]!
    const e = edits.get(i)
    const changed = e !== undefined && (e === 'drop' || e.changed)
    // A chunk without its pad byte ends the file: it can only be rewritten (which adds the pad byte).
    if (c.missingPad && changed) return undefined
    const movable = !c.missingPad && (e !== undefined || (PADDING_IDS.has(c.id) && file.usable(i)))
    if (!movable) {
      close(i)
      continue
    }
    cur ??= { first: i, pieces: [], changed: false }
    if (e !== undefined && e !== 'drop') cur.pieces.push(e)
    cur.changed ||= changed
  }
  close(file.chunks.length)
  return runs
}

/** The new bytes of a run, and the zero fill of the padding chunk where old metadata was. */
function layoutRun(file: ChunkFile, run: Run, pieces: readonly Piece[], edits: ReadonlyMap<number, ChunkEdit>): { offset: number; bytes: Uint8Array }[] {
  const { spans, filler: left } = arrange(run.span, pieces)!
  const parts = pieces.map((p, i) => p.build(spans[i]!))
  if (left > 0) parts.push(fillerHeader(file.fillerId, left, file.littleEndian))
  const bytes = concatBytes(parts)
  const patches = [{ offset: run.start, bytes }]
  if (left > 0) {
    // The padding chunk's payload must not keep old metadata (a removed entry must be gone), nor
    // the headers of the padding chunks it swallowed.
    const from = run.start + bytes.length
    const to = run.start + run.span
    for (let i = run.first; i < run.end; i++) {
      const c = file.chunks[i]!
      const a = Math.max(from, c.offset)
      const z = Math.min(to, c.offset + (edits.has(i) ? c.span : H))
      if (z > a) patches.push({ offset: a, bytes: new Uint8Array(z - a) })
    }
  }
  return patches
}

/** Keeps only the bytes of a patch that differ from the file (house rule: write only what changes). */
async function trim(source: ByteSource, p: { offset: number; bytes: Uint8Array }, format: IffFormat, signal: AbortSignal | undefined): Promise<{ offset: number; bytes: Uint8Array } | undefined> {
  const old = await readExact(source, p.offset, p.bytes.length, format, 'metadata to overwrite', signal)
  let a = 0
  while (a < old.length && old[a] === p.bytes[a]) a++
  if (a === old.length) return undefined
  let z = old.length - 1
  while (z > a && old[z] === p.bytes[z]) z--
  return { offset: p.offset + a, bytes: p.bytes.slice(a, z + 1) }
}

async function inPlace(source: ByteSource, file: ChunkFile, ch: ChunkChanges, signal: AbortSignal | undefined): Promise<EditPlan | undefined> {
  const runs = runsOf(file, ch.edits)
  if (!runs) return undefined
  if (runs.some((r) => r.changed && !arrange(r.span, r.pieces))) return undefined
  let host: Run | undefined
  if (ch.added.length > 0) {
    const can = (r: Run): boolean => arrange(r.span, [...r.pieces, ...ch.added]) !== undefined
    host = runs.find((r) => r.changed && can(r)) ?? runs.find(can)
    if (!host) return undefined
  }
  const patches: { offset: number; bytes: Uint8Array }[] = []
  for (const r of runs) {
    if (!r.changed && r !== host) continue
    for (const p of layoutRun(file, r, r === host ? [...r.pieces, ...ch.added] : r.pieces, ch.edits)) {
      const t = await trim(source, p, file.format, signal)
      if (t) patches.push(t)
    }
  }
  return patches.length > 0 ? { kind: 'in-place', patches } : { kind: 'unchanged' }
}

function rewrite(file: ChunkFile, ch: ChunkChanges): EditPlan {
  type Item = { readonly bytes: Uint8Array } | { readonly chunk: IffChunk }
  const items: Item[] = []
  const add = (): void => {
    for (const p of ch.added) items.push({ bytes: p.build(p.rewriteSpan) })
  }
  file.chunks.forEach((c, i) => {
    if (i === ch.insertAt) add()
    const e = ch.edits.get(i)
    if (e === 'drop') return
    items.push(e !== undefined && e.changed ? { bytes: e.build(e.rewriteSpan) } : { chunk: c })
  })
  if (ch.insertAt >= file.chunks.length) add()
  const segments: EditSegment[] = []
  const push = (s: EditSegment): void => {
    const last = segments[segments.length - 1]
    if (last && 'copyFrom' in last && 'copyFrom' in s && last.copyFrom + last.length === s.copyFrom) {
      segments[segments.length - 1] = { copyFrom: last.copyFrom, length: last.length + s.length }
    } else segments.push(s)
  }
  let end = file.bodyStart
  items.forEach((it, i) => {
    if ('bytes' in it) {
      push(it)
      end += it.bytes.length
      return
    }
    push({ copyFrom: it.chunk.offset, length: it.chunk.span })
    end += it.chunk.span
    // A chunk that lacked its pad byte gets one when something now follows it.
    if (it.chunk.missingPad && i < items.length - 1) {
      push({ bytes: new Uint8Array(1) })
      end += 1
    }
  })
  segments.unshift({ bytes: file.header(end) })
  if (file.size > file.bodyEnd) push({ copyFrom: file.bodyEnd, length: file.size - file.bodyEnd })
  return { kind: 'rewrite', segments }
}

/**
 * Plans the changes: in place when the runs of changed and padding chunks can hold them, else a
 * rewrite; `unchanged` when nothing differs.
 *
 * @example
 * ```ts
 * const plan = await planChunkEdits(source, file, { edits: new Map([[3, piece]]), added: [], insertAt: file.chunks.length })
 * ```
 */
export async function planChunkEdits(source: ByteSource, file: ChunkFile, ch: ChunkChanges, signal?: AbortSignal): Promise<EditPlan> {
  const changed = ch.added.length > 0 || [...ch.edits.values()].some((e) => e === 'drop' || e.changed)
  if (!changed) return { kind: 'unchanged' }
  return (await inPlace(source, file, ch, signal)) ?? rewrite(file, ch)
}
