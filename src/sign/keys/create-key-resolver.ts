/**
 * Remote key discovery (docs/spec.md §14.1-§14.4): finds an issuer's key by `kid` in the key set
 * published at the issuer origin's well-known path, with bounded caching, a cooldown for unknown
 * `kid`s, stale use on fetch failure, and one shared fetch per issuer at a time.
 *
 * @module
 */
import type { IssuerKey, KeyLookupFailure, KeyLookupResult, KeyResolver } from '../types.js'
import { readEntry, rememberKeys, type CacheEntry } from './_cache-entry.js'
import { fetchKeySet } from './_fetch-key-set.js'
import { issuerProblem } from './_issuer.js'
import { isValidKid, showKid } from './_kid.js'
import { createLru, type Lru } from './_lru.js'
import { resolverSettings, type ResolverSettings } from './_settings.js'
import { KeyResolutionError } from './errors.js'
import { KEY_SET_LIMITS } from './limits.js'
import { parseKeySet } from './parse-key-set.js'
import type { KeySetFetch, KeySetStore } from './types.js'

/** Options of {@link createKeyResolver}. Durations are in milliseconds. */
export interface KeyResolverOptions {
  /** The fetch function. @defaultValue `globalThis.fetch` (looked up at each call) */
  readonly fetch?: KeySetFetch
  /** Where fetched key sets are cached (a Keyv instance works). @defaultValue an in-memory LRU of 1000 issuers */
  readonly store?: KeySetStore
  /** Prefix of the store keys (one key per issuer). @defaultValue `"noai-tag:jwks:"` */
  readonly storeKeyPrefix?: string
  /** Deadline of one fetch, redirects and body included. @defaultValue 5000 */
  readonly timeoutMs?: number
  /** Largest key set body, in bytes; the body is read as a stream and cut off past it. @defaultValue 65536 */
  readonly maxBytes?: number
  /** Lower bound of a key set's freshness, greater than 0 (also used for `no-store`, `no-cache`, `max-age=0`). @defaultValue 60000 */
  readonly minTtlMs?: number
  /** Upper bound of a key set's freshness. @defaultValue 86400000 (24 h) */
  readonly maxTtlMs?: number
  /** Freshness when the response has no `Cache-Control: max-age`. @defaultValue 600000 (10 min) */
  readonly defaultTtlMs?: number
  /** How long past its freshness a key set is still used when refetching it fails (0: never). @defaultValue 86400000 (24 h) */
  readonly maxStaleMs?: number
  /** Least time between refetches of one issuer's fresh key set caused by unknown `kid`s. @defaultValue 30000 */
  readonly unknownKidCooldownMs?: number
  /** Least time between a failed fetch of an issuer's key set and the next attempt. @defaultValue 30000 */
  readonly failureCooldownMs?: number
  /** Allow http loopback issuers (`http://localhost`, `http://127.x.y.z`, `http://[::1]`, any port); for tests and demos. @defaultValue false */
  readonly allowHttpLoopback?: boolean
  /** Sent as `User-Agent` (runtimes that forbid the header ignore it). */
  readonly userAgent?: string
  /** The clock, in milliseconds since the epoch (tests pass a fake one). @defaultValue `Date.now` */
  readonly now?: () => number
}

/** Issuers longer than this are checked but not remembered (the tag schema allows 2048). */
const MAX_ISSUER_LENGTH = 2048

type Refresh = { readonly ok: true; readonly keys: readonly IssuerKey[] } | { readonly ok: false; readonly failure: KeyLookupFailure; readonly detail: string }

/**
 * Creates a resolver that fetches each issuer's key set from `issuer + "/.well-known/noai-tag/jwks.json"`
 * (docs/spec.md §14.2) and caches it.
 *
 * - The issuer must be exactly an https origin (or an http loopback origin with
 *   `allowHttpLoopback`), else `issuer-not-allowed`. A `kid` outside `[A-Za-z0-9._-]{1,128}` is
 *   `key-not-found` at once: no request is made, and a `kid` never becomes part of a URL.
 * - Redirects are followed by hand (at most 3) and only within the issuer's origin; a response that
 *   is not 200, has another content type than `application/jwk-set+json` or `application/json`,
 *   is larger than `maxBytes` or is not a valid key set is `key-set-invalid`; network errors,
 *   timeouts and 4xx/5xx statuses are `key-set-unavailable`.
 * - A key set stays fresh for its `Cache-Control: max-age` (less `Age`), clamped to
 *   [`minTtlMs`, `maxTtlMs`]. While fresh, lookups make no request; an unknown `kid` refetches at
 *   most once per `unknownKidCooldownMs` per issuer. When a refetch fails, the previous set is
 *   still used for up to `maxStaleMs` past its freshness; a failed issuer is not retried for
 *   `failureCooldownMs`.
 * - Concurrent lookups for one issuer share one fetch. Retired and revoked keys are returned with
 *   their `status`; deciding what they mean for a tag is the verifier's job (docs/spec.md §14.4).
 * - Aborting `signal` rejects the lookup with the signal's reason (the shared fetch goes on). A
 *   failing store rejects it with a {@link KeyResolutionError}.
 *
 * @example
 * ```ts
 * const resolver = createKeyResolver({ timeoutMs: 3000 })
 * const r = await resolver.lookup('https://music.example', '2026-01')
 * if (r.found) console.log(r.key.status) // 'active' | 'retired' | 'revoked'
 * else console.log(r.failure, r.detail)  // e.g. 'key-set-unavailable'
 * ```
 */
export function createKeyResolver(options: KeyResolverOptions = {}): KeyResolver {
  const st: State = {
    s: resolverSettings(options),
    attempts: createLru(KEY_SET_LIMITS.memoryStoreEntries),
    failures: createLru(KEY_SET_LIMITS.memoryStoreEntries),
    inflight: new Map(),
    checked: createLru(KEY_SET_LIMITS.memoryStoreEntries),
  }
  return {
    async lookup(issuer, kid, lookupOptions = {}) {
      const { signal } = lookupOptions
      signal?.throwIfAborted()
      const problem = checkIssuer(st, issuer)
      if (problem !== undefined) return miss('issuer-not-allowed', problem)
      if (!isValidKid(kid)) return miss('key-not-found', `kid ${showKid(kid)} is not a valid key id (1-128 characters from A-Z a-z 0-9 . _ -); no key set was fetched`)
      return lookupKey(st, issuer, kid, signal)
    },
  }
}

/** The resolver's settings and its in-process state (the key sets themselves are in the store). */
interface State {
  readonly s: ResolverSettings
  /** Time of the last fetch attempt per issuer. */
  readonly attempts: Lru<number>
  /** The last failure per issuer, until a fetch succeeds. */
  readonly failures: Lru<{ readonly at: number; readonly failure: KeyLookupFailure; readonly detail: string }>
  /** The fetch in progress per issuer, shared by concurrent lookups. */
  readonly inflight: Map<string, Promise<Refresh>>
  /** Issuer check results ('' for allowed): parsing a URL costs more than the rest of a warm lookup. */
  readonly checked: Lru<string>
}

function checkIssuer(st: State, issuer: string): string | undefined {
  if (typeof issuer !== 'string' || issuer.length > MAX_ISSUER_LENGTH) return issuerProblem(issuer, st.s.allowHttpLoopback)
  let problem = st.checked.get(issuer)
  if (problem === undefined) st.checked.set(issuer, (problem = issuerProblem(issuer, st.s.allowHttpLoopback) ?? ''))
  return problem === '' ? undefined : problem
}

// docs/spec.md §14.3.3: fresh sets answer without a request; an unknown kid refetches once per
// cooldown; a failed issuer is not retried during the failure cooldown; a failed refetch falls
// back on the previous set while it may still be used.
async function lookupKey(st: State, issuer: string, kid: string, signal: AbortSignal | undefined): Promise<KeyLookupResult> {
  const { s } = st
  const cached = readEntry(await storeCall(() => s.store.get(s.storeKeyPrefix + issuer)), issuer)
  const t = s.now()
  const usable = (at: number): boolean => cached !== undefined && at < cached.entry.staleUntil
  if (cached !== undefined && t < cached.entry.freshUntil) {
    const hit = findKey(cached.keys, issuer, kid)
    if (hit.found) return hit
    const last = Math.max(cached.entry.fetchedAt, st.attempts.get(issuer) ?? -Infinity)
    if (t - last < s.unknownKidCooldownMs) return hit
  } else {
    const failed = st.failures.get(issuer)
    if (failed !== undefined && t - failed.at < s.failureCooldownMs) {
      if (usable(t)) return findKey(cached!.keys, issuer, kid)
      return miss(failed.failure, `${failed.detail} (not retried for ${s.failureCooldownMs} ms after a failure)`)
    }
  }
  const result = await untilAborted(sharedRefresh(st, issuer), signal)
  if (result.ok) return findKey(result.keys, issuer, kid)
  if (usable(s.now())) return findKey(cached!.keys, issuer, kid)
  return miss(result.failure, result.detail)
}

function sharedRefresh(st: State, issuer: string): Promise<Refresh> {
  let pending = st.inflight.get(issuer)
  if (pending === undefined) {
    pending = refresh(st, issuer).finally(() => st.inflight.delete(issuer))
    st.inflight.set(issuer, pending)
  }
  return pending
}

async function refresh(st: State, issuer: string): Promise<Refresh> {
  const { s } = st
  st.attempts.set(issuer, s.now())
  const outcome = await fetchAndParse(issuer, s)
  if (!outcome.ok) {
    st.failures.set(issuer, { at: s.now(), failure: outcome.failure, detail: outcome.detail })
    return outcome
  }
  st.failures.delete(issuer)
  const { entry } = outcome
  await storeCall(() => s.store.set(s.storeKeyPrefix + issuer, entry, entry.staleUntil - entry.fetchedAt))
  return { ok: true, keys: outcome.keys }
}

async function fetchAndParse(
  issuer: string,
  s: ResolverSettings,
): Promise<{ ok: true; entry: CacheEntry; keys: readonly IssuerKey[] } | { ok: false; failure: KeyLookupFailure; detail: string }> {
  const got = await fetchKeySet(issuer, s)
  if (!got.ok) return got
  let keys: IssuerKey[]
  try {
    keys = parseKeySet(got.json, issuer, got.url)
  } catch (e) {
    return { ok: false, failure: 'key-set-invalid', detail: `${got.url}: ${e instanceof Error ? e.message : String(e)}` }
  }
  const fetchedAt = s.now()
  const freshUntil = fetchedAt + got.ttlMs
  const entry: CacheEntry = { v: 1, source: got.url, jwks: got.json, fetchedAt, freshUntil, staleUntil: freshUntil + s.maxStaleMs }
  rememberKeys(entry, issuer, keys)
  return { ok: true, entry, keys }
}

function findKey(keys: readonly IssuerKey[], issuer: string, kid: string): KeyLookupResult {
  const key = keys.find((k) => k.kid === kid)
  if (key !== undefined) return { found: true, key }
  return miss('key-not-found', `no key with kid ${showKid(kid)} in the key set of ${issuer}`)
}

function miss(failure: KeyLookupFailure, detail: string): KeyLookupResult {
  return { found: false, failure, detail }
}

async function storeCall<T>(call: () => T): Promise<Awaited<T>> {
  try {
    return await call()
  } catch (e) {
    throw new KeyResolutionError(`the key set cache store failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
}

function untilAborted<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return pending
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
