/**
 * What a crawl cache holds besides its store, per process: the parsed site files last used (so
 * that a file parsed once is matched against many URLs with its compiled patterns), the fetches in
 * flight (one per file, shared by concurrent checks), the per-origin limiter and the key resolvers.
 *
 * @internal
 * @module
 */
import type { KeyResolver } from '../sign/types.js'
import { createLru, type Lru } from '../sign/keys/_lru.js'
import { InvalidArgumentError } from '../errors.js'
import { createOriginLimiter, type OriginLimiter } from './_limiter.js'
import type { SiteBundle, SiteEntry } from './_site-entry.js'
import { CRAWL_LIMITS } from './limits.js'
import { createMemoryCrawlStore, type CrawlStore } from './store.js'

/** The `cache` option of `checkUrl`: a store, shared by every check (and worker) that uses it. */
export interface CrawlCache {
  /** Where site files are kept: a Keyv instance, or `createMemoryCrawlStore()`. */
  readonly store: CrawlStore
  /**
   * Prefix of the store keys.
   * @defaultValue `"noai-tag:crawl:"`
   */
  readonly storeKeyPrefix?: string
}

/** In-process state of one cache. @internal */
export interface CacheState {
  readonly store: CrawlStore
  readonly prefix: string
  readonly parsed: Lru<SiteEntry>
  /** The site files of an origin as one crawler uses them, while all are fresh (see `_site.ts`). */
  readonly sites: Lru<SiteBundle>
  readonly inflight: Map<string, Promise<SiteEntry>>
  readonly limiter: OriginLimiter
  /** Key resolvers by fetch function, then by settings. */
  readonly resolvers: WeakMap<object, Map<string, KeyResolver>>
}

const states = new WeakMap<object, CacheState>()
let defaultCache: CrawlCache | undefined

/** The state of a cache (the default cache when none is given). @internal */
export function cacheState(cache: CrawlCache | undefined): CacheState {
  const c = cache ?? (defaultCache ??= { store: createMemoryCrawlStore() })
  let st = states.get(c)
  if (st === undefined) {
    if (typeof c !== 'object' || c === null || typeof c.store !== 'object' || c.store === null || typeof c.store.get !== 'function' || typeof c.store.set !== 'function') {
      throw new InvalidArgumentError('cache must be { store } where store has get(key) and set(key, value, ttlMs) methods (a Keyv instance works)')
    }
    st = {
      store: c.store,
      prefix: c.storeKeyPrefix ?? 'noai-tag:crawl:',
      parsed: createLru(CRAWL_LIMITS.memoryParsedEntries),
      sites: createLru(CRAWL_LIMITS.memoryParsedEntries),
      inflight: new Map(),
      limiter: createOriginLimiter(),
      resolvers: new WeakMap(),
    }
    states.set(c, st)
  }
  return st
}

/**
 * Creates a crawl cache over a store (default: an in-memory store). Checks that use the same cache
 * share its site files, its fetches in flight and its per-origin politeness (concurrency,
 * `Crawl-delay`, `Retry-After`); caches over the same shared store (Keyv over Redis) share the site
 * files across processes.
 *
 * @example
 * ```ts
 * import Keyv from 'keyv'
 * import KeyvRedis from '@keyv/redis'
 * import { checkUrl, createCrawlCache } from 'noai-tag/crawl'
 * const cache = createCrawlCache({ store: new Keyv(new KeyvRedis('redis://localhost:6379')) })
 * await checkUrl('https://example.com/a', { use: 'train-ai', userAgent: 'ExampleBot', cache })
 * ```
 */
export function createCrawlCache(options: Partial<CrawlCache> = {}): CrawlCache {
  const cache: CrawlCache = {
    store: options.store ?? createMemoryCrawlStore(),
    ...(options.storeKeyPrefix !== undefined ? { storeKeyPrefix: options.storeKeyPrefix } : {}),
  }
  cacheState(cache)
  return cache
}
