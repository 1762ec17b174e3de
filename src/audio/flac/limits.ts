/**
 * Limits of the FLAC container module (docs/spec.md §10.5).
 *
 * @module
 */

/**
 * Bounds on what the FLAC reader accepts and constants of the writer.
 *
 * @example
 * ```ts
 * FLAC_LIMITS.freshPaddingBytes // 8192
 * ```
 */
export const FLAC_LIMITS = {
  /** Most metadata blocks walked before the audio (each is one header read). */
  maxBlocks: 4096,
  /** Most ID3v2 tags accepted in front of `fLaC` (C2PA puts one there, RFC 9639 §8 tolerates it). */
  maxId3Prefixes: 8,
  /** Largest metadata block body: the 24-bit length field (RFC 9639 §8.1). */
  maxBlockBytes: 0xff_ffff,
  /** Size of the PADDING block body written when the file is rewritten (room for later edits in place). */
  freshPaddingBytes: 8192,
} as const
