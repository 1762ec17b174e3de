/**
 * Verifying a signed tag (docs/spec.md §13.8): the outcome is a value with a state (`invalid`,
 * `valid`, `trusted`) and stable codes, never an exception for a bad token.
 *
 * @module
 */
import { InvalidArgumentError, type ValidationIssue } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { timestampOf } from '../_internal/formats.js'
import { jwkFits, importPublicKey } from './_algorithms.js'
import { checkBinding, type BindingRequest } from './_binding.js'
import { decodeToken, on, type DecodedToken } from './_jws.js'
import { findKey, originOf } from './_key-lookup.js'
import { decodePayload } from './_payload.js'
import { INVALIDATING_CODES, VERIFY_CODES, type VerifyCode } from './codes.js'
import type { IssuerKey, KeyResolver } from './types.js'

/** The overall outcome (docs/spec.md §13.9). Untrusted is not invalid. */
export type VerifyState = 'invalid' | 'valid' | 'trusted'

/** Options of {@link verifyTag}. */
export interface VerifyTagOptions {
  /** Keys given directly, each tied to its issuer. Searched before the resolver. */
  readonly keys?: readonly IssuerKey[]
  /** Finds keys the caller did not give, e.g. `createKeyResolver()` (the issuer's well-known JWKS). */
  readonly resolver?: KeyResolver
  /** Origins of the issuers the caller trusts (e.g. `https://label.example`). */
  readonly trust?: readonly string[]
  /** The audio essence digest of the file the tag was found in, as the audio subpath computes it (never a hash of the whole file). */
  readonly essence?: { readonly format: string; readonly sha256: string }
  /** The URL the tag was found at or applies to. */
  readonly url?: string | URL
  /** The time to check `issued` and `expires` against. @defaultValue the current time */
  readonly now?: Date
  /** Clock tolerance for `issued` and `expires`, in seconds. @defaultValue 300 */
  readonly clockTolerance?: number
  /** Aborts a key lookup in progress (the abort is thrown, as an `AbortError` or the signal's reason). */
  readonly signal?: AbortSignal
}

/** The result of {@link verifyTag}. */
export interface VerifyResult {
  /** `invalid` if any invalidating code is present; else `trusted` if the issuer is trusted and the binding was checked; else `valid`. */
  readonly state: VerifyState
  /** One stable code per finding, in the order of the verification steps (docs/spec.md §13.9). */
  readonly codes: readonly VerifyCode[]
  /** Whether a digest or URL given by the caller was compared with the tag's subject. */
  readonly binding: 'checked' | 'not-checked'
  /** The tag, present only when the signature verified (it may still be invalid, e.g. expired). */
  readonly tag?: NoaiTag
  /** The issuer the payload names (as claimed: check `state` before relying on it). */
  readonly issuer?: string
  /** The `kid` of the protected header. */
  readonly kid?: string
  /** The `alg` of the protected header. */
  readonly alg?: string
  /** For `payload-schema-invalid`: what is wrong with the payload. */
  readonly issues?: readonly ValidationIssue[]
  /** For key lookup failures: what the resolver said. */
  readonly detail?: string
}

/**
 * Default clock tolerance for `issued` and `expires`, in seconds (docs/spec.md §13.7).
 *
 * @example
 * ```ts
 * import { DEFAULT_CLOCK_TOLERANCE, verifyTag } from 'noai-tag/sign'
 * await verifyTag(jws, { keys, clockTolerance: 2 * DEFAULT_CLOCK_TOLERANCE })
 * ```
 */
export const DEFAULT_CLOCK_TOLERANCE = 300

interface Checked {
  readonly nowMs: number
  readonly toleranceMs: number
  readonly binding: BindingRequest
  readonly trust: ReadonlySet<string> | undefined
}

function checkOptions(jws: unknown, o: VerifyTagOptions): Checked {
  if (typeof jws !== 'string') throw new InvalidArgumentError(`jws must be a string, not ${typeof jws}`)
  if (o.keys === undefined && o.resolver === undefined) throw new InvalidArgumentError('give keys, a resolver, or both: without keys no tag can verify')
  const tolerance = o.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE
  if (!(Number.isFinite(tolerance) && tolerance >= 0)) throw new InvalidArgumentError(`clockTolerance must be a number of seconds >= 0, not ${String(tolerance)}`)
  const nowMs = o.now === undefined ? Date.now() : o.now.getTime()
  if (Number.isNaN(nowMs)) throw new InvalidArgumentError('now must be a valid Date')
  let essence: BindingRequest['essence']
  if (o.essence !== undefined) {
    const { format, sha256 } = o.essence
    if (typeof format !== 'string' || typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) {
      throw new InvalidArgumentError('essence must be { format, sha256 } with sha256 as 64 hexadecimal digits')
    }
    essence = { format, sha256: sha256.toLowerCase() }
  }
  let url: URL | undefined
  if (o.url !== undefined) {
    try {
      url = new URL(String(o.url))
    } catch (e) {
      throw new InvalidArgumentError(`url is not an absolute URL: ${String(o.url)}`, { cause: e })
    }
  }
  let trust: Set<string> | undefined
  if (o.trust !== undefined) {
    trust = new Set()
    for (const t of o.trust) {
      const origin = originOf(t)
      if (origin === undefined) throw new InvalidArgumentError(`trust entries must be http(s) origins, not ${JSON.stringify(t)}`)
      trust.add(origin)
    }
  }
  return { nowMs, toleranceMs: tolerance * 1000, binding: { essence, url }, trust }
}

/** What a result says besides the codes, before the state is derived. */
interface Findings {
  readonly alg?: string | undefined
  readonly kid?: string | undefined
  readonly issuer?: string | undefined
  readonly tag?: NoaiTag
  readonly issues?: readonly ValidationIssue[] | undefined
  readonly detail?: string | undefined
  readonly binding?: VerifyResult['binding']
  readonly trusted?: boolean
}

function finish(codes: VerifyCode[], f: Findings): VerifyResult {
  let invalid = false
  for (const c of codes) if (INVALIDATING_CODES.has(c)) invalid = true
  const binding = f.binding ?? 'not-checked'
  const state: VerifyState = invalid ? 'invalid' : f.trusted === true && binding === 'checked' ? 'trusted' : 'valid'
  // Only members with a value, so that the result prints and compares cleanly.
  const r: { -readonly [K in keyof VerifyResult]: VerifyResult[K] } = { state, codes, binding }
  if (f.alg !== undefined) r.alg = f.alg
  if (f.kid !== undefined) r.kid = f.kid
  if (f.issuer !== undefined) r.issuer = f.issuer
  if (f.tag !== undefined) r.tag = f.tag
  if (f.issues !== undefined) r.issues = f.issues
  if (f.detail !== undefined) r.detail = f.detail
  return r
}

async function signatureCode(token: DecodedToken, key: IssuerKey): Promise<VerifyCode | undefined> {
  const spec = token.spec
  if (typeof key.jwk !== 'object' || key.jwk === null) return VERIFY_CODES.keyInvalid
  if (spec === undefined || !jwkFits(key.jwk, spec)) return VERIFY_CODES.algKeyMismatch
  let publicKey: CryptoKey
  try {
    const imported = importPublicKey(key.jwk, spec)
    publicKey = imported instanceof Promise ? await imported : imported
  } catch {
    return VERIFY_CODES.keyInvalid
  }
  if (!on('signature')) return undefined
  if (token.signature.length !== spec.signatureLength) return VERIFY_CODES.signatureMismatch
  try {
    const ok = await globalThis.crypto.subtle.verify(spec.signParams, publicKey, token.signature as Uint8Array<ArrayBuffer>, token.signingInput as Uint8Array<ArrayBuffer>)
    return ok ? undefined : VERIFY_CODES.signatureMismatch
  } catch {
    return VERIFY_CODES.signatureMismatch
  }
}

/**
 * The instant of a validated RFC 3339 date-time: `Date.parse` for the usual `YYYY-MM-DDTHH:MM:SSZ`
 * form, else the validator's own reading (Date.parse rejects a leap second, 23:59:60).
 */
function instant(s: string): number {
  if (s.length === 20 && s.charCodeAt(19) === 0x5a && s.charCodeAt(10) === 0x54) {
    const t = Date.parse(s)
    if (!Number.isNaN(t)) return t
  }
  return timestampOf(s)!
}

/** The checks made once the signature holds: key status, time, binding, trust (docs/spec.md §13.8 steps 9-12). */
function afterSignature(tag: NoaiTag, key: IssuerKey, c: Checked): { codes: VerifyCode[]; binding: VerifyResult['binding']; trusted: boolean } {
  const codes: VerifyCode[] = []
  if (key.status === 'revoked' && on('key-status')) codes.push(VERIFY_CODES.keyRevoked)
  if (key.status === 'retired') codes.push(VERIFY_CODES.keyRetired)
  if (on('time')) {
    if (instant(tag.issued) - c.toleranceMs > c.nowMs) codes.push(VERIFY_CODES.tagNotYetValid)
    if (tag.expires !== undefined && instant(tag.expires) <= c.nowMs - c.toleranceMs) codes.push(VERIFY_CODES.tagExpired)
  }
  const b = checkBinding(tag, c.binding)
  codes.push(...b.codes)
  const trusted = c.trust !== undefined && c.trust.has(originOf(tag.issuer!) ?? '')
  if (!trusted) codes.push(VERIFY_CODES.issuerUntrusted)
  return { codes, binding: b.checked ? 'checked' : 'not-checked', trusted }
}

/**
 * Verifies a signed tag (a compact JWS) and reports its state with one stable code per finding.
 * It never throws for a bad token: a forged, altered, malformed, expired or unbound tag is a
 * result with state `invalid`. It throws only for bad options (InvalidArgumentError) or an abort.
 *
 * The key is looked up by the tag's issuer and the header's `kid`, in `options.keys` and then
 * through `options.resolver`; keys or key locations carried in the token are never used. With
 * neither `essence` nor `url` the binding to content is not checked and the state is at most
 * `valid`.
 *
 * @param jws - the compact JWS (`header.payload.signature`)
 * @example
 * ```ts
 * import { verifyTag, createKeyResolver } from 'noai-tag/sign'
 * const r = await verifyTag(jws, {
 *   resolver: createKeyResolver(),
 *   trust: ['https://label.example'],
 *   url: 'https://label.example/track/1',
 * })
 * if (r.state === 'invalid') console.warn(r.codes) // e.g. ['signature-mismatch']
 * else console.log(r.state, r.tag?.usage) // 'trusted' { 'train-ai': 'denied' }
 * ```
 */
export async function verifyTag(jws: string, options: VerifyTagOptions = {}): Promise<VerifyResult> {
  const c = checkOptions(jws, options)
  const d = decodeToken(jws)
  if (!d.ok) return finish(d.codes, { alg: d.alg, kid: d.kid })
  const { token } = d
  const { alg, kid } = token
  const p = decodePayload(token.payload)
  if (!p.ok) return finish([p.code], { alg, kid, issues: p.issues })
  const issuer = p.tag.issuer
  if (typeof issuer !== 'string') return finish([VERIFY_CODES.issuerMissing], { alg, kid })
  const lookup = findKey(issuer, kid, options.keys, options.resolver, options.signal)
  const found = lookup instanceof Promise ? await lookup : lookup
  if (!found.ok) return finish([found.code], { alg, kid, issuer, detail: found.detail })
  const sig = await signatureCode(token, found.key)
  if (sig !== undefined) return finish([sig], { alg, kid, issuer })
  const after = afterSignature(p.tag, found.key, c)
  return finish(after.codes, { alg, kid, issuer, tag: p.tag, binding: after.binding, trusted: after.trusted })
}
