/**
 * Limits of the WAV container module (docs/spec.md §10.8.7).
 *
 * @module
 */
import { IFF_LIMITS } from '../iff/limits.js'

/**
 * Bounds of the WAV reader (with those of {@link IFF_LIMITS}, shared with AIFF).
 *
 * @example
 * ```ts
 * WAV_LIMITS.maxDs64Bytes // a larger RF64 ds64 chunk is refused
 * ```
 */
export const WAV_LIMITS = {
  ...IFF_LIMITS,
  /** Smallest `ds64` payload: riffSize, dataSize, sampleCount (u64 each) and the table length (u32). */
  minDs64Bytes: 28,
  /** Largest `ds64` payload read (its table holds 12 bytes per chunk larger than 4 GiB). */
  maxDs64Bytes: 65_536,
  /** Bytes of `fmt ` read to name the codec (WAVE_FORMAT_EXTENSIBLE is 40 bytes). */
  fmtProbeBytes: 40,
} as const
