/**
 * The essence of a WAV file (docs/spec.md §10.8.4): the payload of the first `fmt ` chunk, then
 * the payload of the first `data` chunk (for RF64 and BW64, of the size `ds64` gives).
 *
 * @module
 */
import { forEachChunk } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { payloadOffset } from '../iff/index.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { readWavLayout } from './_layout.js'

/**
 * Feeds the WAV essence to the hasher, in chunks of `AUDIO_LIMITS.ioChunkBytes`.
 *
 * @throws MalformedAudioError for a damaged file, or one without a `fmt ` or `data` chunk.
 *
 * @example
 * ```ts
 * const h = createSha256(); await wavEssence(source, h); toHex(h.digest())
 * ```
 */
export async function wavEssence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  const { signal } = options
  const layout = await readWavLayout(source, signal)
  const fmt = layout.chunks.find((c) => c.id === 'fmt ')
  const data = layout.chunks.find((c) => c.id === 'data')
  if (!fmt) throw new MalformedAudioError('wav', 'no "fmt " chunk', layout.bodyStart)
  if (!data) throw new MalformedAudioError('wav', 'no "data" chunk', layout.bodyStart)
  const update = (b: Uint8Array): void => hasher.update(b)
  for (const c of [fmt, data]) {
    await forEachChunk(source, payloadOffset(c), payloadOffset(c) + c.size, AUDIO_LIMITS.ioChunkBytes, update, { format: 'wav', signal })
  }
}
