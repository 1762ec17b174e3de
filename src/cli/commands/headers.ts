/**
 * `noai headers TAG [--link URL] [--license-url URL] [--json]`: prints the HTTP response header
 * fields that carry a tag (docs/spec.md §11.1): `NoAI-Tag`, `NoAI-Tag-JWS` for a signed tag, and
 * the aipref, TDMRep and X-Robots-Tag fields derived through the mapping table. Exit status 0, 1
 * the tag is not valid, 2 usage or I/O error.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import type { Command } from 'commander'
import { InvalidArgumentError, JsonParseError, LimitExceededError, TagValidationError } from '../../errors.js'
import { decodeSignedTag, isCompactJws } from '../../http/_decode-tag.js'
import { tagHeaders, type TagHeadersOptions } from '../../http.js'
import type { NoaiTag } from '../../model/tag.js'
import { SIGN_LIMITS } from '../../sign/sign-limits.js'
import { parseTag } from '../../validate/parse.js'
import { CliInputError, STDIN_ARGUMENT, readInput } from '../_io.js'
import type { SetExitCode } from './index.js'

/** A tag given on the command line: a document, or a signed tag and its (unverified) payload. */
export interface TagArgument {
  readonly tag: NoaiTag
  readonly jws?: string
}

/** The tag is not valid: reported by the command with exit status 1. */
export class TagArgumentError extends Error {
  override name = 'TagArgumentError'
}

const LOOKS_LIKE_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/**
 * Reads a tag argument: a compact JWS given as is, or a file (`-`: standard input) holding a tag
 * document (JSON) or a compact JWS. A JWS is decoded, not verified: the payload says what to serve.
 *
 * @example
 * ```ts
 * const { tag, jws } = await readTagArgument('tag.json')
 * ```
 */
export async function readTagArgument(arg: string): Promise<TagArgument> {
  let text: string | undefined
  let bytes: Uint8Array | undefined
  if (arg !== STDIN_ARGUMENT && !existsSync(arg) && LOOKS_LIKE_JWS.test(arg)) text = arg
  else {
    const read = await readInput({ name: arg, stdin: arg === STDIN_ARGUMENT }, SIGN_LIMITS.maxTokenLength + 1024)
    if (read.tooLarge) throw new TagArgumentError(`${arg} is larger than a tag can be (${SIGN_LIMITS.maxTokenLength} characters)`)
    bytes = read.bytes
    const trimmed = new TextDecoder().decode(bytes).trim()
    if (isCompactJws(trimmed)) text = trimmed
  }
  if (text !== undefined) {
    const decoded = decodeSignedTag(text)
    if (!decoded.ok) throw new TagArgumentError(`the signed tag cannot be read: ${decoded.error}`)
    return { tag: decoded.tag, jws: text }
  }
  try {
    return { tag: parseTag(bytes!) }
  } catch (e) {
    if (e instanceof TagValidationError) throw new TagArgumentError(`not a valid tag:\n${e.issues.map((i) => `  ${i.path || '/'}: ${i.message} (${i.keyword})`).join('\n')}`)
    if (e instanceof JsonParseError || e instanceof LimitExceededError) throw new TagArgumentError(e.message)
    throw e
  }
}

/** Runs a command body, mapping its errors to messages and exit codes (1 bad tag, 2 usage or I/O). */
export async function runTagCommand(name: string, setExitCode: SetExitCode, body: () => Promise<void>): Promise<void> {
  try {
    await body()
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    process.stderr.write(`noai ${name}: ${message}\n`)
    setExitCode(e instanceof TagArgumentError ? 1 : 2)
  }
}

interface HeadersOptions {
  readonly link?: string
  readonly licenseUrl?: string
  readonly json?: boolean
}

const HELP_AFTER = `
TAG is a tag document (JSON), a signed tag (compact JWS) or a file holding either (- for standard
input). The fields say the same as the tag to crawlers that read only aipref (Content-Usage),
TDMRep (tdm-reservation) or X-Robots-Tag (noai, noimageai); a signed tag is sent as NoAI-Tag-JWS.

Examples:
  noai headers tag.json
  noai headers tag.jws --link https://music.example/track/1.tag.jws --json
`

async function run(arg: string, o: HeadersOptions): Promise<void> {
  const { tag, jws } = await readTagArgument(arg)
  const options: TagHeadersOptions = { ...(jws !== undefined ? { jws } : {}), ...(o.link !== undefined ? { link: o.link } : {}), ...(o.licenseUrl !== undefined ? { licenseUrl: o.licenseUrl } : {}) }
  let fields: Record<string, string>
  try {
    fields = tagHeaders(tag, options)
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new CliInputError(e.message, { cause: e })
    throw e
  }
  process.stdout.write(o.json ? `${JSON.stringify(fields, null, 2)}\n` : Object.entries(fields).map(([k, v]) => `${k}: ${v}\n`).join(''))
}

/**
 * Registers `noai headers`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('headers')
    .summary('print the HTTP header fields to serve with a tag')
    .description('Print the HTTP response header fields that carry a tag (docs/spec.md §11.1).')
    .argument('<tag>', `a tag document, a compact JWS, or a file holding one (${STDIN_ARGUMENT}: standard input)`)
    .option('--link <url>', 'announce a tag document or signed tag at this URL (Link: rel="noai-tag")')
    .option('--license-url <url>', 'the licence URL sent as tdm-policy (default: the tag\'s license)')
    .option('--json', 'print the fields as one JSON object')
    .showHelpAfterError('(run noai headers --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action((arg: string, options: HeadersOptions) => runTagCommand('headers', setExitCode, () => run(arg, options)))
}
