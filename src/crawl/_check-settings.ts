/**
 * The settings of one check (docs/spec.md §11.6): options checked and filled with their defaults,
 * the request context, the site-file settings (made once per limits and crawler), and the key
 * resolver that loads the signing code at its first lookup.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { KeyResolver } from '../sign/types.js'
import { callerToken } from './_agent.js'
import type { CacheState } from './_cache-state.js'
import { isFetchable, parseUrl, type CrawlFetch, type HttpContext } from './_http.js'
import type { SiteSettings } from './_site.js'
import { newKeyResolver } from './_verify.js'
import type { CheckUrlOptions } from './check-url.js'
import { CRAWL_LIMITS, DEFAULT_USER_AGENT, type CrawlLimits } from './limits.js'
import type { EvaluateVerifyOptions } from './types.js'

/** The settings of one check. @internal */
export interface Settings {
  readonly ctx: HttpContext
  readonly site: SiteSettings
  readonly limits: Required<CrawlLimits>
  readonly verify: EvaluateVerifyOptions | false
}

const checkedLimits = new WeakMap<CrawlLimits, Required<CrawlLimits>>()

function limitsOf(given: CrawlLimits | undefined): Required<CrawlLimits> {
  if (given === undefined) return CRAWL_LIMITS
  const known = checkedLimits.get(given)
  if (known !== undefined) return known
  const out: Record<string, number> = { ...CRAWL_LIMITS }
  for (const [k, v] of Object.entries(given ?? {})) {
    if (!Object.hasOwn(CRAWL_LIMITS, k)) throw new InvalidArgumentError(`unknown limit ${JSON.stringify(k)}; see CRAWL_LIMITS`)
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`limits.${k} must be a finite number >= 0, not ${String(v)}`)
    out[k] = v
  }
  checkedLimits.set(given, out as Required<CrawlLimits>)
  return out as Required<CrawlLimits>
}

/** A resolver that loads the signing code at its first lookup, one per cache and fetch. */
function lazyResolver(st: CacheState, fetch: CrawlFetch, userAgent: string, allowHttpLoopback: boolean): KeyResolver {
  let map = st.resolvers.get(fetch)
  if (map === undefined) st.resolvers.set(fetch, (map = new Map()))
  const key = `${allowHttpLoopback}|${userAgent}`
  const known = map.get(key)
  if (known !== undefined) return known
  let real: Promise<KeyResolver> | undefined
  const store = st.store
  const lazy: KeyResolver = {
    async lookup(issuer, kid, options) {
      real ??= newKeyResolver({
        fetch,
        userAgent,
        allowHttpLoopback,
        store: { get: (k) => store.get(k), set: (k, v, ttl) => store.set(k, v, ttl), delete: (k) => store.delete?.(k) },
      })
      return (await real).lookup(issuer, kid, options)
    },
  }
  map.set(key, lazy)
  return lazy
}

const defaults = new WeakMap<CacheState, WeakMap<CrawlFetch, Map<string, EvaluateVerifyOptions>>>()

/**
 * The verify settings of a check that gave none: `{ resolver }` with the lazy resolver for this
 * cache, fetch and user agent, made once (nothing changes them).
 */
function defaultVerify(st: CacheState, fetch: CrawlFetch, userAgent: string): EvaluateVerifyOptions {
  let byFetch = defaults.get(st)
  if (byFetch === undefined) defaults.set(st, (byFetch = new WeakMap()))
  let byAgent = byFetch.get(fetch)
  if (byAgent === undefined) byFetch.set(fetch, (byAgent = new Map()))
  let v = byAgent.get(userAgent)
  if (v === undefined) byAgent.set(userAgent, (v = { resolver: lazyResolver(st, fetch, userAgent, false) }))
  return v
}

/** The default fetch, one function so that caches keyed by fetch function work. */
const GLOBAL_FETCH: CrawlFetch = (url, init) => globalThis.fetch(url, init)

const siteSettings = new WeakMap<Required<CrawlLimits>, Map<string, SiteSettings>>()

/** The site settings for these limits and this crawler, made once. */
function siteSettingsOf(limits: Required<CrawlLimits>, token: string): SiteSettings {
  let byToken = siteSettings.get(limits)
  if (byToken === undefined) siteSettings.set(limits, (byToken = new Map()))
  let site = byToken.get(token)
  if (site === undefined) {
    site = {
      token,
      lowerToken: token.toLowerCase(),
      minTtlMs: limits.minSiteFileTtlMs,
      maxTtlMs: Math.max(limits.minSiteFileTtlMs, limits.maxSiteFileTtlMs),
      defaultTtlMs: limits.defaultSiteFileTtlMs,
      failureTtlMs: limits.failureTtlMs,
      maxStaleMs: limits.maxStaleMs,
      maxBytes: limits.maxSiteFileBytes,
      maxCrawlDelayMs: limits.maxCrawlDelayMs,
      maxRslDocuments: Math.floor(limits.maxRslDocuments),
    }
    byToken.set(token, site)
  }
  return site
}

/** Checks the options of a check and fills defaults. @internal */
export function settingsOf(options: CheckUrlOptions, st: CacheState): Settings {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options must be an object with a use')
  const limits = limitsOf(options.limits)
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT
  const token = callerToken(userAgent)!
  const fetch: CrawlFetch = options.fetch ?? GLOBAL_FETCH
  if (typeof fetch !== 'function') throw new InvalidArgumentError('fetch must be a function')
  const v = options.verify
  const verify: EvaluateVerifyOptions | false =
    v === undefined
      ? defaultVerify(st, fetch, userAgent)
      : v === false || v.keys !== undefined || v.resolver !== undefined
        ? v
        : { ...v, resolver: lazyResolver(st, fetch, userAgent, v.allowHttpLoopback === true) }
  const ctx: HttpContext = {
    fetch,
    userAgent,
    limiter: st.limiter,
    concurrency: Math.max(1, Math.floor(limits.originConcurrency)),
    timeoutMs: Math.max(1, limits.timeoutMs),
    maxRedirects: Math.floor(limits.maxRedirects),
    maxRetryAfterMs: limits.maxRetryAfterMs,
    signal: options.signal,
    requests: 0,
  }
  const site = siteSettingsOf(limits, token)
  return { ctx, site, limits, verify }
}

/** The URL to check, without fragment. @throws InvalidArgumentError unless http(s) without credentials. @internal */
export function targetOf(url: string | URL): URL {
  const u = typeof url === 'string' || url instanceof URL ? parseUrl(String(url)) : undefined
  if (u === undefined) throw new InvalidArgumentError(`url must be an absolute http(s) URL, not ${JSON.stringify(String(url).slice(0, 200))}`)
  if (!isFetchable(u)) throw new InvalidArgumentError(`only http and https URLs without credentials can be checked, not ${u.protocol}//${u.host}`)
  u.hash = ''
  return u
}
