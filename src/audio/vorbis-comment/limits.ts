/**
 * Limits of the Vorbis comment codec shared by FLAC and Ogg (docs/spec.md §10.5, §10.6).
 *
 * @module
 */

/**
 * Bounds on a Vorbis comment list. Lengths are also bounded by the enclosing FLAC block or Ogg
 * packet: a length that runs past its end is a malformed container, not a limit.
 *
 * @example
 * ```ts
 * VORBIS_COMMENT_LIMITS.maxFields // 65536
 * ```
 */
export const VORBIS_COMMENT_LIMITS = {
  /** Most fields accepted in one comment list (each costs an object in memory, whatever its length). */
  maxFields: 65_536,
} as const
