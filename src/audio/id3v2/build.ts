/**
 * Writing ID3v2 tags (docs/spec.md §10.4): our frames replace our old ones (or are appended);
 * every other frame keeps its stored bytes and its place; the tag keeps its version. An extended
 * header is dropped (its CRC and padding size would be stale); a v2.4 footer is dropped (a tag with
 * a footer may not have padding, ID3v2.4 structure §3.4); a v2.3 whole-tag unsynchronisation is
 * kept by re-applying it (our ASCII frames are unchanged by it, and other frames get back their
 * stored bytes).
 *
 * @module
 */
import { AUDIO_KEYS } from '../../constants.js'
import { InvalidArgumentError } from '../../errors.js'
import type { TagEntries } from '../types.js'
import { ourEntryKind } from './entries.js'
import { ID3V2_FLAGS } from './header.js'
import { ID3V2_LIMITS } from './limits.js'
import { applyUnsync, writeSyncsafe } from './syncsafe.js'
import type { Id3v2Tag } from './tag.js'
import { buildTxxx } from './txxx.js'
import { concatBytes } from '../../_internal/bytes.js'

/** Version and flags of a tag being written. */
export interface Id3v2Layout {
  readonly major: 3 | 4
  readonly revision: number
  readonly flags: number
  readonly sizeMode: 'syncsafe' | 'plain'
}

const concat = concatBytes

/** Our two frames for a tag of this layout. */
export function ourFrames(layout: Id3v2Layout, entries: TagEntries): Uint8Array[] {
  return [
    buildTxxx(layout.major, AUDIO_KEYS.id3.readable, entries.readable, layout.sizeMode),
    buildTxxx(layout.major, AUDIO_KEYS.id3.document, entries.document, layout.sizeMode),
  ]
}

/** The frames of `tag` with ours replaced by `entries` (or removed with `null`), and whether anything changed. */
export function replaceOurFrames(tag: Id3v2Tag, layout: Id3v2Layout, entries: TagEntries | null): { frames: Uint8Array[]; changed: boolean } {
  const mine = entries ? ourFrames(layout, entries) : []
  const frames: Uint8Array[] = []
  let placed = false
  for (const f of tag.frames) {
    if (!ourEntryKind(f)) frames.push(f.raw)
    else if (!placed) {
      frames.push(...mine)
      placed = true
    }
  }
  if (!placed) frames.push(...mine)
  const old = tag.frames
  const changed = frames.length !== old.length || frames.some((b, i) => !equalBytes(b, old[i]!.raw))
  return { frames, changed }
}

/** Byte equality. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The layout to write an existing v2.3/v2.4 tag with. */
export function layoutOf(tag: Id3v2Tag): Id3v2Layout {
  if (tag.major !== 3 && tag.major !== 4) throw new InvalidArgumentError(`ID3v2.${tag.major} tags are read only`)
  // Kept: unsynchronisation (see the module note) and the experimental bit; dropped: extended header, footer, v2.4's undefined low bits.
  const keep = ID3V2_FLAGS.unsync | ID3V2_FLAGS.experimental
  return { major: tag.major, revision: tag.revision, flags: tag.flags & keep, sizeMode: tag.sizeMode }
}

/** The layout of a new tag: ID3v2.4.0, no flags. */
export const NEW_TAG_LAYOUT: Id3v2Layout = { major: 4, revision: 0, flags: 0, sizeMode: 'syncsafe' }

/** The frame area (frames as stored, whole-tag unsynchronisation re-applied for v2.3). */
export function frameArea(layout: Id3v2Layout, frames: readonly Uint8Array[]): Uint8Array {
  const area = concat(frames)
  return layout.major === 3 && layout.flags & ID3V2_FLAGS.unsync ? applyUnsync(area, true) : area
}

/**
 * Assembles a tag: header, frame area, `padding` zero bytes.
 *
 * @throws InvalidArgumentError when the tag would exceed the 28-bit size field.
 */
export function assembleTag(layout: Id3v2Layout, area: Uint8Array, padding: number): Uint8Array {
  const size = area.length + padding
  if (size > ID3V2_LIMITS.maxSyncsafe28) throw new InvalidArgumentError(`ID3v2 tag size ${size} exceeds the syncsafe maximum ${ID3V2_LIMITS.maxSyncsafe28}`)
  const out = new Uint8Array(ID3V2_LIMITS.headerBytes + size)
  out.set([0x49, 0x44, 0x33, layout.major, layout.revision, layout.flags], 0)
  writeSyncsafe(out, 6, size)
  out.set(area, ID3V2_LIMITS.headerBytes)
  return out
}

/** Result of {@link rewriteId3v2}. */
export interface Id3v2Rewrite {
  /** The new tag bytes. */
  readonly bytes: Uint8Array
  /** The new tag has exactly the old tag's length (it can be written over it). */
  readonly inPlace: boolean
  /** Frames in the new tag (0: the tag holds only padding, e.g. after removing ours). */
  readonly frameCount: number
}

/**
 * Rewrites an existing v2.3/v2.4 tag with our entries replaced (or removed with `null`). The new
 * tag keeps the old length when its frames fit (padding absorbs the difference); otherwise it gets
 * `paddingFor(frameAreaBytes)` bytes of padding. Returns `undefined` when nothing changes.
 *
 * @example
 * ```ts
 * const r = rewriteId3v2(tag, { readable: 'train-ai=n', document: jws }, { paddingFor: () => 1024 })
 * r?.inPlace // true when the old padding absorbed our frames
 * ```
 */
export function rewriteId3v2(tag: Id3v2Tag, entries: TagEntries | null, options: { readonly paddingFor: (frameAreaBytes: number) => number }): Id3v2Rewrite | undefined {
  const layout = layoutOf(tag)
  const { frames, changed } = replaceOurFrames(tag, layout, entries)
  if (!changed) return undefined
  const area = frameArea(layout, frames)
  const room = tag.totalBytes - ID3V2_LIMITS.headerBytes - area.length
  const inPlace = room >= 0
  return { bytes: assembleTag(layout, area, inPlace ? room : options.paddingFor(area.length)), inPlace, frameCount: frames.length }
}

/**
 * A new ID3v2.4 tag holding only our entries and `padding` bytes of padding.
 *
 * @example
 * ```ts
 * const bytes = newId3v2Tag({ readable: 'train-ai=n', document: '{"version":1,...}' }, 1024)
 * ```
 */
export function newId3v2Tag(entries: TagEntries, padding: number): Uint8Array {
  return assembleTag(NEW_TAG_LAYOUT, frameArea(NEW_TAG_LAYOUT, ourFrames(NEW_TAG_LAYOUT, entries)), padding)
}

/**
 * Serialises an existing v2.3/v2.4 tag, with our entries replaced (or removed with `null`), in its
 * own version, with exactly `padding` bytes of padding (for containers that size the tag
 * themselves, such as a WAV `id3 ` chunk).
 *
 * @example
 * ```ts
 * const bytes = serializeId3v2(parseId3v2(chunk), entries, 512)
 * ```
 */
export function serializeId3v2(tag: Id3v2Tag, entries: TagEntries | null, padding: number): Uint8Array {
  const layout = layoutOf(tag)
  return assembleTag(layout, frameArea(layout, replaceOurFrames(tag, layout, entries).frames), padding)
}
