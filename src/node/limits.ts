/**
 * Limits of the file writes of noai-tag/node (docs/spec.md §10.3.3 and docs/limits.md).
 *
 * @module
 */
import { AUDIO_LIMITS } from '../audio/limits.js'

/**
 * Bounds of `writeAudioFile` and `removeAudioTagFromFile`.
 *
 * @example
 * ```ts
 * import { FILE_WRITE_LIMITS } from 'noai-tag/node'
 * FILE_WRITE_LIMITS.maxInPlaceSpanBytes // a larger in-place change is done by a rewrite
 * ```
 */
export const FILE_WRITE_LIMITS = {
  /**
   * Largest range an in-place write covers: the patches of a plan are written as one contiguous
   * range (unchanged bytes between them included) by a single write; a plan whose patches span more
   * is done by a rewrite (temp file + rename) instead. The lock file journals the range's old and
   * new bytes, so it holds up to twice this.
   */
  maxInPlaceSpanBytes: AUDIO_LIMITS.maxMetadataBytes,
  /**
   * Age after which an empty lock file is stale: its writer was stopped between creating it and
   * writing its owner record into it (a lock with a record is judged by its owner instead).
   */
  emptyLockStaleMs: 10_000,
  /** Bytes read at the start of a lock file to judge it (the owner record is one short line). */
  maxLockRecordBytes: 4_096,
} as const
