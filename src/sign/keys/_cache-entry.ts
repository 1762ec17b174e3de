/**
 * What the resolver keeps in its store for one issuer: the key set as fetched (plain JSON, so that
 * a Redis-backed Keyv can hold it), where it was found, and its timestamps. Entries read back are
 * checked and their keys validated again, since a shared store may hold anything.
 *
 * @internal
 * @module
 */
import type { IssuerKey } from '../types.js'
import { parseKeySet } from './parse-key-set.js'

/** One stored key set. @internal */
export interface CacheEntry {
  /** Format version of the entry. */
  readonly v: 1
  /** The URL the key set was found at (on the issuer's origin). */
  readonly source: string
  /** The key set JSON as fetched. */
  readonly jwks: unknown
  /** When it was fetched (ms since the epoch). */
  readonly fetchedAt: number
  /** Until when it is fresh. */
  readonly freshUntil: number
  /** Until when it may still be used if a refetch fails. */
  readonly staleUntil: number
}

// Parsed keys per entry object: the in-memory store hands back the same object, so a warm lookup
// does not validate the set again. Entries from other stores (copies) are parsed once per read.
const parsed = new WeakMap<object, { readonly issuer: string; readonly keys: readonly IssuerKey[] }>()

/** Remembers the keys of an entry object. @internal */
export function rememberKeys(entry: CacheEntry, issuer: string, keys: readonly IssuerKey[]): void {
  parsed.set(entry, { issuer, keys })
}

/** The entry and its keys if `value` is a valid entry for `issuer`, else `undefined`. @internal */
export function readEntry(value: unknown, issuer: string): { entry: CacheEntry; keys: readonly IssuerKey[] } | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const known = parsed.get(value)
  const e = value as Partial<CacheEntry>
  if (known !== undefined && known.issuer === issuer) return { entry: e as CacheEntry, keys: known.keys }
  if (e.v !== 1 || typeof e.source !== 'string') return undefined
  if (![e.fetchedAt, e.freshUntil, e.staleUntil].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined
  if (!e.source.startsWith(`${issuer}/`)) return undefined
  try {
    const keys = parseKeySet(e.jwks, issuer, e.source)
    parsed.set(value, { issuer, keys })
    return { entry: e as CacheEntry, keys }
  } catch {
    return undefined
  }
}
