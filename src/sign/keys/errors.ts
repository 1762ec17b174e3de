/**
 * The error of key discovery: a key set that is not a valid NoAI Tag key set, or a cache store
 * that failed (docs/spec.md §14.2).
 *
 * @module
 */
import { NoaiTagError } from '../../errors.js'

/**
 * A key set is invalid (thrown by `parseKeySet`), or the resolver's cache store failed.
 * A resolver never throws this for a bad response from an issuer: it returns a `KeyLookupResult`
 * with `failure: 'key-set-invalid'` instead.
 *
 * @example
 * ```ts
 * try { parseKeySet(json, 'https://example.com', 'options.keys') }
 * catch (e) { if (e instanceof KeyResolutionError) console.error(e.code, e.message) } // ERR_NOAI_KEY_RESOLUTION
 * ```
 */
export class KeyResolutionError extends NoaiTagError {
  override name = 'KeyResolutionError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NOAI_KEY_RESOLUTION', message, options)
  }
}
