/**
 * The default cache store of `createKeyResolver`: in memory, bounded in entries, with expiry.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js'
import { createLru } from './_lru.js'
import { KEY_SET_LIMITS } from './limits.js'
import type { KeySetStore } from './types.js'

/** Options of {@link createMemoryKeySetStore}. */
export interface MemoryKeySetStoreOptions {
  /**
   * Most entries kept; the least recently used is dropped first.
   * @defaultValue `KEY_SET_LIMITS.memoryStoreEntries` (1000)
   */
  readonly maxEntries?: number
  /**
   * The clock, in milliseconds since the epoch (tests pass a fake one).
   * @defaultValue `Date.now`
   */
  readonly now?: () => number
}

/**
 * Creates an in-memory {@link KeySetStore}: a least-recently-used map bounded in entries whose
 * values expire after their `ttlMs`. Values are kept as given (not copied).
 *
 * @example
 * ```ts
 * const store = createMemoryKeySetStore({ maxEntries: 100 })
 * const resolver = createKeyResolver({ store })
 * ```
 */
export function createMemoryKeySetStore(options: MemoryKeySetStoreOptions = {}): KeySetStore {
  const maxEntries = options.maxEntries ?? KEY_SET_LIMITS.memoryStoreEntries
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new InvalidArgumentError('maxEntries must be a positive integer')
  const now = options.now ?? Date.now
  const lru = createLru<{ value: unknown; expires: number }>(maxEntries)
  return {
    get(key: string): unknown {
      const hit = lru.get(key)
      if (hit === undefined) return undefined
      if (now() >= hit.expires) {
        lru.delete(key)
        return undefined
      }
      return hit.value
    },
    set(key: string, value: unknown, ttlMs?: number): boolean {
      const ttl = ttlMs === undefined || !(ttlMs >= 0) ? Infinity : ttlMs
      lru.set(key, { value, expires: now() + ttl })
      return true
    },
    delete(key: string): boolean {
      lru.delete(key)
      return true
    },
  }
}
