/**
 * Reads our entries from a FLAC file (docs/spec.md §10.5): the VORBIS_COMMENT block's `NOAI` and
 * `NOAI_TAG` fields. Reads the block headers and the VORBIS_COMMENT body only.
 *
 * Ref: RFC 9639 §8 ; docs/spec.md §10.5.
 *
 * @module
 */
import { peekExact, readExact } from '../_read.js'
import { isNoaiTagError } from '../../errors.js'
import { foreignOfFrames, parseId3v2 } from '../id3v2/index.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, ContainerTags, ForeignMetadata } from '../types.js'
import { parseVorbisComment, readOurVorbisEntries } from '../vorbis-comment/index.js'
import { BLOCK, readFlacLayout } from './_layout.js'
import type { FlacLayout } from './_layout.js'

/**
 * XMP (`PRIV` owner `XMP`) and C2PA (`GEOB` `application/c2pa`) in the ID3v2 tags before `fLaC`,
 * where C2PA 2.2 §A.1/§A.3.4 and c2pa-rs put them. A prefix that cannot be parsed, or is larger than
 * AUDIO_LIMITS.maxMetadataBytes, is reported as a warning: it is kept byte for byte either way.
 */
async function prefixForeign(source: ByteSource, layout: FlacLayout, warnings: string[], signal: AbortSignal | undefined): Promise<ForeignMetadata[]> {
  const foreign: ForeignMetadata[] = []
  for (const p of layout.prefixes) {
    warnings.push(`ID3v2 prefix at offset ${p.offset} (${p.length} bytes) before fLaC: kept byte for byte`)
    if (p.length > AUDIO_LIMITS.maxMetadataBytes) {
      warnings.push(`ID3v2 prefix at offset ${p.offset} is larger than maxMetadataBytes: its frames were not read`)
      continue
    }
    try {
      const tag = parseId3v2(peekExact(source, p.offset, p.length, signal) ?? (await readExact(source, p.offset, p.length, 'flac', 'ID3v2 prefix', signal)), { offset: p.offset, format: 'flac' })
      warnings.push(...tag.warnings)
      foreign.push(...foreignOfFrames(tag.frames, p.offset, 'ID3v2 prefix'))
    } catch (e) {
      if (!isNoaiTagError(e) || e.code !== 'ERR_NOAI_MALFORMED_INPUT') throw e
      warnings.push(`ID3v2 prefix at offset ${p.offset} could not be parsed (${e.message}): kept byte for byte`)
    }
  }
  return foreign
}

/**
 * Reads the NoAI entries of a FLAC file. A second VORBIS_COMMENT block (forbidden by RFC 9639
 * §8.6) is reported as a warning and ignored. An ID3v2 prefix is reported as a warning with its
 * range, and the XMP and C2PA frames in it as foreign metadata.
 *
 * @throws MalformedAudioError for a damaged file.
 * @example
 * ```ts
 * const tags = await readFlac(fromBytes(bytes))
 * tags.readable // 'train-ai=n, search=y'
 * ```
 */
export async function readFlac(source: ByteSource, options: ContainerOptions = {}): Promise<ContainerTags> {
  const { signal } = options
  // The first VORBIS_COMMENT body comes with the layout (one read with the block header after it).
  const layout = await readFlacLayout(source, signal, { bodies: [BLOCK.vorbisComment] })
  const warnings: string[] = []
  const foreign = await prefixForeign(source, layout, warnings, signal)
  const comments = layout.blocks.filter((b) => b.type === BLOCK.vorbisComment)
  if (comments.length > 1) warnings.push(`${comments.length} VORBIS_COMMENT blocks (RFC 9639 allows one); only the first is read`)
  let found: { readable?: string; document?: string } = {}
  const block = comments[0]
  if (block) {
    const body = block.body ?? peekExact(source, block.offset + 4, block.length, signal) ?? (await readExact(source, block.offset + 4, block.length, 'flac', 'VORBIS_COMMENT block', signal))
    const vc = parseVorbisComment(body, { format: 'flac', offset: block.offset + 4 })
    if (vc.tail.byteLength > 0) warnings.push(`VORBIS_COMMENT block has ${vc.tail.byteLength} bytes after its last field (kept)`)
    const ours = readOurVorbisEntries(vc)
    warnings.push(...ours.warnings)
    found = ours
  }
  return {
    format: 'flac',
    codec: 'flac',
    ...(found.readable === undefined ? {} : { readable: found.readable }),
    ...(found.document === undefined ? {} : { document: found.document }),
    foreign,
    warnings,
    essenceOffset: layout.audioStart,
  }
}
