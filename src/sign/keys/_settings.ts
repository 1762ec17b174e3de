/**
 * Options of `createKeyResolver`, checked and filled with their defaults.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../../errors.js'
import type { FetchSettings } from './_fetch-key-set.js'
import { createMemoryKeySetStore } from './create-memory-key-set-store.js'
import { KEY_SET_LIMITS } from './limits.js'
import type { KeyResolverOptions } from './create-key-resolver.js'
import type { KeySetFetch, KeySetStore } from './types.js'

/** Resolved settings. @internal */
export interface ResolverSettings extends FetchSettings {
  readonly store: KeySetStore
  readonly storeKeyPrefix: string
  readonly maxStaleMs: number
  readonly unknownKidCooldownMs: number
  readonly failureCooldownMs: number
  readonly allowHttpLoopback: boolean
  readonly now: () => number
}

function duration(name: string, value: number | undefined, fallback: number, positive = false): number {
  const v = value ?? fallback
  // Finite, because the timestamps derived from durations are stored as JSON (Infinity is not JSON).
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (positive && v === 0)) {
    throw new InvalidArgumentError(`${name} must be a finite ${positive ? 'positive' : 'non-negative'} number of milliseconds, got ${String(value)}`)
  }
  return v
}

/** Checks options and fills defaults. @internal */
export function resolverSettings(options: KeyResolverOptions): ResolverSettings {
  const now = options.now ?? Date.now
  if (typeof now !== 'function') throw new InvalidArgumentError('now must be a function')
  const minTtlMs = duration('minTtlMs', options.minTtlMs, KEY_SET_LIMITS.minTtlMs, true)
  const maxTtlMs = duration('maxTtlMs', options.maxTtlMs, KEY_SET_LIMITS.maxTtlMs)
  if (minTtlMs > maxTtlMs) throw new InvalidArgumentError(`minTtlMs (${minTtlMs}) must not exceed maxTtlMs (${maxTtlMs})`)
  const maxBytes = options.maxBytes ?? KEY_SET_LIMITS.maxBytes
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new InvalidArgumentError(`maxBytes must be a positive integer, got ${String(options.maxBytes)}`)
  const timeoutMs = duration('timeoutMs', options.timeoutMs, KEY_SET_LIMITS.timeoutMs, true)
  const fetch: KeySetFetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init))
  if (typeof fetch !== 'function') throw new InvalidArgumentError('fetch must be a function')
  const store = options.store ?? createMemoryKeySetStore({ now })
  if (typeof store.get !== 'function' || typeof store.set !== 'function' || typeof store.delete !== 'function') {
    throw new InvalidArgumentError('store must have get, set and delete methods')
  }
  if (options.userAgent !== undefined && typeof options.userAgent !== 'string') throw new InvalidArgumentError('userAgent must be a string')
  return {
    fetch,
    store,
    storeKeyPrefix: options.storeKeyPrefix ?? 'noai-tag:jwks:',
    timeoutMs,
    maxBytes,
    minTtlMs,
    maxTtlMs,
    defaultTtlMs: duration('defaultTtlMs', options.defaultTtlMs, KEY_SET_LIMITS.defaultTtlMs),
    maxStaleMs: duration('maxStaleMs', options.maxStaleMs, KEY_SET_LIMITS.maxStaleMs),
    unknownKidCooldownMs: duration('unknownKidCooldownMs', options.unknownKidCooldownMs, KEY_SET_LIMITS.unknownKidCooldownMs),
    failureCooldownMs: duration('failureCooldownMs', options.failureCooldownMs, KEY_SET_LIMITS.failureCooldownMs),
    allowHttpLoopback: options.allowHttpLoopback === true,
    userAgent: options.userAgent,
    now,
  }
}
