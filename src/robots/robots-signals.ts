/**
 * What a parsed robots.txt says about one URL, for one crawler (docs/spec.md §11.3).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { FoundSignal, SignalSource } from '../signals/types.js'
import { findMapping, type SignalId } from '../vocabulary/mappings.js'
import { contentSignalsOf, decidingRule, indexOf, longestUsageRules, type AgentRules, type CompiledGroup, type IndexedRule } from './_groups.js'
import { mapStatement, type PendingToken } from './_map.js'
import { originOf, requestTarget } from './_pattern.js'
import { clip } from './_text.js'
import { SITE_LIMITS } from './limits.js'
import { productToken } from './parse-robots-txt.js'
import type { RobotsContentSignal, RobotsContentUsage, RobotsTxt } from './types.js'

/** Options of {@link robotsSignals}. */
export interface RobotsSignalsOptions {
  /**
   * The crawler's product token (RFC 9309 §2.2.1), such as `GPTBot`. Only the leading run of
   * letters, `_` and `-` counts (`ExampleBot/1.0` is `ExampleBot`); matching is case-insensitive.
   */
  readonly userAgent: string
  /**
   * Also report groups for other user agents that disallow the URL (`User-agent: GPTBot` /
   * `Disallow: /`), each as a signal whose `agent` is that agent.
   * @defaultValue true
   */
  readonly otherAgents?: boolean
}

const UNREACHABLE_NOTE: Record<NonNullable<RobotsTxt['unreachable']>, string> = {
  'server-error': 'robots.txt answered with a server error',
  'too-many-requests': 'robots.txt answered 429 Too Many Requests',
  timeout: 'fetching robots.txt timed out',
  'network-error': 'robots.txt could not be fetched (network error)',
}

function source(robots: RobotsTxt, name: string, line: number | undefined, text: string): SignalSource {
  return {
    kind: robots.format,
    ...(robots.url !== undefined ? { url: robots.url } : {}),
    name,
    ...(line !== undefined && line > 0 ? { line } : {}),
    text: clip(text),
  }
}

function disallowSignal(robots: RobotsTxt, pattern: string, line: number | undefined, agent: string | undefined, note?: string): FoundSignal {
  const m = mapStatement('robots-txt', [{ token: 'Disallow', value: pattern, stated: 'denied', ...(note !== undefined ? { note } : {}) }])
  return { signal: 'robots-txt', source: source(robots, 'Disallow', line, `Disallow: ${pattern}`), scope: 'site', ...(agent !== undefined ? { agent } : {}), usage: m.usage, tokens: m.tokens }
}

/** A Content-Usage rule as one statement; labels of earlier aipref revisions map through their rows. */
function usageSignal(robots: RobotsTxt, rule: RobotsContentUsage, agent: string | undefined): FoundSignal {
  const pending: PendingToken[] = []
  if (rule.preferences === null) pending.push({ token: 'Content-Usage', value: rule.value, stated: null, note: `not a valid preference, so every use is unknown: ${rule.ignored[0] ?? ''}` })
  else {
    for (const [key, stated] of Object.entries(rule.preferences)) {
      const legacy = findMapping('aipref', key) === undefined && findMapping('aipref-legacy', key) !== undefined
      pending.push({ token: key, value: stated === 'denied' ? 'n' : 'y', stated, ...(legacy ? { signal: 'aipref-legacy' as const } : {}) })
    }
    for (const key of rule.ignored) pending.push({ token: key, value: '?', stated: null, note: 'value is not the Token y or n, so the use is unknown' })
  }
  // Reported as aipref-legacy only when every key is a label of an earlier revision.
  const signal: SignalId = pending.length > 0 && pending.every((p) => p.signal === 'aipref-legacy') ? 'aipref-legacy' : 'aipref'
  const m = mapStatement('aipref', pending)
  return {
    signal,
    source: source(robots, 'Content-Usage', rule.line, `Content-Usage: ${rule.path} ${rule.value}`),
    scope: 'site',
    ...(agent !== undefined ? { agent } : {}),
    usage: m.usage,
    tokens: m.tokens,
  }
}

function contentSignal(robots: RobotsTxt, line: RobotsContentSignal, agent: string | undefined): FoundSignal {
  const pending: PendingToken[] = line.entries.map((e) =>
    e.value === 'yes' || e.value === 'no'
      ? { token: e.key, value: e.value, stated: e.value === 'yes' ? ('allowed' as const) : ('denied' as const) }
      : { token: e.key, value: e.value, stated: null, note: 'Content Signals values are yes or no; this one is not read' },
  )
  const m = mapStatement('content-signals', pending)
  return { signal: 'content-signals', source: source(robots, 'Content-Signal', line.line, `Content-Signal: ${line.value}`), scope: 'site', ...(agent !== undefined ? { agent } : {}), usage: m.usage, tokens: m.tokens }
}

function checkArguments(robots: RobotsTxt, url: string, options: RobotsSignalsOptions): { path: string; token: string } {
  if (typeof robots !== 'object' || robots === null || !Array.isArray(robots.groups)) throw new InvalidArgumentError('robots must be the result of parseRobotsTxt()')
  if (robots.format !== 'robots.txt') throw new InvalidArgumentError(`robotsSignals() reads robots.txt; use aiTxtSignals() for ${String(robots.format)}`)
  const token = typeof options?.userAgent === 'string' ? productToken(options.userAgent.trim()) : ''
  if (token === '' || token === '*') throw new InvalidArgumentError('options.userAgent must start with a product token (letters, "_" and "-"), such as "ExampleBot"')
  const target = requestTarget(url)
  const own = originOf(robots.url)
  if (own !== undefined && target.origin !== undefined && target.origin !== own) {
    throw new InvalidArgumentError(`${url.slice(0, 200)} is not on ${own}: a robots.txt applies to its own origin only (RFC 9309 §2.3)`)
  }
  return { path: target.path, token }
}

/**
 * Reads what a parsed robots.txt says about one URL for one crawler, as signals in the vocabulary
 * (docs/spec.md §7):
 *
 * - the group for the crawler's product token (case-insensitive; several groups for it merge),
 *   else the `*` group (RFC 9309 §2.2.1); `agent` is that token, or `undefined` for `*`;
 * - a `Disallow` that decides the URL (longest match, Allow wins ties, `/robots.txt` always
 *   allowed: RFC 9309 §2.2.2) → a `robots-txt` signal denying every use;
 * - when the URL may be crawled, the group's `Content-Usage` rules with the longest matching path
 *   → one `aipref` signal each (equally long paths give several signals, which combine most
 *   restrictively, draft-ietf-aipref-attach §3.1); labels of earlier revisions are read through the
 *   `aipref-legacy` rows, and a rule with only such labels is reported as `aipref-legacy`;
 * - the group's `Content-Signal` lines → `content-signals` signals;
 * - each RSL `License` record → an `rsl` signal with no usage, naming the licence to read with
 *   `parseRsl`/`rslSignals`;
 * - unless `otherAgents: false`, every other named agent whose group disallows the URL → a
 *   `robots-txt` signal whose `agent` is that agent. These are reported, not applied: they say
 *   "this site blocks GPTBot" to a crawler running as another agent.
 *
 * An {@link unreachableRobotsTxt} result gives one signal denying every use (RFC 9309 §2.3.1.4).
 *
 * @param url - an absolute http(s) URL on the robots.txt's origin, or a path starting with `/`
 * @throws InvalidArgumentError for a bad URL, a URL on another origin than `robots.url`, or a
 *   `userAgent` without a product token.
 * @example
 * ```ts
 * import { parseRobotsTxt, robotsSignals } from 'noai-tag/robots'
 * const robots = parseRobotsTxt('User-agent: *\nAllow: /\nContent-Signal: search=yes, ai-train=no\n\nUser-agent: GPTBot\nDisallow: /\n')
 * robotsSignals(robots, '/album/1', { userAgent: 'ExampleBot' }).map((s) => [s.signal, s.agent, s.usage])
 * // [['content-signals', undefined, { search: 'allowed', 'train-ai': 'denied' }], ['robots-txt', 'GPTBot', { all: 'denied' }]]
 * ```
 */
export function robotsSignals(robots: RobotsTxt, url: string, options: RobotsSignalsOptions): FoundSignal[] {
  const { path, token } = checkArguments(robots, url, options)
  if (robots.unreachable !== undefined) {
    const why = `${UNREACHABLE_NOTE[robots.unreachable] ?? 'robots.txt unreachable'}: complete disallow assumed (RFC 9309 §2.3.1.4).`
    return [disallowSignal(robots, '/', undefined, undefined, why)]
  }
  const index = indexOf(robots)
  const mine: AgentRules | undefined = index.agents.get(token.toLowerCase()) ?? index.star
  const agent = mine === undefined || mine === index.star ? undefined : mine.token
  const out: FoundSignal[] = []
  if (mine !== undefined) {
    const decided = path === '/robots.txt' ? undefined : decidingRule(mine, path)
    if (decided?.type === 'disallow') out.push(disallowSignal(robots, decided.pattern, decided.line, agent))
    // Content-Usage applies only to paths that may be crawled (draft-ietf-aipref-attach §3.1).
    else for (const rule of longestUsageRules(mine, path)) out.push(usageSignal(robots, rule, agent))
    for (const line of contentSignalsOf(mine)) out.push(contentSignal(robots, line, agent))
  }
  for (const lic of robots.licenses) {
    out.push({
      signal: 'rsl',
      source: source(robots, 'License', lic.line, `License: ${lic.value}`),
      scope: 'site',
      usage: {},
      tokens: [{ token: 'License', value: lic.value, read: 'ignored', note: 'An RSL licence applies to this site: fetch it and read it with parseRsl() and rslSignals().' }],
    })
  }
  if (options.otherAgents !== false) out.push(...otherAgentSignals(robots, index.agents, mine, path))
  return out
}

function otherAgentSignals(robots: RobotsTxt, agents: ReadonlyMap<string, AgentRules>, mine: AgentRules | undefined, path: string): FoundSignal[] {
  const out: FoundSignal[] = []
  if (path === '/robots.txt') return out
  const memo = new Map<CompiledGroup, IndexedRule | undefined>()
  for (const other of agents.values()) {
    if (other === mine) continue
    const decided = decidingRule(other, path, memo)
    if (decided?.type !== 'disallow') continue
    if (out.length >= SITE_LIMITS.maxOtherAgentSignals) break
    out.push(disallowSignal(robots, decided.pattern, decided.line, other.token, `Addressed to ${other.token}: reported, not applied to other crawlers.`))
  }
  return out
}
