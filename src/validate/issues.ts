/**
 * Turns the generated validator's errors into {@link ValidationIssue}s whose `path` points at the
 * offending value, as docs/spec.md §12.2 defines error paths for the conformance vectors: a missing
 * or unknown member is reported at the member's own pointer, not at its parent.
 *
 * @module
 */
import type { ValidationIssue } from '../errors.js'
import type { CompiledError } from './_compiled.js'

const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1')

const count = (n: unknown, noun: string): string => `${String(n)} ${noun}${n === 1 ? '' : 's'}`

function messageFor(e: CompiledError): string {
  const p = e.params
  switch (e.keyword) {
    case 'required':
      return `missing required member "${String(p.missingProperty)}"`
    case 'additionalProperties':
      return `unknown member "${String(p.additionalProperty)}" is not allowed here`
    case 'propertyNames':
      return `member name "${String(p.propertyName)}" is not allowed here`
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`
    case 'type':
      return `must be of type ${String(p.type)}`
    case 'format':
      return p.format === 'date-time' ? 'must be an RFC 3339 date-time such as 2026-11-26T12:00:00Z' : `must be a valid ${String(p.format)}`
    case 'pattern':
      return `does not have the required form (pattern ${String(p.pattern)})`
    case 'minLength':
      return `must be at least ${String(p.limit)} characters long`
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`
    case 'minItems':
      return `must have at least ${count(p.limit, 'item')}`
    case 'maxItems':
      return `must have at most ${count(p.limit, 'item')}`
    case 'minProperties':
      return `must have at least ${count(p.limit, 'member')}`
    case 'maxProperties':
      return `must have at most ${count(p.limit, 'member')}`
    default:
      return e.message ?? `fails ${e.keyword}`
  }
}

/** Converts ajv error objects to issues, dropping the noise of composite keywords. */
export function toIssues(errors: readonly CompiledError[]): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const seen = new Set<string>()
  for (const e of errors) {
    // `if` only repeats its `then` failure; an inner propertyNames error repeats the outer one.
    if (e.keyword === 'if' || (e.propertyName !== undefined && e.keyword !== 'propertyNames')) continue
    let path = e.instancePath
    if (e.keyword === 'required') path += `/${escape(String(e.params.missingProperty))}`
    else if (e.keyword === 'additionalProperties') path += `/${escape(String(e.params.additionalProperty))}`
    else if (e.keyword === 'propertyNames') path += `/${escape(String(e.params.propertyName))}`
    const id = `${path}\u0000${e.keyword}`
    if (seen.has(id)) continue
    seen.add(id)
    issues.push({ path, keyword: e.keyword, message: messageFor(e) })
  }
  return issues
}
