/**
 * Parsing robots.txt (RFC 9309 §2) with the AI-usage lines other standards add to it:
 * `Content-Usage` (draft-ietf-aipref-attach §3), `Content-Signal` (Cloudflare Content Signals) and
 * RSL's `License`. docs/spec.md §11.3.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import { SITE_LIMITS } from './limits.js'
import { contentSignalLine, contentUsageRule } from './_rule-values.js'
import { positiveInteger, prefixWithinBytes, utf8Length } from './_text.js'
import type { RobotsContentSignal, RobotsContentUsage, RobotsGroup, RobotsPathRule, RobotsRecord, RobotsTxt, RobotsUserAgent, RobotsWarning } from './types.js'

/** Options of {@link parseRobotsTxt}. */
export interface ParseRobotsTxtOptions {
  /** Where the file was fetched from; recorded in the result and in every signal's source. */
  readonly url?: string
  /**
   * Bytes of UTF-8 parsed; the rest of the file is ignored and the result is marked `truncated`.
   * @defaultValue `SITE_LIMITS.maxRobotsBytes` (524288; RFC 9309 §2.5 requires at least 500 KiB)
   */
  readonly maxBytes?: number
}

type Field = 'user-agent' | 'allow' | 'disallow' | 'crawl-delay' | 'content-usage' | 'content-signal' | 'sitemap' | 'license'

/** Field names, with the misspellings RFC 9309 §2.2.4 lets a parser accept (Google's list). */
const FIELDS: ReadonlyMap<string, Field> = new Map([
  ['user-agent', 'user-agent'],
  ['useragent', 'user-agent'],
  ['user agent', 'user-agent'],
  ['allow', 'allow'],
  ['disallow', 'disallow'],
  ['dissallow', 'disallow'],
  ['dissalow', 'disallow'],
  ['disalow', 'disallow'],
  ['diasllow', 'disallow'],
  ['disallaw', 'disallow'],
  ['crawl-delay', 'crawl-delay'],
  ['content-usage', 'content-usage'],
  ['content-signal', 'content-signal'],
  ['content-signals', 'content-signal'],
  ['sitemap', 'sitemap'],
  ['site-map', 'sitemap'],
  ['license', 'license'],
])

interface MutableGroup {
  line: number
  userAgents: RobotsUserAgent[]
  rules: RobotsPathRule[]
  contentUsage: RobotsContentUsage[]
  contentSignals: RobotsContentSignal[]
  crawlDelay?: number
}

/**
 * The product token of a user-agent value (RFC 9309 §2.2.1): `*`, or the leading run of letters,
 * `_` and `-`, and also digits: RFC 9309 allows no digits, but deployed tokens such as `AI2Bot` and
 * `img2dataset` have them, and cutting them at the digit would make `AI2Bot` name an agent `AI`.
 */
export function productToken(value: string): string {
  if (value.startsWith('*')) return '*'
  return /^[A-Za-z0-9_-]*/.exec(value)![0]
}

/** State of one parse. */
class RobotsParser {
  readonly groups: RobotsGroup[] = []
  readonly sitemaps: RobotsRecord[] = []
  readonly licenses: RobotsRecord[] = []
  readonly warnings: RobotsWarning[] = []
  truncated = false
  private current: MutableGroup | undefined
  private inUserAgents = false
  private ruleCount = 0
  private dropped = 0

  warn(line: number, message: string): void {
    if (this.warnings.length < SITE_LIMITS.maxWarnings - 1) this.warnings.push({ line, message })
    else this.dropped++
  }

  finish(): void {
    if (this.dropped > 0) this.warnings.push({ line: 0, message: `${this.dropped} more warnings not recorded (maxWarnings = ${SITE_LIMITS.maxWarnings})` })
  }

  /** Handles one line; returns false when a limit stops the parse. */
  line(text: string, n: number): boolean {
    const hash = text.indexOf('#')
    const content = (hash < 0 ? text : text.slice(0, hash)).trim()
    if (content === '') return true
    const colon = content.indexOf(':')
    if (colon < 0) {
      this.warn(n, 'line without ":" ignored')
      return true
    }
    const name = content.slice(0, colon).trim().toLowerCase().replace(/[ \t]+/g, ' ')
    const value = content.slice(colon + 1).trim()
    const field = FIELDS.get(name)
    if (field === undefined) {
      this.warn(n, `unknown field "${name.slice(0, 64)}" ignored`)
      return true
    }
    if (field === 'sitemap' || field === 'license') return this.record(field, value, n)
    if (++this.ruleCount > SITE_LIMITS.maxRules) {
      this.stop(n, `more than maxRules = ${SITE_LIMITS.maxRules} rules; the rest of the file is ignored`)
      return false
    }
    if (field === 'user-agent') return this.userAgent(value, n)
    const group = this.current
    this.inUserAgents = false
    if (group === undefined) {
      // RFC 9309 §2.2.2: rules before the first user-agent line belong to no group. The aipref
      // Content-Usage rule and Content-Signal are group rules too, so they are ignored the same way.
      this.warn(n, `${name} line before any user-agent line ignored (RFC 9309 §2.2.2)`)
      return true
    }
    this.member(group, field, value, n)
    return true
  }

  private stop(n: number, message: string): void {
    this.truncated = true
    this.warn(n, message)
  }

  private record(field: 'sitemap' | 'license', value: string, n: number): boolean {
    // Records outside the protocol do not end a group (RFC 9309 §2.2.4).
    if (!URL.canParse(value)) {
      this.warn(n, `${field} value is not an absolute URL; ignored`)
      return true
    }
    if (this.sitemaps.length + this.licenses.length >= SITE_LIMITS.maxRecords) {
      this.warn(n, `more than maxRecords = ${SITE_LIMITS.maxRecords} Sitemap and License records; ignored`)
      return true
    }
    ;(field === 'sitemap' ? this.sitemaps : this.licenses).push({ value, line: n })
    return true
  }

  private userAgent(value: string, n: number): boolean {
    const ua: RobotsUserAgent = { value, token: productToken(value), line: n }
    if (ua.token === '') this.warn(n, `user-agent "${value.slice(0, 64)}" has no product token (RFC 9309 §2.2.1); the group matches no crawler`)
    if (this.current === undefined || !this.inUserAgents) {
      if (this.groups.length >= SITE_LIMITS.maxGroups) {
        this.stop(n, `more than maxGroups = ${SITE_LIMITS.maxGroups} groups; the rest of the file is ignored`)
        return false
      }
      this.current = { line: n, userAgents: [], rules: [], contentUsage: [], contentSignals: [] }
      this.groups.push(this.current)
    }
    this.current.userAgents.push(ua)
    this.inUserAgents = true
    return true
  }

  private member(group: MutableGroup, field: Field, value: string, n: number): void {
    if (field === 'allow' || field === 'disallow') group.rules.push({ type: field, pattern: value, line: n })
    else if (field === 'content-usage') {
      const rule = contentUsageRule(value, n)
      if (rule.preferences === null) this.warn(n, `Content-Usage value is not a valid preference (${rule.ignored[0] ?? ''}); its uses are unknown`)
      group.contentUsage.push(rule)
    } else if (field === 'content-signal') group.contentSignals.push(contentSignalLine(value, n))
    else if (field === 'crawl-delay') {
      const seconds = Number(value)
      if (value === '' || !Number.isFinite(seconds) || seconds < 0) this.warn(n, 'crawl-delay is not a non-negative number; ignored')
      // Math.abs: `-0` is 0, and a parse result must survive JSON, which has no -0 (found by `npm run fuzz`).
      else group.crawlDelay = Math.abs(seconds)
    }
  }
}

/**
 * Parses a robots.txt file: groups of user-agent lines and their Allow/Disallow rules (RFC 9309),
 * the aipref `Content-Usage` rule, Cloudflare's `Content-Signal` line, `Crawl-delay`, and the
 * records that belong to no group (`Sitemap`, RSL `License`).
 *
 * Never throws for bad input and always returns in time linear in `maxBytes`: lines split on CR,
 * LF or CRLF; `#` starts a comment; field names are case-insensitive (a few common misspellings
 * are accepted); lines before the first user-agent line, unknown fields, lines longer than
 * `SITE_LIMITS.maxLineLength` and bytes past `maxBytes` are ignored with a warning. Content-Usage
 * and Content-Signal lines outside a group are ignored too: both are group rules. The result is
 * plain JSON-serialisable data, to be evaluated with `robotsSignals`.
 *
 * @param text - the body of robots.txt, decoded as UTF-8
 * @throws InvalidArgumentError when `text` is not a string or an option is out of range.
 * @example
 * ```ts
 * import { parseRobotsTxt, robotsSignals } from 'noai-tag/robots'
 * const robots = parseRobotsTxt('User-agent: *\nAllow: /\nContent-Usage: train-ai=n\n', { url: 'https://example.com/robots.txt' })
 * robotsSignals(robots, 'https://example.com/song.mp3', { userAgent: 'ExampleBot' })[0]?.usage // { 'train-ai': 'denied' }
 * ```
 */
export function parseRobotsTxt(text: string, options: ParseRobotsTxtOptions = {}): RobotsTxt {
  return parseRobotsGrammar(text, 'robots.txt', options)
}

/** The robots.txt grammar, shared with ai.txt. @internal */
export function parseRobotsGrammar(text: string, format: RobotsTxt['format'], options: ParseRobotsTxtOptions): RobotsTxt {
  if (typeof text !== 'string') throw new InvalidArgumentError(`${format} text must be a string, not ${text === null ? 'null' : typeof text}`)
  if (options.url !== undefined && typeof options.url !== 'string') throw new InvalidArgumentError('options.url must be a string')
  const maxBytes = positiveInteger(options.maxBytes, SITE_LIMITS.maxRobotsBytes, 'options.maxBytes')
  const p = new RobotsParser()
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const fits = prefixWithinBytes(body, maxBytes)
  if (fits < body.length) {
    // Drop the partial last line: a cut rule could mean something else (`Allow: /a` from `/abc`).
    const cut = Math.max(body.lastIndexOf('\n', fits), body.lastIndexOf('\r', fits))
    body = cut < 0 ? '' : body.slice(0, cut)
    p.truncated = true
    p.warn(0, `${format} is larger than ${maxBytes} bytes; only the first ${maxBytes} bytes were parsed (RFC 9309 §2.5)`)
  }
  const lines = body.split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.length > SITE_LIMITS.maxLineLength) {
      p.warn(i + 1, `line of ${line.length} characters is longer than maxLineLength = ${SITE_LIMITS.maxLineLength}; ignored`)
      continue
    }
    if (!p.line(line, i + 1)) break
  }
  p.finish()
  const result: RobotsTxt = {
    format,
    ...(options.url !== undefined ? { url: options.url } : {}),
    groups: p.groups,
    sitemaps: p.sitemaps,
    licenses: p.licenses,
    warnings: p.warnings,
    truncated: p.truncated,
    parsedBytes: utf8Length(body),
  }
  return result
}
