/**
 * Every identifier fixed by the NoAI Tag v1 standard (docs/spec.md §9, "Identifiers").
 *
 * Carriers, the CLI and the tests import these names instead of spelling them, so that they cannot
 * drift. Values are `as const` so that their literal types are part of the API.
 *
 * @module
 */

/** The version of the NoAI Tag standard this library implements (the `version` member). */
export const TAG_VERSION = 1 as const

/** Base of every URI the standard mints (docs/spec.md §9.1). These are identifiers; they need not resolve. */
export const NOAI_URI_BASE = 'https://noai-tag.org/' as const

/** `$id` of the tag document schema (docs/spec.md §9.1). */
export const TAG_SCHEMA_ID = 'https://noai-tag.org/schema/v1/tag.schema.json' as const

/** Media types (docs/spec.md §9.2). */
export const MEDIA_TYPES = {
  /** A tag document, as JSON. */
  tag: 'application/noai-tag+json',
  /** A signed tag: a compact JWS whose payload is a tag document. */
  signedTag: 'application/noai-tag+jws',
  /** The site-wide policy document served at {@link WELL_KNOWN.policy}. */
  policy: 'application/noai-policy+json',
  /** A JSON Web Key Set (RFC 7517 §8.5.1), served at {@link WELL_KNOWN.keys}. */
  keySet: 'application/jwk-set+json',
} as const

/** The JWS `typ` header of a signed tag (docs/spec.md §9.2; RFC 7515 §4.1.9 short form). */
export const JWS_TYP = 'noai-tag+jws' as const

/** Well-known paths (RFC 8615), registered under the single name `noai-tag` (docs/spec.md §9.3). */
export const WELL_KNOWN = {
  /** The issuer's public keys as a JWKS. */
  keys: '/.well-known/noai-tag/jwks.json',
  /** The site-wide policy file. */
  policy: '/.well-known/noai-tag/policy.json',
} as const

/** HTTP field names (docs/spec.md §9.4). Field names are case-insensitive; these are the registered spellings. */
export const HTTP_FIELDS = {
  /** The compact form of the preferences (an RFC 9651 Dictionary). */
  tag: 'NoAI-Tag',
  /** A signed tag (an RFC 9651 String holding a compact JWS). */
  signedTag: 'NoAI-Tag-JWS',
} as const

/** The `rel` value of a `Link` header or `<link>` element pointing at a tag document or signed tag. */
export const LINK_REL = 'noai-tag' as const

/** HTML names (docs/spec.md §9.5). */
export const HTML_NAMES = {
  /** `<meta name="noai-tag" content="train-ai=n, search=y">`: the compact form, for the page itself. */
  meta: 'noai-tag',
  /** `<script type="application/noai-tag+jws">`: a signed tag. */
  scriptSigned: 'application/noai-tag+jws',
  /** `<script type="application/noai-tag+json">`: an unsigned tag document. */
  scriptJson: 'application/noai-tag+json',
  /** Attribute on such a `<script>` naming the embedded media it describes (a URL relative to the page). */
  forAttribute: 'data-noai-for',
} as const

/**
 * Audio key names (docs/spec.md §9.6). Two entries per file: the readable line (the compact form,
 * for people and everyday tools) and the full document (a compact JWS or the tag JSON, for machines).
 */
export const AUDIO_KEYS = {
  /** ID3v2 `TXXX` descriptions (MP3, and the `id3 `/`ID3 ` chunks of WAV and AIFF). */
  id3: { readable: 'NOAI', document: 'NOAI_TAG' },
  /** Vorbis comment field names (FLAC, Ogg Vorbis, Ogg Opus). Case-insensitive on read. */
  vorbis: { readable: 'NOAI', document: 'NOAI_TAG' },
  /** MP4 freeform (`----`) items: the `mean` and the `name`s. */
  mp4: { mean: 'com.apple.iTunes', readable: 'NOAI', document: 'NOAI_TAG' },
  /** RIFF `LIST`/`INFO` four-character code for the readable line (WAV, BWF, RF64). */
  riffInfo: 'NOAI',
} as const

/** The XMP namespace of the standard and its preferred prefix (docs/spec.md §9.7). */
export const XMP_NAMESPACE = { uri: 'https://noai-tag.org/ns/xmp/1.0/', prefix: 'noai' } as const

/** JSON Schema `$id` of the site policy document (defined by the web carriers, docs/spec.md §11). */
export const POLICY_SCHEMA_ID = 'https://noai-tag.org/schema/v1/policy.schema.json' as const
