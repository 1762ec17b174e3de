/**
 * Reading our entries and foreign metadata from an AIFF or AIFF-C file (docs/spec.md §10.9.3,
 * §10.9.5): the TXXX frames of the `ID3 `/`id3 ` chunks, and XMP in an `APPL` chunk with the
 * signature `XMP `. Reads the chunk headers and the metadata chunks only, never the audio.
 *
 * @module
 */
import { ascii, peekExact, readExact } from '../_read.js'
import { ID3_CHUNK_IDS, id3Findings, payloadOffset, readId3Chunk, type Id3Chunk, type IffChunk } from '../iff/index.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, ContainerTags, ForeignMetadata } from '../types.js'
import { readAiffLayout } from './_layout.js'
import { AIFF_LIMITS } from './limits.js'

/** AIFF-C compression types (AIFF-C draft 1991; Apple Sound Manager) that are linear PCM. */
const PCM_TYPES = new Set(['NONE', 'sowt', 'twos', 'raw ', 'in24', 'in32', 'fl32', 'FL32', 'fl64', 'FL64', 'lpcm'])
const LAW_TYPES: Readonly<Record<string, string>> = { ulaw: 'mulaw', ULAW: 'mulaw', alaw: 'alaw', ALAW: 'alaw' }

async function codecOf(source: ByteSource, comm: IffChunk, aifc: boolean, signal: AbortSignal | undefined): Promise<string | undefined> {
  if (!aifc) return 'pcm'
  const b = peekExact(source, payloadOffset(comm), Math.min(comm.size, AIFF_LIMITS.commProbeBytes), signal) ?? (await readExact(source, payloadOffset(comm), Math.min(comm.size, AIFF_LIMITS.commProbeBytes), 'aiff', 'COMM chunk', signal))
  if (b.length < AIFF_LIMITS.commProbeBytes) return undefined
  const type = ascii(b, 18, 22)
  return PCM_TYPES.has(type) ? 'pcm' : (LAW_TYPES[type] ?? type.trim().toLowerCase())
}

/** XMP in an `APPL` chunk whose 4-byte application signature is `XMP ` (Adobe XMP Toolkit AIFF handler). */
async function applXmp(source: ByteSource, c: IffChunk, signal: AbortSignal | undefined): Promise<ForeignMetadata | undefined> {
  if (c.size < 4) return undefined
  const at = payloadOffset(c)
  if (ascii(peekExact(source, at, 4, signal) ?? (await readExact(source, at, 4, 'aiff', 'APPL signature', signal))) !== 'XMP ') return undefined
  const base = { kind: 'xmp' as const, location: 'AIFF APPL XMP', offset: at + 4, length: c.size - 4 }
  if (base.length > AUDIO_LIMITS.maxXmpBytes) return base
  return { ...base, bytes: peekExact(source, base.offset, base.length, signal) ?? (await readExact(source, base.offset, base.length, 'aiff', 'APPL XMP packet', signal)) }
}

/**
 * Reads the NoAI entries of an AIFF or AIFF-C file.
 *
 * @throws MalformedAudioError for a damaged or truncated file; LimitExceededError for too many
 *   chunks or an ID3 chunk over `IFF_LIMITS.maxMetadataChunkBytes`.
 *
 * @example
 * ```ts
 * const tags = await readAiff(fromBytes(bytes))
 * tags.document // the NOAI_TAG value
 * ```
 */
export async function readAiff(source: ByteSource, options: ContainerOptions = {}): Promise<ContainerTags> {
  const { signal } = options
  const layout = await readAiffLayout(source, signal)
  const warnings = [...layout.warnings]
  const foreign: ForeignMetadata[] = []
  const id3: Id3Chunk[] = []
  let codec: string | undefined
  let essenceOffset: number | undefined
  for (const c of layout.chunks) {
    if (c.id === 'COMM' && codec === undefined) codec = await codecOf(source, c, layout.formType === 'AIFC', signal)
    else if (c.id === 'SSND') essenceOffset ??= payloadOffset(c)
    else if (ID3_CHUNK_IDS.has(c.id)) id3.push(await readId3Chunk(source, c, 'aiff', signal))
    else if (c.id === 'APPL') {
      const x = await applXmp(source, c, signal)
      if (x) foreign.push(x)
    }
  }
  const found = id3Findings(id3, 'AIFF')
  warnings.push(...found.warnings)
  const { readable, document, moreDocuments } = found.entries
  return {
    format: 'aiff',
    ...(codec === undefined ? {} : { codec }),
    ...(readable === undefined ? {} : { readable }),
    ...(document === undefined ? {} : { document }),
    ...(moreDocuments.length > 0 ? { moreDocuments } : {}),
    foreign: [...foreign, ...found.foreign].sort((a, b) => a.offset - b.offset),
    warnings,
    ...(essenceOffset === undefined ? {} : { essenceOffset }),
  }
}
