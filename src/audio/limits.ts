/**
 * Limits of the audio carriers (docs/spec.md §10 and docs/limits.md). Container modules keep
 * their own limits in src/audio/<format>/limits.ts and spread them in here.
 *
 * @module
 */

/**
 * Bounds on what the audio readers accept.
 *
 * @example
 * ```ts
 * import { AUDIO_LIMITS } from 'noai-tag/audio'
 * AUDIO_LIMITS.maxEntryBytes // largest NOAI_TAG value read or written
 * ```
 */
export const AUDIO_LIMITS = {
  /** Largest value of our `NOAI_TAG` entry: a compact JWS of a maximum-size document. */
  maxEntryBytes: 131_072,
  /** Largest metadata region read to find our entries (an ID3v2 tag, a FLAC metadata block, an MP4 moov...). */
  maxMetadataBytes: 16 * 1024 * 1024,
  /** Largest XMP packet kept in memory for decoding. */
  maxXmpBytes: 1024 * 1024,
  /** Chunk size used when hashing or copying. */
  ioChunkBytes: 1024 * 1024,
} as const
