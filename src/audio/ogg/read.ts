/**
 * Reads our entries from an Ogg Vorbis or Ogg Opus file (docs/spec.md §10.6): the `NOAI` and
 * `NOAI_TAG` fields of the first audio stream's comment header. Reads the pages from the start of
 * the file to the end of that stream's header packets, skipping other streams' page bodies.
 *
 * Ref: RFC 3533 ; Vorbis I §5, §A.2 ; RFC 7845 §3, §5.2 ; docs/spec.md §10.6.
 *
 * @module
 */
import type { ByteSource, ContainerOptions, ContainerTags } from '../types.js'
import { readOurVorbisEntries } from '../vorbis-comment/index.js'
import { checkSetupPacket, parseCommentPacket } from './_codec.js'
import { readOggHeaders } from './_headers.js'

/**
 * Reads the NoAI entries of an Ogg Vorbis or Opus file. Other logical streams are reported: a
 * C2PA stream (`\0c2pa`) as foreign metadata, anything else as a warning. Streams chained after
 * the first one's end are not visited (that would mean reading the whole file).
 *
 * @throws MalformedAudioError for a damaged header page (bad CRC, missing page, truncation).
 * @throws UnsupportedFormatError when the file has no Vorbis or Opus stream.
 * @example
 * ```ts
 * const tags = await readOgg(fromBytes(bytes))
 * tags.codec // 'opus'
 * ```
 */
export async function readOgg(source: ByteSource, options: ContainerOptions = {}): Promise<ContainerTags> {
  const headers = await readOggHeaders(source, options.signal)
  const vc = parseCommentPacket(headers.codec, headers.packets[0]!, headers.commentOffset)
  if (headers.codec === 'vorbis') checkSetupPacket(headers.packets[1]!, headers.commentOffset)
  const ours = readOurVorbisEntries(vc)
  const warnings = [...headers.warnings, ...ours.warnings]
  if (!headers.freshAudioPage) warnings.push('audio data shares the last header page (Vorbis I §A.2, RFC 7845 §3 require a new page); writing is refused')
  return {
    format: 'ogg',
    codec: headers.codec,
    ...(ours.readable === undefined ? {} : { readable: ours.readable }),
    ...(ours.document === undefined ? {} : { document: ours.document }),
    foreign: headers.foreign,
    warnings,
    essenceOffset: headers.afterHeaders,
  }
}
