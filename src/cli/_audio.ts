/**
 * Helpers shared by the audio commands (`noai stamp`, `noai strip`, `noai inspect`) and by the audio
 * paths of `noai verify` and `noai validate` (docs/spec.md §10): telling an audio file from other
 * inputs by its magic bytes, the output-flag rules of the commands that change files, building a
 * tag from the compact form, and reading a private key.
 *
 * @module
 */
import { stat } from 'node:fs/promises'
import { formatCompact } from '../compact/format.js'
import { parseCompact } from '../compact/parse.js'
import { AUDIO_KEYS } from '../constants.js'
import { LimitExceededError, isNoaiTagError } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { MalformedAudioError, UnsupportedFormatError } from '../audio/errors.js'
import { decodeDocument } from '../audio/_document.js'
import { detectAudioFormat } from '../audio/detect-audio-format.js'
import { resolveHandler } from '../audio/registry.js'
import type { AudioFormat, ByteSource } from '../audio/types.js'
import { fileSource } from '../node/file-source.js'
import { USES } from '../vocabulary/uses.js'
import { normalizeUse } from '../vocabulary/normalize.js'
import { CliInputError, readInput, type ReadOutcome } from './_io.js'
import { concatBytes } from '../_internal/bytes.js'

/** Largest private key file read, in bytes (a JWK is a few hundred). */
export const MAX_KEY_FILE_BYTES = 16_384

/** Largest audio file read from standard input (`noai validate -`): it is held in memory. */
export const MAX_STDIN_AUDIO_BYTES = 64 * 1024 * 1024

/** What the first bytes of a file say. */
export type AudioProbe =
  /** An audio container of v1 (its module may still be missing from this build). */
  | { readonly kind: 'audio'; readonly format: AudioFormat }
  /** An audio container that v1 refuses (Matroska/WebM, fragmented MP4), or a damaged prefix. */
  | { readonly kind: 'refused'; readonly error: UnsupportedFormatError | MalformedAudioError }
  /** Not audio (or not readable here): the command handles it as before. */
  | { readonly kind: 'other' }

/** Refused codes that are still audio; `unknown`, `hls` and `dash` inputs are something else. */
const REFUSED_AUDIO = new Set(['matroska', 'fragmented-mp4'])

/**
 * Tells an audio file from other inputs by its magic bytes (never by its name). A path that is not
 * a regular file, or cannot be opened, is `other`: the caller's usual path reports it.
 *
 * @example
 * ```ts
 * const probe = await probeAudioFile('song.mp3') // { kind: 'audio', format: 'mp3' }
 * ```
 */
export async function probeAudioFile(path: string): Promise<AudioProbe> {
  try {
    if (!(await stat(path)).isFile()) return { kind: 'other' }
  } catch {
    return { kind: 'other' }
  }
  let source
  try {
    source = await fileSource(path)
  } catch {
    return { kind: 'other' }
  }
  try {
    return await probeAudio(source)
  } finally {
    await source.close()
  }
}

/**
 * Tells audio from other bytes by their magic bytes (see {@link probeAudioFile}).
 *
 * @example
 * ```ts
 * await probeAudio(fromBytes(bytes)) // { kind: 'other' } for a JSON document
 * ```
 */
export async function probeAudio(source: ByteSource): Promise<AudioProbe> {
  try {
    return { kind: 'audio', format: await detectAudioFormat(source) }
  } catch (e) {
    if (e instanceof UnsupportedFormatError) return REFUSED_AUDIO.has(e.format) ? { kind: 'refused', error: e } : { kind: 'other' }
    if (e instanceof MalformedAudioError) return { kind: 'refused', error: e }
    return { kind: 'other' }
  }
}

/**
 * Whether an error is a finding about the audio itself (damaged, refused or over a limit), which
 * the audio commands report with exit status 1, rather than an I/O or usage problem (2).
 *
 * @example
 * ```ts
 * catch (e) { setExitCode(isAudioFault(e) ? 1 : 2) }
 * ```
 */
export function isAudioFault(e: unknown): e is MalformedAudioError | UnsupportedFormatError | LimitExceededError {
  return e instanceof MalformedAudioError || e instanceof UnsupportedFormatError || e instanceof LimitExceededError
}

/** The message of an error, for `noai <command>: <message>` lines. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

/** The output flags of the commands that change audio files. */
export interface OutputFlags {
  readonly output?: string
  readonly inPlace?: boolean
}

/**
 * Checks the output flags against the inputs: exactly one of `-o OUT` (one input only) and
 * `--in-place` (any number of inputs). A command never overwrites its input unless asked to.
 *
 * @throws CliInputError (exit status 2) when the flags do not fit.
 * @example
 * ```ts
 * checkOutputFlags('stamp', ['a.mp3'], { output: 'b.mp3' })
 * ```
 */
export function checkOutputFlags(command: string, inputs: readonly string[], flags: OutputFlags): void {
  if (flags.output !== undefined && flags.inPlace) throw new CliInputError('give either -o OUT or --in-place, not both')
  if (flags.output === undefined && !flags.inPlace) {
    throw new CliInputError(`noai ${command} changes audio files: give -o OUT to write a new file, or --in-place to change the input${inputs.length > 1 ? 's' : ''}`)
  }
  if (flags.output !== undefined && inputs.length !== 1) throw new CliInputError(`-o OUT takes exactly one input (${inputs.length} given); use --in-place for several`)
  if (inputs.includes('-')) throw new CliInputError(`noai ${command} reads and writes files: standard input (-) is not accepted`)
}

/** The current time as a tag's `issued`: seconds precision, UTC (`2026-11-26T09:30:00Z`). */
export function nowIssued(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * The usage map of a compact form given on the command line (`--usage 'train-ai=n, search=y'`).
 * Stricter than a reader (docs/spec.md §8.2): a member that is not `y`/`n` or has parameters is an
 * error, and at least one use must be a v1 use (an extension-only map is almost always a typo).
 *
 * @throws CliInputError (exit status 2) with what is wrong.
 * @example
 * ```ts
 * usageFromCompact('train-ai=n, search=y') // { 'train-ai': 'denied', search: 'allowed' }
 * ```
 */
export function usageFromCompact(text: string): Record<string, 'allowed' | 'denied'> {
  const p = parseCompact(text)
  if (!p.ok) throw new CliInputError(`--usage ${JSON.stringify(text)} is not a compact form such as 'train-ai=n, search=y': ${p.error}`)
  if (p.ignored.length > 0) {
    const i = p.ignored[0]!
    throw new CliInputError(`--usage: ${i.key} must be ${i.key}=y or ${i.key}=n${i.reason === 'has-parameters-ignored' ? ' without parameters' : ''}`)
  }
  const keys = Object.keys(p.usage)
  if (keys.length === 0) throw new CliInputError('--usage names no use')
  if (!keys.some((k) => (USES as readonly string[]).includes(k))) {
    const hints = keys.flatMap((k) => {
      const u = normalizeUse(k)
      return u === undefined ? [] : [`${k} → ${u}`]
    })
    throw new CliInputError(
      `--usage names no use of the NoAI Tag vocabulary (${USES.join(', ')})${hints.length > 0 ? `; did you mean ${hints.join(', ')}?` : ''}`,
    )
  }
  return { ...p.usage }
}

/**
 * A tag for `noai stamp --usage`: about the file itself, issued now.
 *
 * @example
 * ```ts
 * usageTag({ 'train-ai': 'denied' }, 'https://label.example') // { version: 1, issuer, subject: { self: true }, usage, issued }
 * ```
 */
export function usageTag(usage: Record<string, 'allowed' | 'denied'>, issuer: string | undefined, now?: Date): NoaiTag {
  return { version: 1, ...(issuer === undefined ? {} : { issuer }), subject: { self: true }, usage, issued: nowIssued(now) } as NoaiTag
}

/**
 * Reads a private JWK file (as written by `noai keygen`).
 *
 * @throws CliInputError when the file cannot be read or is not a JSON object.
 * @example
 * ```ts
 * const jwk = await readPrivateJwk('keys/k1.private.jwk')
 * ```
 */
export async function readPrivateJwk(file: string): Promise<JsonWebKey> {
  const read = await readInput({ name: file, stdin: false }, MAX_KEY_FILE_BYTES)
  if (read.tooLarge) throw new CliInputError(`${file} is over ${MAX_KEY_FILE_BYTES} bytes: not a JWK`)
  let jwk: unknown
  try {
    jwk = JSON.parse(new TextDecoder().decode(read.bytes))
  } catch {
    throw new CliInputError(`${file} is not JSON: expected a private JWK`)
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw new CliInputError(`${file} is not a JWK object`)
  return jwk as JsonWebKey
}

/** First bytes that mark an audio container (a cheap pre-check; detectAudioFormat decides). */
function looksLikeAudio(b: Uint8Array): boolean {
  const a = (from: number, to: number): string => String.fromCharCode(...b.subarray(from, to))
  const m4 = a(0, 4)
  if (['fLaC', 'OggS', 'RIFF', 'RF64', 'BW64', 'FORM'].includes(m4) || a(0, 3) === 'ID3' || a(4, 8) === 'ftyp') return true
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return true
  return b[0] === 0xff && b.length > 1 && (b[1]! & 0xe0) === 0xe0
}

/** Bytes needed to tell audio from a document. */
const SNIFF_BYTES = 12

/** Result of {@link readStdinSniffed}. */
export type SniffedRead = ReadOutcome & { readonly audio: boolean }

/**
 * Reads standard input with a bound chosen from its first bytes: `maxAudioBytes` when they look
 * like an audio container, else `maxBytes` (so that a document on standard input is bounded as
 * before). Never holds more than the chosen bound plus one chunk.
 *
 * @throws CliInputError when standard input cannot be read.
 * @example
 * ```ts
 * const r = await readStdinSniffed(LIMITS.maxDocumentBytes, MAX_STDIN_AUDIO_BYTES)
 * ```
 */
export async function readStdinSniffed(maxBytes: number, maxAudioBytes: number): Promise<SniffedRead> {
  const chunks: Uint8Array[] = []
  let n = 0
  let bound: number | undefined
  let audio = false
  try {
    for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
      chunks.push(chunk)
      n += chunk.byteLength
      if (bound === undefined && n >= SNIFF_BYTES) {
        audio = looksLikeAudio(concatBytes(chunks).subarray(0, SNIFF_BYTES))
        bound = audio ? maxAudioBytes : maxBytes
      }
      // Leaving the loop destroys the stream: nothing past the bound is read.
      if (bound !== undefined && n > bound) return { tooLarge: true, size: undefined, audio }
    }
  } catch (e) {
    throw new CliInputError(`cannot read standard input: ${messageOf(e)}`, { cause: e })
  }
  const bytes = concatBytes(chunks)
  if (bound === undefined) audio = looksLikeAudio(bytes)
  return { tooLarge: false, bytes, audio }
}

/**
 * A short, readable name for an error of the audio library, for JSON output (`code` and message).
 *
 * @example
 * ```ts
 * errorObject(e) // { code: 'ERR_NOAI_MALFORMED_INPUT', message: 'malformed mp3: ...' }
 * ```
 */
export function errorObject(e: unknown): { code: string; message: string } {
  return { code: isNoaiTagError(e) ? e.code : 'ERR_UNKNOWN', message: messageOf(e) }
}

/** An issue found in an audio file by `noai validate` (positions are not lines of the file). */
export interface AudioIssue {
  readonly path: string
  readonly keyword: string
  readonly message: string
}

/** What `noai validate` found in an audio file. */
export interface AudioCheck {
  /** The container, when it was recognised. */
  readonly format?: AudioFormat
  /** What the file holds: a signed tag (JWS), an unsigned one (JSON), a readable line only, or nothing. */
  readonly document?: 'signed' | 'unsigned' | 'readable-only' | 'none'
  /** Problems that make the input invalid. */
  readonly issues: readonly AudioIssue[]
  /** Facts worth showing that are not problems (no tag, the reader's tolerated oddities). */
  readonly notes: readonly string[]
}

/** Options of {@link checkAudioTag}. */
export interface CheckAudioOptions {
  /** A file without a NoAI tag is invalid (`noai-tag-missing`). */
  readonly requireTag: boolean
  /** Validates the document's bytes as `noai validate` validates a document or a signed tag. */
  readonly checkDocument: (bytes: Uint8Array) => readonly AudioIssue[]
}

function faultIssue(e: MalformedAudioError | UnsupportedFormatError | LimitExceededError): AudioIssue {
  const keyword = e instanceof MalformedAudioError ? 'malformed-audio' : e instanceof UnsupportedFormatError ? 'unsupported-format' : e.limit
  return { path: '', keyword, message: e.message }
}

function sameUsage(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string | undefined>>): boolean {
  const kb = Object.keys(b).filter((k) => b[k] !== undefined)
  return Object.keys(a).length === kb.length && kb.every((k) => a[k] === b[k])
}

/**
 * Validates the NoAI Tag of an audio file (docs/spec.md §8.3, §10.2): the document (JSON or signed)
 * as any document, the readable line against it, and at most one document per file. A file with
 * no tag is valid unless `requireTag`.
 *
 * @example
 * ```ts
 * const check = await checkAudioTag(source, { requireTag: true, checkDocument })
 * ```
 */
export async function checkAudioTag(source: ByteSource, options: CheckAudioOptions, probe?: AudioProbe): Promise<AudioCheck> {
  let c
  let format: AudioFormat | undefined
  try {
    // A container the probe already refused is reported as such.
    if (probe?.kind === 'refused') throw probe.error
    const handler = await resolveHandler(source)
    format = handler.format
    c = await handler.read(source)
  } catch (e) {
    if (!isAudioFault(e)) throw e
    return { ...(format === undefined ? {} : { format }), issues: [faultIssue(e)], notes: [] }
  }
  const issues: AudioIssue[] = []
  const notes = [...c.warnings]
  const missing = (what: string): void => {
    if (options.requireTag) issues.push({ path: '', keyword: 'noai-tag-missing', message: what })
    else notes.push(what)
  }
  if (c.document !== undefined) {
    const found = options.checkDocument(new TextEncoder().encode(c.document))
    issues.push(...found.map((i) => ({ ...i, message: `${AUDIO_KEYS.id3.document}: ${i.message}` })))
    const tag = found.length === 0 ? decodeDocument(c.document).tag : undefined
    if (tag) {
      const p = c.readable === undefined ? undefined : parseCompact(c.readable)
      if (!p?.ok || !sameUsage(p.usage, tag.usage)) {
        const said = c.readable === undefined ? 'is absent' : p?.ok ? `says ${JSON.stringify(c.readable)}` : `does not parse (${JSON.stringify(c.readable)})`
        issues.push({ path: '', keyword: 'readable-line-mismatch', message: `the readable line (${AUDIO_KEYS.id3.readable}) ${said}; the document says ${JSON.stringify(formatCompact(tag.usage))} (docs/spec.md §8.3)` })
      }
    }
    const more = c.moreDocuments?.length ?? 0
    if (more > 0) issues.push({ path: '', keyword: 'duplicate-document', message: `the file holds ${more + 1} documents (${AUDIO_KEYS.id3.document}); a writer stores one (docs/spec.md §8.3)` })
  } else if (c.readable !== undefined) {
    const p = parseCompact(c.readable)
    if (!p.ok) issues.push({ path: '', keyword: 'readable-line-invalid', message: `the readable line (${AUDIO_KEYS.id3.readable}) does not parse: ${p.error}` })
    missing(`the file holds a readable line (${JSON.stringify(c.readable)}) and no document (${AUDIO_KEYS.id3.document}); readers take it as an unsigned statement (docs/spec.md §8.3)`)
  } else missing('no NoAI tag found')
  const document = c.document === undefined ? (c.readable === undefined ? 'none' : 'readable-only') : c.document.trimStart().startsWith('{') ? 'unsigned' : 'signed'
  return { format: c.format, document, issues, notes }
}
