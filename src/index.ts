/**
 * noai-tag: the NoAI Tag v1 document model, its validator, the vocabulary of uses with the mapping
 * table to every other AI-usage signal, the combination rules, and the compact form.
 *
 * This root entry loads neither jose nor any carrier parser. Carriers have their own subpaths.
 *
 * @example
 * ```ts
 * import { parseTag, resolvePreferences, preferenceFor, formatCompact } from 'noai-tag'
 * const tag = parseTag(json)
 * preferenceFor(resolvePreferences(tag.usage), 'train-genai') // 'denied' | 'allowed' | 'unknown'
 * formatCompact(tag.usage) // 'train-ai=n, search=y'
 * ```
 *
 * @module noai-tag
 */
export * from './constants.js'
export * from './errors.js'
export { LIMITS } from './limits.js'
export type * from './model/tag.js'
export { validateTag, assertTag, type ValidationResult } from './validate/validate.js'
export { parseTag, type ParseTagOptions } from './validate/parse.js'
export {
  USES,
  USE_DEFINITIONS,
  isUse,
  ancestorsOf,
  descendantsOf,
  type Use,
  type Preference,
  type StatedPreference,
  type UseDefinition,
} from './vocabulary/uses.js'
export {
  resolvePreferences,
  combinePreferences,
  preferenceFor,
  knownUsage,
  type ResolvedPreferences,
  type UsageStatement,
} from './vocabulary/resolve.js'
export { MAPPING_TABLE, mappingsOf, findMapping, type SignalMapping, type SignalId } from './vocabulary/mappings.js'
export { normalizeUse } from './vocabulary/normalize.js'
export { parseCompact, type CompactParseResult, type CompactIgnored } from './compact/parse.js'
export { formatCompact } from './compact/format.js'
export { mapTokens, type StatedToken, type MappedStatement } from './vocabulary/map-tokens.js'
export type { FoundSignal, SignalSource, SignalSourceKind, ReadToken } from './signals/types.js'
export { writeTokens, IPTC_VOCAB_PREFIX, type WrittenToken } from './vocabulary/write-tokens.js'
