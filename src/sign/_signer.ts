// Turning the three kinds of signer that signTag accepts (a private JWK, a CryptoKey, a callback)
// into one function from signing input to raw signature (docs/spec.md §13.3). Internal.
import { InvalidArgumentError } from '../errors.js'
import { ALGORITHMS, algorithmOfJwk, type AlgorithmSpec, type SigningAlgorithm } from './_algorithms.js'
import { SigningError } from './signing-error.js'

/** A function that signs for an external key service (a KMS, an HSM): it returns the raw signature. */
export type ExternalSigner = (signingInput: Uint8Array) => Promise<Uint8Array>

/** A signer resolved for one call: its algorithm and how to sign. */
export interface ResolvedSigner {
  readonly alg: SigningAlgorithm
  readonly spec: AlgorithmSpec
  readonly kid: string | undefined
  sign(input: Uint8Array): Promise<Uint8Array>
}

// Imported private keys by JWK object: importing costs about as much as signing.
const privateKeys = new WeakMap<object, { readonly d: unknown; readonly spec: AlgorithmSpec; key: CryptoKey | Promise<CryptoKey> }>()

function isCryptoKey(value: object): value is CryptoKey {
  const k = value as Partial<CryptoKey>
  return typeof k.type === 'string' && typeof k.algorithm === 'object' && Array.isArray(k.usages)
}

function chooseAlg(requested: string | undefined, fallback: SigningAlgorithm): SigningAlgorithm {
  const alg = requested ?? fallback
  if (!ALGORITHMS.has(alg)) throw new InvalidArgumentError(`alg must be "Ed25519", "EdDSA" or "ES256", not ${JSON.stringify(alg)}`)
  return alg as SigningAlgorithm
}

function fromCryptoKey(key: CryptoKey, requested: string | undefined): ResolvedSigner {
  const a = key.algorithm as EcKeyAlgorithm
  const own: SigningAlgorithm | undefined = a.name === 'Ed25519' ? 'Ed25519' : a.name === 'ECDSA' && a.namedCurve === 'P-256' ? 'ES256' : undefined
  if (own === undefined) throw new InvalidArgumentError(`signer CryptoKey must be Ed25519 or ECDSA P-256, not ${a.name}${a.namedCurve ? ` ${a.namedCurve}` : ''}`)
  if (key.type !== 'private' || !key.usages.includes('sign')) throw new InvalidArgumentError('signer CryptoKey must be a private key with the "sign" usage')
  return withKey(chooseAlg(requested, own), own, key, undefined)
}

function fromJwk(jwk: JsonWebKey, requested: string | undefined): ResolvedSigner {
  const own = algorithmOfJwk(jwk)
  if (own === undefined) throw new InvalidArgumentError(`signer JWK must be OKP Ed25519 or EC P-256, not kty ${String(jwk.kty)} crv ${String(jwk.crv)}`)
  if (typeof jwk.d !== 'string') throw new InvalidArgumentError('signer JWK is a public key: it has no "d" member')
  const ownAlg = typeof jwk.alg === 'string' && ALGORITHMS.get(jwk.alg) === ALGORITHMS.get(own) ? (jwk.alg as SigningAlgorithm) : own
  const alg = chooseAlg(requested, ownAlg)
  const spec = ALGORITHMS.get(alg)!
  if (spec !== ALGORITHMS.get(own)) throw new InvalidArgumentError(`alg ${alg} does not fit the signer's ${own} key`)
  let cached = privateKeys.get(jwk)
  if (cached === undefined || cached.d !== jwk.d || cached.spec !== spec) {
    // Only the key members go to Web Crypto: a JWK's own alg spelling (EdDSA vs Ed25519) must not matter.
    const clean: JsonWebKey = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }
    if (jwk.kty === 'EC') clean.y = jwk.y
    const key = globalThis.crypto.subtle.importKey('jwk', clean, spec.importParams, false, ['sign'])
    const entry: { readonly d: unknown; readonly spec: AlgorithmSpec; key: CryptoKey | Promise<CryptoKey> } = { d: jwk.d, spec, key }
    // Keep the key itself once imported; a rejection is reported by sign(), where it is awaited.
    key.then((k) => (entry.key = k), () => undefined)
    cached = entry
    privateKeys.set(jwk, cached)
  }
  const kid = (jwk as { kid?: unknown }).kid
  return withKey(alg, own, cached.key, typeof kid === 'string' ? kid : undefined)
}

function withKey(alg: SigningAlgorithm, own: SigningAlgorithm, key: CryptoKey | Promise<CryptoKey>, kid: string | undefined): ResolvedSigner {
  const spec = ALGORITHMS.get(alg)!
  if (spec !== ALGORITHMS.get(own)) throw new InvalidArgumentError(`alg ${alg} does not fit the signer's ${own} key`)
  return {
    alg,
    spec,
    kid,
    async sign(input) {
      try {
        const k = key instanceof Promise ? await key : key
        return new Uint8Array(await globalThis.crypto.subtle.sign(spec.signParams, k, input as Uint8Array<ArrayBuffer>))
      } catch (e) {
        throw new SigningError(`Web Crypto could not sign with the ${alg} key: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
      }
    },
  }
}

function fromCallback(fn: ExternalSigner, requested: string | undefined): ResolvedSigner {
  const alg = chooseAlg(requested, 'Ed25519')
  const spec = ALGORITHMS.get(alg)!
  return {
    alg,
    spec,
    kid: undefined,
    async sign(input) {
      let sig: unknown
      try {
        sig = await fn(input)
      } catch (e) {
        throw new SigningError(`the external signer failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
      }
      if (!(sig instanceof Uint8Array) || sig.length !== spec.signatureLength) {
        const got = sig instanceof Uint8Array ? `${sig.length} bytes` : typeof sig
        throw new SigningError(`the external signer must return a raw ${spec.signatureLength}-byte ${alg} signature${alg === 'ES256' ? ' (R || S, not DER)' : ''}, got ${got}`)
      }
      return sig
    },
  }
}

/** Resolves a signer argument, or throws InvalidArgumentError for one of the wrong kind. */
export function resolveSigner(signer: unknown, requestedAlg: string | undefined): ResolvedSigner {
  if (typeof signer === 'function') return fromCallback(signer as ExternalSigner, requestedAlg)
  if (typeof signer !== 'object' || signer === null) throw new InvalidArgumentError('signer must be a private JWK, a CryptoKey or a signing function')
  return isCryptoKey(signer) ? fromCryptoKey(signer, requestedAlg) : fromJwk(signer as JsonWebKey, requestedAlg)
}
