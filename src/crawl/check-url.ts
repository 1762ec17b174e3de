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
import { siteView, type SiteView } from './_site.js'
import { askedUse, decide, type evaluate, type EvaluateOptions, type EvaluateVerifyOptions } from './evaluate.js'
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

/** Whether a usage states a deny of some use. */
function statesDeny(usage: FoundSignal['usage']): boolean {
  for (const k in usage) if (Object.hasOwn(usage, k) && usage[k as keyof typeof usage] === 'denied') return true
  return false
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
  // Synchronous while the site files are in memory (most checks), to spare turns of the event loop.
  const siteDenies = (url: URL): boolean | Promise<boolean> => {
    const view = siteView(ctx, st, url, s.site)
    return view instanceof Promise ? view.then((v) => viewDenies(url, v)) : viewDenies(url, view)
  }
  const viewDenies = (url: URL, view: SiteView): boolean | Promise<boolean> => {
    for (const x of view.signals) g.site.push(x)
    const sameOrigin = url.origin === target.origin
    for (const n of view.notes) g.notes.push(sameOrigin ? n : `${url.origin}: ${n}`)
    // Only a deny can decide before fetching: without one, the full decision comes at the end.
    // tdmrep.json cannot: TDMRep lets the resource's header or HTML meta supersede it (docs/spec.md
    // §11.6.4 item 1), so its statements wait for the resource.
    if (!view.signals.some((x) => x.signal !== 'tdmrep' && (x.agent === undefined || addressedTo(x.agent, s.site.token)) && statesDeny(x.usage))) return false
    const decisive = view.signals.filter((x) => x.signal !== 'tdmrep')
    const d = decide(decisive, { use, userAgent: s.site.token, url: url.href, verify: false })
    return d instanceof Promise ? d.then((x) => x.verdict === 'deny') : d.verdict === 'deny'
  }
  const denied = siteDenies(target)
  if (denied instanceof Promise ? await denied : denied) {
    g.deniedBefore = true
    return g
  }
  let deniedHop: string | undefined
  const headers: Record<string, string> = { Accept: RESOURCE_ACCEPT }
  if (audioByExtension(target)) headers.Range = FIRST_RANGE
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
  // The arrays gather made are this check's own: they are extended, not copied.
  const signals = g.site
  const resource = g.resource
  if (resource !== undefined) for (const x of resource.signals) signals.push(x)
  const finalUrl = g.finalUrl ?? target.href
  // Built member by member: object spreads of conditional members are slow on this hot path.
  const evaluateOptions: { -readonly [K in keyof EvaluateOptions]: EvaluateOptions[K] } = { use: options.use, userAgent: s.site.token, url: finalUrl, verify: s.verify }
  if (resource?.contentType !== undefined) evaluateOptions.contentType = resource.contentType
  if (resource?.essence !== undefined) evaluateOptions.essence = resource.essence
  if (options.now !== undefined) evaluateOptions.now = options.now
  if (options.signal !== undefined) evaluateOptions.signal = options.signal
  // evaluate's answer, synchronous when no signed tag needs verifying.
  const decided: Decision | ReturnType<typeof evaluate> = decide(signals, evaluateOptions)
  const decision = decided instanceof Promise ? await decided : decided
  const notes = g.notes
  if (resource !== undefined) for (const n of resource.notes) notes.push(n)
  if (g.deniedBefore) notes.push('decided before fetching: a site-level statement denies the use, so the resource was not requested')
  // Without the resource's own statements, an allow from the site files alone is not an answer.
  const stated = decision.verdict
  const verdict = g.error !== undefined && stated === 'allow' ? 'unknown' : stated
  // The decision is this check's own object: it becomes the result, its members in the order
  // `{ ...decision, verdict, reasons, url, ... }` gives them.
  const out = decision as { -readonly [K in keyof CheckResult]: CheckResult[K] }
  out.verdict = verdict
  if (verdict !== stated) out.reasons = decision.reasons.map((r) => ({ ...r, decisive: false }))
  out.url = target.href
  if (g.finalUrl !== undefined) out.finalUrl = g.finalUrl
  if (g.status !== undefined) out.status = g.status
  if (resource?.contentType !== undefined) out.contentType = resource.contentType
  out.decidedBeforeFetching = g.deniedBefore
  if (g.error !== undefined) out.error = g.error
  out.notes = notes
  out.requests = s.ctx.requests
  return out
}
