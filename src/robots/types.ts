/**
 * The parsed forms of robots.txt and ai.txt (docs/spec.md §11.3). Plain data only: a parsed file
 * survives `JSON.stringify`/`JSON.parse` unchanged, so that many crawler workers can share one
 * parse through a cache store.
 *
 * Types only: importing this module costs nothing at run time.
 *
 * @module
 */
import type { StatedPreference } from '../vocabulary/uses.js'

/** A problem met while parsing, with its 1-based line. */
export interface RobotsWarning {
  /** 1-based line number (0 for the file as a whole). */
  readonly line: number
  /** What was wrong and what was done about it. */
  readonly message: string
}

/** A `User-agent` line. */
export interface RobotsUserAgent {
  /** The value as written (`Googlebot/2.1`). */
  readonly value: string
  /**
   * The product token it names (RFC 9309 §2.2.1): the leading run of letters, `_` and `-`
   * (`Googlebot`), or `*`. An empty string matches no crawler.
   */
  readonly token: string
  /** 1-based line. */
  readonly line: number
}

/** An `Allow` or `Disallow` rule. */
export interface RobotsPathRule {
  /** Which rule. */
  readonly type: 'allow' | 'disallow'
  /** The path pattern as written; an empty pattern matches nothing. */
  readonly pattern: string
  /** 1-based line. */
  readonly line: number
}

/** A `Content-Usage` rule (draft-ietf-aipref-attach §3). */
export interface RobotsContentUsage {
  /** The path pattern; `/` when the rule names none. */
  readonly path: string
  /** The usage preference as written (an RFC 9651 Dictionary such as `train-ai=n`). */
  readonly value: string
  /**
   * The preference keys read from `value` (keys kept as written, `y` → allowed, `n` → denied), or
   * `null` when `value` is not a valid Dictionary: every preference of the rule is then unknown.
   */
  readonly preferences: Readonly<Record<string, StatedPreference>> | null
  /** Keys whose value was not the Token `y` or `n`, or why the value failed to parse. */
  readonly ignored: readonly string[]
  /** 1-based line. */
  readonly line: number
}

/** One `key=value` of a `Content-Signal` line. */
export interface ContentSignalEntry {
  /** The key, lower-cased (`ai-train`). */
  readonly key: string
  /** The value, lower-cased (`no`). */
  readonly value: string
}

/** A `Content-Signal` line (Cloudflare Content Signals Policy). */
export interface RobotsContentSignal {
  /** The value as written. */
  readonly value: string
  /** The entries in order. */
  readonly entries: readonly ContentSignalEntry[]
  /** 1-based line. */
  readonly line: number
}

/** A group: the user-agent lines that start it and the rules that follow (RFC 9309 §2.1). */
export interface RobotsGroup {
  /** 1-based line of the first user-agent line. */
  readonly line: number
  /** The user agents the group is for. */
  readonly userAgents: readonly RobotsUserAgent[]
  /** Allow and Disallow rules, in file order. */
  readonly rules: readonly RobotsPathRule[]
  /** Content-Usage rules, in file order. */
  readonly contentUsage: readonly RobotsContentUsage[]
  /** Content-Signal lines, in file order. */
  readonly contentSignals: readonly RobotsContentSignal[]
  /** `Crawl-delay` in seconds, when the group has a valid one (the last wins). */
  readonly crawlDelay?: number
}

/** A record that belongs to no group (`Sitemap`, RSL `License`). */
export interface RobotsRecord {
  /** The value (an absolute URL). */
  readonly value: string
  /** 1-based line. */
  readonly line: number
}

/** Why a robots.txt could not be fetched, when the fetcher records that (RFC 9309 §2.3.1.4). */
export type RobotsUnreachableReason = 'server-error' | 'too-many-requests' | 'timeout' | 'network-error'

/** A parsed robots.txt or ai.txt. */
export interface RobotsTxt {
  /** Which file this is: the grammars are the same, the meanings differ. */
  readonly format: 'robots.txt' | 'ai.txt'
  /** Where the file was fetched from, when the caller said. */
  readonly url?: string
  /** Every group, in file order (groups for the same agent are merged when matching, not here). */
  readonly groups: readonly RobotsGroup[]
  /** `Sitemap` records. */
  readonly sitemaps: readonly RobotsRecord[]
  /** RSL `License` records: URLs of RSL licence documents that apply to every crawler. */
  readonly licenses: readonly RobotsRecord[]
  /** Problems met while parsing (at most `SITE_LIMITS.maxWarnings`). */
  readonly warnings: readonly RobotsWarning[]
  /** The file was longer than the byte limit or held more groups or rules than the limits allow. */
  readonly truncated: boolean
  /** Bytes of the file that were parsed (UTF-8). */
  readonly parsedBytes: number
  /**
   * Set when the file could not be fetched (server error, 429, timeout, network error): the site is
   * then treated as disallowing everything (RFC 9309 §2.3.1.4). See `unreachableRobotsTxt`.
   */
  readonly unreachable?: RobotsUnreachableReason
}
