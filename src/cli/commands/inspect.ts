/**
 * `noai inspect AUDIO_OR_URL [--json] [--jwks FILE | --issuer-discovery [--allow-http-loopback]]
 * [--trust ORIGIN...] [--now DATE] [--max-bytes N]`: shows what an audio file (or an http(s) URL
 * of one) says about AI use (docs/spec.md §10): the container, our tag and its verification bound
 * to the computed essence digest, the other signals found (XMP DataMining, C2PA presence) and the
 * warnings. Exit status 0 the file was read (whatever it holds), 1 its tag is invalid (a document
 * that is not a valid tag, or a failed verification) or its audio is damaged or unsupported, 2
 * usage or I/O error.
 *
 * @module
 */
import type { Command } from 'commander'
import { formatCompact } from '../../compact/format.js'
import { LimitExceededError } from '../../errors.js'
import { audioEssence } from '../../audio/audio-essence.js'
import { fromUrl, type UrlByteSource } from '../../audio/http-source.js'
import { readAudioTag, type AudioTagReport } from '../../audio/read-audio-tag.js'
import { MAX_STREAM_BUFFER_BYTES } from '../../audio/source.js'
import type { ByteSource } from '../../audio/types.js'
import { fileSource } from '../../node/file-source.js'
import { createNodeSha256 } from '../../node/node-sha256.js'
import type { VerifyResult } from '../../sign/verify-tag.js'
import type { FoundSignal } from '../../signals/types.js'
import { errorObject, isAudioFault, messageOf } from '../_audio.js'
import { CliInputError } from '../_io.js'
import type { SetExitCode } from './index.js'
import { formatVerifyResult, verifyOptions, verifyOrUsageError, type KeyOptions } from './verify.js'

interface InspectOptions extends KeyOptions {
  readonly json?: boolean
  readonly maxBytes?: string
}

const HELP_AFTER = `
Shows the container and codec, the readable line (NOAI), the document (NOAI_TAG: signed,
unsigned or none) with its issuer, usage and subject, whether the readable line matches the
document, the essence digest computed from the audio, the other AI-usage signals found (IPTC/PLUS
DataMining in XMP, C2PA manifest presence) and the reader's warnings.

A signed tag is verified when keys are given (--jwks FILE, or --issuer-discovery to fetch the
issuer's key set), bound to the computed essence digest: a tag copied from another file reports
content-hash-mismatch. Without keys it is shown unverified.

A URL (http or https) is read with HTTP Range requests, fetching only what is needed; when the
server ignores Range, the file is downloaded once, up to --max-bytes (default 256 MiB). Computing
the essence digest reads the whole audio.

Exit status: 0 the file was read (whatever it holds), 1 its tag is invalid (a document that is not
a valid tag, or a failed verification) or its audio is damaged or unsupported, 2 usage or I/O
error (including a URL that cannot be fetched).

Examples:
  noai inspect song.mp3
  noai inspect song.flac --jwks keys/jwks.json --trust https://label.example
  noai inspect https://cdn.example/track.m4a --issuer-discovery --json
`

const IS_URL = /^https?:\/\//i

/** What `noai inspect --json` prints. */
interface Inspection {
  readonly input: string
  readonly format: string
  readonly codec?: string
  readonly readable?: string
  readonly document: 'signed' | 'unsigned' | 'none'
  readonly jws?: string
  /** The tag (unverified unless `verification.state` says otherwise). */
  readonly tag?: AudioTagReport['tag']
  /** A document is present and is not a valid tag. */
  readonly documentInvalid: boolean
  readonly mismatch: boolean
  readonly essence?: { readonly format: string; readonly sha256: string }
  readonly essenceError?: { readonly code: string; readonly message: string }
  /** Whether the computed digest is one the tag's subject names (when both are known). */
  readonly essenceInTag?: boolean
  readonly verification?: VerifyResult | { readonly state: 'not-verified'; readonly reason: string }
  readonly signals: readonly FoundSignal[]
  readonly foreign: readonly { readonly kind: string; readonly location: string; readonly offset: number; readonly length: number }[]
  readonly warnings: readonly string[]
  readonly transfer?: { readonly url: string; readonly ranged: boolean; readonly bytesFetched: number; readonly requests: number; readonly size: number }
}

/** The limits of fetching a URL (an I/O bound, exit status 2), as opposed to the audio's own limits. */
const TRANSFER_LIMITS = new Set(['maxBytes', 'maxRequests', 'maxStreamBytes'])
const isTransferLimit = (e: unknown): boolean => e instanceof LimitExceededError && TRANSFER_LIMITS.has(e.limit)

function parseMaxBytes(text: string | undefined): number {
  if (text === undefined) return MAX_STREAM_BUFFER_BYTES
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n <= 0) throw new CliInputError(`--max-bytes must be a positive whole number of bytes, not ${JSON.stringify(text)}`)
  return n
}

async function verification(report: AudioTagReport, essence: Inspection['essence'], o: InspectOptions): Promise<Inspection['verification']> {
  if (report.document === undefined) return undefined
  if (report.jws === undefined) return { state: 'not-verified', reason: 'the tag is not signed' }
  if (o.jwks === undefined && o.issuerDiscovery !== true) return { state: 'not-verified', reason: 'no keys given (use --jwks or --issuer-discovery)' }
  const options = await verifyOptions(o, report.jws)
  if (essence !== undefined) options.essence = essence
  return verifyOrUsageError(report.jws, options)
}

async function inspectSource(input: string, source: ByteSource, o: InspectOptions): Promise<Inspection> {
  const report = await readAudioTag(source)
  let essence: Inspection['essence']
  let essenceError: Inspection['essenceError']
  try {
    essence = await audioEssence(source, { createHasher: createNodeSha256 })
  } catch (e) {
    // A URL over --max-bytes still shows its tag; the binding is then not checked.
    if (!isAudioFault(e)) throw e
    essenceError = errorObject(e)
  }
  const subject = report.tag?.subject.essence
  const essenceInTag = essence === undefined || subject === undefined ? undefined : subject.some((d) => d.format === essence.format && d.sha256 === essence.sha256)
  const verified = await verification(report, essence, o)
  const u = source as Partial<UrlByteSource>
  return {
    input,
    format: report.format,
    ...(report.codec === undefined ? {} : { codec: report.codec }),
    ...(report.readable === undefined ? {} : { readable: report.readable }),
    document: report.document === undefined ? 'none' : report.signed ? 'signed' : 'unsigned',
    ...(report.jws === undefined ? {} : { jws: report.jws }),
    ...(report.tag === undefined ? {} : { tag: report.tag }),
    documentInvalid: report.document !== undefined && report.tag === undefined,
    mismatch: report.mismatch,
    ...(essence === undefined ? {} : { essence }),
    ...(essenceError === undefined ? {} : { essenceError }),
    ...(essenceInTag === undefined ? {} : { essenceInTag }),
    ...(verified === undefined ? {} : { verification: verified }),
    signals: report.signals.filter((s) => s.signal !== 'noai-tag'),
    foreign: report.foreign.map(({ kind, location, offset, length }) => ({ kind, location, offset, length })),
    warnings: report.warnings,
    ...(u.url === undefined ? {} : { transfer: { url: u.url, ranged: u.ranged!, bytesFetched: u.bytesFetched!, requests: u.requests!, size: source.size } }),
  }
}

function signalLine(s: FoundSignal): string {
  const usage = Object.keys(s.usage).length > 0 ? formatCompact(s.usage) : 'no uses'
  const notes = s.tokens.flatMap((t) => (t.read === 'ignored' && t.note ? [t.note] : []))
  const written = s.source.text === undefined ? '' : ` (written ${JSON.stringify(s.source.text)})`
  return `  ${s.signal} (${s.source.name ?? s.source.kind}): ${usage}${written}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`
}

function formatText(r: Inspection): string {
  const lines = [`input: ${r.input}`, `format: ${r.format}${r.codec === undefined ? '' : ` (codec ${r.codec})`}`]
  if (r.transfer) lines.push(`transfer: ${r.transfer.bytesFetched} of ${r.transfer.size} bytes in ${r.transfer.requests} requests (${r.transfer.ranged ? 'Range requests' : 'the server ignores Range: full download'})`)
  lines.push(`readable line: ${r.readable ?? '(none)'}`)
  lines.push(`document: ${r.document}${r.documentInvalid ? ' (NOT a valid tag, see the warnings)' : ''}`)
  if (r.tag) {
    lines.push(`tag${r.verification && 'codes' in r.verification && r.verification.state !== 'invalid' ? '' : ' (unverified)'}:`)
    if (r.tag.issuer !== undefined) lines.push(`  issuer: ${r.tag.issuer}`)
    lines.push(`  usage: ${formatCompact(r.tag.usage)}`)
    lines.push(`  issued: ${r.tag.issued}${r.tag.expires === undefined ? '' : `, expires ${r.tag.expires}`}`)
    for (const d of r.tag.subject.essence ?? []) lines.push(`  subject essence: ${d.format}:${d.sha256}`)
    if (r.tag.subject.self) lines.push('  subject: this file (self)')
    if (r.mismatch) lines.push('  MISMATCH: the readable line does not say what the document says; the document wins (docs/spec.md §8.3)')
  }
  if (r.essence) lines.push(`essence: ${r.essence.format}:${r.essence.sha256}${r.essenceInTag === undefined ? '' : r.essenceInTag ? ' (named by the tag)' : ' (NOT named by the tag)'}`)
  if (r.essenceError) lines.push(`essence: not computed: ${r.essenceError.message}`)
  if (r.verification) {
    if ('codes' in r.verification) lines.push('verification:', ...formatVerifyResult(r.verification).trimEnd().split('\n').map((l) => `  ${l}`))
    else lines.push(`verification: not verified: ${r.verification.reason}`)
  }
  lines.push(r.signals.length === 0 ? 'other signals: none' : 'other signals:')
  for (const s of r.signals) lines.push(signalLine(s))
  for (const w of r.warnings) lines.push(`warning: ${w}`)
  return `${lines.join('\n')}\n`
}

async function run(input: string, o: InspectOptions, setExitCode: SetExitCode): Promise<void> {
  if (o.jwks !== undefined && o.issuerDiscovery === true) throw new CliInputError('give at most one of --jwks FILE and --issuer-discovery')
  const maxBytes = parseMaxBytes(o.maxBytes)
  let result: Inspection
  try {
    if (IS_URL.test(input)) result = await inspectSource(input, await fromUrl(input, { maxBytes }), o)
    else {
      const source = await fileSource(input).catch((e: unknown) => {
        throw new CliInputError(`cannot read ${input}: ${messageOf(e)}`, { cause: e })
      })
      try {
        result = await inspectSource(input, source, o)
      } finally {
        await source.close()
      }
    }
  } catch (e) {
    if (!isAudioFault(e) || isTransferLimit(e)) throw e
    process.stderr.write(`noai inspect: ${input}: ${messageOf(e)}\n`)
    if (o.json) process.stdout.write(`${JSON.stringify({ input, error: errorObject(e) })}\n`)
    return setExitCode(1)
  }
  process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : formatText(result))
  if (result.documentInvalid || (result.verification !== undefined && result.verification.state === 'invalid')) setExitCode(1)
}

/**
 * Registers `noai inspect`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('inspect')
    .summary('show the NoAI Tag and other AI-usage signals of an audio file or URL')
    .description('Show what an audio file (or an http(s) URL of one) says about AI use: our tag and its verification, other signals, container facts (docs/spec.md §10).')
    .argument('<audio>', 'an audio file, or an http(s) URL of one')
    .option('--json', 'print one JSON object')
    .option('--jwks <file>', "verify a signed tag with this key set file (JWKS) of the issuer's public keys")
    .option('--issuer-discovery', "verify a signed tag with the key set fetched from the issuer's well-known path")
    .option('--allow-http-loopback', 'with --issuer-discovery, allow http://localhost, 127.0.0.1 and [::1] issuers (tests, demos)')
    .option('--trust <origins...>', 'issuer origins you trust')
    .option('--now <date-time>', 'verify as of this time instead of now')
    .option('--max-bytes <n>', 'for a URL: most bytes to transfer (default 268435456)')
    .showHelpAfterError('(run noai inspect --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (input: string, options: InspectOptions) => {
      try {
        await run(input, options, setExitCode)
      } catch (e) {
        process.stderr.write(`noai inspect: ${messageOf(e)}\n`)
        setExitCode(2)
      }
    })
}
