// The `meta` box (ISO/IEC 14496-12 §8.11.1) is a FullBox in ISO and iTunes files but a plain box in
// QuickTime files (QuickTime File Format, "Metadata"): tell them apart by where `hdlr` starts
// (docs/spec.md §10.7.3). Internal.
import { ascii } from '../_read.js'
import { childrenOf, payloadOf, type Box } from './_box.js'
import type { BoxIO } from './_io.js'

/** A `meta` box and its children. */
export interface MetaBox {
  readonly box: Box
  /** Bytes between the header and the first child: 4 (FullBox version and flags) or 0 (QuickTime). */
  readonly prefix: 0 | 4
  /** `handler_type` of the `hdlr` that opens it, when it has one (`mdir` for iTunes metadata). */
  readonly handler: string | undefined
}

/** Bytes read from the start of a `meta` payload: up to the handler_type of a FullBox-form `hdlr`. */
const PROBE_BYTES = 24

/** Reads a `meta` box's form and handler from its first bytes (its children are not listed). */
export async function readMeta(io: BoxIO, box: Box): Promise<MetaBox> {
  const at = payloadOf(box)
  const probe = io.peek(at, Math.min(PROBE_BYTES, box.end - at)) ?? (await io.bytes(at, Math.min(PROBE_BYTES, box.end - at), 'meta box'))
  // QuickTime form: the payload starts with the `hdlr` box header itself.
  if (probe.byteLength >= 20 && ascii(probe, 4, 8) === 'hdlr') return { box, prefix: 0, handler: ascii(probe, 16, 20) }
  return { box, prefix: 4, handler: probe.byteLength >= 24 && ascii(probe, 8, 12) === 'hdlr' ? ascii(probe, 20, 24) : undefined }
}

/** The children of a `meta` box. */
export async function metaChildren(io: BoxIO, meta: MetaBox): Promise<Box[]> {
  return childrenOf(io, meta.box, { skip: meta.prefix })
}

/** `handler_type` of a `hdlr` box (after version/flags and pre_defined), or undefined when too short. */
export async function handlerType(io: BoxIO, hdlr: Box): Promise<string | undefined> {
  const at = payloadOf(hdlr) + 8
  if (at + 4 > hdlr.end) return undefined
  return ascii(io.peek(at, 4) ?? (await io.bytes(at, 4, 'hdlr box')))
}
