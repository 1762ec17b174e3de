/**
 * Validation of tag documents against the v1 schema and the standard's rules beyond it
 * (docs/spec.md §4, §12). Uses a validator compiled at build time (ajv standalone), so no code is
 * generated at run time: it works under a strict CSP and in edge runtimes.
 *
 * @module
 */
import { TagValidationError, type ValidationIssue } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { validateTag as compiled } from './_compiled.js'
import { toIssues } from './issues.js'
import { timestampOf } from '../_internal/formats.js'

/** Result of {@link validateTag}: the typed tag, or every issue found. */
export type ValidationResult = { readonly ok: true; readonly tag: NoaiTag } | { readonly ok: false; readonly issues: readonly ValidationIssue[] }

/** Rules of the standard that JSON Schema cannot state (docs/spec.md §4.7). */
function ruleIssues(tag: NoaiTag): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  // Compared as instants (offsets and fractions count; a leap second is the next day's first instant).
  if (tag.expires !== undefined && timestampOf(tag.expires)! <= timestampOf(tag.issued)!) {
    issues.push({ path: '/expires', keyword: 'expiresAfterIssued', message: 'must be later than issued' })
  }
  return issues
}

/**
 * Validates a parsed value as a NoAI Tag v1 document. Never throws for bad input: the result says
 * whether the value is a tag and, if not, lists every issue with its JSON Pointer path, the
 * keyword or rule that failed and a message.
 *
 * @param value - any value, typically from `JSON.parse` or {@link parseTag}
 * @example
 * ```ts
 * import { validateTag } from 'noai-tag'
 * const r = validateTag({ version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' })
 * if (r.ok) console.log(r.tag.usage)
 * else for (const i of r.issues) console.error(`${i.path}: ${i.message}`)
 * ```
 */
export function validateTag(value: unknown): ValidationResult {
  if (compiled(value)) {
    const tag = value as NoaiTag
    const issues = ruleIssues(tag)
    return issues.length === 0 ? { ok: true, tag } : { ok: false, issues }
  }
  return { ok: false, issues: toIssues(compiled.errors ?? []) }
}

/**
 * Asserts that a value is a valid NoAI Tag v1 document.
 *
 * @throws TagValidationError (code `ERR_NOAI_TAG_INVALID`) listing every issue.
 * @example
 * ```ts
 * import { assertTag } from 'noai-tag'
 * assertTag(candidate) // candidate is NoaiTag from here on
 * ```
 */
export function assertTag(value: unknown): asserts value is NoaiTag {
  const r = validateTag(value)
  if (!r.ok) throw new TagValidationError(r.issues)
}
