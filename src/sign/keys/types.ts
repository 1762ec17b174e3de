/**
 * Types of key discovery's pluggable parts: the fetch function and the cache store.
 *
 * @module
 */

/**
 * The fetch function the resolver calls: `globalThis.fetch` or anything with its shape (a counting
 * wrapper, a proxy-aware fetch, undici's). It is called with `redirect: 'manual'` and must not
 * follow redirects itself; a response whose `url` is on another origin than the one asked is
 * refused.
 */
export type KeySetFetch = (url: string, init: RequestInit) => Promise<Response>

/**
 * A cache store with the subset of the Keyv API the resolver uses, so that a Keyv instance (for
 * example one backed by Redis, shared by many crawler workers) can be passed as is. Values are
 * plain JSON; `ttlMs` is how long the store should keep the value (it may keep it shorter).
 * Methods may be synchronous or return promises.
 */
export interface KeySetStore {
  /** The value stored under `key`, or `undefined`. */
  get(key: string): unknown
  /** Stores `value` under `key` for at most `ttlMs` milliseconds. */
  set(key: string, value: unknown, ttlMs?: number): unknown
  /** Removes `key`. */
  delete(key: string): unknown
}
