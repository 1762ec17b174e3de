// In-place edits (docs/spec.md §10.7.6): when a `free`/`skip` box inside moov/udta/meta,
// or a top-level one right before or after `moov`, absorbs the change of size, only metadata bytes
// are rewritten, the file size stays the same and no sample moves. Internal.
import { readExact } from '../_read.js'
import type { EditPlan, EditSegment } from '../types.js'
import { freeBox } from './_bytes.js'
import { isFree, type ChainEdit } from './_edit.js'
import type { BoxIO } from './_io.js'
import type { FileLayout } from './_layout.js'
import { MP4_LIMITS } from './limits.js'
import { nodeSize, serialize, type Child, type Node } from './_tree.js'

type Patch = { readonly offset: number; readonly bytes: Uint8Array }

/** An in-place plan when the edit fits, else undefined. May adjust one free box in `edit`. */
export async function planInPlace(io: BoxIO, layout: FileLayout, edit: ChainEdit): Promise<EditPlan | undefined> {
  const moov = layout.moov
  const delta = nodeSize(edit.moov) - (moov.end - moov.start)
  if (delta === 0) return patches(io, moov.start, serialize(edit.moov))
  for (const [node, children] of candidates(edit, delta)) {
    const saved = node.children
    node.children = children
    if (nodeSize(edit.moov) === moov.end - moov.start) {
      const plan = await patches(io, moov.start, serialize(edit.moov))
      if (plan) return plan
    }
    node.children = saved
  }
  return topLevel(io, layout, edit, delta)
}

/** Free boxes of meta, udta and moov that can absorb `delta` (nearest to the change first), as new child lists. */
function* candidates(edit: ChainEdit, delta: number): Generator<[Node, Child[]]> {
  const chain: [Node, Node][] = [
    [edit.meta, edit.ilst],
    [edit.udta, edit.meta],
    [edit.moov, edit.udta],
  ]
  for (const [node, inner] of chain) {
    const at = node.children.findIndex((c) => 'node' in c && c.node === inner)
    const order = node.children.map((_, i) => i).sort((a, b) => Math.abs(a - at) - Math.abs(b - at) || b - a)
    for (const i of order) {
      const c = node.children[i]!
      if ('node' in c || 'bytes' in c || !isFree(c.box)) continue
      const size = c.box.end - c.box.start - delta
      if (size === 0) yield [node, node.children.filter((_, j) => j !== i)]
      else if (size >= 8) yield [node, node.children.map((x, j) => (j === i ? { bytes: freeBox(size), box: c.box } : x))]
    }
    // A shrinking ilst leaves a new free box behind it rather than moving anything.
    if (node === edit.meta && delta <= -8) yield [node, [...node.children.slice(0, at + 1), { bytes: freeBox(-delta) }, ...node.children.slice(at + 1)]]
  }
}

/** A top-level free box right after or right before moov that absorbs `delta`. */
async function topLevel(io: BoxIO, layout: FileLayout, edit: ChainEdit, delta: number): Promise<EditPlan | undefined> {
  const i = layout.top.indexOf(layout.moov)
  for (const free of [layout.top[i + 1], layout.top[i - 1]]) {
    if (!free || !isFree(free)) continue
    const size = free.end - free.start - delta
    if (size !== 0 && size < 8) continue
    const pad: EditSegment[] = size === 0 ? [] : [{ bytes: freeBox(size) }]
    const after = free.start > layout.moov.start
    const start = after ? layout.moov.start : free.start
    const plan = await patches(io, start, after ? [...serialize(edit.moov), ...pad] : [...pad, ...serialize(edit.moov)])
    if (plan) return plan
  }
  return undefined
}

/** Patches that turn the old bytes at `start` into `segments`, or undefined when too many bytes would move. */
async function patches(io: BoxIO, start: number, segments: readonly EditSegment[]): Promise<EditPlan | undefined> {
  let moved = 0
  let pos = start
  for (const s of segments) {
    if ('copyFrom' in s && s.copyFrom !== pos) moved += s.length
    pos += 'bytes' in s ? s.bytes.byteLength : s.length
  }
  if (moved > MP4_LIMITS.maxInPlaceMoveBytes) return undefined
  const out: Patch[] = []
  pos = start
  for (const s of segments) {
    if ('bytes' in s) out.push({ offset: pos, bytes: s.bytes })
    else if (s.copyFrom !== pos) out.push({ offset: pos, bytes: (await readExact(io.source, s.copyFrom, s.length, 'mp4', 'moved metadata', io.signal)).slice() })
    pos += 'bytes' in s ? s.bytes.byteLength : s.length
  }
  return { kind: 'in-place', patches: merge(out) }
}

function merge(list: readonly Patch[]): Patch[] {
  const out: Patch[] = []
  for (const p of list) {
    const last = out[out.length - 1]
    if (last && last.offset + last.bytes.byteLength === p.offset) {
      const joined = new Uint8Array(last.bytes.byteLength + p.bytes.byteLength)
      joined.set(last.bytes)
      joined.set(p.bytes, last.bytes.byteLength)
      out[out.length - 1] = { offset: last.offset, bytes: joined }
    } else out.push(p)
  }
  return out
}
