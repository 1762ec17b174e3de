/**
 * The tag document model. The types are generated from schema/v1/tag.schema.json
 * (scripts/generate.mjs), so the schema and the types cannot drift; `npm run check:generated`
 * fails in CI when they do.
 *
 * @module
 */
export type {
  NoaiTag,
  TagSubject,
  EssenceDigest,
  WorkIdentifier,
  Identifier,
  RightsHolder,
  UsagePreferences,
  PreferenceValue,
  AiDisclosure,
  TagExtensions,
} from './_tag.generated.js'
