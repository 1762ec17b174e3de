/**
 * Our two entries in an ID3v2 tag (docs/spec.md §9.6, §10.4): `TXXX` frames whose description is
 * `NOAI` (the readable line) and `NOAI_TAG` (the document), matched ASCII case-insensitively
 * (TagLib upper-cases descriptions).
 *
 * @module
 */
import { AUDIO_KEYS } from '../../constants.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { Id3v2Frame } from './frames.js'
import type { Id3v2Tag } from './tag.js'
import { decodeTxxx, txxxDescription } from './txxx.js'

/** Which of our entries a frame holds. */
export type OurEntryKind = 'readable' | 'document'

const upperAscii = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase())

/**
 * Tells whether a frame is one of ours, by its description.
 *
 * @example
 * ```ts
 * ourEntryKind(frame) // 'readable' for TXXX "noai", undefined for TXXX "comment"
 * ```
 */
export function ourEntryKind(frame: Id3v2Frame): OurEntryKind | undefined {
  const d = txxxDescription(frame)
  if (d === undefined) return undefined
  const u = upperAscii(d)
  if (u === AUDIO_KEYS.id3.readable) return 'readable'
  if (u === AUDIO_KEYS.id3.document) return 'document'
  return undefined
}

/** Our entries found in one or more tags. */
export interface Id3v2OurEntries {
  /** The first readable line found. */
  readonly readable: string | undefined
  /** The first document found. */
  readonly document: string | undefined
  /** Further documents (a file should hold one; docs/spec.md §8.3). */
  readonly moreDocuments: readonly string[]
  readonly warnings: readonly string[]
}

/**
 * Reads our entries from tags in file order: the first of each kind wins; further documents are
 * listed in `moreDocuments`.
 *
 * @example
 * ```ts
 * findOurEntries([parseId3v2(bytes)]).document // the NOAI_TAG value, or undefined
 * ```
 */
export function findOurEntries(tags: readonly Id3v2Tag[]): Id3v2OurEntries {
  let readable: string | undefined
  let document: string | undefined
  const more: string[] = []
  const warnings: string[] = []
  for (const tag of tags) {
    for (const f of tag.frames) {
      if ((f.id === 'TXXX' || f.id === 'TXX') && f.opaque) {
        warnings.push(`ID3v2: a compressed or encrypted ${f.id} frame was not read (it is ignored even if it holds a NoAI entry)`)
        continue
      }
      const kind = ourEntryKind(f)
      if (!kind) continue
      const v = decodeTxxx(f)
      if (v === undefined || v.value.length > AUDIO_LIMITS.maxEntryBytes) {
        warnings.push(`ID3v2: TXXX ${kind === 'readable' ? AUDIO_KEYS.id3.readable : AUDIO_KEYS.id3.document} is not decodable or larger than maxEntryBytes (${AUDIO_LIMITS.maxEntryBytes}); ignored`)
        continue
      }
      if (v.extraValues > 0) warnings.push(`ID3v2: TXXX ${v.description} holds ${v.extraValues + 1} values; the first is read`)
      if (kind === 'readable') {
        if (readable === undefined) readable = v.value
        else warnings.push(`ID3v2: more than one TXXX ${AUDIO_KEYS.id3.readable}; the first is read`)
      } else if (document === undefined) document = v.value
      else more.push(v.value)
    }
  }
  if (more.length > 0) warnings.push(`ID3v2: ${more.length + 1} TXXX ${AUDIO_KEYS.id3.document} entries; a file should hold one (docs/spec.md §8.3)`)
  return { readable, document, moreDocuments: more, warnings }
}
