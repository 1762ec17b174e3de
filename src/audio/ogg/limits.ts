/**
 * Limits of the Ogg container module (docs/spec.md §10.6).
 *
 * @module
 */

/**
 * Bounds on what the Ogg reader and writer accept.
 *
 * @example
 * ```ts
 * OGG_LIMITS.maxPacketBytes // largest audio packet accepted while hashing
 * ```
 */
export const OGG_LIMITS = {
  /** Most lacing values of a page (RFC 3533 §6: one byte counts them). */
  maxSegmentsPerPage: 255,
  /** Largest page body: 255 lacing values of 255 (RFC 3533 §6). */
  maxPageBodyBytes: 255 * 255,
  /** Most logical streams whose beginning-of-stream pages are accepted (multiplexed or chained). */
  maxStreams: 64,
  /** Most pages walked (of every stream) before the audio stream's header packets are complete. */
  maxHeaderPages: 8192,
  /** Largest audio packet accepted while hashing (its length is a 32-bit integer of the essence, docs/spec.md §10.6.5; packets are not kept in memory). */
  maxPacketBytes: 16 * 1024 * 1024,
  /**
   * Most pages whose sequence number and CRC a rewrite re-emits when the header page count
   * changes: every such page costs one small header in the plan (about 100 bytes of memory).
   */
  maxRenumberedPages: 262_144,
  /** Read-ahead of the page walker over metadata (small: reading tags touches little of the file). */
  headerReadBytes: 64 * 1024,
} as const
