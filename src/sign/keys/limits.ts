/**
 * Named limits and defaults of key discovery (docs/spec.md §14.3). Every bound the resolver and
 * the key set parser enforce is one of these constants; resolver options may change the ones they
 * document.
 *
 * @module
 */

/**
 * Limits and defaults of key discovery and key set parsing (docs/spec.md §14.2, §14.3).
 *
 * @example
 * ```ts
 * import { KEY_SET_LIMITS } from 'noai-tag/sign'
 * KEY_SET_LIMITS.maxKeys // 64
 * ```
 */
export const KEY_SET_LIMITS = {
  /** Most keys one key set may hold (docs/spec.md §14.2). */
  maxKeys: 64,
  /** Longest `kid`, in characters (docs/spec.md §14.2). */
  maxKidLength: 128,
  /** Deepest JSON nesting accepted in a key set response. */
  maxJsonDepth: 16,
  /** Largest key set response body, in bytes (docs/spec.md §14.3). */
  maxBytes: 65_536,
  /** Time allowed for the whole fetch (redirects and body included), in milliseconds. */
  timeoutMs: 5_000,
  /** Most redirects followed, all within the issuer's origin (docs/spec.md §14.3). */
  maxRedirects: 3,
  /** Shortest time a fetched key set is kept fresh, whatever `Cache-Control` says. */
  minTtlMs: 60_000,
  /** Longest time a fetched key set is kept fresh, whatever `Cache-Control` says. */
  maxTtlMs: 86_400_000,
  /** Freshness of a key set served without `Cache-Control: max-age`. */
  defaultTtlMs: 600_000,
  /** How long past its freshness a cached key set may still be used when a refetch fails. */
  maxStaleMs: 86_400_000,
  /** Least time between two fetches of one issuer's key set caused by unknown `kid`s. */
  unknownKidCooldownMs: 30_000,
  /** Least time between a failed fetch of one issuer's key set and the next attempt. */
  failureCooldownMs: 30_000,
  /** Issuers whose key sets the default in-memory store holds at most. */
  memoryStoreEntries: 1_000,
  /** `max-age` of the `Cache-Control` header {@link keySetHeaders} emits by default, in seconds. */
  servedMaxAgeSeconds: 600,
} as const
