/**
 * Signing a tag (docs/spec.md §13): a compact JWS (RFC 7515 §7.1) whose payload is the tag
 * document's JSON bytes, with the protected header `{"alg","typ":"noai-tag+jws","kid"}`.
 *
 * @module
 */
import { JWS_TYP } from '../constants.js'
import { InvalidArgumentError, LimitExceededError, TagValidationError } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { validateTag } from '../validate/validate.js'
import type { SigningAlgorithm } from './_algorithms.js'
import { encodeAsciiBase64url, encodeBase64url } from './_base64url.js'
import { isValidKid } from './_jws.js'
import { resolveSigner, type ExternalSigner } from './_signer.js'
import { SIGN_LIMITS } from './sign-limits.js'

export type { SigningAlgorithm } from './_algorithms.js'
export type { ExternalSigner } from './_signer.js'

/**
 * What signs: a private JWK (OKP Ed25519 or EC P-256, with `d`), a private `CryptoKey` (extractable
 * or not), or a function that asks an external key service to sign the signing input and returns
 * the raw signature (64 bytes; for ES256 the JWS form R || S, not DER).
 */
export type TagSigner = JsonWebKey | CryptoKey | ExternalSigner

/** Options of {@link signTag}. */
export interface SignTagOptions {
  /**
   * The key id written to the header. Required unless the signer is a JWK with a `kid`.
   * 1 to 128 characters of `[A-Za-z0-9._-]` (docs/spec.md §13.2).
   */
  readonly kid?: string
  /**
   * The algorithm. It must fit the key.
   * @defaultValue `"ES256"` for a P-256 key; `"Ed25519"` for an Ed25519 key (or the JWK's own
   *   `alg` if it is `"EdDSA"`) and for a signing function.
   */
  readonly alg?: SigningAlgorithm
}

const NON_ASCII = /[\u0080-\uffff]/g
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
const ascii = new TextEncoder()

/**
 * The payload: the tag as JSON with every non-ASCII character escaped as `\uXXXX`, so that the
 * exact signed bytes survive ASCII-only carriers such as ID3v2.3 text (docs/spec.md §13.4).
 * The JSON is parsed back and validated, so what is signed is exactly what was validated.
 */
function payloadOf(tag: unknown): string {
  let json: string | undefined
  try {
    json = JSON.stringify(tag)
  } catch (e) {
    throw new InvalidArgumentError(`tag cannot be serialised as JSON: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  if (json === undefined) throw new InvalidArgumentError('tag must be an object')
  const value: unknown = JSON.parse(json)
  const r = validateTag(value)
  if (!r.ok) throw new TagValidationError(r.issues)
  if (r.tag.issuer === undefined) {
    throw new TagValidationError([{ path: '/issuer', keyword: 'required', message: 'a signed tag must name its issuer (docs/spec.md §13.5)' }])
  }
  const text = json.replace(NON_ASCII, escapeChar)
  if (text.length > SIGN_LIMITS.maxPayloadBytes) throw new LimitExceededError('maxPayloadBytes', SIGN_LIMITS.maxPayloadBytes, text.length, 'signed tag payload in bytes')
  return text
}

/**
 * Signs a tag: validates it (a signed tag must also name its `issuer`), serialises it as
 * ASCII-only JSON, and returns the compact JWS `header.payload.signature`.
 *
 * @param tag - the tag document
 * @param signer - a private JWK, a private CryptoKey, or an external signing function
 * @throws TagValidationError (`ERR_NOAI_TAG_INVALID`) when the tag is not valid or has no issuer;
 *   InvalidArgumentError (`ERR_NOAI_INVALID_ARGUMENT`) for a signer, `kid` or `alg` that does not
 *   fit; SigningError (`ERR_NOAI_SIGNING_FAILED`) when the signature cannot be made.
 * @example
 * ```ts
 * import { signTag } from 'noai-tag/sign'
 * const jws = await signTag(
 *   { version: 1, issuer: 'https://label.example', subject: { urls: ['https://label.example/track/1'] },
 *     usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' },
 *   privateJwk, // { kty: 'OKP', crv: 'Ed25519', x, d, kid: 'k1' }
 * )
 * ```
 */
export async function signTag(tag: NoaiTag, signer: TagSigner, options: SignTagOptions = {}): Promise<string> {
  const s = resolveSigner(signer, options.alg)
  const kid = options.kid ?? s.kid
  if (kid === undefined) throw new InvalidArgumentError('kid is required: pass options.kid or give the JWK a "kid"')
  if (!isValidKid(kid)) throw new InvalidArgumentError(`kid must be 1 to 128 characters of [A-Za-z0-9._-], not ${JSON.stringify(kid)}`)
  const payload = encodeAsciiBase64url(payloadOf(tag))
  const header = encodeAsciiBase64url(`{"alg":"${s.alg}","typ":"${JWS_TYP}","kid":"${kid}"}`)
  const signingInput = `${header}.${payload}`
  const signature = await s.sign(ascii.encode(signingInput))
  return `${signingInput}.${encodeBase64url(signature)}`
}
