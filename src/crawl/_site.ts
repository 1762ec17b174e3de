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
import { SITE_LIMITS } from '../robots/limits.js'
import { policyEverywhere, robotsEverywhere, tdmrepEverywhere } from '../robots/_everywhere.js'
import { normalizePathText } from '../robots/_pattern.js'
import { tdmrepSignals, tdmrepSignalsAt } from '../robots/tdmrep-signals.js'
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
  /** `token` lower-cased, worked out once. */
  readonly lowerToken: string
  readonly maxCrawlDelayMs: number
  readonly maxRslDocuments: number
}

/** Whether a robots.txt signal is a disallow that applies to this crawler. @internal */
export function ownDisallow(s: FoundSignal, token: string): boolean {
  if (s.signal !== 'robots-txt' || s.usage.all !== 'denied') return false
  const agent = s.agent
  // A product token is ASCII: lower-casing keeps its length, and an agent of another length differs.
  return agent === undefined || agent === token || (agent.length === token.length && agent.toLowerCase() === token.toLowerCase())
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

/** The bundle of an origin for this crawler when it is in memory and fresh. */
function knownBundle(st: CacheState, origin: string, s: SiteSettings): SiteBundle | undefined {
  const known = st.sites.get(`${origin} ${s.lowerToken}`)
  return known !== undefined && Date.now() < known.robots.freshUntil ? known : undefined
}

async function loadBundle(ctx: HttpContext, st: CacheState, origin: string, s: SiteSettings): Promise<SiteBundle> {
  const robots = await siteFile(ctx, st, 'robots.txt', `${origin}${SITE_PATHS.robotsTxt}`, s)
  const parsed = robots.data as RobotsTxt | undefined
  const delay = parsed === undefined ? undefined : crawlDelay(parsed, s.token)
  const bundle: SiteBundle = { robots, robotsNote: note(robots, 'robots.txt'), delayMs: delay === undefined ? 0 : Math.min(s.maxCrawlDelayMs, delay * 1000), others: undefined }
  st.sites.set(`${origin} ${s.lowerToken}`, bundle)
  return bundle
}

/**
 * The site's statements about `url` (an absolute http(s) URL without fragment). When robots.txt
 * disallows the URL for this crawler, or is unreachable, the other files are not fetched: the
 * disallow already denies every use (docs/spec.md §11.3.3). @internal
 */
export function siteView(ctx: HttpContext, st: CacheState, url: URL, s: SiteSettings): SiteView | Promise<SiteView> {
  const origin = url.origin
  // Synchronous while the origin's files are in memory and fresh (most checks of a crawl).
  const bundle = knownBundle(st, origin, s)
  if (bundle === undefined) return loadBundle(ctx, st, origin, s).then((b) => viewOf(ctx, st, url, s, b))
  return viewOf(ctx, st, url, s, bundle)
}

function viewOf(ctx: HttpContext, st: CacheState, url: URL, s: SiteSettings, bundle: SiteBundle): SiteView | Promise<SiteView> {
  const origin = url.origin
  st.limiter.setDelay(origin, bundle.delayMs)
  const notes: string[] = bundle.robotsNote !== undefined ? [bundle.robotsNote] : []
  const robots = bundle.robots.data as RobotsTxt | undefined
  const href = url.href
  // A file that says the same for every path is read for the first URL of its origin only; a URL
  // the readers refuse (over their length limit) is read as usual, to get their note.
  const anyPath = href.length <= SITE_LIMITS.maxUrlLength
  let signals: FoundSignal[]
  if (robots === undefined) signals = []
  else {
    const f = () => robotsSignals(robots, href, { userAgent: s.token })
    // robots.txt always allows itself: that path alone is read as usual.
    const same = anyPath && robotsEverywhere(robots, s.token) && normalizePathText((url.pathname || '/') + url.search, 'path') !== '/robots.txt'
    signals = same ? [...readEverywhere(robots, s.token, notes, 'robots.txt', f)] : read(notes, 'robots.txt', f)
  }
  if (signals.some((x) => ownDisallow(x, s.token))) {
    notes.push('robots.txt disallows this URL for this crawler: the other site files were not fetched')
    return { signals, notes }
  }
  const others = bundle.others
  if (others === undefined || Date.now() >= others.until) {
    return loadOthers(ctx, st, origin, robots, s).then((o) => {
      bundle.others = o
      return othersView(url, s, o, signals, notes)
    })
  }
  return othersView(url, s, others, signals, notes)
}

/** Adds what the files besides robots.txt say about `url`. */
function othersView(url: URL, s: SiteSettings, others: OtherFiles, signals: FoundSignal[], notes: string[]): SiteView {
  const href = url.href
  const anyPath = href.length <= SITE_LIMITS.maxUrlLength
  for (const n of others.notes) notes.push(n)
  const { tdmrep, policy, aiTxt } = others
  if (tdmrep?.outcome === 'ok') {
    const file = tdmrep.data as TdmrepJson
    const f = () => tdmrepSignals(file, href)
    let found: readonly FoundSignal[]
    if (!anyPath) found = read(notes, 'tdmrep.json', f)
    else if (tdmrepEverywhere(file)) found = readEverywhere(file, '', notes, 'tdmrep.json', f)
    // The URL split as requestTarget(href) would split it, from the URL in hand.
    else found = tdmrepSignalsAt(file, { origin: url.origin, path: normalizePathText((url.pathname || '/') + url.search, 'path') })
    for (const x of found) signals.push(x)
  }
  if (policy?.outcome === 'ok') {
    const file = policy.data as NoaiPolicy
    const f = () => policySignals(file, href, { policyUrl: policy.url })
    for (const x of anyPath && policyEverywhere(file) ? readEverywhere(file, policy.url, notes, 'the site policy', f) : read(notes, 'the site policy', f)) signals.push(x)
  }
  if (aiTxt?.outcome === 'ok') {
    const file = aiTxt.data as RobotsTxt
    const f = () => aiTxtSignals(file, href, { userAgent: s.token })
    for (const x of anyPath && robotsEverywhere(file, s.token) ? readEverywhere(file, s.token, notes, 'ai.txt', f) : read(notes, 'ai.txt', f)) signals.push(x)
  }
  for (const e of others.rsl) if (e.outcome === 'ok') signals.push(...read(notes, `RSL licence ${e.url}`, () => rslSignals(e.data as Rsl, href)))
  return { signals, notes }
}

/**
 * The signals of files that say the same for every path, per parsed file and key (the crawler's
 * token, the policy's URL): read once, then handed to every check of the origin. They are shared
 * between check results, as their readonly types allow, and never changed.
 */
const sameEverywhere = new WeakMap<object, Map<string, readonly FoundSignal[]>>()

/** Reads a file that says the same for every path, or returns what it said before. */
function readEverywhere(file: object, key: string, notes: string[], name: string, f: () => FoundSignal[]): readonly FoundSignal[] {
  let byKey = sameEverywhere.get(file)
  const known = byKey?.get(key)
  if (known !== undefined) return known
  const before = notes.length
  const signals = read(notes, name, f)
  // A reader that refused (a note) is asked again next time.
  if (notes.length === before) {
    if (byKey === undefined) sameEverywhere.set(file, (byKey = new Map()))
    byKey.set(key, signals)
  }
  return signals
}
