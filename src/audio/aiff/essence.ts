/**
 * The essence of an AIFF or AIFF-C file (docs/spec.md §10.9.4): the payload of the first `COMM`
 * chunk, then the whole payload of the first `SSND` chunk (its offset and block size fields, and the
 * sample data).
 *
 * @module
 */
import { forEachChunk, readExact, u32be } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { payloadOffset } from '../iff/index.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { readAiffLayout } from './_layout.js'

/**
 * Feeds the AIFF essence to the hasher, in chunks of `AUDIO_LIMITS.ioChunkBytes`. A file without
 * `SSND` is accepted only when `COMM` says it has no sample frames (AIFF 1.3 §"Sound Data Chunk").
 *
 * @throws MalformedAudioError for a damaged file, a missing `COMM`, or a missing `SSND` when there
 *   are sample frames.
 *
 * @example
 * ```ts
 * const h = createSha256(); await aiffEssence(source, h); toHex(h.digest())
 * ```
 */
export async function aiffEssence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  const { signal } = options
  const layout = await readAiffLayout(source, signal)
  const comm = layout.chunks.find((c) => c.id === 'COMM')
  const ssnd = layout.chunks.find((c) => c.id === 'SSND')
  if (!comm) throw new MalformedAudioError('aiff', 'no "COMM" chunk', 12)
  if (!ssnd) {
    const head = comm.size >= 6 ? await readExact(source, payloadOffset(comm), 6, 'aiff', 'COMM chunk', signal) : undefined
    if (!head || u32be(head, 2) !== 0) throw new MalformedAudioError('aiff', 'no "SSND" chunk, and COMM gives sample frames', 12)
  }
  const update = (b: Uint8Array): void => hasher.update(b)
  for (const c of ssnd ? [comm, ssnd] : [comm]) {
    await forEachChunk(source, payloadOffset(c), payloadOffset(c) + c.size, AUDIO_LIMITS.ioChunkBytes, update, { format: 'aiff', signal })
  }
}
