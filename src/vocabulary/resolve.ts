/**
 * How statements resolve and combine (docs/spec.md §6):
 *
 * 1. Within one statement, a use without an explicit value takes the value of its nearest
 *    ancestor that has one; an explicit value for a narrower use overrides a broader one
 *    (`all=n, search=y` allows search). {@link resolvePreferences}
 * 2. Across statements, any deny wins, then any allow, else unknown. {@link combinePreferences}
 * 3. Asking about a use: it is denied when it or any narrower use is denied (doing all of the use
 *    would do the denied part); allowed when it is allowed and nothing narrower is denied; else
 *    unknown. An allow never widens. {@link preferenceFor}
 *
 * @module
 */
import { ancestorsOf, descendantsOf, isUse, USES, type Preference, type StatedPreference, type Use } from './uses.js'

/** The state of every v1 use after resolution. */
export type ResolvedPreferences = { readonly [U in Use]: Preference }

/** Preferences as written in a statement: use → allowed/denied. Unknown uses are ignored. */
export type UsageStatement = { readonly [use: string]: StatedPreference | undefined }

/**
 * Resolves one statement into the state of every v1 use (docs/spec.md §6.1). Uses the statement
 * does not define (extension or future uses) are ignored.
 *
 * @example
 * ```ts
 * resolvePreferences({ all: 'denied', search: 'allowed' })
 * // { all: 'denied', search: 'allowed', tdm: 'denied', ai: 'denied', 'train-ai': 'denied', ... }
 * ```
 */
export function resolvePreferences(usage: UsageStatement): ResolvedPreferences {
  const out = {} as Record<Use, Preference>
  for (const use of USES) {
    let state: Preference = 'unknown'
    for (const u of ancestorsOf(use)) {
      const v = Object.hasOwn(usage, u) ? usage[u] : undefined
      if (v === 'allowed' || v === 'denied') {
        state = v
        break
      }
    }
    out[use] = state
  }
  return out
}

/**
 * Combines resolved statements (docs/spec.md §6.2): per use, any `denied` wins, then any
 * `allowed`, else `unknown`. With no statements every use is unknown.
 *
 * @example
 * ```ts
 * combinePreferences([resolvePreferences({ ai: 'denied' }), resolvePreferences({ 'train-genai': 'allowed' })])['train-genai']
 * // 'denied'
 * ```
 */
export function combinePreferences(statements: readonly ResolvedPreferences[]): ResolvedPreferences {
  const out = {} as Record<Use, Preference>
  for (const use of USES) {
    let state: Preference = 'unknown'
    for (const s of statements) {
      if (s[use] === 'denied') {
        state = 'denied'
        break
      }
      if (s[use] === 'allowed') state = 'allowed'
    }
    out[use] = state
  }
  return out
}

/**
 * The answer for one use (docs/spec.md §6.3): denied when the use or any narrower use is denied;
 * allowed when the use is allowed and nothing narrower is denied; otherwise unknown.
 *
 * @example
 * ```ts
 * const r = resolvePreferences({ 'train-genai': 'denied', search: 'allowed' })
 * preferenceFor(r, 'train-genai') // 'denied'
 * preferenceFor(r, 'ai')          // 'denied': doing all AI uses would include generative training
 * preferenceFor(r, 'ai-input')    // 'unknown'
 * ```
 */
export function preferenceFor(resolved: ResolvedPreferences, use: Use): Preference {
  if (resolved[use] === 'denied') return 'denied'
  for (const d of descendantsOf(use)) if (resolved[d] === 'denied') return 'denied'
  return resolved[use]
}

/**
 * Keeps only the v1 uses of a usage map and drops anything that is not `allowed`/`denied`.
 *
 * @example
 * ```ts
 * knownUsage({ 'train-ai': 'denied', 'org.example.voice': 'denied' }) // { 'train-ai': 'denied' }
 * ```
 */
export function knownUsage(usage: UsageStatement): Partial<Record<Use, StatedPreference>> {
  const out: Partial<Record<Use, StatedPreference>> = {}
  for (const [k, v] of Object.entries(usage)) if (isUse(k) && (v === 'allowed' || v === 'denied')) out[k] = v
  return out
}
