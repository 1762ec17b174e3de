/**
 * Keys from a key set file (`noai scan --jwks FILE`), as `noai verify --jwks` uses them: the file
 * is the caller's choice, so its keys are taken for whichever issuer a tag names (each tag is
 * still checked against `--trust` for the `trusted` state, docs/spec.md §13.8).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js'
import { createStaticKeyResolver, KEY_SET_LIMITS, parseKeySet, type KeyResolver } from '../../sign.js'
import { CliInputError, readInput } from '../_io.js'

/** Issuers whose keys are kept parsed at once (a scan usually meets a handful). */
const MAX_CACHED_ISSUERS = 1024

/** An origin used only to check the file's keys before the scan starts. */
const PROBE_ISSUER = 'https://jwks-file.invalid'

/**
 * Reads a key set file and returns a resolver over its keys, for any issuer.
 *
 * @throws CliInputError when the file cannot be read or is not a valid key set.
 * @example
 * ```ts
 * const resolver = await jwksFileResolver('keys/jwks.json')
 * ```
 */
export async function jwksFileResolver(file: string): Promise<KeyResolver> {
  const read = await readInput({ name: file, stdin: false }, KEY_SET_LIMITS.maxBytes)
  if (read.tooLarge) throw new CliInputError(`${file} is over ${KEY_SET_LIMITS.maxBytes} bytes: not a key set`)
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder().decode(read.bytes))
  } catch {
    throw new CliInputError(`${file} is not JSON: expected a key set (JWKS)`)
  }
  try {
    parseKeySet(json, PROBE_ISSUER, file)
  } catch (e) {
    throw new CliInputError(`${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  const byIssuer = new Map<string, KeyResolver | string>()
  return {
    async lookup(issuer, kid, options) {
      let r = byIssuer.get(issuer)
      if (r === undefined) {
        try {
          r = createStaticKeyResolver(parseKeySet(json, issuer, file))
        } catch (e) {
          if (!(e instanceof InvalidArgumentError)) throw e
          r = e.message
        }
        if (byIssuer.size >= MAX_CACHED_ISSUERS) byIssuer.clear()
        byIssuer.set(issuer, r)
      }
      if (typeof r === 'string') return { found: false, failure: 'issuer-not-allowed', detail: r }
      return r.lookup(issuer, kid, options)
    },
  }
}
