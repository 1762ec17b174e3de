/**
 * Response headers for serving a key set (docs/spec.md §14.7).
 *
 * @module
 */
import { MEDIA_TYPES } from '../../constants.js'
import { InvalidArgumentError } from '../../errors.js'
import { KEY_SET_LIMITS } from './limits.js'

/** Options of {@link keySetHeaders}. */
export interface KeySetHeadersOptions {
  /**
   * `Cache-Control: max-age`, in seconds. Keep it short enough that a revocation spreads in time
   * (verifiers clamp it to their own bounds, 60 s to 24 h by default).
   * @defaultValue 600
   */
  readonly maxAgeSeconds?: number
  /**
   * Add `Access-Control-Allow-Origin: *` so that verifiers in browsers can fetch the set.
   * @defaultValue true
   */
  readonly cors?: boolean
}

/**
 * The headers to serve a key set document with: `Content-Type: application/jwk-set+json`,
 * `Cache-Control: public, max-age=600`, `Access-Control-Allow-Origin: *` and
 * `X-Content-Type-Options: nosniff`.
 *
 * @example
 * ```ts
 * new Response(JSON.stringify(keySetDocument(keys)), { headers: keySetHeaders({ maxAgeSeconds: 300 }) })
 * ```
 */
export function keySetHeaders(options: KeySetHeadersOptions = {}): Record<string, string> {
  const maxAge = options.maxAgeSeconds ?? KEY_SET_LIMITS.servedMaxAgeSeconds
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) throw new InvalidArgumentError(`maxAgeSeconds must be a non-negative integer, got ${String(maxAge)}`)
  const headers: Record<string, string> = {
    'Content-Type': MEDIA_TYPES.keySet,
    'Cache-Control': `public, max-age=${maxAge}`,
    'X-Content-Type-Options': 'nosniff',
  }
  if (options.cors !== false) headers['Access-Control-Allow-Origin'] = '*'
  return headers
}
