// An edit of the box tree: boxes on the path to a change are "opened" (their header is written
// anew with the new size), everything else is a copy range of the old file. Serialising gives the
// segments of an EditPlan. Internal.
import type { EditSegment } from '../types.js'
import { boxHeader, headerLength } from './_bytes.js'
import { payloadOf, type Box } from './_box.js'

/** A child of an opened box: an old box copied as is, an opened box, or new bytes in place of an old box. */
export type Child = { readonly box: Box } | { readonly node: Node; readonly box?: Box } | { readonly bytes: Uint8Array; readonly box?: Box }

/** An opened box: its type, how its size is written, payload bytes before the children, and the children. */
export interface Node {
  readonly type: string
  readonly kind: Box['sizeKind']
  readonly prefix: readonly EditSegment[]
  children: Child[]
}

/** Opens an old box whose payload starts with `prefix` bytes and then holds `children`. */
export function open(box: Box, children: readonly Box[], prefix = 0): Node {
  const at = payloadOf(box)
  return { type: box.type, kind: box.sizeKind, prefix: prefix > 0 ? [{ copyFrom: at, length: prefix }] : [], children: children.map((b) => ({ box: b })) }
}

/** A new box. */
export function created(type: string, children: Child[], prefix: Uint8Array = new Uint8Array(0)): Node {
  return { type, kind: 'u32', prefix: prefix.byteLength > 0 ? [{ bytes: prefix }] : [], children }
}

function segmentLength(s: EditSegment): number {
  return 'bytes' in s ? s.bytes.byteLength : s.length
}

/** Size of a child once serialised. */
export function childSize(c: Child): number {
  if ('node' in c) return nodeSize(c.node)
  if ('bytes' in c) return c.bytes.byteLength
  return c.box.end - c.box.start
}

function payloadSize(n: Node): number {
  let total = 0
  for (const s of n.prefix) total += segmentLength(s)
  for (const c of n.children) total += childSize(c)
  return total
}

/** Size of an opened box once serialised (header included). */
export function nodeSize(n: Node): number {
  const payload = payloadSize(n)
  return payload + headerLength(payload, n.kind)
}

/** The segments of an opened box, adjacent copy ranges merged. */
export function serialize(n: Node, out: EditSegment[] = []): EditSegment[] {
  push(out, { bytes: boxHeader(n.type, payloadSize(n), n.kind) })
  for (const s of n.prefix) push(out, s)
  for (const c of n.children) {
    if ('node' in c) serialize(c.node, out)
    else if ('bytes' in c) push(out, { bytes: c.bytes })
    else push(out, { copyFrom: c.box.start, length: c.box.end - c.box.start })
  }
  return out
}

/** Appends a segment, merging it with the previous one when both copy adjacent ranges. */
export function push(out: EditSegment[], s: EditSegment): void {
  const last = out[out.length - 1]
  if (last && 'copyFrom' in last && 'copyFrom' in s && last.copyFrom + last.length === s.copyFrom) {
    out[out.length - 1] = { copyFrom: last.copyFrom, length: last.length + s.length }
  } else if (segmentLength(s) > 0) {
    out.push(s)
  }
}

/** Index of the child that was the old box `box` (boxes are the same when they start at the same offset). */
export function indexOf(n: Node, box: Box): number {
  return n.children.findIndex((c) => c.box?.start === box.start)
}

/** Replaces the child that was `box` (which must be a child of `n`). */
export function replace(n: Node, box: Box, child: Child): void {
  const i = indexOf(n, box)
  if (i < 0) throw new Error(`internal: ${box.type} at ${box.start} is not a child of ${n.type}`)
  n.children[i] = child
}
