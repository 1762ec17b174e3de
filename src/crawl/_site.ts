/**
 * What the site files of an origin say about one URL, for one crawler (docs/spec.md §11.3 to
 * §11.6): robots.txt first; when it leaves the URL crawlable, tdmrep.json, the site policy, ai.txt
 * and the RSL licences robots.txt names. Files that robots.txt keeps the crawler out of are not
 * fetched.
 *
 * @internal
 * @module
 */
import type { NoaiPolicy } from '../model/_policy.generated.js'
import { aiTxtSignals } from '../robots/ai-txt-signals.js'
import type { Rsl } from '../robots/parse-rsl.js'
import type { TdmrepJson } from '../robots/parse-tdmrep-json.js'
import { policySignals } from '../robots/policy-signals.js'
import { robotsSignals } from '../robots/robots-signals.js'
import { rslSignals } from '../robots/rsl-signals.js'
import { SITE_PATHS } from '../robots/site-paths.js'
import { tdmrepSignals } from '../robots/tdmrep-signals.js'
import type { RobotsTxt } from '../robots/types.js'
import type { FoundSignal } from '../signals/types.js'
import type { CacheState } from './_cache-state.js'
import type { HttpContext } from './_http.js'
import type { OtherFiles, SiteBundle, SiteEntry } from './_site-entry.js'
import { siteFile, type SiteFileSettings } from './_site-files.js'

/** What the site says about a URL. @internal */
export interface SiteView {
  readonly signals: FoundSignal[]
  readonly notes: string[]
}

/** Settings of the site step. @internal */
export interface SiteSettings extends SiteFileSettings {
  readonly token: string
  readonly maxCrawlDelayMs: number
  readonly maxRslDocuments: number
}

/** Whether a robots.txt signal is a disallow that applies to this crawler. @internal */
export function ownDisallow(s: FoundSignal, token: string): boolean {
  return s.signal === 'robots-txt' && s.usage.all === 'denied' && (s.agent === undefined || s.agent.toLowerCase() === token.toLowerCase())
}

/** The Crawl-delay of the crawler's group (else the `*` group), in seconds. */
function crawlDelay(robots: RobotsTxt, token: string): number | undefined {
  const t = token.toLowerCase()
  const pick = (match: (ua: string) => boolean): number | undefined => {
    let delay: number | undefined
    for (const g of robots.groups) if (g.crawlDelay !== undefined && g.userAgents.some((u) => match(u.token.toLowerCase()))) delay = Math.max(delay ?? 0, g.crawlDelay)
    return delay
  }
  const own = robots.groups.some((g) => g.userAgents.some((u) => u.token.toLowerCase() === t))
  return own ? pick((ua) => ua === t) : pick((ua) => ua === '*')
}

function note(entry: SiteEntry, name: string): string | undefined {
  switch (entry.outcome) {
    case 'unreachable':
      return `${name} is unreachable (${entry.detail ?? 'no answer'}): a complete disallow is assumed (RFC 9309 §2.3.1.4)`
    case 'failed':
      return `${name} could not be fetched (${entry.detail ?? 'no answer'}): it states nothing`
    case 'invalid':
      return `${name} was ignored: ${entry.detail ?? 'not valid'}`
    case 'none':
      return entry.detail !== undefined ? `${name}: ${entry.detail}` : undefined
    case 'ok':
      return entry.detail !== undefined ? `${name}: ${entry.detail}` : undefined
  }
}

/** Runs one reader; a reader that refuses the input (a URL over its length limit) becomes a note. */
function read(notes: string[], name: string, f: () => FoundSignal[]): FoundSignal[] {
  try {
    return f()
  } catch (e) {
    notes.push(`${name} was not read for this URL: ${e instanceof Error ? e.message : String(e)}`)
    return []
  }
}

const fetchable = new WeakMap<RobotsTxt, Map<string, boolean>>()

/** Whether robots.txt lets this crawler fetch a path of the origin (a site file), memoised per parsed file. */
function mayFetch(robots: RobotsTxt | undefined, path: string, token: string): boolean {
  if (robots === undefined) return true
  let known = fetchable.get(robots)
  if (known === undefined) fetchable.set(robots, (known = new Map()))
  const key = `${token.toLowerCase()} ${path}`
  let ok = known.get(key)
  if (ok === undefined) known.set(key, (ok = !robotsSignals(robots, path, { userAgent: token, otherAgents: false }).some((s) => ownDisallow(s, token))))
  return ok
}

/** The RSL licence URLs robots.txt names. */
function licenceUrls(robots: RobotsTxt | undefined, max: number): string[] {
  const out: string[] = []
  for (const l of robots?.licenses ?? []) {
    if (out.length >= max) break
    if (URL.canParse(l.value) && /^https?:/i.test(l.value) && !out.includes(l.value)) out.push(l.value)
  }
  return out
}

/** Loads RSL documents and reads what they say about `url`. @internal */
export async function rslView(ctx: HttpContext, st: CacheState, urls: readonly string[], url: string, s: SiteFileSettings, notes: string[]): Promise<FoundSignal[]> {
  const entries = await Promise.all(urls.map((u) => siteFile(ctx, st, 'rsl', u, s)))
  return entries.flatMap((e) => {
    const n = note(e, `RSL licence ${e.url}`)
    if (n !== undefined) notes.push(n)
    return e.outcome === 'ok' ? read(notes, `RSL licence ${e.url}`, () => rslSignals(e.data as Rsl, url)) : []
  })
}

async function loadOthers(ctx: HttpContext, st: CacheState, origin: string, robots: RobotsTxt | undefined, s: SiteSettings): Promise<OtherFiles> {
  const notes: string[] = []
  const [tdmrep, policy, aiTxt] = await Promise.all(
    ([['tdmrep.json', SITE_PATHS.tdmrep], ['policy', SITE_PATHS.policy], ['ai.txt', SITE_PATHS.aiTxt]] as const).map(([kind, path]) =>
      mayFetch(robots, path, s.token) ? siteFile(ctx, st, kind, `${origin}${path}`, s) : undefined,
    ),
  )
  for (const [entry, name] of [[tdmrep, 'tdmrep.json'], [policy, 'the site policy'], [aiTxt, 'ai.txt']] as const) {
    if (entry === undefined) notes.push(`${name} was not fetched: robots.txt disallows its path for this crawler`)
    else {
      const n = note(entry, name)
      if (n !== undefined) notes.push(n)
    }
  }
  const rsl = await Promise.all(licenceUrls(robots, s.maxRslDocuments).map((u) => siteFile(ctx, st, 'rsl', u, s)))
  for (const e of rsl) {
    const n = note(e, `RSL licence ${e.url}`)
    if (n !== undefined) notes.push(n)
  }
  const until = Math.min(...[tdmrep, policy, aiTxt, ...rsl].map((e) => e?.freshUntil ?? Infinity))
  return { tdmrep, policy, aiTxt, rsl, notes, until }
}

async function bundleOf(ctx: HttpContext, st: CacheState, origin: string, s: SiteSettings): Promise<SiteBundle> {
  const key = `${origin} ${s.token.toLowerCase()}`
  const known = st.sites.get(key)
  if (known !== undefined && Date.now() < known.robots.freshUntil) return known
  const robots = await siteFile(ctx, st, 'robots.txt', `${origin}${SITE_PATHS.robotsTxt}`, s)
  const parsed = robots.data as RobotsTxt | undefined
  const delay = parsed === undefined ? undefined : crawlDelay(parsed, s.token)
  const bundle: SiteBundle = { robots, robotsNote: note(robots, 'robots.txt'), delayMs: delay === undefined ? 0 : Math.min(s.maxCrawlDelayMs, delay * 1000), others: undefined }
  st.sites.set(key, bundle)
  return bundle
}

/**
 * The site's statements about `url` (an absolute http(s) URL without fragment). When robots.txt
 * disallows the URL for this crawler, or is unreachable, the other files are not fetched: the
 * disallow already denies every use (docs/spec.md §11.3.3). @internal
 */
export async function siteView(ctx: HttpContext, st: CacheState, url: URL, s: SiteSettings): Promise<SiteView> {
  const origin = url.origin
  const bundle = await bundleOf(ctx, st, origin, s)
  st.limiter.setDelay(origin, bundle.delayMs)
  const notes: string[] = bundle.robotsNote !== undefined ? [bundle.robotsNote] : []
  const robots = bundle.robots.data as RobotsTxt | undefined
  const href = url.href
  const signals = robots === undefined ? [] : read(notes, 'robots.txt', () => robotsSignals(robots, href, { userAgent: s.token }))
  if (signals.some((x) => ownDisallow(x, s.token))) {
    notes.push('robots.txt disallows this URL for this crawler: the other site files were not fetched')
    return { signals, notes }
  }
  let others = bundle.others
  if (others === undefined || Date.now() >= others.until) bundle.others = others = await loadOthers(ctx, st, origin, robots, s)
  notes.push(...others.notes)
  const { tdmrep, policy, aiTxt } = others
  if (tdmrep?.outcome === 'ok') signals.push(...read(notes, 'tdmrep.json', () => tdmrepSignals(tdmrep.data as TdmrepJson, href)))
  if (policy?.outcome === 'ok') signals.push(...read(notes, 'the site policy', () => policySignals(policy.data as NoaiPolicy, href, { policyUrl: policy.url })))
  if (aiTxt?.outcome === 'ok') signals.push(...read(notes, 'ai.txt', () => aiTxtSignals(aiTxt.data as RobotsTxt, href, { userAgent: s.token })))
  for (const e of others.rsl) if (e.outcome === 'ok') signals.push(...read(notes, `RSL licence ${e.url}`, () => rslSignals(e.data as Rsl, href)))
  return { signals, notes }
}
