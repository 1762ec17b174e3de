// The MP3 essence (docs/spec.md §10.4): the bytes after all leading ID3v2 tags, without a first
// Xing/Info/VBRI header frame (tools rewrite it on remux), up to the trailing tags. Internal.
import { forEachChunk } from '../_read.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { mp3Layout } from './layout.js'

/** Feeds the MP3 essence to the hasher, in chunks of `AUDIO_LIMITS.ioChunkBytes`. */
export async function mp3Essence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  const l = await mp3Layout(source, { parse: false, signal: options.signal })
  await forEachChunk(source, l.essenceStart, l.audioEnd, AUDIO_LIMITS.ioChunkBytes, (b) => hasher.update(b), { format: 'mp3', signal: options.signal })
}
