// Builds the new moov/udta/meta/ilst with our items in place (docs/spec.md §10.7.6):
// other ilst items stay byte for byte and in order; ours replace the first old item of ours or go
// last; missing udta, meta (FullBox, `hdlr` "mdir"/"appl") and ilst are created. Internal.
import { box, freeBox } from './_bytes.js'
import type { Box } from './_box.js'
import type { IlstItem } from './_ilst.js'
import type { FileLayout, MetaChain } from './_layout.js'
import { created, open, replace, type Child, type Node } from './_tree.js'

/** The opened boxes of the chain. */
export interface ChainEdit {
  readonly moov: Node
  readonly udta: Node
  readonly meta: Node
  readonly ilst: Node
}

/** The iTunes metadata handler (mutagen and iTunes write exactly these 33 bytes). */
export function itunesHdlr(): Uint8Array {
  const zero4 = new Uint8Array(4)
  const ascii = (s: string) => new TextEncoder().encode(s)
  return box('hdlr', zero4, zero4, ascii('mdir'), ascii('appl'), new Uint8Array(8), new Uint8Array(1))
}

/** Opens moov/udta/meta/ilst (creating what is missing) with `ours` (null: none) in ilst. */
export function buildEdit(layout: FileLayout, chain: MetaChain, items: readonly IlstItem[], ours: Uint8Array | null): ChainEdit {
  const moov = open(layout.moov, layout.moovChildren)
  const udta = chain.udta ? open(chain.udta, chain.udtaChildren) : created('udta', [])
  if (chain.udta) replace(moov, chain.udta, { node: udta, box: chain.udta })
  else moov.children.push({ node: udta })
  const meta = chain.meta ? open(chain.meta.box, chain.metaChildren, chain.meta.prefix) : created('meta', [{ bytes: itunesHdlr() }], new Uint8Array(4))
  if (chain.meta) replace(udta, chain.meta.box, { node: meta, box: chain.meta.box })
  else udta.children.push({ node: meta })
  const ilst: Node = chain.ilst ? { ...open(chain.ilst, []), children: ilstChildren(items, ours) } : created('ilst', ours ? [{ bytes: ours }] : [])
  if (chain.ilst) replace(meta, chain.ilst, { node: ilst, box: chain.ilst })
  else meta.children.splice(afterHdlr(meta), 0, { node: ilst })
  return { moov, udta, meta, ilst }
}

function ilstChildren(items: readonly IlstItem[], ours: Uint8Array | null): Child[] {
  const out: Child[] = []
  let placed = ours === null
  for (const item of items) {
    if (item.key === undefined) out.push({ box: item.box })
    else if (!placed) {
      out.push({ bytes: ours!, box: item.box })
      placed = true
    }
  }
  if (!placed) out.push({ bytes: ours! })
  return out
}

function afterHdlr(meta: Node): number {
  const i = meta.children.findIndex((c) => c.box?.type === 'hdlr' || ('bytes' in c && !c.box))
  return i < 0 ? 0 : i + 1
}

/** Whether an old box is padding (`free` or `skip`, ISO/IEC 14496-12 §8.1.2). */
export function isFree(b: Box | undefined): boolean {
  return b !== undefined && (b.type === 'free' || b.type === 'skip')
}

/**
 * Puts a `free` box of `size` bytes directly after ilst in meta, replacing a `free`/`skip` box
 * that is already there (used when the file is rewritten anyway, so that later edits fit in place).
 */
export function padAfterIlst(edit: ChainEdit, size: number): void {
  const i = edit.meta.children.findIndex((c) => 'node' in c && c.node === edit.ilst)
  const next = edit.meta.children[i + 1]
  if (next && isFree(next.box)) edit.meta.children[i + 1] = { bytes: freeBox(size), box: next.box! }
  else edit.meta.children.splice(i + 1, 0, { bytes: freeBox(size) })
}
