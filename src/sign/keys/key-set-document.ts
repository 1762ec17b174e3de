/**
 * The key set document an issuer serves at its well-known path (docs/spec.md §14.2, §14.7).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js'
import { isDateTime } from '../../_internal/formats.js'
import type { IssuerKey, KeyStatus } from '../types.js'
import { readKeyMember } from './_jwk.js'
import { KEY_SET_LIMITS } from './limits.js'

/** A JWK with its `kid` (private members, if any, are dropped). */
export type JwkWithKid = JsonWebKey & { readonly kid: string; readonly noai_status?: string; readonly noai_revoked_at?: string }

/** One member of a served key set. */
export interface KeySetMember {
  readonly kty: string
  readonly crv: string
  readonly x: string
  readonly y?: string
  readonly kid: string
  readonly alg?: string
  readonly use: 'sig'
  readonly noai_status?: 'retired' | 'revoked'
  readonly noai_revoked_at?: string
}

/** A key set document (RFC 7517 §5). */
export interface KeySetDocument {
  readonly keys: readonly KeySetMember[]
}

/** Options of {@link keySetDocument}. */
export interface KeySetDocumentOptions {
  /** `kid`s to mark retired (docs/spec.md §14.4). */
  readonly retired?: readonly string[]
  /** `kid`s to mark revoked, each with its revocation time (RFC 3339). Revocation wins over retirement. */
  readonly revoked?: Readonly<Record<string, string>>
}

/**
 * Builds the key set document to serve at `/.well-known/noai-tag/jwks.json`: public members only
 * (`kty`, `crv`, `x`, `y`, `kid`, `alg`, plus `use: "sig"`), with `noai_status` and
 * `noai_revoked_at` for retired and revoked keys. Keys may be JWKs (private ones too: their
 * private members are dropped) or {@link IssuerKey}s, whose `status` is used. Keep retired and
 * revoked keys in the list (docs/spec.md §14.5).
 *
 * @throws InvalidArgumentError if a key is not an OKP/Ed25519 or EC/P-256 key with a valid `kid`,
 *   a `kid` repeats, a revocation time is not RFC 3339, or there are more than 64 keys.
 *
 * @example
 * ```ts
 * const doc = keySetDocument([newPublicJwk, oldPublicJwk], { retired: [oldPublicJwk.kid] })
 * return new Response(JSON.stringify(doc), { headers: keySetHeaders() })
 * ```
 */
export function keySetDocument(keys: readonly (JwkWithKid | IssuerKey)[], options: KeySetDocumentOptions = {}): KeySetDocument {
  if (!Array.isArray(keys)) throw new InvalidArgumentError('keys must be an array')
  if (keys.length > KEY_SET_LIMITS.maxKeys) throw new InvalidArgumentError(`${keys.length} keys, over the limit maxKeys = ${KEY_SET_LIMITS.maxKeys}`)
  const retired = new Set(options.retired ?? [])
  const revoked = options.revoked ?? {}
  for (const [kid, time] of Object.entries(revoked)) {
    if (typeof time !== 'string' || !isDateTime(time)) throw new InvalidArgumentError(`revocation time of ${JSON.stringify(kid)} is not an RFC 3339 date-time`)
  }
  const seen = new Set<string>()
  const members = keys.map((input, i) => {
    const { jwk, status, revokedAt } = normalise(input, i)
    const read = readKeyMember(publicPart(jwk), `keys[${i}]`)
    if (read.kind === 'bad') throw new InvalidArgumentError(read.error)
    if (read.kind === 'ignored') throw new InvalidArgumentError(`keys[${i}] is not a signature key: ${read.reason}`)
    if (seen.has(read.kid)) throw new InvalidArgumentError(`keys[${i}] repeats the kid ${JSON.stringify(read.kid)}`)
    seen.add(read.kid)
    const revokedTime = Object.prototype.hasOwnProperty.call(revoked, read.kid) ? revoked[read.kid] : undefined
    const final: KeyStatus = revokedTime !== undefined || status === 'revoked' ? 'revoked' : retired.has(read.kid) || status === 'retired' ? 'retired' : 'active'
    const member: Record<string, string> = { ...(read.jwk as Record<string, string>), kid: read.kid, use: 'sig' }
    if (final !== 'active') member['noai_status'] = final
    const time = revokedTime ?? revokedAt
    if (final === 'revoked' && time !== undefined) member['noai_revoked_at'] = time
    return member as unknown as KeySetMember
  })
  return { keys: members }
}

function normalise(input: JwkWithKid | IssuerKey, i: number): { jwk: Record<string, unknown>; status: KeyStatus; revokedAt: string | undefined } {
  if (typeof input !== 'object' || input === null) throw new InvalidArgumentError(`keys[${i}] is not an object`)
  if ('jwk' in input && typeof input.jwk === 'object' && input.jwk !== null && 'status' in input) {
    return { jwk: { ...(input.jwk as Record<string, unknown>), kid: input.kid }, status: input.status, revokedAt: input.revokedAt }
  }
  const jwk = input as unknown as Record<string, unknown>
  const stated = jwk['noai_status']
  const status: KeyStatus = stated === 'revoked' || jwk['noai_revoked_at'] !== undefined ? 'revoked' : stated === 'retired' ? 'retired' : 'active'
  const at = jwk['noai_revoked_at']
  return { jwk, status, revokedAt: typeof at === 'string' && isDateTime(at) ? at : undefined }
}

// Only members a verifier needs; everything else (private members, key_ops, x5c, ext) is dropped.
function publicPart(jwk: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const name of ['kty', 'crv', 'x', 'y', 'kid', 'alg']) if (jwk[name] !== undefined) out[name] = jwk[name]
  return out
}
