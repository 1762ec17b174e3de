/**
 * Limits of the ID3v2 codec (docs/spec.md §10.4).
 *
 * @module
 */
import { AUDIO_LIMITS } from '../limits.js'

/**
 * Bounds and fixed sizes of ID3v2 tags.
 *
 * @example
 * ```ts
 * ID3V2_LIMITS.maxTagBytes // a larger tag is refused with LimitExceededError
 * ```
 */
export const ID3V2_LIMITS = {
  /** Size of the tag header, and of the v2.4 footer. */
  headerBytes: 10,
  /** Largest tag (header to footer) read into memory. */
  maxTagBytes: AUDIO_LIMITS.maxMetadataBytes,
  /** Largest value of a syncsafe 28-bit size (ID3v2.4 §6.2). */
  maxSyncsafe28: 0x0fff_ffff,
  /** Most frames parsed in one tag. */
  maxFrames: 100_000,
  /** Largest TXXX value decoded (our document, or a foreign one being matched). */
  maxTextBytes: AUDIO_LIMITS.maxEntryBytes,
} as const
