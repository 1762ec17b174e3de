/**
 * Validation of site policy documents (docs/spec.md §11.4) against schema/v1/policy.schema.json,
 * with a validator compiled at build time (no code generated at run time).
 *
 * @module
 */
import type { ValidationIssue } from '../errors.js'
import type { NoaiPolicy } from '../model/_policy.generated.js'
import { validatePolicy as compiled } from '../validate/_compiled-policy.js'
import { toIssues } from '../validate/issues.js'

/** Result of {@link validatePolicy}: the typed policy, or every issue found. */
export type PolicyValidationResult = { readonly ok: true; readonly policy: NoaiPolicy } | { readonly ok: false; readonly issues: readonly ValidationIssue[] }

/**
 * Validates a parsed value as a NoAI Tag v1 site policy. Never throws for bad input: the result
 * says whether the value is a policy and, if not, lists every issue with its JSON Pointer path,
 * the keyword that failed and a message (the same shape as `validateTag`).
 *
 * @example
 * ```ts
 * import { validatePolicy } from 'noai-tag/robots'
 * const r = validatePolicy({ version: 1, issuer: 'https://music.example', default: { usage: { 'train-ai': 'denied' } }, updated: '2026-11-26T00:00:00Z' })
 * if (!r.ok) for (const i of r.issues) console.error(`${i.path}: ${i.message}`)
 * ```
 */
export function validatePolicy(value: unknown): PolicyValidationResult {
  if (compiled(value)) return { ok: true, policy: value as NoaiPolicy }
  return { ok: false, issues: toIssues(compiled.errors ?? []) }
}
