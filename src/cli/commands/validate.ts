/**
 * `noai validate [inputs...]`: validates tag documents (docs/spec.md §4, §12.2) given as files,
 * glob patterns or `-` for standard input. Exit status 0 when every input is valid, 1 when any is
 * invalid, 2 on a usage or I/O error (the highest applies).
 *
 * Every issue carries the line and column of the value it is about, so that editors and CI can
 * point at it: the value itself when present; for a missing member (`required`), its parent
 * object; for an unknown or badly named member (`additionalProperties`, `propertyNames`), the
 * member's name. Document-level problems found before parsing (the size limit) have no position
 * (`line` and `column` are null, and the GitHub annotation names the file only).
 *
 * Audio files (told by their magic bytes, docs/spec.md §10) are inputs too: their stored document
 * is validated like any other, and the readable line is checked against it (kind `audio`).
 *
 * @module
 */
import { CODE_DESCRIPTIONS } from '../../sign/codes.js'
import { decodeToken } from '../../sign/_jws.js'
import { SIGN_LIMITS } from '../../sign/sign-limits.js'
import { Option, type Command } from 'commander'
import { JsonParseError, LimitExceededError, type ValidationIssue } from '../../errors.js'
import type { JsonPosition } from '../../_internal/json.js'
import { LIMITS } from '../../limits.js'
import { documentText, parseDocumentJson } from '../../validate/parse.js'
import { validateTag } from '../../validate/validate.js'
import { fromBytes } from '../../audio/source.js'
import type { ByteSource } from '../../audio/types.js'
import { fileSource } from '../../node/file-source.js'
import { MAX_STDIN_AUDIO_BYTES, checkAudioTag, probeAudio, probeAudioFile, readStdinSniffed, type AudioProbe } from '../_audio.js'
import { CliInputError, STDIN_ARGUMENT, expandInputs, githubAnnotation, readInput, type CliInput, type ReadOutcome } from '../_io.js'
import type { SetExitCode } from './index.js'

/**
 * What an input holds: a JSON tag document or a signed tag (compact JWS), each with its own
 * checker in {@link CHECKERS}, or an audio file (checked by `checkAudioTag`).
 */
type InputKind = 'tag' | 'signed-tag' | 'audio'

/** A validation issue with the 1-based position of the value it is about (null when unknown). */
interface LocatedIssue extends ValidationIssue {
  readonly line: number | null
  readonly column: number | null
}

/** The result for one input; also the exact object printed by `--json`. */
interface InputResult {
  readonly input: string
  readonly valid: boolean
  readonly kind: InputKind
  readonly issues: readonly LocatedIssue[]
  /** Audio only: the container, when recognised. */
  readonly format?: string
  /** Audio only: what the file holds (`signed`, `unsigned`, `readable-only`, `none`). */
  readonly document?: string
  /** Audio only: facts that are not problems (no tag found, tolerated oddities). */
  readonly notes?: readonly string[]
}

type OutputFormat = 'text' | 'json' | 'github'

/** A compact JWS (docs/spec.md §13.1): three base64url parts, optionally surrounded by white space. */
const COMPACT_JWS = /^\s*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\s*$/

/** Tells what an input holds: a signed tag (a compact JWS) or, otherwise, a tag document. */
function detectKind(bytes: Uint8Array): DocumentKind {
  if (bytes.byteLength === 0 || bytes.byteLength > SIGN_LIMITS.maxTokenLength + 2) return 'tag'
  const text = latin1.decode(bytes)
  return COMPACT_JWS.test(text) ? 'signed-tag' : 'tag'
}

const latin1 = new TextDecoder('latin1')

/**
 * A signed tag: the token's form and protected header (docs/spec.md §13.1-13.2), then its payload
 * as a tag document. The signature is not verified here: that needs the issuer's keys (`noai verify`).
 * Positions inside the payload are not lines of the file, so payload issues carry no line.
 */
function checkSignedTag(bytes: Uint8Array): LocatedIssue[] {
  const decoded = decodeToken(latin1.decode(bytes).trim())
  if (!decoded.ok) {
    return decoded.codes.map((code) => ({ path: '', keyword: 'jws', message: `${code}: ${CODE_DESCRIPTIONS[code]}`, line: 1, column: 1 }))
  }
  const payload = Uint8Array.from(decoded.token.payload, (c) => c.charCodeAt(0))
  return checkTagDocument(payload).map((i) => ({ ...i, line: null, column: null, message: `payload: ${i.message}` }))
}

type DocumentKind = Exclude<InputKind, 'audio'>

const CHECKERS: Readonly<Record<DocumentKind, (bytes: Uint8Array) => LocatedIssue[]>> = { tag: checkTagDocument, 'signed-tag': checkSignedTag }

/** The position of an offset, found by walking back from a later, known position. */
function positionBefore(text: string, offset: number, later: JsonPosition): { line: number; column: number } {
  let line = later.line
  for (let k = offset; k < later.offset; k++) if (text.charCodeAt(k) === 0x0a) line--
  return { line, column: offset - (text.lastIndexOf('\n', offset - 1) + 1) + 1 }
}

/**
 * The position of the name of the member whose value starts at `value`: back over `"name" :`.
 * An unescaped quote cannot occur inside a JSON string, so the opening quote is the first quote
 * (walking back) not preceded by an odd number of backslashes.
 */
function memberNamePosition(text: string, value: JsonPosition): { line: number; column: number } {
  const isWs = (k: number): boolean => /[ \t\r\n]/.test(text[k] ?? '')
  let k = value.offset - 1
  while (k >= 0 && isWs(k)) k--
  if (text[k] !== ':') return value
  k--
  while (k >= 0 && isWs(k)) k--
  if (text[k] !== '"') return value
  for (k--; k >= 0; k--) {
    if (text[k] !== '"') continue
    let slashes = 0
    while (text[k - 1 - slashes] === '\\') slashes++
    if (slashes % 2 === 0) return positionBefore(text, k, value)
  }
  return value
}

/** Line and column for an issue's JSON Pointer (see the module comment for the rules). */
function locate(issue: ValidationIssue, text: string, positions: ReadonlyMap<string, JsonPosition>): { line: number; column: number } | undefined {
  const own = positions.get(issue.path)
  if (own && (issue.keyword === 'additionalProperties' || issue.keyword === 'propertyNames')) return memberNamePosition(text, own)
  // A missing member has no position of its own: walk up to the nearest ancestor that has one.
  for (let p = issue.path; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const at = positions.get(p)
    if (at) return { line: at.line, column: at.column }
    if (p === '') return undefined
  }
}

/** Strict JSON (docs/spec.md §4.10), then the schema and the standard's rules (§12.2). */
function checkTagDocument(bytes: Uint8Array): LocatedIssue[] {
  let text: string
  let parsed: ReturnType<typeof parseDocumentJson>
  try {
    // Read with the input bound so that a conformance vector file (a document plus its wrapper) can
    // be recognised; a plain document over maxDocumentBytes is reported below.
    text = documentText(bytes, Math.max(bytes.byteLength, LIMITS.maxDocumentBytes))
    parsed = parseDocumentJson(text, true)
  } catch (e) {
    if (e instanceof JsonParseError) {
      // The message ends with the position, which the issue carries separately.
      const message = e.message.replace(/ at line \d+, column \d+$/, '')
      return [{ path: '', keyword: 'json', message, line: e.line, column: e.column }]
    }
    if (e instanceof LimitExceededError) return [limitIssue(e)]
    throw e
  }
  const positions = parsed.positions ?? new Map<string, JsonPosition>()
  const vector = conformanceVector(parsed.value)
  if (!vector && bytes.byteLength > LIMITS.maxDocumentBytes) {
    return [limitIssue(new LimitExceededError('maxDocumentBytes', LIMITS.maxDocumentBytes, bytes.byteLength, 'document size in bytes'))]
  }
  if (vector?.text !== undefined) {
    // A text vector holds the document's bytes as a string: check them as a document of their own.
    return checkTagDocument(new TextEncoder().encode(vector.text)).map((i) => ({ ...i, line: null, column: null }))
  }
  const r = validateTag(vector ? vector.document : parsed.value)
  if (r.ok) return []
  // In a vector file the document sits under /document: look its issues up there.
  const prefix = vector ? '/document' : ''
  const located = r.issues.map((i): LocatedIssue => {
    const at = locate({ ...i, path: prefix + i.path }, text, positions)
    return { path: i.path, keyword: i.keyword, message: i.message, line: at?.line ?? null, column: at?.column ?? null }
  })
  // In document order, as an editor would list them (the sort is stable for equal positions).
  return located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
}

/**
 * A conformance vector file (schema/v1/vectors/*.json, docs/spec.md §12.3) wraps the document it
 * tests: `noai validate` then validates that document, so that running it on an invalid vector
 * names the vector's failing path.
 */
function conformanceVector(value: unknown): { document?: unknown; text?: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const v = value as Record<string, unknown>
  const keys = Object.keys(v)
  const allowed = new Set(['description', 'valid', 'document', 'text', 'errors'])
  if (typeof v.description !== 'string' || typeof v.valid !== 'boolean' || !keys.every((k) => allowed.has(k))) return undefined
  if ('document' in v === 'text' in v) return undefined
  return typeof v.text === 'string' ? { text: v.text } : 'document' in v ? { document: v.document } : undefined
}

function limitIssue(e: LimitExceededError): LocatedIssue {
  return { path: '', keyword: e.limit, message: e.message, line: null, column: null }
}

/** An audio input: its stored document is checked as a document or signed tag of its own. */
async function validateAudio(name: string, source: ByteSource, requireTag: boolean, probe?: AudioProbe): Promise<InputResult> {
  const checkDocument = (bytes: Uint8Array): LocatedIssue[] => CHECKERS[detectKind(bytes)](bytes).map((i) => ({ ...i, line: null, column: null }))
  const r = await checkAudioTag(source, { requireTag, checkDocument }, probe)
  const issues = r.issues.map((i): LocatedIssue => ({ ...i, line: null, column: null }))
  return {
    input: name,
    valid: issues.length === 0,
    kind: 'audio',
    issues,
    ...(r.format === undefined ? {} : { format: r.format }),
    ...(r.document === undefined ? {} : { document: r.document }),
    notes: r.notes,
  }
}

/** Standard input: audio (held in memory up to MAX_STDIN_AUDIO_BYTES) or a document. */
async function readStdin(bound: number, requireTag: boolean): Promise<InputResult | ReadOutcome> {
  const r = await readStdinSniffed(bound, MAX_STDIN_AUDIO_BYTES)
  if (r.audio && r.tooLarge) throw new CliInputError(`standard input holds more than ${MAX_STDIN_AUDIO_BYTES} bytes of audio; pass the file by its path`)
  if (r.tooLarge) return r
  if (r.audio) {
    // Bytes that only looked like audio at first sight are validated as a document.
    const source = fromBytes(r.bytes)
    const probe = await probeAudio(source)
    if (probe.kind !== 'other') return validateAudio(STDIN_ARGUMENT, source, requireTag, probe)
  }
  return r.bytes.byteLength > bound ? { tooLarge: true, size: r.bytes.byteLength } : r
}

async function validateInput(input: CliInput, requireTag: boolean): Promise<InputResult> {
  // Documents over the limit break a rule of the standard (§4.10): an invalid input, not an I/O error.
  // A signed tag is longer than its payload (base64url, header, signature), so the read bound is the
  // token limit; a plain document over its own limit is still reported against maxDocumentBytes.
  const bound = Math.max(LIMITS.maxDocumentBytes, SIGN_LIMITS.maxTokenLength + 2)
  let read: ReadOutcome
  if (input.stdin) {
    const r = await readStdin(bound, requireTag)
    if ('input' in r) return r
    read = r
  } else {
    // Audio is told by its magic bytes and read through a file source: only its metadata is read.
    const probe = await probeAudioFile(input.name)
    if (probe.kind !== 'other') {
      const source = await fileSource(input.name)
      try {
        return await validateAudio(input.name, source, requireTag, probe)
      } finally {
        await source.close()
      }
    }
    read = await readInput(input, bound)
  }
  if (read.tooLarge) {
    const e = new LimitExceededError('maxDocumentBytes', LIMITS.maxDocumentBytes, read.size, 'document size in bytes')
    return { input: input.name, valid: false, kind: 'tag', issues: [limitIssue(e)] }
  }
  const kind = detectKind(read.bytes)
  const issues = CHECKERS[kind](read.bytes)
  return { input: input.name, valid: issues.length === 0, kind, issues }
}

const pointer = (path: string): string => path || '/'

const AUDIO_DOCUMENT_TEXT: Readonly<Record<string, string>> = { signed: 'signed tag', unsigned: 'unsigned tag', 'readable-only': 'readable line only', none: 'no tag' }

function formatText(r: InputResult): string {
  const lines = [`${r.valid ? '✓' : '✗'} ${r.input}${r.kind === 'audio' ? ` (${[r.format ?? 'audio', ...(r.document === undefined ? [] : [AUDIO_DOCUMENT_TEXT[r.document] ?? r.document])].join(', ')})` : ''}`]
  for (const i of r.issues) lines.push(`  ${i.line === null ? '' : `line ${i.line}: `}${pointer(i.path)}: ${i.message} (${i.keyword})`)
  for (const n of r.notes ?? []) lines.push(`  note: ${n}`)
  return `${lines.join('\n')}\n`
}

function formatGithub(r: InputResult): string {
  return (
    r.issues
      .map(
        (i) =>
          `${githubAnnotation('error', { file: r.input, line: i.line ?? undefined, col: i.column ?? undefined, title: 'noai validate' }, `${pointer(i.path)}: ${i.message}`)}\n`,
      )
      .join('') + (r.notes ?? []).map((n) => `${githubAnnotation('notice', { file: r.input, title: 'noai validate' }, n)}\n`).join('')
  )
}

const FORMATTERS: Readonly<Record<OutputFormat, (r: InputResult) => string>> = {
  text: formatText,
  json: (r) => `${JSON.stringify(r)}\n`,
  github: formatGithub,
}

const HELP_AFTER = `
Inputs are files, glob patterns (expanded here when the shell did not, e.g. when quoted) or - for
standard input. A directory is not an input: pass a glob such as dir/*.json.

Output formats:
  text     (default) ✓ or ✗ per input, each issue as "line L: /json/pointer: message (keyword)",
           then "N valid, M invalid"
  json     one JSON object per input and line: {"input","valid","kind","issues":[{"path",
           "keyword","message","line","column"}]}; nothing else on standard output
  github   a GitHub Actions annotation per issue (::error file=...,line=...,col=...::...), the
           summary on standard error; standard input is reported as file=-

Lines point at the failing value; for a missing member, at its parent object; for an unknown
member, at its name.

Signed tags (a compact JWS, e.g. from noai sign) are accepted too: the token's form and protected
header are checked and its payload is validated as a tag document (kind "signed-tag"). The
signature itself is not verified here; use noai verify with the issuer's keys for that.

Audio files (MP3, FLAC, Ogg, MP4...; told by their first bytes, not their names) are accepted
too (kind "audio"): the stored document (NOAI_TAG) is validated as above, the readable line (NOAI)
must say the same as the document (readable-line-mismatch), and a file may hold only one document
(duplicate-document). A damaged or unsupported file is invalid (malformed-audio,
unsupported-format). A file with no NoAI tag is valid, with a note, unless --require-tag is given
(noai-tag-missing). Audio on standard input is read into memory, up to 64 MiB.

Exit status: 0 all inputs valid, 1 any input invalid, 2 usage or I/O error.

Examples:
  noai validate examples/*.json
  cat tag.json | noai validate -
  noai validate --format github 'tags/**/*.json'
  noai validate --json tags/*.json > results.jsonl
  noai validate track.jws
  noai validate --require-tag 'album/*.flac'
`

interface ValidateOptions {
  readonly json?: boolean
  readonly format: OutputFormat
  readonly requireTag?: boolean
}

async function run(args: readonly string[], format: OutputFormat, requireTag: boolean, setExitCode: SetExitCode): Promise<void> {
  const { inputs, errors } = await expandInputs(args)
  for (const e of errors) process.stderr.write(`noai validate: ${e.message}\n`)
  if (errors.length > 0) setExitCode(2)
  let valid = 0
  let invalid = 0
  let unreadable = errors.length
  for (const input of inputs) {
    let result: InputResult
    try {
      result = await validateInput(input, requireTag)
    } catch (e) {
      process.stderr.write(`noai validate: ${e instanceof Error ? e.message : String(e)}\n`)
      setExitCode(2)
      unreadable++
      continue
    }
    if (result.valid) valid++
    else invalid++
    if (!result.valid) setExitCode(1)
    process.stdout.write(FORMATTERS[format](result))
  }
  const summary = `${valid} valid, ${invalid} invalid${unreadable > 0 ? `, ${unreadable} not read` : ''}\n`
  if (format === 'text') process.stdout.write(summary)
  else if (format === 'github') process.stderr.write(summary)
}

/**
 * Registers `noai validate`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('validate')
    .summary('validate tag documents and the tags of audio files (files, globs, or - for standard input)')
    .description('Validate NoAI Tag documents and signed tags against the standard (docs/spec.md §4, §12.2, §13).')
    .argument('[inputs...]', `files, glob patterns, or ${STDIN_ARGUMENT} for standard input`)
    .option('--json', 'same as --format json')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--require-tag', 'an audio file without a NoAI tag is invalid (noai-tag-missing)')
    .showHelpAfterError('(run noai validate --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (args: string[], options: ValidateOptions, command: Command) => {
      if (options.json && command.getOptionValueSource('format') === 'cli' && options.format !== 'json') {
        command.error(`error: --json conflicts with --format ${options.format}`, { exitCode: 2, code: 'noai.conflictingOptions' })
      }
      if (args.length === 0) {
        command.error('error: no inputs; pass files, glob patterns, or - for standard input', { exitCode: 2, code: 'noai.noInputs' })
      }
      await run(args, options.json ? 'json' : options.format, options.requireTag === true, setExitCode)
    })
}
