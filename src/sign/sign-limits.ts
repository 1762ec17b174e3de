/**
 * Size limits of signed tags (docs/spec.md §13.1). They are checked before any decoding.
 *
 * @module
 */
import { LIMITS } from '../limits.js'

/**
 * The size limits of a compact JWS holding a tag.
 *
 * `maxTokenLength` leaves room for the largest payload (`LIMITS.maxDocumentBytes` = 65536 bytes,
 * 87382 base64url characters), the largest protected header (`maxHeaderLength`), a 64-byte
 * signature (86 characters) and the two dots: 89 518 characters, rounded up to 90 000.
 *
 * @example
 * ```ts
 * import { SIGN_LIMITS } from 'noai-tag/sign'
 * if (jws.length > SIGN_LIMITS.maxTokenLength) skip()
 * ```
 */
export const SIGN_LIMITS = {
  /** Longest compact JWS accepted, in characters (docs/spec.md §13.1). */
  maxTokenLength: 90_000,
  /** Longest protected header accepted, in base64url characters (docs/spec.md §13.2). */
  maxHeaderLength: 2_048,
  /** Largest payload accepted, in bytes: the tag document limit (docs/spec.md §4.10). */
  maxPayloadBytes: LIMITS.maxDocumentBytes,
} as const
