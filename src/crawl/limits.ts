/**
 * Named limits and defaults of the crawler's decision (docs/spec.md §11.6). Every bound `checkUrl`
 * enforces (time, bytes, redirects, requests, cache lifetimes, politeness) is one of these
 * constants; `options.limits` may change the ones it documents.
 *
 * @module
 */

/**
 * The `User-Agent` `checkUrl` sends when the caller names none. Its product token, `noai-tag`, is
 * also the token robots.txt groups are matched against.
 *
 * @example
 * ```ts
 * import { DEFAULT_USER_AGENT } from 'noai-tag/crawl'
 * DEFAULT_USER_AGENT // 'noai-tag (+https://noai-tag.org/bot)'
 * ```
 */
export const DEFAULT_USER_AGENT = 'noai-tag (+https://noai-tag.org/bot)' as const

/**
 * Limits and defaults of `checkUrl` (docs/spec.md §11.6). Durations are in milliseconds.
 *
 * @example
 * ```ts
 * import { CRAWL_LIMITS, checkUrl } from 'noai-tag/crawl'
 * await checkUrl(url, { use: 'train-ai', limits: { timeoutMs: 2 * CRAWL_LIMITS.timeoutMs } })
 * ```
 */
export const CRAWL_LIMITS = {
  /** Deadline of one request: connection, headers and the part of the body that is read. */
  timeoutMs: 10_000,
  /** Redirects followed for one resource or site file (RFC 9309 §2.3.1.2 asks for at least five). */
  maxRedirects: 5,
  /** Bytes of an HTML page read to find its head (the head reader stops earlier at `</head>`). */
  maxHtmlBytes: 1_048_576,
  /** Bytes read of a site file (robots.txt and ai.txt are parsed up to `SITE_LIMITS.maxRobotsBytes`). */
  maxSiteFileBytes: 524_288,
  /** Bytes of an audio file fetched to read its embedded tag (Range requests usually need a few KiB). */
  maxAudioBytes: 16_777_216,
  /** Requests made to read one audio file's embedded tag. */
  maxAudioRequests: 64,
  /** RSL licence documents fetched for one check (robots.txt `License`, `Link`, `<link>`). */
  maxRslDocuments: 3,
  /** Requests in flight to one origin at a time. */
  originConcurrency: 2,
  /** Longest `Crawl-delay` honoured between two requests to one origin; longer ones are capped. */
  maxCrawlDelayMs: 30_000,
  /** Longest `Retry-After` waited for on a 429 or 503 before one retry; longer ones are not waited for. */
  maxRetryAfterMs: 30_000,
  /** Shortest time a fetched site file is kept fresh, whatever `Cache-Control` says. */
  minSiteFileTtlMs: 60_000,
  /** Longest time a fetched site file is kept fresh (RFC 9309 §2.4: robots.txt at most 24 hours). */
  maxSiteFileTtlMs: 86_400_000,
  /** Freshness of a site file (or of its absence) served without `Cache-Control: max-age`. */
  defaultSiteFileTtlMs: 3_600_000,
  /** Freshness of a failed fetch (timeout, network error, 5xx, 429): retried after this. */
  failureTtlMs: 60_000,
  /** How long past its freshness a site file is still used when refetching it fails (RFC 9309 §2.4). */
  maxStaleMs: 86_400_000,
  /** Site files and RSL documents the default in-memory store holds at most. */
  memoryStoreEntries: 10_000,
  /** Origins whose parsed files a cache keeps in memory besides its store. */
  memoryParsedEntries: 1_000,
} as const

/** The limits `checkUrl` takes in `options.limits`. */
export type CrawlLimits = { -readonly [K in keyof typeof CRAWL_LIMITS]?: number }
