// Reading a tag document found in a web carrier WITHOUT verifying it (docs/spec.md §11): a signed
// tag's payload is decoded (canonical base64url → strict UTF-8 → strict JSON → validation) so that
// a reader can report its usage; whether its allows count is decided later by verifying the JWS
// (docs/spec.md §13). jose is not loaded here. Internal.
import { isNoaiTagError, TagValidationError } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { decodeBase64url } from '../sign/_base64url.js'
import { parseStrictJson } from '../sign/_strict-json.js'
import { SIGN_LIMITS } from '../sign/sign-limits.js'
import { documentText } from '../validate/parse.js'
import { validateTag } from '../validate/validate.js'

/** A decoded document, or why it could not be read. */
export type DecodedTag = { readonly ok: true; readonly tag: NoaiTag } | { readonly ok: false; readonly error: string }

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** Whether `text` has the shape of a compact JWS (three base64url parts). */
export function isCompactJws(text: string): boolean {
  return text.length <= SIGN_LIMITS.maxTokenLength && COMPACT_JWS.test(text)
}

/** The same checks as parseTag (size, strict UTF-8, strict JSON, validation), with the fast strict JSON path of the verifier. */
function parsed(input: string | Uint8Array): DecodedTag {
  try {
    const r = validateTag(parseStrictJson(documentText(input)))
    return r.ok ? { ok: true, tag: r.tag } : { ok: false, error: new TagValidationError(r.issues).message }
  } catch (e) {
    if (isNoaiTagError(e)) return { ok: false, error: e.message }
    throw e
  }
}

/** The unverified payload of a signed tag. */
export function decodeSignedTag(jws: string): DecodedTag {
  if (jws.length > SIGN_LIMITS.maxTokenLength) {
    return { ok: false, error: `signed tag is ${jws.length} characters, over the limit maxTokenLength = ${SIGN_LIMITS.maxTokenLength}` }
  }
  if (!COMPACT_JWS.test(jws)) return { ok: false, error: 'not a compact JWS (three base64url parts separated by dots)' }
  const payload = decodeBase64url(jws.slice(jws.indexOf('.') + 1, jws.lastIndexOf('.')), true)
  if (payload === undefined) return { ok: false, error: 'the JWS payload is not canonical base64url' }
  return parsed(payload)
}

/** A tag document given as JSON text. */
export function decodeTagJson(text: string): DecodedTag {
  return parsed(text)
}
