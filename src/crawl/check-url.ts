/**
 * The crawler's question for one URL (docs/spec.md §11.6): fetch what is needed, in the order
 * that lets it stop early, and decide.
 *
 * @module
 */
import type { FoundSignal } from '../signals/types.js'
import { addressedTo } from './_agent.js'
import { cacheState, type CacheState, type CrawlCache } from './_cache-state.js'
import { settingsOf, targetOf, type Settings } from './_check-settings.js'
import { follow, type CrawlFetch } from './_http.js'
import { audioByExtension, FIRST_RANGE } from './_audio.js'
import { RESOURCE_ACCEPT, resourceView, type ResourceErrorCode, type ResourceView } from './_resource.js'
import { siteView } from './_site.js'
import { askedUse, evaluate, type EvaluateVerifyOptions } from './evaluate.js'
import type { CrawlLimits } from './limits.js'
import type { Decision } from './types.js'

export type { CrawlFetch } from './_http.js'
export type { ResourceErrorCode } from './_resource.js'

/** Options of {@link checkUrl}. */
export interface CheckUrlOptions {
  /** The use the caller intends: a v1 use or an alias (docs/spec.md §7.3). */
  readonly use: string
  /**
   * The crawler's user agent, sent as `User-Agent`; its product token (`ExampleBot` in
   * `ExampleBot/1.0 (+https://example.com/bot)`) selects robots.txt groups and statements
   * addressed to agents.
   * @defaultValue `DEFAULT_USER_AGENT` (`noai-tag (+https://noai-tag.org/bot)`)
   */
  readonly userAgent?: string
  /**
   * The fetch function, called with `redirect: 'manual'` and a `signal` it must honour for the
   * body too, as WHATWG fetch does (the deadline of a request aborts it).
   * @defaultValue `globalThis.fetch`
   */
  readonly fetch?: CrawlFetch
  /**
   * Where site files are cached, and whose per-origin politeness applies; share one between
   * checks, and one store (Keyv over Redis) between workers. @defaultValue a process-wide cache in memory
   */
  readonly cache?: CrawlCache
  /** Aborts the check (its requests and its waits); the check then rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Limits that differ from `CRAWL_LIMITS`. */
  readonly limits?: CrawlLimits
  /**
   * How signed tags are verified. By default each issuer's key set is fetched with this `fetch`
   * and cached in this cache's store. `false`: not verified (their allows do not count).
   */
  readonly verify?: EvaluateVerifyOptions | false
  /**
   * Read the tag embedded in audio responses, by Range requests.
   * @defaultValue true
   */
  readonly readAudio?: boolean
  /**
   * For a signed tag embedded in audio: hash the audio essence to check the tag's binding. This
   * reads the whole file (up to `limits.maxAudioBytes`).
   * @defaultValue false
   */
  readonly verifyAudioBinding?: boolean
  /** The time of use, for `expires` and verification. @defaultValue now */
  readonly now?: Date
}

/** Why the resource could not be read, when it could not. */
export interface CheckError {
  /** `timeout`, `network-error`, `too-many-redirects`, `redirect-loop`, `bad-redirect` or `http-status` (429, 5xx). */
  readonly code: ResourceErrorCode
  /** What happened, for people. */
  readonly message: string
}

/** The result of {@link checkUrl}: a decision, and how it was reached. */
export interface CheckResult extends Decision {
  /** The URL checked (without fragment). */
  readonly url: string
  /** The URL read after redirects, when the resource was requested. */
  readonly finalUrl?: string
  /** The resource's final HTTP status, when it was requested. */
  readonly status?: number
  /** The resource's `Content-Type`, when it was requested. */
  readonly contentType?: string
  /**
   * `true` when a site-level statement (robots.txt, the site policy, tdmrep.json, ai.txt, RSL)
   * already denied the use, so the resource was not requested: any deny wins, whatever it says.
   */
  readonly decidedBeforeFetching: boolean
  /**
   * Set when the resource could not be read; the verdict is then `deny` if a statement found denies
   * the use, and `unknown` otherwise (an allow from the site files alone is not reported as `allow`).
   */
  readonly error?: CheckError
  /** What else happened: files missing, invalid or unreachable, limits met, the tag not read. */
  readonly notes: readonly string[]
  /** HTTP requests this check made (0 when everything came from the cache and the site denied). */
  readonly requests: number
}

interface Gathered {
  site: FoundSignal[]
  notes: string[]
  resource?: ResourceView
  finalUrl?: string
  status?: number
  deniedBefore: boolean
  error?: CheckError
}

/** Site files of each URL of the redirect chain, then the resource; stops at the first site-level deny. */
async function gather(target: URL, options: CheckUrlOptions, st: CacheState, s: Settings): Promise<Gathered> {
  const { ctx } = s
  const use = options.use
  const g: Gathered = { site: [], notes: [], deniedBefore: false }
  const siteDenies = async (url: URL): Promise<boolean> => {
    const view = await siteView(ctx, st, url, s.site)
    g.site.push(...view.signals)
    g.notes.push(...view.notes.map((n) => (url.origin === target.origin ? n : `${url.origin}: ${n}`)))
    // Only a deny can decide before fetching: without one, the full decision comes at the end.
    // tdmrep.json cannot: TDMRep lets the resource's header or HTML meta supersede it (docs/spec.md
    // §11.6.4 item 1), so its statements wait for the resource.
    const decisive = view.signals.filter((x) => x.signal !== 'tdmrep')
    if (!decisive.some((x) => (x.agent === undefined || addressedTo(x.agent, s.site.token)) && Object.values(x.usage).includes('denied'))) return false
    const d = await evaluate(decisive, { use, userAgent: s.site.token, url: url.href, verify: false })
    return d.verdict === 'deny'
  }
  if (await siteDenies(target)) {
    g.deniedBefore = true
    return g
  }
  let deniedHop: string | undefined
  const headers: Record<string, string> = { Accept: RESOURCE_ACCEPT, ...(audioByExtension(target) ? { Range: FIRST_RANGE } : {}) }
  const followed = await follow(ctx, target.href, headers, async (next) => {
    if (!(await siteDenies(next))) return undefined
    deniedHop = next.href
    return `the site files of ${next.href} deny the use`
  })
  if (!followed.ok) {
    if (deniedHop !== undefined) {
      g.deniedBefore = true
      g.notes.push(`${target.href} redirects to ${deniedHop}, whose site files deny the use: it was not requested`)
      return g
    }
    g.error = { code: followed.failure, message: followed.message }
    return g
  }
  g.finalUrl = followed.res.url
  g.status = followed.res.status
  g.resource = await resourceView(ctx, st, followed.res, {
    maxHtmlBytes: s.limits.maxHtmlBytes,
    maxRslDocuments: s.site.maxRslDocuments,
    site: s.site,
    audio: options.readAudio === false ? false : { maxBytes: s.limits.maxAudioBytes, maxRequests: Math.max(1, Math.floor(s.limits.maxAudioRequests)), hashEssence: options.verifyAudioBinding === true },
  })
  if (g.resource.error !== undefined) g.error = g.resource.error
  return g
}

/**
 * Checks whether a URL may be used for a use, the way a polite crawler would (docs/spec.md §11.6):
 *
 * 1. The site files of the URL's origin, each once per freshness lifetime through `cache`
 *    (robots.txt at most 24 hours, `Cache-Control` honoured within bounds, absences cached, failures
 *    cached briefly, concurrent checks sharing one fetch): robots.txt first (unreachable: a complete
 *    disallow, RFC 9309 §2.3.1.4), then tdmrep.json, the site policy, ai.txt and the RSL licences
 *    robots.txt names. When they already deny the use for this crawler, the resource is not
 *    requested (`decidedBeforeFetching`).
 * 2. The resource: GET with redirects followed by hand (each target's site files checked first;
 *    loops and more than `maxRedirects` refused); its header fields; for an HTML page only the head
 *    (the body is cancelled at its end); for audio, the embedded tag by HTTP Range requests; RSL
 *    licences it links to.
 * 3. {@link evaluate} over everything found, with signed tags verified against the URL.
 *
 * Politeness: at most `originConcurrency` requests in flight per origin, the robots.txt
 * `Crawl-delay` of the crawler's group honoured (capped), `Retry-After` on 429 and 503 honoured
 * once when short. Every request has a deadline and every body read a byte limit. Network problems
 * are results (`error`, verdict `unknown` unless a deny was found), never exceptions.
 *
 * @param url - an absolute http(s) URL
 * @throws InvalidArgumentError for a URL that is not http(s), an unknown use, a user agent without a
 *   product token or bad limits; the signal's reason when `signal` aborts.
 * @example
 * ```ts
 * import { checkUrl } from 'noai-tag/crawl'
 * const r = await checkUrl('https://music.example/track/1', { use: 'train-genai', userAgent: 'ExampleBot/1.0' })
 * if (r.verdict !== 'allow') skip(r.url, r.reasons.filter((x) => x.decisive))
 * ```
 */
export async function checkUrl(url: string | URL, options: CheckUrlOptions): Promise<CheckResult> {
  const target = targetOf(url)
  askedUse(options?.use)
  const st = cacheState(options.cache)
  const s = settingsOf(options, st)
  s.ctx.signal?.throwIfAborted()
  const g = await gather(target, options, st, s)
  const signals = [...g.site, ...(g.resource?.signals ?? [])]
  const finalUrl = g.finalUrl ?? target.href
  const decision = await evaluate(signals, {
    use: options.use,
    userAgent: s.site.token,
    url: finalUrl,
    verify: s.verify,
    ...(g.resource?.contentType !== undefined ? { contentType: g.resource.contentType } : {}),
    ...(g.resource?.essence !== undefined ? { essence: g.resource.essence } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  })
  const notes = [...g.notes, ...(g.resource?.notes ?? [])]
  if (g.deniedBefore) notes.push('decided before fetching: a site-level statement denies the use, so the resource was not requested')
  // Without the resource's own statements, an allow from the site files alone is not an answer.
  const verdict = g.error !== undefined && decision.verdict === 'allow' ? 'unknown' : decision.verdict
  return {
    ...decision,
    verdict,
    reasons: verdict === decision.verdict ? decision.reasons : decision.reasons.map((r) => ({ ...r, decisive: false })),
    url: target.href,
    ...(g.finalUrl !== undefined ? { finalUrl: g.finalUrl } : {}),
    ...(g.status !== undefined ? { status: g.status } : {}),
    ...(g.resource?.contentType !== undefined ? { contentType: g.resource.contentType } : {}),
    decidedBeforeFetching: g.deniedBefore,
    ...(g.error !== undefined ? { error: g.error } : {}),
    notes,
    requests: s.ctx.requests,
  }
}
