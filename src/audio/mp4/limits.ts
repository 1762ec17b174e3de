/**
 * Limits of the MP4/M4A carrier (docs/spec.md §10.7.8). Every size read from a file is
 * checked against its parent box and against one of these bounds before anything is allocated.
 *
 * @module
 */
import { AUDIO_LIMITS } from '../limits.js'

/**
 * Bounds on what the MP4 reader and writer accept.
 *
 * @example
 * ```ts
 * MP4_LIMITS.maxBoxDepth // 32: deeper nesting is refused with a LimitExceededError
 * ```
 */
export const MP4_LIMITS = {
  /** Deepest box nesting followed (top level = 1). The reader only descends known paths (at most 7 deep). */
  maxBoxDepth: 32,
  /** Most box headers visited in one operation (top level, moov, tracks, udta, meta, ilst together). */
  maxBoxes: 100_000,
  /** Most `trak` boxes in a `moov`. */
  maxTracks: 1_024,
  /** Largest sample table (`stsz`, `stz2`, `stsc`, `stco`, `co64`) loaded into memory, in bytes. */
  maxSampleTableBytes: AUDIO_LIMITS.maxMetadataBytes,
  /** Largest `moov` whose chunk offsets a writer shifts (the rest of moov is copied, not loaded). */
  maxMoovBytes: AUDIO_LIMITS.maxMetadataBytes,
  /** Largest `stsd` box read to name the codec. */
  maxSampleDescriptionBytes: 65_536,
  /** Largest metadata region moved by an in-place edit (else the file is rewritten). */
  maxInPlaceMoveBytes: AUDIO_LIMITS.maxMetadataBytes,
} as const

/**
 * Size of the `free` box a rewrite leaves after `ilst` (docs/spec.md §10.7.6), so that later edits
 * fit in place.
 *
 * @example
 * ```ts
 * MP4_PADDING_BYTES // 1024: the next tag up to this much larger is written in place
 * ```
 */
export const MP4_PADDING_BYTES = 1_024
