/**
 * A resolver over keys the caller already has (docs/spec.md §14.6): keys given out of band, each
 * tied to one issuer.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js'
import type { IssuerKey, KeyResolver } from '../types.js'
import { KEYS_TEST_HOOKS } from './_hooks.js'
import { showKid } from './_kid.js'

const STATUSES = new Set(['active', 'retired', 'revoked'])

/**
 * Creates a resolver that answers from a fixed list of keys and makes no requests. A key is found
 * only under its own issuer: the same `kid` under another issuer is `key-not-found`. Issuer and
 * `kid` are compared as exact strings.
 *
 * @param keys - The keys, e.g. from {@link parseKeySet} with source `"options.keys"`.
 * @throws InvalidArgumentError if a key is malformed or an issuer lists one `kid` twice.
 *
 * @example
 * ```ts
 * const keys = parseKeySet(trustedJwks, 'https://music.example', 'options.keys')
 * const resolver = createStaticKeyResolver(keys)
 * await resolver.lookup('https://music.example', '2026-01') // { found: true, key }
 * ```
 */
export function createStaticKeyResolver(keys: readonly IssuerKey[]): KeyResolver {
  if (!Array.isArray(keys)) throw new InvalidArgumentError('keys must be an array of IssuerKey')
  const byIssuer = new Map<string, Map<string, IssuerKey>>()
  keys.forEach((key, i) => {
    if (typeof key !== 'object' || key === null || typeof key.issuer !== 'string' || typeof key.kid !== 'string') {
      throw new InvalidArgumentError(`keys[${i}] must have string issuer and kid`)
    }
    if (typeof key.jwk !== 'object' || key.jwk === null) throw new InvalidArgumentError(`keys[${i}] has no jwk object`)
    if (!STATUSES.has(key.status)) throw new InvalidArgumentError(`keys[${i}] has status ${JSON.stringify(key.status)}; expected active, retired or revoked`)
    let kids = byIssuer.get(key.issuer)
    if (kids === undefined) byIssuer.set(key.issuer, (kids = new Map()))
    if (kids.has(key.kid)) throw new InvalidArgumentError(`keys[${i}] repeats kid ${JSON.stringify(key.kid)} of issuer ${key.issuer}`)
    kids.set(key.kid, Object.freeze({ ...key }))
  })
  return {
    async lookup(issuer, kid, options) {
      options?.signal?.throwIfAborted()
      let key = byIssuer.get(issuer)?.get(kid)
      if (key === undefined && KEYS_TEST_HOOKS.skipStaticIssuerMatch) {
        for (const kids of byIssuer.values()) key ??= kids.get(kid)
      }
      if (key !== undefined) return { found: true, key }
      const detail = `no key with kid ${showKid(kid)} given for issuer ${JSON.stringify(String(issuer).slice(0, 200))}`
      return { found: false, failure: 'key-not-found', detail }
    },
  }
}
