// The algorithms of the signing profile (docs/spec.md §13.3) and their Web Crypto parameters,
// with a cache of imported public keys. Internal; not part of the published API.

/** The `alg` values a signed tag may use (docs/spec.md §13.3). */
export type SigningAlgorithm = 'Ed25519' | 'EdDSA' | 'ES256'

/** How one algorithm maps onto a key type and Web Crypto. */
export interface AlgorithmSpec {
  readonly kty: 'OKP' | 'EC'
  readonly crv: 'Ed25519' | 'P-256'
  /** `alg` values that name the same algorithm (a JWK's own `alg` may be any of them). */
  readonly aliases: readonly string[]
  readonly importParams: AlgorithmIdentifier | EcKeyImportParams
  readonly signParams: AlgorithmIdentifier | EcdsaParams
  /** Length of the raw signature in bytes (ES256: R || S, RFC 7518 §3.4). */
  readonly signatureLength: number
}

const ED25519: AlgorithmSpec = {
  kty: 'OKP',
  crv: 'Ed25519',
  aliases: ['Ed25519', 'EdDSA'],
  importParams: { name: 'Ed25519' },
  signParams: { name: 'Ed25519' },
  signatureLength: 64,
}

const ES256: AlgorithmSpec = {
  kty: 'EC',
  crv: 'P-256',
  aliases: ['ES256'],
  importParams: { name: 'ECDSA', namedCurve: 'P-256' },
  signParams: { name: 'ECDSA', hash: 'SHA-256' },
  signatureLength: 64,
}

/** The allowlist: exactly these three names, nothing else (docs/spec.md §13.3). */
export const ALGORITHMS: ReadonlyMap<string, AlgorithmSpec> = new Map<string, AlgorithmSpec>([
  ['Ed25519', ED25519],
  ['EdDSA', ED25519],
  ['ES256', ES256],
])

/** The algorithm a JWK is for, from its `kty` and `crv`, or `undefined` for any other key. */
export function algorithmOfJwk(jwk: { kty?: unknown; crv?: unknown }): SigningAlgorithm | undefined {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'Ed25519'
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256'
  return undefined
}

/** Whether a JWK may verify signatures of `spec` (type, curve and, when present, `alg`, `use`, `key_ops`). */
export function jwkFits(jwk: JsonWebKey, spec: AlgorithmSpec): boolean {
  if (jwk.kty !== spec.kty || jwk.crv !== spec.crv) return false
  if (jwk.alg !== undefined && !spec.aliases.includes(jwk.alg)) return false
  if (jwk.use !== undefined && jwk.use !== 'sig') return false
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return false
  return true
}

// Imported keys, by JWK object and algorithm family: importing costs more than verifying. Once
// imported, the key itself is kept too, so that later verifications need not wait on a promise.
interface ImportedKey {
  readonly promise: Promise<CryptoKey>
  key?: CryptoKey
}
const publicKeys = new WeakMap<object, Map<AlgorithmSpec, ImportedKey>>()

/**
 * The public part of a JWK imported for verification, cached by the JWK object: the key, or a
 * promise of it the first time. Only the public members are passed on, so a private `d` or a
 * conflicting `alg` never reaches Web Crypto.
 */
export function importPublicKey(jwk: JsonWebKey, spec: AlgorithmSpec): CryptoKey | Promise<CryptoKey> {
  let bySpec = publicKeys.get(jwk)
  if (bySpec === undefined) {
    bySpec = new Map()
    publicKeys.set(jwk, bySpec)
  }
  let entry = bySpec.get(spec)
  if (entry === undefined) {
    const pub: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x }
    if (spec.kty === 'EC') pub.y = jwk.y
    const imported: ImportedKey = { promise: globalThis.crypto.subtle.importKey('jwk', pub, spec.importParams, false, ['verify']) }
    imported.promise.then(
      (k) => (imported.key = k),
      () => undefined, // reported as key-invalid where the promise is awaited
    )
    entry = imported
    bySpec.set(spec, entry)
  }
  return entry.key ?? entry.promise
}
