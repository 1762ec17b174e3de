/**
 * Writing robots.txt from a site policy (docs/spec.md §7.1 "Writing", §11.3).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { NoaiPolicy } from '../model/_policy.generated.js'
import type { Use } from '../vocabulary/uses.js'
import { AI_CRAWLERS, type AiCrawler, type AiCrawlerPurpose } from './ai-crawlers.js'
import { aiprefValue, contentSignalValue, emittedStatements, pathRuleLines } from './_emit.js'
import { SITE_PATHS } from './site-paths.js'

/** Options of {@link robotsTxtFor}. */
export interface RobotsTxtForOptions {
  /**
   * Also write groups that keep known AI crawlers out of the paths where their purpose is denied:
   * training crawlers where `train-ai` is denied, search crawlers where `search` is denied, answer
   * crawlers where `ai-input` is denied. User-initiated fetchers are never blocked.
   * @defaultValue false
   */
  readonly blockAiCrawlers?: boolean
  /**
   * The crawler list used by `blockAiCrawlers`.
   * @defaultValue `AI_CRAWLERS`
   */
  readonly crawlers?: readonly AiCrawler[]
  /** `Sitemap` URLs to list. */
  readonly sitemaps?: readonly string[]
}

const PURPOSE_USE: Record<Exclude<AiCrawlerPurpose, 'user-fetch'>, Use> = { training: 'train-ai', search: 'search', 'ai-input': 'ai-input' }
const PURPOSE_TITLE: Record<keyof typeof PURPOSE_USE, string> = { training: 'AI training crawlers', search: 'AI search crawlers', 'ai-input': 'AI answer and agent crawlers' }

function preferenceLines(policy: NoaiPolicy): string[] {
  const lines: string[] = []
  for (const s of emittedStatements(policy)) {
    const value = aiprefValue(s.usage)
    // A rule with no aipref answer is still written: it replaces the default on its paths.
    if (value !== '' || !s.isDefault) lines.push(`Content-Usage: ${s.path}${value === '' ? '' : ` ${value}`}`)
  }
  const signal = contentSignalValue(policy)
  if (signal !== '') lines.push(`Content-Signal: ${signal}`)
  return lines
}

function crawlerGroups(policy: NoaiPolicy, crawlers: readonly AiCrawler[], prefs: string[]): string[][] {
  const groups: string[][] = []
  for (const [purpose, use] of Object.entries(PURPOSE_USE) as [keyof typeof PURPOSE_USE, Use][]) {
    const agents = crawlers.filter((a) => a.purpose === purpose)
    const rules = pathRuleLines(policy, use)
    if (agents.length === 0 || rules.length === 0) continue
    // A crawler with its own group ignores the * group, so the preferences are repeated here.
    groups.push([`# ${PURPOSE_TITLE[purpose]}: ${use} is denied`, ...agents.map((a) => `User-agent: ${a.token}`), ...rules, ...prefs])
  }
  return groups
}

/**
 * Writes a robots.txt for a site policy:
 *
 * - a `User-agent: *` group with `Allow: /`, one `Content-Usage` rule per statement (`/` for the
 *   default, the rule's path for each rule; values `train-ai` and `search` from the answers for
 *   `train-genai` and `search`, docs/spec.md §7.1, so a broad deny such as `ai=denied` is written as
 *   `train-ai=n`), and a `Content-Signal` line with each key whose answer is the same on every path;
 * - with `blockAiCrawlers`, groups for the known AI crawlers (`AI_CRAWLERS`) that `Disallow` the
 *   paths where their purpose's use is denied, repeating the preference lines;
 * - `License: <policy.rsl>` when the policy names an RSL document, and `Sitemap` records.
 *
 * Reading the result back with `parseRobotsTxt` and `robotsSignals` gives the policy's answers for
 * `train-ai` (read widely, as aipref's `train-ai=n` is), `search` and, where uniform, `ai-input`.
 *
 * @throws InvalidArgumentError when `policy` has no default statement or a sitemap is not a URL.
 * @example
 * ```ts
 * import { robotsTxtFor } from 'noai-tag/robots'
 * robotsTxtFor({ version: 1, issuer: 'https://music.example', updated: '2026-11-26T00:00:00Z',
 *   default: { usage: { 'train-ai': 'denied', search: 'allowed' } } })
 * // # AI usage preferences of https://music.example (NoAI Tag site policy: /.well-known/noai-tag/policy.json)
 * // User-agent: *
 * // Allow: /
 * // Content-Usage: / train-ai=n, search=y
 * // Content-Signal: search=yes, ai-train=no
 * ```
 */
export function robotsTxtFor(policy: NoaiPolicy, options: RobotsTxtForOptions = {}): string {
  if (typeof policy !== 'object' || policy === null || typeof policy.default !== 'object' || policy.default === null) {
    throw new InvalidArgumentError('policy must be a site policy with a default statement')
  }
  for (const s of options.sitemaps ?? []) if (!URL.canParse(s)) throw new InvalidArgumentError(`sitemap ${JSON.stringify(s)} is not an absolute URL`)
  const prefs = preferenceLines(policy)
  const blocks: string[][] = [
    [`# AI usage preferences of ${policy.issuer} (NoAI Tag site policy: ${SITE_PATHS.policy})`, 'User-agent: *', 'Allow: /', ...prefs],
  ]
  if (options.blockAiCrawlers === true) blocks.push(...crawlerGroups(policy, options.crawlers ?? AI_CRAWLERS, prefs))
  const records = [...(policy.rsl !== undefined ? [`License: ${policy.rsl}`] : []), ...(options.sitemaps ?? []).map((s) => `Sitemap: ${s}`)]
  if (records.length > 0) blocks.push(records)
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`
}
