/**
 * The error thrown when a signature cannot be made.
 *
 * @module
 */
import { NoaiTagError } from '../errors.js'

/**
 * Signing failed: Web Crypto refused the key, or an external signer failed or returned something
 * other than a raw 64-byte signature. The original error, if any, is the `cause`.
 *
 * @example
 * ```ts
 * import { signTag, SigningError } from 'noai-tag/sign'
 * try { await signTag(tag, kmsSigner, { kid: 'k1' }) }
 * catch (e) { if (e instanceof SigningError) console.error(e.code, e.message, e.cause) }
 * ```
 */
export class SigningError extends NoaiTagError {
  override name = 'SigningError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NOAI_SIGNING_FAILED', message, options)
  }
}
