/**
 * The essence digest of an audio file on disk (docs/spec.md §4.3.1, §10), hashed with node:crypto.
 *
 * @module
 */
import { audioEssence } from '../audio/audio-essence.js'
import type { AudioReadOptions } from '../audio/read-audio-tag.js'
import type { EssenceDigest } from '../model/tag.js'
import { fileSourceForHashing } from './file-source.js'
import { createNodeSha256 } from './node-sha256.js'
import { wrapIo } from './_io.js'

/**
 * Computes the essence digest of a file, streaming it in bounded chunks.
 *
 * @example
 * ```ts
 * import { audioFileEssence } from 'noai-tag/node'
 * const digest = await audioFileEssence('song.flac') // { format: 'flac', sha256: '…' }
 * ```
 */
export async function audioFileEssence(path: string, options: AudioReadOptions = {}): Promise<EssenceDigest> {
  // The hash is node:crypto's, which has taken the bytes when update() returns: the reads of the
  // audio may reuse their buffers.
  const source = await fileSourceForHashing(path)
  try {
    return await wrapIo(path, () => audioEssence(source, { ...options, createHasher: createNodeSha256 }))
  } finally {
    await source.close()
  }
}
