// Planning a write or removal of our entries in an MP3 file (docs/spec.md §10.3, §10.4):
// - our frames go into the first leading tag (v2.3 or v2.4, its version kept) and are removed from
//   any later leading tag;
// - in place when every changed tag keeps its length (its padding absorbs the change): only the
//   bytes that differ inside the tag are patched;
// - else a rewrite: new tag bytes, and every other byte (other tags, audio, trailing tags) copied;
// - a file without a usable first tag (none, or ID3v2.2/unknown version) gets a new ID3v2.4 tag
//   in front (a rewrite).
// Internal.
import { equalBytes, newId3v2Tag, rewriteId3v2, type Id3v2Rewrite } from '../id3v2/index.js'
import type { ByteSource, ContainerOptions, EditPlan, EditSegment, TagEntries } from '../types.js'
import { mp3Layout, type LeadingTag } from './layout.js'
import { MP3_LIMITS } from './limits.js'

/** Padding of a rewritten or new tag: mutagen's low mark, 1 KiB + 0.1 % of what follows, capped. */
export function paddingFor(followingBytes: number): number {
  return Math.min(MP3_LIMITS.maxPaddingBytes, MP3_LIMITS.basePaddingBytes + Math.floor(followingBytes / 1000))
}

const editable = (t: LeadingTag): boolean => t.tag !== undefined && t.tag.readable && (t.major === 3 || t.major === 4)

function patchOf(t: LeadingTag, r: Id3v2Rewrite): { offset: number; bytes: Uint8Array } | undefined {
  // Only the bytes that differ: the rest of the tag (and the audio) is not written at all.
  const old = t.bytes!
  let a = 0
  while (a < old.length && old[a] === r.bytes[a]) a++
  if (a === old.length) return undefined
  let z = old.length - 1
  while (z > a && old[z] === r.bytes[z]) z--
  return { offset: t.offset + a, bytes: r.bytes.slice(a, z + 1) }
}

/** Plans writing `entries` (or removing ours with `null`) into an MP3 file. */
export async function planMp3(source: ByteSource, entries: TagEntries | null, options: ContainerOptions = {}): Promise<EditPlan> {
  // The whole layout, trailing tags included: a damaged file is refused before anything is planned.
  const { tags, audioStart } = await mp3Layout(source, { parse: true, signal: options.signal })
  const pad = (): number => paddingFor(source.size - audioStart)
  const prepend = entries !== null && (tags.length === 0 || !editable(tags[0]!))
  const rewrites = tags.map((t, i) =>
    editable(t) ? rewriteId3v2(t.tag!, i === 0 && !prepend ? entries : null, { paddingFor: pad }) : undefined,
  )
  if (!prepend && rewrites.every((r) => r === undefined)) return { kind: 'unchanged' }
  if (!prepend && rewrites.every((r) => r === undefined || r.inPlace)) {
    const patches = rewrites.flatMap((r, i) => (r ? (patchOf(tags[i]!, r) ?? []) : []))
    return patches.length ? { kind: 'in-place', patches } : { kind: 'unchanged' }
  }
  const segments: EditSegment[] = []
  if (prepend) segments.push({ bytes: newId3v2Tag(entries, pad()) })
  tags.forEach((t, i) => {
    const r = rewrites[i]
    segments.push(r && !equalBytes(r.bytes, t.bytes!) ? { bytes: r.bytes } : { copyFrom: t.offset, length: t.totalBytes })
  })
  if (source.size > audioStart) segments.push({ copyFrom: audioStart, length: source.size - audioStart })
  return { kind: 'rewrite', segments }
}
