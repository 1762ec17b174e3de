/**
 * Limits of the MP3 container module (docs/spec.md §10.4).
 *
 * @module
 */

/**
 * Bounds of the MP3 reader and the padding policy of the writer.
 *
 * @example
 * ```ts
 * MP3_LIMITS.maxLeadingTags // more consecutive ID3v2 tags at the start are refused
 * ```
 */
export const MP3_LIMITS = {
  /** Most consecutive ID3v2 tags at the start of a file. */
  maxLeadingTags: 8,
  /** Most trailing tags (ID3v1, APEv2, Lyrics3v2, appended ID3v2) peeled off the end. */
  maxTrailingTags: 8,
  /** How far past the leading tags the reader looks for the first MPEG frame (for the codec only). */
  syncSearchBytes: 65_536,
  /** Padding of a rewritten tag: 1 KiB plus 0.1 % of the audio that follows (mutagen's policy)... */
  basePaddingBytes: 1024,
  /** ...capped at this. */
  maxPaddingBytes: 1024 * 1024,
} as const
