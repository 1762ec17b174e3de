// The document entry (key NOAI_TAG) read and written (docs/spec.md §9.6): a compact JWS or the
// tag's JSON, told apart by the first character that is not white space. A JWS's payload is
// decoded WITHOUT verifying the signature: the report says it is unverified. Internal.
import { InvalidArgumentError, LimitExceededError, isNoaiTagError } from '../errors.js'
import { LIMITS } from '../limits.js'
import type { NoaiTag } from '../model/tag.js'
import { decodeBase64url } from '../sign/_base64url.js'
import { parseTag } from '../validate/parse.js'
import { validateTag } from '../validate/validate.js'
import { TagValidationError } from '../errors.js'
import { AUDIO_LIMITS } from './limits.js'

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+$/

/** What a stored document holds. */
export interface DecodedDocument {
  /** The document is a compact JWS. */
  readonly signed: boolean
  /** The JWS, when signed. */
  readonly jws?: string
  /** The tag (the JWS payload, unverified), when it parses strictly and validates. */
  readonly tag?: NoaiTag
  /** Why no tag could be taken from the document. */
  readonly problem?: string
}

/** The tag in a JWS payload (strict JSON, validated), or a thrown typed error. */
export function tagOfJws(jws: string): NoaiTag {
  const m = COMPACT_JWS.exec(jws)
  if (!m) throw new InvalidArgumentError('the document is neither JSON nor a compact JWS (three base64url parts)')
  const payload = decodeBase64url(m[1]!, true)
  if (!payload) throw new InvalidArgumentError('the JWS payload is not canonical base64url')
  return parseTag(payload)
}

/**
 * Decodes a stored document: JSON (first non-white-space character `{`) or a compact JWS.
 *
 * @example
 * ```ts
 * decodeDocument('{"version":1,...}').tag
 * ```
 */
export function decodeDocument(text: string): DecodedDocument {
  const json = text.trimStart().startsWith('{')
  const jws = json ? undefined : text.trim()
  try {
    const tag = json ? parseTag(text) : tagOfJws(jws!)
    return json ? { signed: false, tag } : { signed: true, jws: jws!, tag }
  } catch (e) {
    if (!isNoaiTagError(e)) throw e
    const problem = `the stored document is not a valid tag: ${e.message}`
    return json ? { signed: false, problem } : { signed: true, jws: jws!, problem }
  }
}

const NON_ASCII = /[\u0080-\uffff]/g
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`

/** The tag as ASCII JSON: every non-ASCII character escaped as `\uXXXX` (docs/spec.md §9.6). */
export function asciiJson(tag: NoaiTag): string {
  const text = JSON.stringify(tag).replace(NON_ASCII, escapeChar)
  if (text.length > LIMITS.maxDocumentBytes) throw new LimitExceededError('maxDocumentBytes', LIMITS.maxDocumentBytes, text.length, 'tag document in bytes')
  return text
}

function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical)
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, canonical((x as Record<string, unknown>)[k])]))
  return x
}

/**
 * The tag to store and the document text: the JWS (its payload is the tag) or the tag's ASCII JSON.
 *
 * @throws InvalidArgumentError when neither or a malformed JWS is given, or when `tag` differs from
 *   the JWS payload; TagValidationError for an invalid tag; LimitExceededError over the size limits.
 */
export function documentToStore(input: { readonly tag?: NoaiTag | undefined; readonly jws?: string | undefined }): { tag: NoaiTag; document: string } {
  if (input.jws !== undefined) {
    if (typeof input.jws !== 'string') throw new InvalidArgumentError('jws must be a string (a compact JWS)')
    if (input.jws.length > AUDIO_LIMITS.maxEntryBytes) throw new LimitExceededError('maxEntryBytes', AUDIO_LIMITS.maxEntryBytes, input.jws.length, 'JWS length')
    const tag = tagOfJws(input.jws)
    if (input.tag !== undefined && JSON.stringify(canonical(input.tag)) !== JSON.stringify(canonical(tag))) {
      throw new InvalidArgumentError('tag and jws were both given but the JWS payload is a different tag')
    }
    return { tag, document: input.jws }
  }
  if (input.tag === undefined) throw new InvalidArgumentError('give a tag or a jws to write')
  const r = validateTag(input.tag)
  if (!r.ok) throw new TagValidationError(r.issues)
  return { tag: r.tag, document: asciiJson(r.tag) }
}
