/**
 * The two entries an audio file stores for a tag (docs/spec.md §8.3, §9.6).
 *
 * @module
 */
import { formatCompact } from '../compact/format.js'
import type { NoaiTag } from '../model/tag.js'
import { documentToStore } from './_document.js'
import type { TagEntries } from './types.js'

/** What to store: a tag, or a compact JWS of a tag (its payload is the tag), or both (they must agree). */
export interface AudioTagInput {
  /** The tag document (stored as ASCII JSON when no `jws` is given). */
  readonly tag?: NoaiTag
  /** A compact JWS from `signTag` (stored as is). */
  readonly jws?: string
}

/**
 * The entries to store: the readable line (`formatCompact` of the tag's usage; for a JWS, of its
 * payload's usage) and the document (the JWS, or the tag's JSON with non-ASCII characters escaped).
 *
 * @throws InvalidArgumentError, TagValidationError, LimitExceededError for an unusable tag or JWS.
 * @example
 * ```ts
 * audioTagEntries({ tag }) // { readable: 'train-ai=n', document: '{"version":1,...}' }
 * ```
 */
export function audioTagEntries(input: AudioTagInput): TagEntries {
  const { tag, document } = documentToStore(input)
  return { readable: formatCompact(tag.usage), document }
}
