/**
 * `noai sign TAG.json --key PRIVATE.jwk [--kid ID] [--alg ALG]`: validates a tag document and
 * prints it signed, as a compact JWS (docs/spec.md §13). Exit status 0 signed, 1 the tag is not
 * valid (or names no issuer), 2 usage or I/O error (including an unusable key).
 *
 * @module
 */
import { Option, type Command } from 'commander'
import { InvalidArgumentError, JsonParseError, LimitExceededError, TagValidationError } from '../../errors.js'
import { LIMITS } from '../../limits.js'
import { parseTag } from '../../validate/parse.js'
import { signTag, type SigningAlgorithm } from '../../sign.js'
import { CliInputError, STDIN_ARGUMENT, readInput } from '../_io.js'
import type { SetExitCode } from './index.js'

/** Largest private key file read, in bytes (a JWK is a few hundred). */
const MAX_KEY_FILE_BYTES = 16_384

interface SignOptions {
  readonly key: string
  readonly kid?: string
  readonly alg?: SigningAlgorithm
}

const HELP_AFTER = `
The tag must be a valid tag document with an issuer (the https origin whose key set has the key).
The key is a private JWK, as written by noai keygen; its kid is used unless --kid is given. The
JWS is printed on standard output, followed by a newline.

Exit status: 0 signed, 1 the tag is not valid, 2 usage or I/O error (including an unusable key).

Examples:
  noai sign tag.json --key keys/2026-06.private.jwk > tag.jws
  noai verify tag.jws --jwks keys/jwks.json
`

async function readKey(file: string): Promise<JsonWebKey> {
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

/** Prints why the tag cannot be signed; returns false when the error is not about the tag. */
function reportTagProblem(name: string, e: unknown): boolean {
  if (e instanceof TagValidationError) {
    process.stderr.write(`noai sign: ${name} is not a valid tag:\n`)
    for (const i of e.issues) process.stderr.write(`  ${i.path || '/'}: ${i.message} (${i.keyword})\n`)
    return true
  }
  if (e instanceof JsonParseError || e instanceof LimitExceededError) {
    process.stderr.write(`noai sign: ${name}: ${e.message}\n`)
    return true
  }
  return false
}

async function run(input: string, options: SignOptions, setExitCode: SetExitCode): Promise<void> {
  const read = await readInput({ name: input, stdin: input === STDIN_ARGUMENT }, LIMITS.maxDocumentBytes)
  const name = input === STDIN_ARGUMENT ? 'standard input' : input
  if (read.tooLarge) {
    reportTagProblem(name, new LimitExceededError('maxDocumentBytes', LIMITS.maxDocumentBytes, read.size, 'document size in bytes'))
    return setExitCode(1)
  }
  const key = await readKey(options.key)
  try {
    const tag = parseTag(read.bytes)
    const jws = await signTag(tag, key, { kid: options.kid, alg: options.alg })
    process.stdout.write(`${jws}\n`)
  } catch (e) {
    if (reportTagProblem(name, e)) return setExitCode(1)
    if (e instanceof InvalidArgumentError) throw new CliInputError(`${options.key}: ${e.message}`, { cause: e })
    throw e
  }
}

/**
 * Registers `noai sign`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('sign')
    .summary('sign a tag document (prints a compact JWS)')
    .description('Validate a NoAI Tag document and sign it with a private JWK (docs/spec.md §13).')
    .argument('<tag>', `the tag document (JSON), or ${STDIN_ARGUMENT} for standard input`)
    .requiredOption('--key <file>', 'the private key (JWK), e.g. from noai keygen')
    .option('--kid <id>', "key id to write in the header (default: the JWK's kid)")
    .addOption(new Option('--alg <alg>', 'algorithm (default: from the key; Ed25519 for Ed25519 keys)').choices(['Ed25519', 'EdDSA', 'ES256']))
    .showHelpAfterError('(run noai sign --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (input: string, options: SignOptions) => {
      try {
        await run(input, options, setExitCode)
      } catch (e) {
        process.stderr.write(`noai sign: ${e instanceof Error ? e.message : String(e)}\n`)
        setExitCode(2)
      }
    })
}
