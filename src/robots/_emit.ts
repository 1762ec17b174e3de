/**
 * What the site-level writers emit for a policy (docs/spec.md §7.1 "Writing", §11.3, §11.4).
 *
 * @internal
 * @module
 */
import { writeTokens } from '../vocabulary/write-tokens.js'
import type { NoaiPolicy } from '../model/_policy.generated.js'
import type { UsagePreferences } from '../model/tag.js'
import { mappingsOf } from '../vocabulary/mappings.js'
import type { Preference, Use } from '../vocabulary/uses.js'
import { answer, statementsOf, type PolicyStatement } from './_policy.js'

/** The statements a writer emits, one per distinct path (the default is `/` unless a rule is `/`). */
export function emittedStatements(policy: NoaiPolicy): PolicyStatement[] {
  const all = statementsOf(policy)
  const ruleAtRoot = all.some((s) => !s.isDefault && s.compiled.normalized === '/')
  return all.filter((s) => !(s.isDefault && ruleAtRoot))
}

/** One path and the answer for one use there; paths written twice are merged, a deny winning. */
export interface PathAnswer {
  readonly path: string
  /** Length of the normalised pattern: the policy's longest-match order. */
  readonly specificity: number
  readonly state: Preference
  readonly isDefault: boolean
  readonly license?: string
}

/** The answer for a use on each emitted path, default first. */
export function pathAnswers(policy: NoaiPolicy, use: Use): PathAnswer[] {
  const byPath = new Map<string, PathAnswer>()
  for (const s of emittedStatements(policy)) {
    const state = answer(s.usage, use)
    const prev = byPath.get(s.compiled.normalized)
    if (prev === undefined || (state === 'denied' && prev.state !== 'denied')) {
      byPath.set(s.compiled.normalized, { path: s.path, specificity: s.compiled.normalized.length, state, isDefault: s.isDefault, ...(s.license !== undefined ? { license: s.license } : {}) })
    }
  }
  return [...byPath.values()]
}

/**
 * Allow/Disallow lines that deny a path exactly where the policy's answer for `use` is denied, or
 * nothing when it is denied nowhere. For robots.txt an `Allow` only means "may be crawled", so
 * every other rule path gets one. Where an `Allow` states an allow (ai.txt: `allowMeansAllowed`),
 * only paths whose answer is allowed get one, and a path whose answer is unknown, which the format
 * cannot say, gets `Disallow` when there is any `Allow`: it must not fall back to a less specific
 * allow.
 */
export function pathRuleLines(policy: NoaiPolicy, use: Use, options: { allowMeansAllowed?: boolean } = {}): string[] {
  const answers = pathAnswers(policy, use)
  if (!answers.some((a) => a.state === 'denied')) return []
  const strict = options.allowMeansAllowed === true
  return answers.flatMap((a) => {
    if (a.state === 'denied') return [`Disallow: ${a.path}`]
    if (a.isDefault) return []
    if (!strict || a.state === 'allowed') return [`Allow: ${a.path}`]
    // The default writes no Allow, so only allowed rules can be fallen back to.
    return mayFallBackToAllow(a, answers, false) ? [`Disallow: ${a.path}`] : []
  })
}

/**
 * Whether a path whose answer is unknown could, once written in a format that has no "unknown",
 * fall back to a less specific (or equally specific) path whose answer is allowed.
 */
export function mayFallBackToAllow(a: PathAnswer, answers: readonly PathAnswer[], includeDefault: boolean): boolean {
  return !a.isDefault && answers.some((b) => b !== a && b.state === 'allowed' && b.specificity <= a.specificity && (includeDefault || !b.isDefault))
}

/** The aipref usage preference for a statement: `train-ai=n, search=y` (empty when every answer is unknown; docs/spec.md §7.1). */
export function aiprefValue(usage: UsagePreferences): string {
  return writeTokens('aipref', usage)
    .map((t) => `${t.token}=${t.value === 'denied' ? 'n' : 'y'}`)
    .join(', ')
}

/** Content Signals keys in the order Cloudflare writes them. */
const SIGNAL_ORDER = ['search', 'ai-input', 'ai-train']

/**
 * The Content-Signal value for a whole policy. Content Signals has no paths, so a key is written
 * only when every statement of the policy gives its use the same known answer; otherwise a reader
 * of Content-Signal alone would get some paths wrong.
 */
export function contentSignalValue(policy: NoaiPolicy): string {
  const statements = emittedStatements(policy)
  const rows = mappingsOf('content-signals').filter((r) => r.writtenFrom !== null)
  return SIGNAL_ORDER.flatMap((token) => {
    const row = rows.find((r) => r.token === token)
    if (!row) return []
    const states = new Set(statements.map((s) => answer(s.usage, row.writtenFrom!)))
    const [only] = states
    return states.size === 1 && only !== 'unknown' ? [`${token}=${only === 'denied' ? 'no' : 'yes'}`] : []
  }).join(', ')
}
