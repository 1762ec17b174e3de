/**
 * What a parsed robots.txt says about one URL, for one crawler (docs/spec.md §11.3).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { FoundSignal, ReadToken, SignalSource } from '../signals/types.js'
import { findMapping, type SignalId } from '../vocabulary/mappings.js'
import { decidingRule, indexOf, longestUsageRules, type AgentRules, type CompiledGroup, type IndexedRule } from './_groups.js'
import { mapStatement, type Mapped, type PendingToken } from './_map.js'
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
  // Built member by member (spreads of conditional members are slow on this hot path), in the order
  // kind, url, name, line, text.
  const out = { kind: robots.format } as { -readonly [K in keyof SignalSource]: SignalSource[K] }
  if (robots.url !== undefined) out.url = robots.url
  out.name = name
  if (line !== undefined && line > 0) out.line = line
  out.text = clip(text)
  return out
}

/** A signal of this reader, its members in the order `{ signal, source, scope, agent, usage, tokens }`. */
function signalOf(signal: SignalId, src: SignalSource, agent: string | undefined, m: Mapped): FoundSignal {
  const usage = { ...m.usage }
  const tokens = m.tokens.map(copyToken)
  return agent === undefined ? { signal, source: src, scope: 'site', usage, tokens } : { signal, source: src, scope: 'site', agent, usage, tokens }
}

const copyToken = (t: ReadToken): ReadToken => ({ ...t })

/**
 * What a rule maps to does not depend on the URL: it is mapped once per rule (and note), and each
 * signal gets its own copy of the result, so that no two results share an object.
 */
const mapped = new WeakMap<object, Map<string | undefined, { readonly signal: SignalId; readonly m: Mapped }>>()

function mappedOnce(key: object, note: string | undefined, map: () => { readonly signal: SignalId; readonly m: Mapped }): { readonly signal: SignalId; readonly m: Mapped } {
  let byNote = mapped.get(key)
  if (byNote === undefined) mapped.set(key, (byNote = new Map()))
  let r = byNote.get(note)
  if (r === undefined) byNote.set(note, (r = map()))
  return r
}

function disallowMapped(pattern: string, note: string | undefined): { readonly signal: SignalId; readonly m: Mapped } {
  return { signal: 'robots-txt', m: mapStatement('robots-txt', [{ token: 'Disallow', value: pattern, stated: 'denied', ...(note !== undefined ? { note } : {}) }]) }
}

/** `rule`: the rule object the signal comes from (its mapping is then kept), or undefined. */
function disallowSignal(robots: RobotsTxt, pattern: string, line: number | undefined, agent: string | undefined, note?: string, rule?: object): FoundSignal {
  const r = rule === undefined ? disallowMapped(pattern, note) : mappedOnce(rule, note, () => disallowMapped(pattern, note))
  return signalOf('robots-txt', source(robots, 'Disallow', line, `Disallow: ${pattern}`), agent, r.m)
}

/** A Content-Usage rule as one statement; labels of earlier aipref revisions map through their rows. */
function usageSignal(robots: RobotsTxt, rule: RobotsContentUsage, agent: string | undefined): FoundSignal {
  const r = mappedOnce(rule, undefined, () => usageMapped(rule))
  return signalOf(r.signal, source(robots, 'Content-Usage', rule.line, `Content-Usage: ${rule.path} ${rule.value}`), agent, r.m)
}

function usageMapped(rule: RobotsContentUsage): { readonly signal: SignalId; readonly m: Mapped } {
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
  return { signal, m: mapStatement('aipref', pending) }
}

function contentSignal(robots: RobotsTxt, line: RobotsContentSignal, agent: string | undefined): FoundSignal {
  const r = mappedOnce(line, undefined, () => {
    const pending: PendingToken[] = line.entries.map((e) =>
      e.value === 'yes' || e.value === 'no'
        ? { token: e.key, value: e.value, stated: e.value === 'yes' ? ('allowed' as const) : ('denied' as const) }
        : { token: e.key, value: e.value, stated: null, note: 'Content Signals values are yes or no; this one is not read' },
    )
    return { signal: 'content-signals' as const, m: mapStatement('content-signals', pending) }
  })
  return signalOf('content-signals', source(robots, 'Content-Signal', line.line, `Content-Signal: ${line.value}`), agent, r.m)
}

/** The origin of a robots.txt's own URL, worked out once per parsed file. */
const origins = new WeakMap<RobotsTxt, { readonly origin: string | undefined }>()

function ownOrigin(robots: RobotsTxt): string | undefined {
  let o = origins.get(robots)
  if (o === undefined) origins.set(robots, (o = { origin: originOf(robots.url) }))
  return o.origin
}

/** The product token of the last user agent seen (a crawler passes the same one every time). */
let lastAgent: { readonly userAgent: string; readonly token: string } | undefined

function tokenOf(userAgent: string): string {
  if (lastAgent?.userAgent === userAgent) return lastAgent.token
  const token = productToken(userAgent.trim())
  lastAgent = { userAgent, token }
  return token
}

function checkArguments(robots: RobotsTxt, url: string, options: RobotsSignalsOptions): { path: string; token: string } {
  if (typeof robots !== 'object' || robots === null || !Array.isArray(robots.groups)) throw new InvalidArgumentError('robots must be the result of parseRobotsTxt()')
  if (robots.format !== 'robots.txt') throw new InvalidArgumentError(`robotsSignals() reads robots.txt; use aiTxtSignals() for ${String(robots.format)}`)
  const token = typeof options?.userAgent === 'string' ? tokenOf(options.userAgent) : ''
  if (token === '' || token === '*') throw new InvalidArgumentError('options.userAgent must start with a product token (letters, "_" and "-"), such as "ExampleBot"')
  const target = requestTarget(url)
  const own = ownOrigin(robots)
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
 *   restrictively, draft-ietf-aipref-attach §3.1; tied rules with the same value are reported
 *   once, at the first line); labels of earlier revisions are read through the
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
    if (decided?.type === 'disallow') out.push(disallowSignal(robots, decided.pattern, decided.line, agent, undefined, decided))
    // Content-Usage applies only to paths that may be crawled (draft-ietf-aipref-attach §3.1).
    // Tied rules with the same value are one statement, reported at its first line (docs/spec.md
    // §11.3.4): a file repeating one line 15,000 times cost 60 ms per URL (found by `npm run fuzz`).
    else {
      const rules = longestUsageRules(mine, path)
      // Usually one rule: no set of values is needed then (this runs for every URL a crawler checks).
      const values = rules.length > 1 ? new Set<string>() : undefined
      for (const rule of rules) {
        if (values !== undefined) {
          if (values.has(rule.value)) continue
          values.add(rule.value)
        }
        out.push(usageSignal(robots, rule, agent))
      }
    }
    for (const group of mine.groups) for (const line of group.contentSignals) out.push(contentSignal(robots, line, agent))
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
  if (options.otherAgents !== false) for (const s of otherAgentSignals(robots, index.agents, mine, path)) out.push(s)
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
    out.push(disallowSignal(robots, decided.pattern, decided.line, other.token, `Addressed to ${other.token}: reported, not applied to other crawlers.`, decided))
  }
  return out
}
