/**
 * Limits of the AIFF container module (docs/spec.md §10.9.6).
 *
 * @module
 */
import { IFF_LIMITS } from '../iff/limits.js'

/**
 * Bounds of the AIFF reader (those of {@link IFF_LIMITS}, shared with WAV, and the COMM probe).
 *
 * @example
 * ```ts
 * AIFF_LIMITS.maxChunks // a file with more top-level chunks is refused
 * ```
 */
export const AIFF_LIMITS = {
  ...IFF_LIMITS,
  /** Bytes of `COMM` read to name the codec: the 18-byte AIFF part and the AIFF-C compression type. */
  commProbeBytes: 22,
} as const
