/**
 * The NoAI Tag v1 JSON Schema (2020-12) as a JS value, and its `$id`. The same schema ships as
 * JSON at `noai-tag/schema/tag.schema.json`, beside the conformance vectors in `schema/v1/vectors`.
 *
 * @example
 * ```ts
 * import { tagSchema, TAG_SCHEMA_ID } from 'noai-tag/schema'
 * tagSchema.$id === TAG_SCHEMA_ID // true
 * ```
 *
 * @module noai-tag/schema
 */
export { tagSchema } from './schema/_tag-schema.js'
export { TAG_SCHEMA_ID } from './constants.js'
