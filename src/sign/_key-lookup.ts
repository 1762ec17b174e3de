// Finding the verification key of a signed tag (docs/spec.md §13.5, §13.8 step 7): by the tag's
// issuer and the header's kid, in the keys the caller gave, then through the resolver. A key
// belongs to one issuer; a key of another issuer, or found at another origin, never verifies a
// tag. Nothing in the token itself (jwk, jku, x5u, x5c) is ever used. Internal.
import { on } from './_jws.js'
import { VERIFY_CODES, type VerifyCode } from './codes.js'
import type { IssuerKey, KeyLookupFailure, KeyResolver } from './types.js'

/** The key, or the code saying why there is none. */
export type FoundKey = { readonly ok: true; readonly key: IssuerKey } | { readonly ok: false; readonly code: VerifyCode; readonly detail?: string }

const FAILURE_CODES: Readonly<Record<KeyLookupFailure, VerifyCode>> = {
  'key-not-found': VERIFY_CODES.keyNotFound,
  'key-set-unavailable': VERIFY_CODES.keySetUnavailable,
  'key-set-invalid': VERIFY_CODES.keySetInvalid,
  'issuer-not-allowed': VERIFY_CODES.issuerNotAllowed,
}

// A small memo: issuers repeat, and URL parsing costs more than the lookup.
const origins = new Map<string, string | undefined>()

/** The ASCII serialisation of a URL's origin, or `undefined` for text that is not an http(s) URL. */
export function originOf(text: string): string | undefined {
  let o = origins.get(text)
  if (o === undefined && !origins.has(text)) {
    try {
      const u = new URL(text)
      o = u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined
    } catch {
      o = undefined
    }
    if (origins.size >= 1024) origins.clear()
    origins.set(text, o)
  }
  return o
}

/** Whether a key may verify tags of `issuer`: same issuer, and found at that origin when found on the web. */
function belongsTo(key: IssuerKey, issuer: string): boolean {
  if (!on('issuer-key')) return true
  const origin = originOf(issuer)
  if (origin === undefined || originOf(key.issuer) !== origin) return false
  const sourceOrigin = /^https?:/i.test(key.source) ? originOf(key.source) : origin
  return sourceOrigin === origin
}

/**
 * Finds the key for (issuer, kid) in `keys`, then through `resolver`. Synchronous when `keys`
 * has it: most verifications need no promise here.
 */
export function findKey(
  issuer: string,
  kid: string,
  keys: readonly IssuerKey[] | undefined,
  resolver: KeyResolver | undefined,
  signal: AbortSignal | undefined,
): FoundKey | Promise<FoundKey> {
  let foreign: IssuerKey | undefined
  for (const k of keys ?? []) {
    if (k.kid !== kid) continue
    if (belongsTo(k, issuer)) return { ok: true, key: k }
    foreign ??= k
  }
  if (resolver !== undefined) return viaResolver(issuer, kid, resolver, signal, foreign)
  if (foreign !== undefined) return foreignKey(kid, foreign)
  return { ok: false, code: VERIFY_CODES.keyNotFound }
}

const foreignKey = (kid: string, foreign: IssuerKey): FoundKey => ({
  ok: false,
  code: VERIFY_CODES.issuerKeyMismatch,
  detail: `kid ${kid} is a key of ${foreign.issuer}`,
})

async function viaResolver(issuer: string, kid: string, resolver: KeyResolver, signal: AbortSignal | undefined, foreign: IssuerKey | undefined): Promise<FoundKey> {
  let r: Awaited<ReturnType<KeyResolver['lookup']>>
  try {
    r = await resolver.lookup(issuer, kid, signal === undefined ? undefined : { signal })
  } catch (e) {
    // An abort is the caller's decision and propagates; any other throw is "could not check".
    if (signal?.aborted) throw e
    return { ok: false, code: VERIFY_CODES.keySetUnavailable, detail: `the key resolver failed: ${e instanceof Error ? e.message : String(e)}` }
  }
  if (r.found) {
    if (r.key.kid !== kid) return { ok: false, code: VERIFY_CODES.keyNotFound, detail: `the resolver returned kid ${JSON.stringify(r.key.kid)}` }
    if (belongsTo(r.key, issuer)) return { ok: true, key: r.key }
    return { ok: false, code: VERIFY_CODES.issuerKeyMismatch, detail: `key of ${r.key.issuer} found at ${r.key.source}` }
  }
  if (foreign !== undefined && r.failure === 'key-not-found') return foreignKey(kid, foreign)
  return { ok: false, code: FAILURE_CODES[r.failure] ?? VERIFY_CODES.keySetInvalid, detail: r.detail }
}
