/**
 * Reading the NoAI Tag and the other AI-usage signals of an audio file (docs/spec.md §8.3, §10).
 *
 * @module
 */
import { parseCompact, type CompactParseResult } from '../compact/parse.js'
import { LIMITS } from '../limits.js'
import type { NoaiTag } from '../model/tag.js'
import type { FoundSignal } from '../signals/types.js'
import { cachedSource } from './_cache.js'
import { decodeDocument } from './_document.js'
import { toSource, type AudioInput } from './_input.js'
import { c2paSignals, readableSignal, tagSignal } from './_signals.js'
import { resolveHandler } from './registry.js'
import type { AudioFormat, ForeignMetadata } from './types.js'

/** Options of the audio read operations. */
export interface AudioReadOptions {
  /** Aborts between reads. */
  readonly signal?: AbortSignal
}

/** What {@link readAudioTag} found in one file. */
export interface AudioTagReport {
  /** The container. */
  readonly format: AudioFormat
  /** The codec, when known (`mp3`, `flac`, `vorbis`, `opus`, `aac`, `alac`, `pcm`...). */
  readonly codec?: string
  /** The readable line (key `NOAI`), as stored. */
  readonly readable?: string
  /** The document (key `NOAI_TAG`), as stored: a compact JWS or the tag's JSON. */
  readonly document?: string
  /** The document is a compact JWS. */
  readonly signed: boolean
  /** The compact JWS, when the document is one. */
  readonly jws?: string
  /**
   * The tag: the document, parsed strictly and validated; for a JWS, its payload decoded WITHOUT
   * verifying the signature. UNVERIFIED: use `verifyTag` (noai-tag/sign) before trusting it.
   */
  readonly tag?: NoaiTag
  /**
   * The readable line does not match the document's usage (absent, does not parse, or a different
   * map; docs/spec.md §8.3). Only set when a document was read; the document wins.
   */
  readonly mismatch: boolean
  /** Every AI-usage statement found: our tag, IPTC/PLUS DataMining in XMP, C2PA presence. */
  readonly signals: readonly FoundSignal[]
  /** XMP packets and C2PA manifest stores of others found in the file. */
  readonly foreign: readonly ForeignMetadata[]
  /** Tolerated oddities and problems (a document that is not a valid tag, a second tag...). */
  readonly warnings: readonly string[]
  /** Byte offset where the essence starts. */
  readonly essenceOffset?: number
}

/**
 * Readable lines whose parse is remembered: a dataset holds few distinct lines (one per policy), and
 * a scan reads thousands of files. Only lines within `LIMITS.maxCompactLength` are kept, so the memo
 * holds at most 64 short strings; the results are shared and never modified.
 */
const READABLE_MEMO_ENTRIES = 64
const readableMemo = new Map<string, CompactParseResult>()

/** parseCompact of a readable line, remembered for the next files that hold the same line. */
function parseReadable(line: string): CompactParseResult {
  let p = readableMemo.get(line)
  if (p === undefined) {
    p = parseCompact(line)
    if (line.length > LIMITS.maxCompactLength) return p
    if (readableMemo.size >= READABLE_MEMO_ENTRIES) readableMemo.clear()
    readableMemo.set(line, p)
  }
  return p
}

function sameUsage(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined)
  const kb = Object.keys(b).filter((k) => b[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => a[k] === b[k])
}

/**
 * Reads the NoAI Tag of an audio file (MP3, FLAC, Ogg Vorbis/Opus, MP4/M4A, WAV/BWF/RF64,
 * AIFF/AIFC), with the other AI-usage signals found in it. Reads only metadata regions.
 *
 * @param input - The file: a Uint8Array, a Blob/File, or a ByteSource (`fileSource()` of noai-tag/node).
 * @throws UnsupportedFormatError for containers v1 does not cover; MalformedAudioError for a damaged
 *   container; LimitExceededError when a metadata region exceeds `AUDIO_LIMITS`.
 * @example
 * ```ts
 * import { readAudioTag } from 'noai-tag/audio'
 * const report = await readAudioTag(new Uint8Array(await file.arrayBuffer()))
 * report.readable // 'train-ai=n, search=y'
 * report.tag?.usage['train-ai'] // 'denied' (unverified until verifyTag says otherwise)
 * ```
 */
export async function readAudioTag(input: AudioInput, options: AudioReadOptions = {}): Promise<AudioTagReport> {
  // One read cache for detection and the container reader: the reader finds the headers that
  // detection read (src/audio/_cache.ts).
  const source = cachedSource(toSource(input))
  const handler = await resolveHandler(source, options)
  const c = await handler.read(source, options)
  const warnings = [...c.warnings]
  const signals: FoundSignal[] = []
  let decoded: ReturnType<typeof decodeDocument> | undefined
  if (c.document !== undefined) {
    decoded = decodeDocument(c.document)
    if (decoded.tag) signals.push(tagSignal(decoded.tag, decoded.jws))
    else warnings.push(`${decoded.problem}; the readable line is not used in its place (docs/spec.md §8.3)`)
    for (const more of c.moreDocuments ?? []) {
      const d = decodeDocument(more)
      if (d.tag) signals.push(tagSignal(d.tag, d.jws))
      else warnings.push(`a further ${d.problem}`)
    }
  } else if (c.readable !== undefined) {
    const p = parseReadable(c.readable)
    if (p.ok) signals.push(readableSignal(c.readable, p.usage))
    else warnings.push(`the readable line does not parse: ${p.error}`)
    warnings.push('the file holds a readable line and no document (docs/spec.md §8.3)')
  }
  let mismatch = false
  if (decoded?.tag) {
    const p = c.readable === undefined ? undefined : parseReadable(c.readable)
    mismatch = !p || !p.ok || !sameUsage(p.usage, decoded.tag.usage)
  }
  // The XML parser is loaded only for a file that holds an XMP packet (most hold none).
  if (c.foreign.some((f) => f.kind === 'xmp')) {
    const x = (await import('./_xmp-signals.js')).xmpSignals(c.foreign)
    signals.push(...x.signals)
    warnings.push(...x.warnings)
  }
  signals.push(...c2paSignals(c.foreign))
  return {
    format: c.format,
    ...(c.codec === undefined ? {} : { codec: c.codec }),
    ...(c.readable === undefined ? {} : { readable: c.readable }),
    ...(c.document === undefined ? {} : { document: c.document }),
    signed: decoded?.signed ?? false,
    ...(decoded?.jws === undefined ? {} : { jws: decoded.jws }),
    ...(decoded?.tag === undefined ? {} : { tag: decoded.tag }),
    mismatch,
    signals,
    foreign: c.foreign,
    warnings,
    ...(c.essenceOffset === undefined ? {} : { essenceOffset: c.essenceOffset }),
  }
}
