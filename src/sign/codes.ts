/**
 * The stable finding codes of signed-tag verification (docs/spec.md §13.9). Each code names one
 * finding; a code never changes meaning, and new codes may be added in minor versions.
 *
 * @module
 */

/**
 * Every code {@link verifyTag} can report, by name. The values are the stable strings that appear
 * in `VerifyResult.codes`, in logs and in the signed conformance vectors.
 *
 * @example
 * ```ts
 * import { VERIFY_CODES, verifyTag } from 'noai-tag/sign'
 * const r = await verifyTag(jws, { keys })
 * if (r.codes.includes(VERIFY_CODES.signatureMismatch)) console.error('forged or altered tag')
 * ```
 */
export const VERIFY_CODES = {
  // --- Invalidating: the token itself (docs/spec.md §13.1, §13.2) ---
  /** The token is longer than `SIGN_LIMITS.maxTokenLength`, or a part of it over its own limit. */
  tokenTooLarge: 'token-too-large',
  /** The token is not three `.`-separated parts with a non-empty header and payload. */
  tokenMalformed: 'token-malformed',
  /** A part is not canonical base64url: padding, a character outside the alphabet, non-zero trailing bits. */
  encodingNonCanonical: 'encoding-non-canonical',
  /** The protected header is not UTF-8 JSON text of an object (strict: no duplicate names). */
  headerMalformed: 'header-malformed',
  /** The `typ` header is missing or is not `noai-tag+jws` / `application/noai-tag+jws`. */
  headerTypInvalid: 'header-typ-invalid',
  /** The `kid` header is missing or is not 1 to 128 characters of `[A-Za-z0-9._-]`. */
  kidInvalid: 'kid-invalid',
  /** The `alg` header is missing or is not `Ed25519`, `EdDSA` or `ES256` (this includes `none` and every `HS*`). */
  algNotAllowed: 'alg-not-allowed',
  /** The header has a `crit` member: this profile defines no critical extensions. */
  headerCritUnsupported: 'header-crit-unsupported',
  /** The header has a `b64` member (RFC 7797 unencoded payloads are not allowed). */
  headerB64NotAllowed: 'header-b64-not-allowed',
  /** The header carries key material or a key location (`jwk`, `jku`, `x5u`, `x5c`, `x5t`, `x5t#S256`). */
  headerKeyMaterialNotAllowed: 'header-key-material-not-allowed',
  // --- Invalidating: the payload (docs/spec.md §13.4, §13.5) ---
  /** The payload is not strict UTF-8 JSON (including duplicate member names, a byte order mark, nesting over 32). */
  payloadNotJson: 'payload-not-json',
  /** The payload is JSON but not a valid NoAI Tag v1 document. */
  payloadSchemaInvalid: 'payload-schema-invalid',
  /** The tag has no `issuer`: a signed tag must name its issuer. */
  issuerMissing: 'issuer-missing',
  // --- Invalidating: the key (docs/spec.md §13.5, §14) ---
  /** No key with this `kid` was found for the tag's issuer. */
  keyNotFound: 'key-not-found',
  /** The issuer's key set could not be fetched (network error, timeout, HTTP error): could not check. */
  keySetUnavailable: 'key-set-unavailable',
  /** The issuer's key set was unusable (wrong content type, too large, not a JWKS, redirected elsewhere). */
  keySetInvalid: 'key-set-invalid',
  /** The issuer is not an origin keys may be fetched from (not https, and not an allowed loopback origin). */
  issuerNotAllowed: 'issuer-not-allowed',
  /** The key found belongs to another issuer, or was found at another origin than the tag's issuer. */
  issuerKeyMismatch: 'issuer-key-mismatch',
  /** The key's type or curve (or its own `alg`, `use`, `key_ops`) does not fit the token's `alg`. */
  algKeyMismatch: 'alg-key-mismatch',
  /** The key could not be imported as a public key. */
  keyInvalid: 'key-invalid',
  /** The signature does not verify with the key (a forged or altered token). */
  signatureMismatch: 'signature-mismatch',
  /** The key is revoked: every tag it signed is invalid, whatever its `issued` time. */
  keyRevoked: 'key-revoked',
  // --- Invalidating: time and binding (docs/spec.md §13.6, §13.7) ---
  /** `expires` is earlier than now minus the clock tolerance. */
  tagExpired: 'tag-expired',
  /** `issued` is later than now plus the clock tolerance. */
  tagNotYetValid: 'tag-not-yet-valid',
  /** The audio essence digest given by the caller is not among the tag's `subject.essence`. */
  contentHashMismatch: 'content-hash-mismatch',
  /** The URL given by the caller is not among the tag's `subject.urls` nor matched by its `subject.urlPatterns`. */
  urlNotCovered: 'url-not-covered',
  /** The caller asked for a binding the tag cannot give: a digest but no `subject.essence`, or a URL but neither `urls` nor `urlPatterns`. */
  bindingNotPossible: 'binding-not-possible',
  // --- Information only ---
  /** The issuer is not in the caller's trust list (untrusted is not invalid). */
  issuerUntrusted: 'issuer-untrusted',
  /** The key is retired: it signs no new tags, but tags it signed still verify. */
  keyRetired: 'key-retired',
  /** No digest or URL was given, so the tag's binding to content was not checked. */
  bindingNotChecked: 'binding-not-checked',
} as const

/** A finding code of {@link verifyTag}: one of the values of {@link VERIFY_CODES}. */
export type VerifyCode = (typeof VERIFY_CODES)[keyof typeof VERIFY_CODES]

/**
 * The codes that make the state `invalid` (docs/spec.md §13.9). Every other code is information only.
 *
 * @example
 * ```ts
 * import { INVALIDATING_CODES } from 'noai-tag/sign'
 * INVALIDATING_CODES.has('signature-mismatch') // true
 * INVALIDATING_CODES.has('issuer-untrusted') // false
 * ```
 */
export const INVALIDATING_CODES: ReadonlySet<VerifyCode> = new Set<VerifyCode>(
  (Object.values(VERIFY_CODES) as VerifyCode[]).filter(
    (c) => c !== VERIFY_CODES.issuerUntrusted && c !== VERIFY_CODES.keyRetired && c !== VERIFY_CODES.bindingNotChecked,
  ),
)

/**
 * One line for people per code, as the CLI prints it.
 *
 * @example
 * ```ts
 * import { CODE_DESCRIPTIONS } from 'noai-tag/sign'
 * CODE_DESCRIPTIONS['key-revoked'] // 'the signing key is revoked'
 * ```
 */
export const CODE_DESCRIPTIONS: Readonly<Record<VerifyCode, string>> = {
  'token-too-large': 'the token is over the size limit',
  'token-malformed': 'the token is not a compact JWS (header.payload.signature)',
  'encoding-non-canonical': 'a part of the token is not canonical base64url (padding, bad character or non-zero trailing bits)',
  'header-malformed': 'the protected header is not a JSON object',
  'header-typ-invalid': 'the typ header is missing or is not noai-tag+jws',
  'kid-invalid': 'the kid header is missing or has characters other than A-Z a-z 0-9 . _ -',
  'alg-not-allowed': 'the algorithm is not Ed25519, EdDSA or ES256',
  'header-crit-unsupported': 'the header has a crit member; no critical extensions are defined',
  'header-b64-not-allowed': 'the header has a b64 member; unencoded payloads are not allowed',
  'header-key-material-not-allowed': 'the header carries a key or key location (jwk, jku, x5u, x5c, x5t)',
  'payload-not-json': 'the payload is not strict UTF-8 JSON',
  'payload-schema-invalid': 'the payload is not a valid NoAI Tag v1 document',
  'issuer-missing': 'the tag does not name its issuer',
  'key-not-found': 'no key with this kid was found for the issuer',
  'key-set-unavailable': 'the issuer key set could not be fetched (could not check)',
  'key-set-invalid': 'the issuer key set is unusable',
  'issuer-not-allowed': 'keys may not be fetched from this issuer origin',
  'issuer-key-mismatch': 'the key belongs to another issuer or was found at another origin',
  'alg-key-mismatch': 'the key does not fit the algorithm',
  'key-invalid': 'the key is not a usable public key',
  'signature-mismatch': 'the signature does not verify (forged or altered)',
  'key-revoked': 'the signing key is revoked',
  'tag-expired': 'the tag has expired',
  'tag-not-yet-valid': 'the tag is issued in the future',
  'content-hash-mismatch': 'the audio essence digest is not one the tag names',
  'url-not-covered': 'the URL is not one the tag names or matches',
  'binding-not-possible': 'the tag names no content of the kind checked',
  'issuer-untrusted': 'the issuer is not in the trust list',
  'key-retired': 'the signing key is retired (old tags still verify)',
  'binding-not-checked': 'no digest or URL given: the binding to content was not checked',
}
