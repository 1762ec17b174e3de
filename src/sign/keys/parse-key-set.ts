/**
 * Validates a NoAI Tag key set document (docs/spec.md §14.2, §14.4): a JWKS (RFC 7517 §5).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js'
import type { IssuerKey } from '../types.js'
import { isOrigin } from './_issuer.js'
import { readKeyMember } from './_jwk.js'
import { KeyResolutionError } from './errors.js'
import { KEY_SET_LIMITS } from './limits.js'

/**
 * Validates a key set (the parsed JSON of a JWKS) and returns the issuer's signature keys.
 *
 * The set must be an object with a `keys` array of at most {@link KEY_SET_LIMITS}.maxKeys members.
 * Each member must be a public key (no `d`, `p`, `q`, `dp`, `dq`, `qi`, `oth` or `k`), of type
 * OKP/Ed25519 or EC/P-256, with a unique `kid` of 1-128 characters from `A-Z a-z 0-9 . _ -`;
 * any `alg` must fit the key. A member whose `use` is not `sig`, whose `key_ops` lack `verify`,
 * or whose `noai_status` is unknown is skipped. `noai_status: "retired"` gives a retired key;
 * `noai_status: "revoked"` or any `noai_revoked_at` gives a revoked key (docs/spec.md §14.4).
 * Returned keys and their JWKs are frozen and hold public members only.
 *
 * @param json - The parsed key set.
 * @param issuer - The issuer origin the keys belong to (e.g. `https://example.com`).
 * @param source - Where the set came from: its URL, or `"options.keys"` for keys given directly.
 * @throws KeyResolutionError (`ERR_NOAI_KEY_RESOLUTION`) if the set is invalid; InvalidArgumentError
 *   if `issuer` is not an origin.
 *
 * @example
 * ```ts
 * const keys = parseKeySet(JSON.parse(text), 'https://example.com', 'https://example.com/.well-known/noai-tag/jwks.json')
 * keys[0] // { issuer, kid: '2026-01', jwk: { kty: 'OKP', crv: 'Ed25519', x: '…' }, status: 'active', source }
 * ```
 */
export function parseKeySet(json: unknown, issuer: string, source: string): IssuerKey[] {
  if (!isOrigin(issuer)) throw new InvalidArgumentError(`issuer must be an origin such as "https://example.com", got ${JSON.stringify(issuer)}`)
  if (typeof source !== 'string') throw new InvalidArgumentError('source must be a string')
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new KeyResolutionError('key set is not a JSON object')
  const members = (json as Record<string, unknown>)['keys']
  if (!Array.isArray(members)) throw new KeyResolutionError('key set has no "keys" array')
  if (members.length > KEY_SET_LIMITS.maxKeys) {
    throw new KeyResolutionError(`key set has ${members.length} keys, over the limit maxKeys = ${KEY_SET_LIMITS.maxKeys}`)
  }
  const kids = new Set<string>()
  const keys: IssuerKey[] = []
  members.forEach((member, i) => {
    const read = readKeyMember(member, `keys[${i}]`)
    if (read.kind === 'bad') throw new KeyResolutionError(`invalid key set: ${read.error}`)
    if (kids.has(read.kid)) throw new KeyResolutionError(`invalid key set: keys[${i}] repeats the kid ${JSON.stringify(read.kid)}`)
    kids.add(read.kid)
    if (read.kind === 'ignored') return
    const key: IssuerKey = read.revokedAt === undefined
      ? { issuer, kid: read.kid, jwk: read.jwk, status: read.status, source }
      : { issuer, kid: read.kid, jwk: read.jwk, status: read.status, revokedAt: read.revokedAt, source }
    keys.push(Object.freeze(key))
  })
  return keys
}
