// Strict decoding of a signed tag's compact JWS (docs/spec.md §13.1, §13.2, §13.3): size limits
// before any decoding, canonical base64url, and a protected header that names its algorithm from
// the allowlist, the fixed typ and an opaque kid, and carries no key, no key location, no crit and
// no b64. Internal; not part of the published API.
import { JWS_TYP } from '../constants.js'
import { JsonParseError } from '../errors.js'
import { ALGORITHMS, type AlgorithmSpec } from './_algorithms.js'
import { decodeBase64url, decodeBase64urlBinary, utf8OfBinary } from './_base64url.js'
import { parseStrictJson } from './_strict-json.js'
import { VERIFY_CODES, type VerifyCode } from './codes.js'
import { SIGN_LIMITS } from './sign-limits.js'

/** The checks a test may switch off, one at a time, to prove that its security test bites. */
export type CheckName =
  | 'size-limits'
  | 'canonical-base64'
  | 'typ'
  | 'kid-syntax'
  | 'alg-allowlist'
  | 'crit'
  | 'b64'
  | 'key-material-headers'
  | 'strict-json'
  | 'schema'
  | 'issuer-key'
  | 'key-status'
  | 'signature'
  | 'time'
  | 'binding'

/**
 * TEST ONLY. Not exported from any public entry point: the security tests import it from this
 * source file to switch off one check and show that the test then fails.
 */
export const __testHooks: { readonly disabled: Set<CheckName> } = { disabled: new Set() }

/** Whether a check is in force (always, outside the security tests). */
export function on(check: CheckName): boolean {
  return __testHooks.disabled.size === 0 || !__testHooks.disabled.has(check)
}

/** The `typ` values accepted, compared without regard to case (RFC 7515 §4.1.9; docs/spec.md §13.2). */
const TYP_VALUES: ReadonlySet<string> = new Set([JWS_TYP, `application/${JWS_TYP}`])

/** Header members that carry a key or say where to fetch one: never trusted (docs/spec.md §13.2). */
const KEY_MATERIAL_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const

const KID = /^[A-Za-z0-9._-]{1,128}$/

/**
 * Whether a value is an acceptable `kid` (docs/spec.md §13.2, the same syntax as key sets in
 * §14.2): 1 to 128 characters of `[A-Za-z0-9._-]`. No `/`, `:`, `%`, `?`, `#`, `@` or backslash,
 * so a kid can never act as a URL or a path; it is only ever compared as a string.
 */
export function isValidKid(kid: unknown): kid is string {
  return typeof kid === 'string' && KID.test(kid)
}

/** A compact JWS that passed the structural checks. */
export interface DecodedToken {
  readonly alg: string
  readonly kid: string
  readonly spec: AlgorithmSpec | undefined
  /** The payload as a byte string (one char per byte). */
  readonly payload: string
  readonly signature: Uint8Array
  /** ASCII bytes of `BASE64URL(header) "." BASE64URL(payload)` (RFC 7515 §5.2). */
  readonly signingInput: Uint8Array
}

/** Result of {@link decodeToken}: the token, or the codes that reject it. */
export type DecodeResult =
  | { readonly ok: true; readonly token: DecodedToken }
  | { readonly ok: false; readonly codes: VerifyCode[]; readonly alg?: string; readonly kid?: string }

const ascii = new TextEncoder()
const MAX_PAYLOAD_CHARS = Math.ceil((SIGN_LIMITS.maxPayloadBytes * 4) / 3)

const fail = (code: VerifyCode): DecodeResult => ({ ok: false, codes: [code] })

/** What a protected header part says, decoded and checked once. */
type HeaderVerdict =
  | { readonly kind: 'non-canonical' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'checked'; readonly codes: readonly VerifyCode[]; readonly alg: string | undefined; readonly kid: string | undefined }

// Headers repeat (one per signing key), so their verdicts are cached by the encoded part, which
// is at most SIGN_LIMITS.maxHeaderLength characters: at most HEADER_CACHE_SIZE entries.
const HEADER_CACHE_SIZE = 256
const headerCache = new Map<string, HeaderVerdict>()

function headerVerdict(part: string, canonical: boolean): HeaderVerdict {
  const cacheable = __testHooks.disabled.size === 0
  let v = cacheable ? headerCache.get(part) : undefined
  if (v !== undefined) return v
  const binary = decodeBase64urlBinary(part, canonical)
  const header = binary === undefined ? undefined : parseHeader(binary)
  if (binary === undefined) v = { kind: 'non-canonical' }
  else if (header === undefined) v = { kind: 'malformed' }
  else {
    const alg = typeof header.alg === 'string' ? header.alg : undefined
    const kid = typeof header.kid === 'string' ? header.kid : undefined
    v = { kind: 'checked', codes: headerCodes(header), alg, kid }
  }
  if (cacheable) {
    if (headerCache.size >= HEADER_CACHE_SIZE) headerCache.clear()
    headerCache.set(part, v)
  }
  return v
}

/** Splits, bounds and decodes a compact JWS, and checks its protected header. */
export function decodeToken(jws: string): DecodeResult {
  const limits = on('size-limits')
  if (limits && jws.length > SIGN_LIMITS.maxTokenLength) return fail(VERIFY_CODES.tokenTooLarge)
  const d1 = jws.indexOf('.')
  const d2 = d1 < 0 ? -1 : jws.indexOf('.', d1 + 1)
  // Header and payload must not be empty; an empty signature (as with alg "none") is left to the
  // header checks, which then name the real problem.
  if (d1 <= 0 || d2 <= d1 + 1 || jws.indexOf('.', d2 + 1) >= 0) return fail(VERIFY_CODES.tokenMalformed)
  if (limits && (d1 > SIGN_LIMITS.maxHeaderLength || d2 - d1 - 1 > MAX_PAYLOAD_CHARS)) return fail(VERIFY_CODES.tokenTooLarge)
  const canonical = on('canonical-base64')
  const payload = decodeBase64urlBinary(jws.slice(d1 + 1, d2), canonical)
  const signature = decodeBase64url(jws.slice(d2 + 1), canonical)
  const h = headerVerdict(jws.slice(0, d1), canonical)
  if (payload === undefined || signature === undefined) return fail(VERIFY_CODES.encodingNonCanonical)
  if (h.kind === 'non-canonical') return fail(VERIFY_CODES.encodingNonCanonical)
  if (h.kind === 'malformed') return fail(VERIFY_CODES.headerMalformed)
  if (h.codes.length > 0) return { ok: false, codes: [...h.codes], alg: h.alg, kid: h.kid }
  return {
    ok: true,
    token: {
      alg: String(h.alg),
      kid: String(h.kid),
      spec: h.alg === undefined ? undefined : ALGORITHMS.get(h.alg),
      payload,
      signature,
      signingInput: ascii.encode(jws.slice(0, d2)),
    },
  }
}

function parseHeader(binary: string): Record<string, unknown> | undefined {
  try {
    const value = parseStrictJson(utf8OfBinary(binary))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch (e) {
    if (e instanceof JsonParseError || e instanceof TypeError) return undefined
    throw e
  }
}

/** Every finding about the protected header, in the order of docs/spec.md §13.8 step 4. */
function headerCodes(h: Record<string, unknown>): VerifyCode[] {
  const codes: VerifyCode[] = []
  const has = (name: string): boolean => Object.prototype.hasOwnProperty.call(h, name)
  if (on('alg-allowlist') && !(typeof h.alg === 'string' && ALGORITHMS.has(h.alg))) codes.push(VERIFY_CODES.algNotAllowed)
  if (on('typ') && !(typeof h.typ === 'string' && TYP_VALUES.has(h.typ.toLowerCase()))) codes.push(VERIFY_CODES.headerTypInvalid)
  if (on('kid-syntax') && !isValidKid(h.kid)) codes.push(VERIFY_CODES.kidInvalid)
  if (on('crit') && has('crit')) codes.push(VERIFY_CODES.headerCritUnsupported)
  if (on('b64') && has('b64')) codes.push(VERIFY_CODES.headerB64NotAllowed)
  if (on('key-material-headers') && KEY_MATERIAL_HEADERS.some(has)) codes.push(VERIFY_CODES.headerKeyMaterialNotAllowed)
  return codes
}
