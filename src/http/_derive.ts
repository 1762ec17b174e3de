// What the HTTP and HTML writers share: the tag argument, validated, and the check that a given
// JWS states the same usage (the tokens themselves come from writeTokens, docs/spec.md §7.1). Internal.
import { InvalidArgumentError, TagValidationError } from '../errors.js'
import type { NoaiTag } from '../model/tag.js'
import { validateTag } from '../validate/validate.js'
import type { StatedPreference } from '../vocabulary/uses.js'
import { decodeSignedTag, isCompactJws } from './_decode-tag.js'

/** A tag, or just its usage (for writers that have no document). */
export type TagOrUsage = NoaiTag | { readonly usage: Readonly<Record<string, StatedPreference | undefined>> }

/** The usage of a tag argument, validated: a full tag is validated; a bare usage must serialise. */
export function usageOf(tag: TagOrUsage): { usage: Readonly<Record<string, StatedPreference | undefined>>; document: NoaiTag | undefined } {
  if (tag === null || typeof tag !== 'object' || typeof tag.usage !== 'object' || tag.usage === null) {
    throw new InvalidArgumentError('expected a tag document or an object with a usage map')
  }
  if ('version' in tag) {
    const r = validateTag(tag)
    if (!r.ok) throw new TagValidationError(r.issues)
    return { usage: r.tag.usage, document: r.tag }
  }
  return { usage: tag.usage, document: undefined }
}

/**
 * Checks a compact JWS given to a writer: its shape, and that its (unverified) payload states the
 * same usage as the tag the other fields are written from (docs/spec.md §8.3: the compact form is
 * the serialisation of the signed document's usage).
 */
export function checkJws(jws: string, usage: Readonly<Record<string, StatedPreference | undefined>>): void {
  if (typeof jws !== 'string' || !isCompactJws(jws)) throw new InvalidArgumentError('jws must be a compact JWS (three base64url parts separated by dots)')
  const decoded = decodeSignedTag(jws)
  if (!decoded.ok) throw new InvalidArgumentError(`jws does not hold a readable tag: ${decoded.error}`)
  const a = Object.entries(decoded.tag.usage).filter(([, v]) => v !== undefined)
  const b = Object.entries(usage).filter(([, v]) => v !== undefined)
  if (a.length !== b.length || !a.every(([k, v]) => usage[k] === v)) {
    throw new InvalidArgumentError("the signed tag's usage differs from the tag's usage: the compact form and the other signals must be written from the signed document (docs/spec.md §8.3)")
  }
}
