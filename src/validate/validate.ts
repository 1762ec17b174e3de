/**
 * Validation of tag documents against the v1 schema and the standard's rules beyond it
 * (docs/spec.md §4, §12). Uses a validator compiled at build time (ajv standalone), so no code is
 * generated at run time: it works under a strict CSP and in edge runtimes.
 *
 * @module
 */
import { TagValidationError, type ValidationIssue } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { validateTag as compiled, type CompiledError } from './_compiled.js'
import { toIssues } from './issues.js'
import { instantOf } from '../_internal/formats.js'

/** Result of {@link validateTag}: the typed tag, or every issue found. */
export type ValidationResult = { readonly ok: true; readonly tag: NoaiTag } | { readonly ok: false; readonly issues: readonly ValidationIssue[] }

/**
 * Whether `expires` is later than `issued` (docs/spec.md §4.7): compared as instants in UTC to the
 * millisecond (digits beyond it are ignored), with offsets applied and a leap second read as the
 * next day's first instant. The instants are those the generated validator's format check has just
 * computed for both members, so nothing is parsed twice.
 */
function expiresAfterIssued(issued: string, expires: string): boolean {
  return instantOf(expires)! > instantOf(issued)!
}

/** A failed validation whose issues are built on first access: callers that only need the verdict do not pay for them. */
class InvalidResult {
  readonly ok = false as const
  #errors: readonly CompiledError[]
  #issues: readonly ValidationIssue[] | undefined
  constructor(errors: readonly CompiledError[]) {
    this.#errors = errors
  }
  get issues(): readonly ValidationIssue[] {
    return (this.#issues ??= toIssues(this.#errors))
  }
  toJSON(): { ok: false; issues: readonly ValidationIssue[] } {
    return { ok: false, issues: this.issues }
  }
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
    // The one rule JSON Schema cannot state (docs/spec.md §4.7).
    if (tag.expires === undefined || expiresAfterIssued(tag.issued, tag.expires)) return { ok: true, tag }
    return { ok: false, issues: [{ path: '/expires', keyword: 'expiresAfterIssued', message: 'must be later than issued' }] }
  }
  return new InvalidResult(compiled.errors ?? [])
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
