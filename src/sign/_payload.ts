// The payload of a signed tag (docs/spec.md §13.4): the tag document's JSON bytes, read as strict
// UTF-8 and strict JSON (no byte order mark, no duplicate member names: a reader and a verifier
// must never see different documents; depth at most 32) and validated as a tag. Internal.
import { JsonParseError, type ValidationIssue } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { validateTag } from '../validate/validate.js'
import { utf8OfBinary } from './_base64url.js'
import { on } from './_jws.js'
import { parseStrictJson } from './_strict-json.js'
import { VERIFY_CODES, type VerifyCode } from './codes.js'

/** The tag, or the code (and for schema failures the issues) that rejects the payload. */
export type PayloadResult =
  | { readonly ok: true; readonly tag: NoaiTag }
  | { readonly ok: false; readonly code: VerifyCode; readonly issues?: readonly ValidationIssue[] }

/** Decodes and validates the payload, given as a byte string (its size is already bounded by the token checks). */
export function decodePayload(binary: string): PayloadResult {
  let value: unknown
  try {
    const text = utf8OfBinary(binary)
    value = on('strict-json') ? parseStrictJson(text) : JSON.parse(text)
  } catch (e) {
    if (e instanceof JsonParseError || e instanceof TypeError || e instanceof SyntaxError) return { ok: false, code: VERIFY_CODES.payloadNotJson }
    throw e
  }
  if (!on('schema')) return { ok: true, tag: value as NoaiTag }
  const r = validateTag(value)
  return r.ok ? { ok: true, tag: r.tag } : { ok: false, code: VERIFY_CODES.payloadSchemaInvalid, issues: r.issues }
}
