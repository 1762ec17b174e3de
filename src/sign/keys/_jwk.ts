/**
 * Reads one member of a key set's `keys` array (docs/spec.md §14.2, §14.4; RFC 7517 §4, RFC 8037
 * §2, RFC 7518 §6.2): public members only, OKP/Ed25519 or EC/P-256, a valid `kid`, and the NoAI
 * state members `noai_status` and `noai_revoked_at`.
 *
 * @internal
 * @module
 */
import { isDateTime } from '../../_internal/formats.js'
import type { KeyStatus } from '../types.js'
import { KEYS_TEST_HOOKS } from './_hooks.js'
import { isValidKid, showKid } from './_kid.js'

/** JWK members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
export const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

/** Public JWK members kept in a key (everything else is dropped). */
const CURVES = { OKP: { Ed25519: ['x'] }, EC: { 'P-256': ['x', 'y'] } } as const
const ALGS: Readonly<Record<string, readonly string[]>> = { OKP: ['EdDSA', 'Ed25519'], EC: ['ES256'] }

// 32 bytes in unpadded base64url: 43 characters, the last one carrying 2 zero bits (canonical).
const COORDINATE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/

/** A key read from a key set member. */
export interface ReadKey {
  readonly kind: 'key'
  readonly kid: string
  readonly jwk: JsonWebKey
  readonly status: KeyStatus
  readonly revokedAt: string | undefined
}

/** A member that is well-formed but not a NoAI signature key (other `use`, unknown state). */
export interface IgnoredKey {
  readonly kind: 'ignored'
  readonly kid: string
  readonly reason: string
}

/** A member that makes the whole key set invalid. */
export interface BadKey {
  readonly kind: 'bad'
  readonly error: string
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

/** Reads one `keys` member; `at` names it in messages. @internal */
export function readKeyMember(member: unknown, at: string): ReadKey | IgnoredKey | BadKey {
  if (typeof member !== 'object' || member === null || Array.isArray(member)) return bad(`${at} is not a JSON object`)
  const m = member as Record<string, unknown>
  if (!KEYS_TEST_HOOKS.skipPrivateMemberCheck) {
    const secret = PRIVATE_MEMBERS.find((name) => own(m, name))
    if (secret !== undefined) return bad(`${at} has the private key member "${secret}"; a key set holds public keys only`)
  }
  if (!isValidKid(m['kid'])) {
    return bad(`${at} has no valid "kid" (required; 1-128 characters from A-Z a-z 0-9 . _ -), got ${m['kid'] === undefined ? 'none' : showKid(m['kid'])}`)
  }
  const kid = m['kid']
  if (own(m, 'use') && m['use'] !== 'sig') return { kind: 'ignored', kid, reason: `"use" is ${JSON.stringify(m['use'])}, not "sig"` }
  if (own(m, 'key_ops') && !(Array.isArray(m['key_ops']) && m['key_ops'].includes('verify'))) {
    return { kind: 'ignored', kid, reason: '"key_ops" does not include "verify"' }
  }
  const material = readMaterial(m, at)
  if (typeof material === 'string') return bad(material)
  return readState(m, kid, material, at)
}

function readMaterial(m: Record<string, unknown>, at: string): JsonWebKey | string {
  const kty = m['kty']
  const curves = (kty === 'OKP' || kty === 'EC' ? CURVES[kty] : undefined) as Record<string, readonly string[]> | undefined
  if (!curves) return `${at} has "kty" ${JSON.stringify(kty)}; only "OKP" (Ed25519) and "EC" (P-256) are allowed`
  const crv = m['crv']
  const coordinates = typeof crv === 'string' && own(curves, crv) ? curves[crv] : undefined
  if (!coordinates) return `${at} has "crv" ${JSON.stringify(crv)}; ${kty} keys must use ${Object.keys(curves).join(' or ')}`
  const jwk: Record<string, string> = { kty: kty as string, crv: crv as string }
  for (const c of coordinates) {
    const v = m[c]
    if (typeof v !== 'string' || !COORDINATE.test(v)) return `${at} has no valid "${c}" (32 bytes in unpadded base64url)`
    jwk[c] = v
  }
  if (own(m, 'alg')) {
    const allowed = ALGS[kty as string]!
    if (typeof m['alg'] !== 'string' || !allowed.includes(m['alg'])) {
      return `${at} has "alg" ${JSON.stringify(m['alg'])}, which does not fit a ${kty} ${crv as string} key (${allowed.join(' or ')})`
    }
    jwk['alg'] = m['alg']
  }
  return Object.freeze(jwk) as JsonWebKey
}

// docs/spec.md §14.4: a revocation time, or the "revoked" state, makes the key revoked whatever
// else the member says ("revocation wins"); the time is informational, so a malformed one does
// not make the key usable again.
function readState(m: Record<string, unknown>, kid: string, jwk: JsonWebKey, at: string): ReadKey | IgnoredKey | BadKey {
  const status = m['noai_status']
  const revokedAt = m['noai_revoked_at']
  if (status !== undefined && typeof status !== 'string') return bad(`${at} has a "noai_status" that is not a string`)
  if (status === 'revoked' || revokedAt !== undefined) {
    const time = typeof revokedAt === 'string' && isDateTime(revokedAt) ? revokedAt : undefined
    return { kind: 'key', kid, jwk, status: 'revoked', revokedAt: time }
  }
  if (status === undefined || status === 'active') return { kind: 'key', kid, jwk, status: 'active', revokedAt: undefined }
  if (status === 'retired') return { kind: 'key', kid, jwk, status: 'retired', revokedAt: undefined }
  return { kind: 'ignored', kid, reason: `unknown "noai_status" ${JSON.stringify(status)}` }
}

function bad(error: string): BadKey {
  return { kind: 'bad', error }
}
