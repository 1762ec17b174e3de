/**
 * The cache of site files (docs/spec.md §11.6): a pluggable store with the subset of the Keyv API
 * the crawler uses, so that many crawler workers can share one (Keyv over Redis, for example), and
 * the default in-memory store.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import { createLru } from '../sign/keys/_lru.js'
import { CRAWL_LIMITS } from './limits.js'

/**
 * A cache store: the subset of the Keyv API (Keyv ^5) that `checkUrl` uses, so that a Keyv
 * instance can be passed as is. Values are plain JSON (parsed site files); `ttlMs` is how long the
 * store should keep the value (it may keep it shorter). Methods may be synchronous or return
 * promises. The same shape as the key resolver's `KeySetStore` (noai-tag/sign), so one store can
 * serve both.
 */
export interface CrawlStore {
  /** The value stored under `key`, or `undefined`. */
  get(key: string): unknown
  /** Stores `value` under `key` for at most `ttlMs` milliseconds. */
  set(key: string, value: unknown, ttlMs?: number): unknown
  /** Removes `key`. */
  delete?(key: string): unknown
}

/** Options of {@link createMemoryCrawlStore}. */
export interface MemoryCrawlStoreOptions {
  /**
   * Most entries kept; the least recently used is dropped first.
   * @defaultValue `CRAWL_LIMITS.memoryStoreEntries` (10000)
   */
  readonly maxEntries?: number
  /**
   * The clock, in milliseconds since the epoch (tests pass a fake one).
   * @defaultValue `Date.now`
   */
  readonly now?: () => number
}

/**
 * Creates an in-memory {@link CrawlStore}: a least-recently-used map bounded in entries whose
 * values expire after their `ttlMs`. Values are kept as given (not copied). This is the store of
 * the default cache; pass a Keyv instance instead to share site files between workers.
 *
 * @example
 * ```ts
 * import { checkUrl, createMemoryCrawlStore } from 'noai-tag/crawl'
 * const cache = { store: createMemoryCrawlStore({ maxEntries: 1000 }) }
 * await checkUrl('https://example.com/a', { use: 'train-ai', cache })
 * ```
 */
export function createMemoryCrawlStore(options: MemoryCrawlStoreOptions = {}): CrawlStore {
  const maxEntries = options.maxEntries ?? CRAWL_LIMITS.memoryStoreEntries
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new InvalidArgumentError(`maxEntries must be a positive integer, not ${String(maxEntries)}`)
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
