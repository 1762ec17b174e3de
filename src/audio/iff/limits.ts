/**
 * Limits shared by the chunk-based containers, WAV and AIFF (docs/spec.md §10.8, §10.9).
 *
 * @module
 */
import { AUDIO_LIMITS } from '../limits.js'

/**
 * Bounds of the RIFF/IFF chunk walker and the padding policy of the writers.
 *
 * @example
 * ```ts
 * IFF_LIMITS.maxChunks // a file with more top-level chunks is refused with LimitExceededError
 * ```
 */
export const IFF_LIMITS = {
  /** Size of a chunk header: four-character code and 32-bit size. */
  chunkHeaderBytes: 8,
  /** Size of the file header: `RIFF`/`RF64`/`BW64`/`FORM`, 32-bit size, form type. */
  fileHeaderBytes: 12,
  /** Most top-level chunks walked (each costs one 8-byte read). */
  maxChunks: 4096,
  /** Most sub-chunks parsed in one `LIST`/`INFO` chunk. */
  maxSubChunks: 4096,
  /** Largest metadata chunk (`id3 `, `ID3 `, `LIST`/`INFO`) read into memory. */
  maxMetadataChunkBytes: AUDIO_LIMITS.maxMetadataBytes,
  /** Largest 32-bit chunk or container size (the size field is unsigned; 0xFFFFFFFF is RF64's "see ds64"). */
  maxSize32: 0xffff_fffe,
  /** Padding of a new or grown ID3v2 tag in a rewrite: 1 KiB plus 0.1 % of the file (mutagen's policy)... */
  basePaddingBytes: 1024,
  /** ...capped at this. */
  maxPaddingBytes: 1024 * 1024,
} as const

/**
 * Padding given to an ID3v2 tag that a rewrite creates or grows: 1 KiB plus one byte per thousand
 * bytes of the file, at most 1 MiB, so that later edits fit in place.
 *
 * @example
 * ```ts
 * id3PaddingFor(5_000_000) // 6024
 * ```
 */
export function id3PaddingFor(fileBytes: number): number {
  return Math.min(IFF_LIMITS.maxPaddingBytes, IFF_LIMITS.basePaddingBytes + Math.floor(fileBytes / 1000))
}
