/**
 * Group selection and rule matching over a parsed robots.txt or ai.txt (RFC 9309 §2.2.1, §2.2.2,
 * draft-ietf-aipref-attach §3.1). The compiled form is cached per parsed object in a WeakMap, so a
 * crawler that checks many URLs against one parsed file compiles each pattern once.
 *
 * Groups naming the same agent are merged (RFC 9309 §2.2.1) without copying their rules: the
 * longest match over the union of several groups is the best of each group's longest match, so an
 * agent keeps a list of its groups. Memory is thus linear in the file whatever the number of
 * user-agent lines per group.
 *
 * @internal
 * @module
 */
import { compilePattern, patternMatches, type CompiledPattern } from './_pattern.js'
import type { RobotsContentSignal, RobotsContentUsage, RobotsPathRule, RobotsTxt } from './types.js'

/** An Allow or Disallow rule with its compiled pattern. */
export type IndexedRule = RobotsPathRule & { readonly compiled: CompiledPattern }

/** A Content-Usage rule with its compiled path. */
export type IndexedUsage = RobotsContentUsage & { readonly compiled: CompiledPattern }

/** One group, compiled. */
export interface CompiledGroup {
  /** Prefix length → literal prefix before the first `*` → rules, each list in decision order. */
  readonly lengths: readonly number[]
  readonly buckets: ReadonlyMap<number, ReadonlyMap<string, readonly IndexedRule[]>>
  readonly contentUsage: readonly IndexedUsage[]
  readonly contentSignals: readonly RobotsContentSignal[]
}

/** The groups naming one agent. */
export interface AgentRules {
  /** The agent's product token as first written, or `*`. */
  readonly token: string
  readonly groups: readonly CompiledGroup[]
}

/** Every agent's groups. */
export interface RobotsIndex {
  /** Keyed by the lower-cased product token. */
  readonly agents: ReadonlyMap<string, AgentRules>
  /** The `*` groups, or `undefined` when there are none. */
  readonly star: AgentRules | undefined
}

/** Decision order: longest pattern first, Allow before Disallow on equal length (RFC 9309 §2.2.2). */
const before = (x: IndexedRule, y: IndexedRule): number =>
  y.compiled.normalized.length - x.compiled.normalized.length || (x.type === 'allow' ? -1 : 0) - (y.type === 'allow' ? -1 : 0)

function compileGroup(group: RobotsTxt['groups'][number]): CompiledGroup {
  const rules = group.rules.filter((r) => r.pattern !== '').map((r): IndexedRule => ({ ...r, compiled: compilePattern(r.pattern) }))
  rules.sort(before)
  const buckets = new Map<number, Map<string, IndexedRule[]>>()
  for (const r of rules) {
    const prefix = r.compiled.parts[0]!
    let bucket = buckets.get(prefix.length)
    if (bucket === undefined) {
      bucket = new Map()
      buckets.set(prefix.length, bucket)
    }
    const list = bucket.get(prefix)
    if (list === undefined) bucket.set(prefix, [r])
    else list.push(r)
  }
  return {
    lengths: [...buckets.keys()].sort((a, b) => a - b),
    buckets,
    contentUsage: group.contentUsage.map((r): IndexedUsage => ({ ...r, compiled: compilePattern(r.path) })),
    contentSignals: group.contentSignals,
  }
}

const cache = new WeakMap<RobotsTxt, RobotsIndex>()

/** The index of a parsed file, built once per object. */
export function indexOf(robots: RobotsTxt): RobotsIndex {
  let index = cache.get(robots)
  if (index === undefined) {
    index = buildIndex(robots)
    cache.set(robots, index)
  }
  return index
}

function buildIndex(robots: RobotsTxt): RobotsIndex {
  const agents = new Map<string, { token: string; groups: CompiledGroup[] }>()
  for (const group of robots.groups) {
    const compiled = compileGroup(group)
    for (const ua of group.userAgents) {
      const key = ua.token.toLowerCase()
      if (key === '') continue
      const entry = agents.get(key)
      if (entry === undefined) agents.set(key, { token: ua.token, groups: [compiled] })
      else if (entry.groups.at(-1) !== compiled) entry.groups.push(compiled)
    }
  }
  const star = agents.get('*')
  agents.delete('*')
  return { agents, star }
}

/** The deciding rule of one group: the first match in decision order among rules whose prefix starts the path. */
function groupDecision(group: CompiledGroup, path: string): IndexedRule | undefined {
  let best: IndexedRule | undefined
  for (const len of group.lengths) {
    if (len > path.length) break
    const list = group.buckets.get(len)!.get(path.slice(0, len))
    if (list === undefined) continue
    for (const r of list) {
      if (best !== undefined && before(r, best) >= 0) break
      if (patternMatches(r.compiled, path)) {
        best = r
        break
      }
    }
  }
  return best
}

/**
 * The Allow/Disallow rule that decides a path for an agent: the longest matching pattern over all
 * its groups, Allow on a tie (RFC 9309 §2.2.2); `undefined` when none matches (the path is
 * allowed). `memo` shares per-group results between agents within one evaluation.
 */
export function decidingRule(agent: AgentRules, path: string, memo?: Map<CompiledGroup, IndexedRule | undefined>): IndexedRule | undefined {
  let best: IndexedRule | undefined
  for (const group of agent.groups) {
    let r: IndexedRule | undefined
    if (memo?.has(group)) r = memo.get(group)
    else {
      r = groupDecision(group, path)
      memo?.set(group, r)
    }
    if (r !== undefined && (best === undefined || before(r, best) < 0)) best = r
  }
  return best
}

/**
 * The Content-Usage rules that apply to a path: every rule of the agent's groups with the longest
 * matching path (several when their paths are equally long; the caller combines them, most
 * restrictive first, draft-ietf-aipref-attach §3.1).
 */
export function longestUsageRules(agent: AgentRules, path: string): IndexedUsage[] {
  let best: IndexedUsage[] = []
  let bestLength = -1
  for (const group of agent.groups) {
    for (const r of group.contentUsage) {
      const len = r.compiled.normalized.length
      if (len < bestLength || !patternMatches(r.compiled, path)) continue
      if (len > bestLength) {
        best = [r]
        bestLength = len
      } else best.push(r)
    }
  }
  return best
}

/** The Content-Signal lines of an agent's groups, in file order. */
export function contentSignalsOf(agent: AgentRules): RobotsContentSignal[] {
  return agent.groups.flatMap((g) => g.contentSignals)
}
