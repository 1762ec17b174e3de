/**
 * Whether what a site file says is the same for every path of its origin: true when every rule
 * that could decide matches every path (`/`, `*`, `/*`). A crawler then reads the file once per
 * origin instead of once per URL (see `src/crawl/_site.ts`).
 *
 * @internal
 * @module
 */
import type { NoaiPolicy } from '../model/_policy.generated.js'
import { indexOf, type AgentRules } from './_groups.js'
import { compilePattern, type CompiledPattern } from './_pattern.js'
import { statementsOf } from './_policy.js'
import type { TdmrepJson } from './parse-tdmrep-json.js'
import { productToken } from './parse-robots-txt.js'
import type { RobotsTxt } from './types.js'

/**
 * Whether a compiled pattern matches every request path (each starts with `/`, RFC 9309 §2.2.2):
 * not anchored, a first literal of `` or `/`, and nothing but `*` after it. @internal
 */
export function matchesEveryPath(p: CompiledPattern): boolean {
  if (p.anchored) return false
  const parts = p.parts
  if (parts[0] !== '' && parts[0] !== '/') return false
  for (let i = 1; i < parts.length; i++) if (parts[i] !== '') return false
  return true
}

/** Whether the Allow/Disallow rules (and, with `usage`, the Content-Usage rules) of an agent's groups all match every path. */
function agentEverywhere(agent: AgentRules, usage: boolean): boolean {
  for (const group of agent.groups) {
    for (const bucket of group.buckets.values()) for (const rules of bucket.values()) for (const r of rules) if (!matchesEveryPath(r.compiled)) return false
    if (usage) for (const r of group.contentUsage) if (!matchesEveryPath(r.compiled)) return false
  }
  return true
}

const robotsMemo = new WeakMap<RobotsTxt, Map<string, boolean>>()

/**
 * Whether `robotsSignals(robots, url, { userAgent })` (or `aiTxtSignals` for an ai.txt) gives the
 * same signals for every URL of the file's origin whose path is not `/robots.txt` (the one path
 * robots.txt itself always allows): the crawler's group decides every path alike, and so does
 * every other agent's group (reported with `otherAgents`). @internal
 */
export function robotsEverywhere(robots: RobotsTxt, userAgent: string): boolean {
  let byAgent = robotsMemo.get(robots)
  if (byAgent === undefined) robotsMemo.set(robots, (byAgent = new Map()))
  let known = byAgent.get(userAgent)
  if (known === undefined) {
    known = false
    if (robots.unreachable !== undefined) known = true
    else {
      const index = indexOf(robots)
      const mine = index.agents.get(productToken(userAgent.trim()).toLowerCase()) ?? index.star
      known = (mine === undefined || agentEverywhere(mine, true)) && [...index.agents.values()].every((a) => a === mine || agentEverywhere(a, false))
    }
    byAgent.set(userAgent, known)
  }
  return known
}

const tdmrepMemo = new WeakMap<TdmrepJson, boolean>()

/** Whether `tdmrepSignals(file, url)` is the same for every URL of one origin: no rule, or a first rule that matches every path. @internal */
export function tdmrepEverywhere(file: TdmrepJson): boolean {
  let known = tdmrepMemo.get(file)
  if (known === undefined) {
    const first = file.rules[0]
    known = first === undefined || matchesEveryPath(compilePattern(first.location))
    tdmrepMemo.set(file, known)
  }
  return known
}

const policyMemo = new WeakMap<NoaiPolicy, boolean>()

/** Whether `policySignals(policy, url)` (without essences) is the same for every URL of one origin: every rule matches every path. @internal */
export function policyEverywhere(policy: NoaiPolicy): boolean {
  let known = policyMemo.get(policy)
  if (known === undefined) {
    known = statementsOf(policy).every((s) => s.isDefault || matchesEveryPath(s.compiled))
    policyMemo.set(policy, known)
  }
  return known
}
