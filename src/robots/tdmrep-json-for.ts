/**
 * Writing `/.well-known/tdmrep.json` from a site policy (W3C TDMRep; docs/spec.md §7.1, §11.4).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { NoaiPolicy } from '../model/_policy.generated.js'
import { mayFallBackToAllow, pathAnswers } from './_emit.js'

/** One rule of a tdmrep.json, as written. */
export interface TdmrepRuleOut {
  readonly location: string
  readonly 'tdm-reservation': 0 | 1
  readonly 'tdm-policy'?: string
}

/**
 * The tdmrep.json rules for a site policy, ready for `JSON.stringify`. Each statement (default at
 * `/`, then each rule's path) gives `tdm-reservation: 1` when the answer for `tdm` is denied (any
 * AI use denied denies part of tdm, so it reserves; docs/spec.md §7.2) with `tdm-policy` from its
 * `license`, and `0` when it is allowed. TDMRep cannot say "unknown": a statement whose answer is
 * unknown is left out, or written as `1` when a less specific `0` rule could match its paths, so a
 * reader never reads an allow the policy does not give. TDMRep takes the first matching rule, so
 * rules are ordered from the longest path to the shortest, which gives the policy's longest-match
 * result.
 * An empty array means there is nothing to state: serve no file.
 *
 * @throws InvalidArgumentError when `policy` has no default statement.
 * @example
 * ```ts
 * import { tdmrepJsonFor, wellKnownHeaders } from 'noai-tag/robots'
 * const rules = tdmrepJsonFor(policy) // [{ location: '/', 'tdm-reservation': 1, 'tdm-policy': 'https://music.example/licensing' }]
 * new Response(JSON.stringify(rules), { headers: wellKnownHeaders('tdmrep.json') })
 * ```
 */
export function tdmrepJsonFor(policy: NoaiPolicy): TdmrepRuleOut[] {
  if (typeof policy !== 'object' || policy === null || typeof policy.default !== 'object' || policy.default === null) {
    throw new InvalidArgumentError('policy must be a site policy with a default statement')
  }
  const answers = pathAnswers(policy, 'tdm')
  // TDMRep has no "unset": a statement whose answer is unknown is left out, unless it could then
  // fall back to a less specific rule saying 0; it is written as a reservation instead, so that a
  // reader never reads an allow the policy does not give.
  const known = answers
    .map((a, order) => ({ a: a.state === 'unknown' && mayFallBackToAllow(a, answers, true) ? { ...a, state: 'denied' as const } : a, order }))
    .filter(({ a }) => a.state !== 'unknown')
  // Longest path first; on equal length a reservation first (most restrictive); else file order.
  known.sort((x, y) => y.a.specificity - x.a.specificity || (x.a.state === 'denied' ? -1 : 0) - (y.a.state === 'denied' ? -1 : 0) || x.order - y.order)
  return known.map(({ a }) =>
    a.state === 'denied'
      ? { location: a.path, 'tdm-reservation': 1, ...(a.license !== undefined ? { 'tdm-policy': a.license } : {}) }
      : { location: a.path, 'tdm-reservation': 0 },
  )
}
