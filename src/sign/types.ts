/**
 * Types shared by signing, verification and key discovery (docs/spec.md §13, §14).
 *
 * @module
 */

/** The two end states of a key besides `active` (docs/spec.md §14.4). */
export type KeyStatus = 'active' | 'retired' | 'revoked'

/** A public key of an issuer, as found in its key set or given by the caller. */
export interface IssuerKey {
  /** The issuer (an https origin, or an http loopback origin when allowed) the key belongs to. */
  readonly issuer: string
  /** The key id (`kid`): an opaque lookup key, never a path or URL. */
  readonly kid: string
  /** The public key as a JWK (OKP/Ed25519 or EC/P-256). */
  readonly jwk: JsonWebKey
  /** Whether the key may still sign (`active`), only verify old tags (`retired`), or nothing (`revoked`). */
  readonly status: KeyStatus
  /** For a revoked key: when it was revoked (RFC 3339). */
  readonly revokedAt?: string
  /** Where the key came from: the key set URL, or `"options.keys"` for keys given directly. */
  readonly source: string
}

/** Why a key lookup found nothing. */
export type KeyLookupFailure =
  /** The key set was fetched but has no key with this `kid`. */
  | 'key-not-found'
  /** The key set could not be fetched (network error, timeout, HTTP error status). */
  | 'key-set-unavailable'
  /** The key set response was unusable (wrong content type, too large, not a JWKS, redirected to another origin). */
  | 'key-set-invalid'
  /** The issuer is not an origin keys may be fetched from (not https, and not an allowed loopback origin). */
  | 'issuer-not-allowed'

/** Result of a key lookup: the key, or why there is none. */
export type KeyLookupResult =
  | { readonly found: true; readonly key: IssuerKey }
  | { readonly found: false; readonly failure: KeyLookupFailure; readonly detail: string }

/** Finds an issuer's public key by `kid`. Implemented by `createKeyResolver` and by callers. */
export interface KeyResolver {
  lookup(issuer: string, kid: string, options?: { readonly signal?: AbortSignal }): Promise<KeyLookupResult>
}
