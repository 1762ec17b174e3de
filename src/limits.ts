/**
 * Hard limits enforced by the library core (docs/spec.md §4.10 and docs/limits.md). Every length
 * read from input is checked against one of these named constants; options may lower or raise a
 * limit where the function documents it.
 *
 * @module
 */

/**
 * The limits of the document layer.
 *
 * @example
 * ```ts
 * import { LIMITS } from 'noai-tag'
 * if (text.length > LIMITS.maxDocumentBytes) reject()
 * ```
 */
export const LIMITS = {
  /** Largest tag document, in bytes of UTF-8 JSON (docs/spec.md §4.10). */
  maxDocumentBytes: 65_536,
  /** Deepest nesting of arrays and objects in a tag document (docs/spec.md §4.10). */
  maxJsonDepth: 32,
  /** Longest compact-form string (the readable line, a header value), in characters. */
  maxCompactLength: 4_096,
} as const
