// Reading our entries and foreign metadata from an MP3 file (docs/spec.md §10.4). Internal.
import { findOurEntries, foreignOfFrames, type Id3v2Tag } from '../id3v2/index.js'
import type { ByteSource, ContainerOptions, ContainerTags } from '../types.js'
import { mp3Layout } from './layout.js'

/** Reads the leading ID3v2 tags (all of them: ours may be in any) and the file's layout. */
export async function readMp3(source: ByteSource, options: ContainerOptions = {}): Promise<ContainerTags> {
  const layout = await mp3Layout(source, { parse: true, signal: options.signal })
  const tags: Id3v2Tag[] = layout.tags.flatMap((t) => (t.tag ? [t.tag] : []))
  const ours = findOurEntries(tags)
  const foreign = tags.flatMap((t) => foreignOfFrames(t.frames, t.offset))
  const warnings = [...layout.warnings, ...ours.warnings]
  return {
    format: 'mp3',
    ...(layout.codec === undefined ? {} : { codec: layout.codec }),
    ...(ours.readable === undefined ? {} : { readable: ours.readable }),
    ...(ours.document === undefined ? {} : { document: ours.document }),
    ...(ours.moreDocuments.length > 0 ? { moreDocuments: ours.moreDocuments } : {}),
    foreign,
    warnings,
    essenceOffset: layout.essenceStart,
  }
}
