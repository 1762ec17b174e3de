/**
 * Parsing tag documents from text or bytes (docs/spec.md §4.10): size limit, strict UTF-8, strict
 * JSON (no byte order mark, no duplicate member names, bounded depth), then validation.
 *
 * @module
 */
import { InvalidArgumentError, JsonParseError, LimitExceededError, TagValidationError } from '../errors.js'
import { isBytes } from '../_internal/bytes.js'
import { parseJsonStrict, type JsonPosition } from '../_internal/json.js'
import { LIMITS } from '../limits.js'
import type { NoaiTag } from '../model/tag.js'
import { validateTag } from './validate.js'

/** Options of {@link parseTag}. */
export interface ParseTagOptions {
  /**
   * Largest document accepted, in bytes of UTF-8.
   * @defaultValue `LIMITS.maxDocumentBytes` (65536)
   */
  readonly maxBytes?: number
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3 // other BMP characters, and lone surrogates (encoded as U+FFFD)
  }
  return n
}

/** Text of a document, with the size limit checked before any decoding or parsing. @internal */
export function documentText(input: string | Uint8Array, maxBytes: number = LIMITS.maxDocumentBytes): string {
  if (typeof input === 'string') {
    // A UTF-8 encoding is never shorter than the UTF-16 length, so this rejects huge strings in O(1).
    if (input.length > maxBytes) throw new LimitExceededError('maxDocumentBytes', maxBytes, undefined, `document of ${input.length}+ bytes`)
    const n = utf8Length(input)
    if (n > maxBytes) throw new LimitExceededError('maxDocumentBytes', maxBytes, n, 'document size in bytes')
    return input
  }
  if (!isBytes(input)) {
    throw new InvalidArgumentError(`a tag document must be given as a string or a Uint8Array, not ${input === null ? 'null' : typeof input}`)
  }
  if (input.byteLength > maxBytes) throw new LimitExceededError('maxDocumentBytes', maxBytes, input.byteLength, 'document size in bytes')
  try {
    return decoder.decode(input)
  } catch {
    throw new JsonParseError('document is not valid UTF-8', { offset: 0, line: 1, column: 1 })
  }
}

/** Parses text strictly as JSON, optionally with value positions. @internal */
export function parseDocumentJson(text: string, positions = false): { value: unknown; positions: Map<string, JsonPosition> | undefined } {
  return parseJsonStrict(text, { maxDepth: LIMITS.maxJsonDepth, positions })
}

/**
 * Parses and validates a tag document from JSON text or UTF-8 bytes.
 *
 * @throws LimitExceededError (`ERR_NOAI_LIMIT_EXCEEDED`) over the size limit;
 *   JsonParseError (`ERR_NOAI_JSON_INVALID`) for text that is not strict JSON (including a byte
 *   order mark, duplicate member names, or nesting deeper than `LIMITS.maxJsonDepth`);
 *   TagValidationError (`ERR_NOAI_TAG_INVALID`) for JSON that is not a valid tag.
 * @example
 * ```ts
 * import { parseTag } from 'noai-tag'
 * const tag = parseTag('{"version":1,"subject":{"self":true},"usage":{"train-ai":"denied"},"issued":"2026-11-26T00:00:00Z"}')
 * tag.usage['train-ai'] // 'denied'
 * ```
 */
export function parseTag(input: string | Uint8Array, options: ParseTagOptions = {}): NoaiTag {
  const text = documentText(input, options.maxBytes)
  const { value } = parseDocumentJson(text)
  const r = validateTag(value)
  if (!r.ok) throw new TagValidationError(r.issues)
  return r.tag
}
