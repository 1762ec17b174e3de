/**
 * A small least-recently-used map bounded in entries (insertion order of a `Map`).
 *
 * @internal
 * @module
 */

/** A bounded LRU map. @internal */
export interface Lru<V> {
  get(key: string): V | undefined
  set(key: string, value: V): void
  delete(key: string): void
}

/** Creates an LRU map holding at most `maxEntries` entries. @internal */
export function createLru<V>(maxEntries: number): Lru<V> {
  const map = new Map<string, V>()
  return {
    get(key) {
      const value = map.get(key)
      if (value !== undefined) {
        map.delete(key)
        map.set(key, value)
      }
      return value
    },
    set(key, value) {
      map.delete(key)
      map.set(key, value)
      while (map.size > maxEntries) map.delete(map.keys().next().value as string)
    },
    delete(key) {
      map.delete(key)
    },
  }
}
