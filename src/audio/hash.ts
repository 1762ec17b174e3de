/**
 * The incremental SHA-256 of the core: @noble/hashes (audited, no dependencies), because Web
 * Crypto cannot hash incrementally. noai-tag/node passes a node:crypto hasher instead.
 *
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js'
import type { Hasher } from './types.js'

/**
 * A fresh SHA-256 hasher from @noble/hashes.
 *
 * @example
 * ```ts
 * const h = createSha256(); h.update(bytes); const digest = h.digest()
 * ```
 */
export function createSha256(): Hasher {
  const h = sha256.create()
  return {
    update(bytes) {
      h.update(bytes)
    },
    digest() {
      return h.digest()
    },
  }
}
