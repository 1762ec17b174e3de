/**
 * One cached site file (docs/spec.md §11.6): what a fetch of robots.txt, ai.txt, tdmrep.json, the
 * site policy or an RSL document gave, parsed, as plain JSON so that a shared store (Keyv over
 * Redis) can hold it. Entries read back from a store are checked, since a shared store may hold
 * anything.
 *
 * @internal
 * @module
 */

/** The site files a crawler reads. @internal */
export type SiteFileKind = 'robots.txt' | 'ai.txt' | 'tdmrep.json' | 'policy' | 'rsl'

/**
 * - `ok`: the file, parsed (`data`);
 * - `none`: no file (4xx, a redirect refused or too many), or a file that cannot be read at all;
 * - `unreachable`: robots.txt could not be fetched (429, 5xx, timeout, network error): `data` is
 *   the complete disallow RFC 9309 §2.3.1.4 prescribes;
 * - `failed`: another file could not be fetched (it states nothing; retried soon);
 * - `invalid`: a file that is not what its standard requires (it states nothing).
 * @internal
 */
export type SiteOutcome = 'ok' | 'none' | 'unreachable' | 'failed' | 'invalid'

/** One stored site file. @internal */
export interface SiteEntry {
  readonly v: 1
  readonly kind: SiteFileKind
  /** The URL requested. */
  readonly url: string
  readonly outcome: SiteOutcome
  /** The final HTTP status, when a response came. */
  readonly status?: number
  /** The parsed file (`RobotsTxt`, `TdmrepJson`, `NoaiPolicy`, `Rsl`), for `ok` and `unreachable`. */
  readonly data?: unknown
  /** Why the file states nothing, or that a stale copy is in use. */
  readonly detail?: string
  readonly fetchedAt: number
  readonly freshUntil: number
  /** Until when an `ok` entry may still be used when refetching fails. */
  readonly staleUntil: number
}

const OUTCOMES: ReadonlySet<string> = new Set(['ok', 'none', 'unreachable', 'failed', 'invalid'])

/** `value` if it is an entry for this file, else `undefined`. @internal */
export function readEntry(value: unknown, kind: SiteFileKind, url: string): SiteEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const e = value as Partial<SiteEntry>
  if (e.v !== 1 || e.kind !== kind || e.url !== url || typeof e.outcome !== 'string' || !OUTCOMES.has(e.outcome)) return undefined
  if (![e.fetchedAt, e.freshUntil, e.staleUntil].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined
  if ((e.outcome === 'ok' || e.outcome === 'unreachable') && (typeof e.data !== 'object' || e.data === null)) return undefined
  return e as SiteEntry
}

/** The files of an origin besides robots.txt, and what they say whatever the path. @internal */
export interface OtherFiles {
  readonly tdmrep: SiteEntry | undefined
  readonly policy: SiteEntry | undefined
  readonly aiTxt: SiteEntry | undefined
  readonly rsl: readonly SiteEntry[]
  /** Notes about these files (missing, invalid, not fetched), the same for every URL. */
  readonly notes: readonly string[]
  /** Until when all of them are fresh. */
  readonly until: number
}

/**
 * The site files of an origin for one crawler: robots.txt, and the other files once a URL that
 * robots.txt lets the crawler fetch needed them. Kept in memory until one of them is stale, so
 * that checking a URL looks the files up once. @internal
 */
export interface SiteBundle {
  readonly robots: SiteEntry
  /** The note about robots.txt, if any. */
  readonly robotsNote: string | undefined
  /** The spacing of requests from robots.txt's Crawl-delay, ms. */
  readonly delayMs: number
  others: OtherFiles | undefined
}
