/**
 * The statements of a site policy and which one applies to a path (docs/spec.md §11.4): the rule
 * with the longest matching path, equally long ones together, else the default.
 *
 * @internal
 * @module
 */
import type { NoaiPolicy } from '../model/_policy.generated.js'
import type { UsagePreferences } from '../model/tag.js'
import { preferenceFor, resolvePreferences } from '../vocabulary/resolve.js'
import type { Preference, Use } from '../vocabulary/uses.js'
import { compilePattern, patternMatches, type CompiledPattern } from './_pattern.js'

/** One statement of a policy: the default (path `/`) or a rule. */
export interface PolicyStatement {
  /** JSON Pointer of the statement in the policy (`/default`, `/rules/2`). */
  readonly pointer: string
  readonly path: string
  readonly usage: UsagePreferences
  readonly license?: string
  readonly isDefault: boolean
  readonly compiled: CompiledPattern
}

const cache = new WeakMap<NoaiPolicy, PolicyStatement[]>()

/** The default first, then the rules in document order. */
export function statementsOf(policy: NoaiPolicy): PolicyStatement[] {
  let list = cache.get(policy)
  if (list === undefined) {
    const d = policy.default
    list = [{ pointer: '/default', path: '/', usage: d.usage, ...(d.license !== undefined ? { license: d.license } : {}), isDefault: true, compiled: compilePattern('/') }]
    ;(policy.rules ?? []).forEach((r, i) =>
      list!.push({ pointer: `/rules/${i}`, path: r.path, usage: r.usage, ...(r.license !== undefined ? { license: r.license } : {}), isDefault: false, compiled: compilePattern(r.path) }),
    )
    cache.set(policy, list)
  }
  return list
}

/** The statements that apply to a normalised path. */
export function statementsFor(policy: NoaiPolicy, path: string): PolicyStatement[] {
  const all = statementsOf(policy)
  let best: PolicyStatement[] = []
  let bestLength = -1
  for (const s of all) {
    if (s.isDefault) continue
    const len = s.compiled.normalized.length
    if (len < bestLength || !patternMatches(s.compiled, path)) continue
    if (len > bestLength) {
      best = [s]
      bestLength = len
    } else best.push(s)
  }
  return best.length > 0 ? best : [all[0]!]
}

/** The answer of one statement for one use (docs/spec.md §6.3). */
export function answer(usage: UsagePreferences, use: Use): Preference {
  return preferenceFor(resolvePreferences(usage), use)
}
