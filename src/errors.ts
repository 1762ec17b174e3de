/**
 * The one error hierarchy of noai-tag. Every fault the library throws is a {@link NoaiTagError}
 * with a stable `code`; outcomes (a tag that fails validation, a signature that does not verify,
 * "no tag here") are returned as values, not thrown.
 *
 * Names are string literals (not `constructor.name`) so that they survive minifiers, and
 * {@link isNoaiTagError} does not rely on `instanceof`, so it works across realms and across
 * duplicate copies of the package.
 *
 * @module
 */

/** Stable error codes. New codes may be added in minor versions; existing codes never change meaning. */
export type NoaiTagErrorCode =
  | 'ERR_NOAI_INVALID_ARGUMENT'
  | 'ERR_NOAI_JSON_INVALID'
  | 'ERR_NOAI_TAG_INVALID'
  | 'ERR_NOAI_LIMIT_EXCEEDED'
  | 'ERR_NOAI_UNSUPPORTED_FORMAT'
  | 'ERR_NOAI_MALFORMED_INPUT'
  | 'ERR_NOAI_SIGNING_FAILED'
  | 'ERR_NOAI_KEY_RESOLUTION'
  | 'ERR_NOAI_FETCH'
  | 'ERR_NOAI_IO'
  | 'ERR_NOAI_CONCURRENT_MODIFICATION'

const BRAND = Symbol.for('noai-tag.error')

/** One problem found by validation: where (a JSON Pointer), which rule, and a message for people. */
export interface ValidationIssue {
  /** JSON Pointer (RFC 6901) to the offending value; for a missing or unknown member, to that member. */
  readonly path: string
  /** The schema keyword or standard rule that failed (e.g. `required`, `enum`, `expiresAfterIssued`). */
  readonly keyword: string
  /** A human-readable message naming the rule and, where useful, the allowed values. */
  readonly message: string
}

/**
 * Base class of every error thrown by noai-tag.
 *
 * @example
 * ```ts
 * import { isNoaiTagError } from 'noai-tag'
 * try { parseTag(text) } catch (e) { if (isNoaiTagError(e)) console.error(e.code, e.message) }
 * ```
 */
export class NoaiTagError extends Error {
  /** A stable machine-readable code. */
  readonly code: NoaiTagErrorCode
  override name: string = 'NoaiTagError'

  constructor(code: NoaiTagErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/**
 * A caller passed an argument of the wrong type or out of range (a programming error, not bad input data).
 *
 * @example
 * ```ts
 * new InvalidArgumentError('use must be a string') // code ERR_NOAI_INVALID_ARGUMENT
 * ```
 */
export class InvalidArgumentError extends NoaiTagError {
  override name = 'InvalidArgumentError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NOAI_INVALID_ARGUMENT', message, options)
  }
}

/**
 * Text that should be JSON is not (strict RFC 8259 with the standard's extra rules: no byte order
 * mark, no duplicate member names, bounded depth).
 *
 * @example
 * ```ts
 * // e.line and e.column point at the problem (1-based)
 * ```
 */
export class JsonParseError extends NoaiTagError {
  override name = 'JsonParseError' as const
  /** Offset in UTF-16 code units where the problem was found. */
  readonly offset: number
  /** 1-based line of the problem. */
  readonly line: number
  /** 1-based column of the problem. */
  readonly column: number
  constructor(message: string, position: { offset: number; line: number; column: number }) {
    super('ERR_NOAI_JSON_INVALID', `${message} at line ${position.line}, column ${position.column}`)
    this.offset = position.offset
    this.line = position.line
    this.column = position.column
  }
}

/**
 * A document failed validation (thrown only by the assert forms; `validateTag` returns the issues).
 *
 * @example
 * ```ts
 * try { assertTag(x) } catch (e) { if (e instanceof TagValidationError) console.log(e.issues) }
 * ```
 */
export class TagValidationError extends NoaiTagError {
  override name = 'TagValidationError' as const
  /** Every problem found. */
  readonly issues: readonly ValidationIssue[]
  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0]
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
    super('ERR_NOAI_TAG_INVALID', first ? `invalid tag: ${first.path || '/'}: ${first.message}${more}` : 'invalid tag')
    this.issues = issues
  }
}

/**
 * Input exceeded one of the library's hard limits (see `LIMITS`).
 *
 * @example
 * ```ts
 * // e.limit === 'maxDocumentBytes', e.maximum === 65536, e.actual === 70000
 * ```
 */
export class LimitExceededError extends NoaiTagError {
  override name = 'LimitExceededError' as const
  /** Name of the limit, as in `LIMITS`. */
  readonly limit: string
  /** The bound in force. */
  readonly maximum: number
  /** The value met, when known. */
  readonly actual: number | undefined
  constructor(limit: string, maximum: number, actual?: number, what?: string) {
    const subject = what ?? limit
    super(
      'ERR_NOAI_LIMIT_EXCEEDED',
      actual === undefined ? `${subject} exceeds the limit ${limit} = ${maximum}` : `${subject} is ${actual}, over the limit ${limit} = ${maximum}`,
    )
    this.limit = limit
    this.maximum = maximum
    this.actual = actual
  }
}

/**
 * Tells whether a value is an error thrown by noai-tag, without relying on `instanceof` (it works
 * across realms and across duplicate installs of the package).
 *
 * @example
 * ```ts
 * catch (e) { if (isNoaiTagError(e) && e.code === 'ERR_NOAI_LIMIT_EXCEEDED') ... }
 * ```
 */
export function isNoaiTagError(value: unknown): value is NoaiTagError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  )
}
