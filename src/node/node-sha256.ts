/**
 * SHA-256 from node:crypto (OpenSSL; several times faster than the portable hash of the core).
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { Hasher } from '../audio/types.js'

/**
 * A fresh node:crypto SHA-256 hasher, for the `createHasher` option of the audio API.
 *
 * @example
 * ```ts
 * import { createNodeSha256 } from 'noai-tag/node'
 * import { audioEssence } from 'noai-tag/audio'
 * await audioEssence(source, { createHasher: createNodeSha256 })
 * ```
 */
export function createNodeSha256(): Hasher {
  const h = createHash('sha256')
  return {
    update(bytes) {
      h.update(bytes)
    },
    digest() {
      const d = h.digest()
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
    },
  }
}
