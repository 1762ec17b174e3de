/**
 * Reading our entries and foreign metadata from a WAV file (docs/spec.md §10.8.3, §10.8.5): the
 * TXXX frames of the `id3 `/`ID3 ` chunks, the `NOAI` sub-chunk of `LIST`/`INFO`, XMP in `_PMX` and
 * C2PA presence. Reads the chunk headers and the metadata chunks only, never the audio.
 *
 * @module
 */
import { AUDIO_KEYS } from '../../constants.js'
import { peekExact, readExact } from '../_read.js'
import { ID3_CHUNK_IDS, id3Findings, payloadOffset, readId3Chunk, type Id3Chunk, type IffChunk } from '../iff/index.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, ContainerTags, ForeignMetadata } from '../types.js'
import { noaiValues, readInfoList, type InfoList } from './_info.js'
import { readWavLayout } from './_layout.js'
import { WAV_LIMITS } from './limits.js'

/** Codec names of WAVE format tags (RFC 2361 Appendix A). */
const FORMAT_TAGS: Readonly<Record<number, string>> = { 0x0001: 'pcm', 0x0003: 'pcm', 0x0006: 'alaw', 0x0007: 'mulaw', 0x0002: 'adpcm', 0x0011: 'adpcm', 0x0050: 'mp2', 0x0055: 'mp3' }
const EXTENSIBLE = 0xfffe

async function codecOf(source: ByteSource, fmt: IffChunk, signal: AbortSignal | undefined): Promise<string | undefined> {
  const b = peekExact(source, payloadOffset(fmt), Math.min(fmt.size, WAV_LIMITS.fmtProbeBytes), signal) ?? (await readExact(source, payloadOffset(fmt), Math.min(fmt.size, WAV_LIMITS.fmtProbeBytes), 'wav', 'fmt chunk', signal))
  if (b.length < 2) return undefined
  let tag = b[0]! | (b[1]! << 8)
  // WAVE_FORMAT_EXTENSIBLE: the format tag is the first two bytes of the SubFormat GUID at offset 24.
  if (tag === EXTENSIBLE && b.length >= 26) tag = b[24]! | (b[25]! << 8)
  return FORMAT_TAGS[tag]
}

async function foreignChunk(source: ByteSource, c: IffChunk, signal: AbortSignal | undefined): Promise<ForeignMetadata> {
  const offset = payloadOffset(c)
  if (c.id === 'C2PA') return { kind: 'c2pa', location: 'RIFF C2PA', offset, length: c.size }
  const base = { kind: 'xmp' as const, location: 'RIFF _PMX', offset, length: c.size }
  if (c.size > AUDIO_LIMITS.maxXmpBytes) return base
  return { ...base, bytes: peekExact(source, offset, c.size, signal) ?? (await readExact(source, offset, c.size, 'wav', '_PMX chunk', signal)) }
}

/** The readable line: the ID3 one, else the first INFO `NOAI` (docs/spec.md §10.8.3). */
function readableOf(id3Line: string | undefined, infoLines: readonly string[], warnings: string[]): string | undefined {
  if (infoLines.length > 1) warnings.push(`WAV: ${infoLines.length} LIST/INFO ${AUDIO_KEYS.riffInfo} sub-chunks; the first is read`)
  const info = infoLines[0]
  if (id3Line !== undefined && info !== undefined && info !== id3Line) {
    warnings.push(`WAV: the LIST/INFO ${AUDIO_KEYS.riffInfo} line ${JSON.stringify(info.slice(0, 200))} differs from the ID3 TXXX ${AUDIO_KEYS.id3.readable} line; the ID3 line is used`)
  }
  if (info !== undefined && info.length > AUDIO_LIMITS.maxEntryBytes) {
    warnings.push(`WAV: the LIST/INFO ${AUDIO_KEYS.riffInfo} line is larger than maxEntryBytes (${AUDIO_LIMITS.maxEntryBytes}); ignored`)
    return id3Line
  }
  return id3Line ?? info
}

/**
 * Reads the NoAI entries of a WAV, BWF, RF64 or BW64 file.
 *
 * @throws MalformedAudioError for a damaged or truncated file; LimitExceededError for too many
 *   chunks or a metadata chunk over `IFF_LIMITS.maxMetadataChunkBytes`.
 *
 * @example
 * ```ts
 * const tags = await readWav(fromBytes(bytes))
 * tags.readable // 'search=y, train-ai=n'
 * ```
 */
export async function readWav(source: ByteSource, options: ContainerOptions = {}): Promise<ContainerTags> {
  const { signal } = options
  const layout = await readWavLayout(source, signal)
  const warnings = [...layout.warnings]
  const foreign: ForeignMetadata[] = []
  const id3: Id3Chunk[] = []
  const infos: InfoList[] = []
  let codec: string | undefined
  let essenceOffset: number | undefined
  for (const c of layout.chunks) {
    if (c.id === 'fmt ' && codec === undefined) codec = await codecOf(source, c, signal)
    else if (c.id === 'data') essenceOffset ??= payloadOffset(c)
    else if (ID3_CHUNK_IDS.has(c.id)) id3.push(await readId3Chunk(source, c, 'wav', signal))
    else if (c.id === 'LIST') {
      const list = await readInfoList(source, c, signal)
      if (list?.problem) warnings.push(`WAV: ${list.problem.message}; the sub-chunks after it are ignored`)
      if (list) infos.push(list)
    } else if (c.id === '_PMX' || c.id === 'C2PA') foreign.push(await foreignChunk(source, c, signal))
  }
  const found = id3Findings(id3, 'WAV')
  warnings.push(...found.warnings)
  const readable = readableOf(found.entries.readable, infos.flatMap(noaiValues), warnings)
  const { document, moreDocuments } = found.entries
  return {
    format: 'wav',
    ...(codec === undefined ? {} : { codec }),
    ...(readable === undefined ? {} : { readable }),
    ...(document === undefined ? {} : { document }),
    ...(moreDocuments.length > 0 ? { moreDocuments } : {}),
    foreign: [...foreign, ...found.foreign].sort((a, b) => a.offset - b.offset),
    warnings,
    ...(essenceOffset === undefined ? {} : { essenceOffset }),
  }
}
