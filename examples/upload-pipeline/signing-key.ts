/**
 * The upload service's signing key: a private JWK loaded from a file (as written by
 * `noai keygen --out keys/`), or a throwaway Ed25519 key made at startup when no file is given.
 *
 * Only the public half is ever served (`keySetDocument` drops the private members), at
 * `/.well-known/noai-tag/jwks.json` on the issuer's origin (docs/spec.md §14.2).
 */
import { createHash, generateKeyPairSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { JwkWithKid } from 'noai-tag/sign'

/** A private signing key with its `kid`, and where it came from. */
export interface SigningKey {
  /** The private JWK (`d` present), with its `kid`. Never serve it. */
  readonly privateJwk: JwkWithKid
  /** `file`: loaded from a key file; `generated`: a throwaway key made at startup. */
  readonly origin: 'file' | 'generated'
}

/** RFC 7638 §3.2: the SHA-256 of the required members in lexicographic order, base64url. */
function thumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url')
}

/**
 * Loads the private JWK in `file`, or makes a throwaway Ed25519 key when `file` is undefined.
 * A key file must hold a private key (`d`); its `kid` defaults to its RFC 7638 thumbprint.
 *
 * @example
 * ```ts
 * const key = await loadSigningKey(process.env.NOAI_SIGNING_KEY)
 * const jws = await signTag(tag, key.privateJwk)
 * ```
 */
export async function loadSigningKey(file: string | undefined): Promise<SigningKey> {
  if (file === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519')
    const jwk = privateKey.export({ format: 'jwk' })
    return { privateJwk: { ...jwk, kid: `upload-${thumbprint(jwk).slice(0, 16)}`, alg: 'Ed25519' }, origin: 'generated' }
  }
  const jwk = JSON.parse(await readFile(file, 'utf8')) as JsonWebKey & { kid?: string }
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string') throw new Error(`${file} does not hold a private JWK (no "d" member)`)
  return { privateJwk: { ...jwk, kid: jwk.kid ?? thumbprint(jwk) }, origin: 'file' }
}
