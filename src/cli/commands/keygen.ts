/**
 * `noai keygen [--alg Ed25519|ES256] [--out DIR] [--kid ID] [--force]`: makes a signing key pair
 * (docs/spec.md §13.3, §14.2): `<out>/<kid>.private.jwk` (file mode 0600) and `<out>/jwks.json`,
 * the public key set to publish at the issuer's well-known path. Exit status 0, or 2 on a usage
 * or I/O error (including files that exist, unless --force).
 *
 * @module
 */
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { Option, type Command } from 'commander'
import { calculateJwkThumbprint } from 'jose'
import { WELL_KNOWN } from '../../constants.js'
import { isValidKid } from '../../sign/_jws.js'
import { keySetDocument } from '../../sign.js'
import { CliInputError } from '../_io.js'
import type { SetExitCode } from './index.js'

const PARAMS = { Ed25519: { name: 'Ed25519' }, ES256: { name: 'ECDSA', namedCurve: 'P-256' } } as const
type KeygenAlg = keyof typeof PARAMS

interface KeygenOptions {
  readonly alg: KeygenAlg
  readonly out: string
  readonly kid?: string
  readonly force?: boolean
}

const HELP_AFTER = `
Writes two files:
  <out>/<kid>.private.jwk   the private key (JWK, with kid and alg), file mode 0600: keep it secret
  <out>/jwks.json           the public key set: publish it at https://<issuer>${WELL_KNOWN.keys}

The kid defaults to the key's RFC 7638 thumbprint. Existing files are never overwritten unless
--force is given. To keep an old key verifiable after rotation, add its public key to the new
jwks.json yourself (see docs/spec.md §14).

Exit status: 0 written, 2 usage or I/O error (including existing files without --force).

Examples:
  noai keygen --out keys/
  noai keygen --alg ES256 --kid 2026-06 --out keys/
  noai sign tag.json --key keys/<kid>.private.jwk
`

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}

async function run(options: KeygenOptions): Promise<void> {
  const pair = (await globalThis.crypto.subtle.generateKey(PARAMS[options.alg], true, ['sign', 'verify'])) as CryptoKeyPair
  const { kty, crv, x, y, d } = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)
  const publicJwk: JsonWebKey = y === undefined ? { kty, crv, x } : { kty, crv, x, y }
  const kid = options.kid ?? (await calculateJwkThumbprint(publicJwk as Parameters<typeof calculateJwkThumbprint>[0]))
  if (!isValidKid(kid)) throw new CliInputError(`--kid must be 1 to 128 characters of A-Z a-z 0-9 . _ -, not ${JSON.stringify(kid)}`)
  const privateFile = path.join(options.out, `${kid}.private.jwk`)
  const jwksFile = path.join(options.out, 'jwks.json')
  if (!options.force) {
    for (const f of [privateFile, jwksFile]) if (await exists(f)) throw new CliInputError(`${f} exists; pass --force to overwrite it`)
  }
  const privateJwk = { ...publicJwk, d, kid, alg: options.alg }
  const jwks = keySetDocument([{ ...publicJwk, kid, alg: options.alg }])
  try {
    await mkdir(options.out, { recursive: true })
    // The mode applies when the file is created; chmod covers a file that --force overwrote.
    await writeFile(privateFile, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: options.force ? 'w' : 'wx' })
    await chmod(privateFile, 0o600)
    await writeFile(jwksFile, `${JSON.stringify(jwks, null, 2)}\n`, { flag: options.force ? 'w' : 'wx' })
  } catch (e) {
    throw new CliInputError(`cannot write the key files in ${options.out}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  process.stdout.write(`private key: ${privateFile} (kid ${kid}, ${options.alg}; mode 0600, keep it secret)\n`)
  process.stdout.write(`public key set: ${jwksFile} (publish at https://<issuer>${WELL_KNOWN.keys})\n`)
}

/**
 * Registers `noai keygen`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('keygen')
    .summary('make a signing key pair (private JWK and public JWKS)')
    .description('Make an Ed25519 or ES256 key pair for signing NoAI Tags (docs/spec.md §13.3, §14.2).')
    .addOption(new Option('--alg <alg>', 'signature algorithm').choices(['Ed25519', 'ES256']).default('Ed25519'))
    .option('--out <dir>', 'folder to write the key files to', '.')
    .option('--kid <id>', 'key id (default: the RFC 7638 thumbprint of the key)')
    .option('--force', 'overwrite existing files')
    .showHelpAfterError('(run noai keygen --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (options: KeygenOptions) => {
      try {
        await run(options)
      } catch (e) {
        process.stderr.write(`noai keygen: ${e instanceof Error ? e.message : String(e)}\n`)
        setExitCode(2)
      }
    })
}
