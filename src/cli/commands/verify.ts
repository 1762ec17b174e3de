/**
 * `noai verify JWS_OR_FILE (--jwks FILE | --issuer-discovery) [--url URL] [--essence FORMAT:SHA256]
 * [--trust ORIGIN...] [--now DATE] [--json]`: verifies a signed tag (docs/spec.md §13.8) and
 * prints its state and codes. Exit status 0 valid or trusted, 1 invalid, 2 usage or I/O error.
 *
 * The argument may also be an audio file (told by its magic bytes, docs/spec.md §10): its signed
 * tag is verified and bound to the essence digest computed from the file, so that a tag copied
 * onto another file reports `content-hash-mismatch`.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import type { AudioTagReport } from '../../audio/read-audio-tag.js'
import { InvalidArgumentError } from '../../errors.js'
import { audioFileEssence } from '../../node/audio-file-essence.js'
import { readAudioFile } from '../../node/read-audio-file.js'
import {
  CODE_DESCRIPTIONS,
  INVALIDATING_CODES,
  KEY_SET_LIMITS,
  SIGN_LIMITS,
  createKeyResolver,
  parseKeySet,
  verifyTag,
  type IssuerKey,
  type VerifyResult,
  type VerifyTagOptions,
} from '../../sign.js'
import { isAudioFault, messageOf, probeAudioFile, type AudioProbe } from '../_audio.js'
import { CliInputError, STDIN_ARGUMENT, readInput } from '../_io.js'
import type { SetExitCode } from './index.js'

interface VerifyOptions {
  readonly jwks?: string
  readonly issuerDiscovery?: boolean
  readonly allowHttpLoopback?: boolean
  readonly url?: string
  readonly essence?: string
  readonly trust?: string[]
  readonly now?: string
  readonly json?: boolean
}

const HELP_AFTER = `
The signed tag is given as the compact JWS itself, as a file holding it, or as - for standard
input. Keys come from a key set file (--jwks, trusted for the issuer the tag names, because you
chose the file) or from the issuer's well-known key set (--issuer-discovery: fetched from
https://<issuer>/.well-known/noai-tag/jwks.json).

States: invalid (see the codes), valid (signature holds; issuer not trusted or binding not
checked), trusted (also: the issuer is in --trust and the binding to --url/--essence holds).

An audio file (MP3, FLAC, Ogg, MP4...; told by its first bytes, not its name) is verified with
the signed tag it carries, bound to the essence digest computed from the file (--essence is then
not accepted): a tag copied from another file reports content-hash-mismatch. A file with no tag,
an unsigned tag, or damaged audio is reported with exit status 1.

Exit status: 0 valid or trusted, 1 invalid, 2 usage or I/O error.

Examples:
  noai verify tag.jws --jwks keys/jwks.json
  noai verify song.flac --jwks keys/jwks.json --trust https://label.example
  noai verify tag.jws --issuer-discovery --trust https://label.example --url https://label.example/track/1
  noai verify tag.jws --jwks jwks.json --essence flac:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 --json
`

const LOOKS_LIKE_JWS = /^[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]*$/

/** The token: read from standard input or a file, or the argument itself. */
async function readToken(arg: string): Promise<string> {
  if (arg !== STDIN_ARGUMENT && !existsSync(arg) && LOOKS_LIKE_JWS.test(arg)) return arg
  // A little room over the token limit for surrounding whitespace; a longer input is too large anyway.
  const read = await readInput({ name: arg, stdin: arg === STDIN_ARGUMENT }, SIGN_LIMITS.maxTokenLength + 1024)
  if (read.tooLarge) return 'x'.repeat(SIGN_LIMITS.maxTokenLength + 1) // reported as token-too-large
  return new TextDecoder().decode(read.bytes).trim()
}

/** The issuer the (not yet verified) payload names, to tie the keys of a --jwks file to it. */
function claimedIssuer(jws: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { issuer?: unknown }
    return typeof payload.issuer === 'string' ? payload.issuer : undefined
  } catch {
    return undefined
  }
}

/**
 * The keys of a key set file, tied to the issuer the (not yet verified) tag names.
 *
 * @example
 * ```ts
 * const keys = await keysFromFile('jwks.json', jws)
 * ```
 */
export async function keysFromFile(file: string, jws: string): Promise<IssuerKey[]> {
  const read = await readInput({ name: file, stdin: false }, KEY_SET_LIMITS.maxBytes)
  if (read.tooLarge) throw new CliInputError(`${file} is over ${KEY_SET_LIMITS.maxBytes} bytes`)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(read.bytes))
  } catch {
    throw new CliInputError(`${file} is not JSON: expected a key set (JWKS)`)
  }
  const issuer = claimedIssuer(jws)
  // Without an issuer that is an origin the tag cannot verify; verifyTag reports why.
  if (issuer === undefined) return []
  try {
    return parseKeySet(json, issuer, file)
  } catch (e) {
    if (e instanceof InvalidArgumentError) return []
    throw new CliInputError(`${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
}

function parseEssence(text: string): { format: string; sha256: string } {
  const m = /^([a-z0-9]+):([0-9a-fA-F]{64})$/.exec(text)
  if (!m) throw new CliInputError(`--essence must be FORMAT:SHA256 (e.g. flac:<64 hex digits>), not ${JSON.stringify(text)}`)
  return { format: m[1]!, sha256: m[2]!.toLowerCase() }
}

/**
 * The human-readable form of a verification result (state, issuer, kid, alg, binding, codes).
 *
 * @example
 * ```ts
 * process.stdout.write(formatVerifyResult(await verifyTag(jws, { keys })))
 * ```
 */
export function formatVerifyResult(r: VerifyResult): string {
  const lines = [`state: ${r.state}`]
  for (const [name, value] of [['issuer', r.issuer], ['kid', r.kid], ['alg', r.alg]] as const) if (value !== undefined) lines.push(`${name}: ${value}`)
  lines.push(`binding: ${r.binding}`)
  lines.push(r.codes.length === 0 ? 'codes: none' : 'codes:')
  for (const c of r.codes) lines.push(`  ${c} (${INVALIDATING_CODES.has(c) ? 'invalid' : 'information'}): ${CODE_DESCRIPTIONS[c]}`)
  if (r.detail !== undefined) lines.push(`detail: ${r.detail}`)
  for (const i of r.issues ?? []) lines.push(`  ${i.path || '/'}: ${i.message} (${i.keyword})`)
  return `${lines.join('\n')}\n`
}

/** The key, trust and time options shared by `noai verify` and `noai inspect`. */
export interface KeyOptions {
  readonly jwks?: string
  readonly issuerDiscovery?: boolean
  readonly allowHttpLoopback?: boolean
  readonly trust?: string[]
  readonly now?: string
}

type MutableVerifyOptions = { -readonly [K in keyof VerifyTagOptions]: VerifyTagOptions[K] }

/**
 * The verifyTag options of the command-line flags: keys from `--jwks` (tied to the issuer the tag
 * names) or a resolver for `--issuer-discovery`, `--trust` and `--now`.
 *
 * @throws CliInputError for an unreadable key set or a bad `--now`.
 * @example
 * ```ts
 * const options = await verifyOptions({ jwks: 'jwks.json' }, jws)
 * ```
 */
export async function verifyOptions(o: KeyOptions, jws: string): Promise<MutableVerifyOptions> {
  const options: MutableVerifyOptions = {}
  if (o.jwks !== undefined) options.keys = await keysFromFile(o.jwks, jws)
  else options.resolver = createKeyResolver({ allowHttpLoopback: o.allowHttpLoopback === true })
  if (o.trust !== undefined) options.trust = o.trust
  if (o.now !== undefined) {
    const now = new Date(o.now)
    if (Number.isNaN(now.getTime())) throw new CliInputError(`--now must be a date-time such as 2026-06-01T00:00:00Z, not ${JSON.stringify(o.now)}`)
    options.now = now
  }
  return options
}

/**
 * Runs verifyTag, turning a bad option into a usage error.
 *
 * @example
 * ```ts
 * const r = await verifyOrUsageError(jws, options)
 * ```
 */
export async function verifyOrUsageError(jws: string, options: VerifyTagOptions): Promise<VerifyResult> {
  try {
    return await verifyTag(jws, options)
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new CliInputError(e.message, { cause: e })
    throw e
  }
}

/** What an audio file holds instead of a signed tag, when it holds none. */
function unsignedReason(report: AudioTagReport): string | undefined {
  if (report.document === undefined) return report.readable === undefined ? 'holds no NoAI tag' : 'holds only a readable line, no signed tag'
  if (!report.signed) return 'holds an unsigned tag (JSON), nothing to verify'
  return undefined
}

/** Verifies the signed tag of an audio file, bound to the essence computed from the file. */
async function runAudio(file: string, probe: Exclude<AudioProbe, { kind: 'other' }>, o: VerifyOptions, setExitCode: SetExitCode): Promise<void> {
  if (o.essence !== undefined) throw new CliInputError(`${file} is an audio file: its essence digest is computed from it, so --essence is not accepted`)
  let report: AudioTagReport
  let essence: { format: string; sha256: string }
  try {
    if (probe.kind === 'refused') throw probe.error
    report = await readAudioFile(file)
    essence = await audioFileEssence(file)
  } catch (e) {
    if (!isAudioFault(e)) throw e
    process.stderr.write(`noai verify: ${file}: ${messageOf(e)}\n`)
    return setExitCode(1)
  }
  for (const w of report.warnings) process.stderr.write(`noai verify: ${file}: warning: ${w}\n`)
  const reason = unsignedReason(report)
  if (reason !== undefined || report.jws === undefined) {
    process.stderr.write(`noai verify: ${file} ${reason ?? 'holds no signed tag'}\n`)
    if (o.json) process.stdout.write(`${JSON.stringify({ file, format: report.format, essence, document: report.document === undefined ? 'none' : 'unsigned' })}\n`)
    return setExitCode(1)
  }
  const options = await verifyOptions(o, report.jws)
  options.essence = essence
  if (o.url !== undefined) options.url = o.url
  const r = await verifyOrUsageError(report.jws, options)
  process.stdout.write(o.json ? `${JSON.stringify({ ...r, file, format: report.format, essence })}\n` : `file: ${file} (${report.format})\nessence: ${essence.format}:${essence.sha256}\n${formatVerifyResult(r)}`)
  if (r.state === 'invalid') setExitCode(1)
}

async function run(arg: string, o: VerifyOptions, setExitCode: SetExitCode): Promise<void> {
  if ((o.jwks === undefined) === (o.issuerDiscovery !== true)) throw new CliInputError('give exactly one of --jwks FILE and --issuer-discovery')
  if (arg !== STDIN_ARGUMENT) {
    const probe = await probeAudioFile(arg)
    if (probe.kind !== 'other') return runAudio(arg, probe, o, setExitCode)
  }
  const jws = await readToken(arg)
  const options = await verifyOptions(o, jws)
  if (o.url !== undefined) options.url = o.url
  if (o.essence !== undefined) options.essence = parseEssence(o.essence)
  const r = await verifyOrUsageError(jws, options)
  process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatVerifyResult(r))
  if (r.state === 'invalid') setExitCode(1)
}

/**
 * Registers `noai verify`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('verify')
    .summary('verify a signed tag (compact JWS, or the tag of an audio file)')
    .description('Verify a signed NoAI Tag and report its state: invalid, valid or trusted (docs/spec.md §13.8).')
    .argument('<jws>', `the compact JWS, a file holding it, an audio file, or ${STDIN_ARGUMENT} for standard input`)
    .option('--jwks <file>', "a key set file (JWKS) holding the issuer's public keys")
    .option('--issuer-discovery', "fetch the key set from the issuer's well-known path")
    .option('--allow-http-loopback', 'with --issuer-discovery, allow http://localhost, 127.0.0.1 and [::1] issuers (tests, demos)')
    .option('--url <url>', 'the URL the tag was found at: checks the binding to subject.urls/urlPatterns')
    .option('--essence <format:sha256>', 'the audio essence digest: checks the binding to subject.essence')
    .option('--trust <origins...>', 'issuer origins you trust')
    .option('--now <date-time>', 'verify as of this time instead of now')
    .option('--json', 'print the result object as JSON')
    .showHelpAfterError('(run noai verify --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (arg: string, options: VerifyOptions) => {
      try {
        await run(arg, options, setExitCode)
      } catch (e) {
        process.stderr.write(`noai verify: ${e instanceof Error ? e.message : String(e)}\n`)
        setExitCode(2)
      }
    })
}
