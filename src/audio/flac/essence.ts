/**
 * The essence of a FLAC file (docs/spec.md §10.5): the 34-byte STREAMINFO body, then every byte
 * from the first audio frame to the end of the file, minus a trailing APEv2 tag and ID3v1 tag.
 *
 * Ref: RFC 9639 §8.2, §9 ; docs/spec.md §10.5.
 *
 * @module
 */
import { ascii, forEachChunk, readExact, u32le } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { readFlacLayout } from './_layout.js'

const ID3V1_BYTES = 128
const APE_FOOTER_BYTES = 32
const APE_HAS_HEADER = 0x8000_0000

/**
 * End of the audio frames: the file size minus a trailing ID3v1 tag (`TAG`, 128 bytes) and an APEv2
 * tag before it (footer `APETAGEX`; its size field counts the items and the footer, plus a 32-byte
 * header when flag bit 31 says there is one). Tools that tag FLAC badly add these.
 */
export async function flacAudioEnd(source: ByteSource, audioStart: number, signal?: AbortSignal): Promise<number> {
  let end = source.size
  if (end - audioStart >= ID3V1_BYTES) {
    const tag = await readExact(source, end - ID3V1_BYTES, 3, 'flac', 'trailing ID3v1 probe', signal)
    if (ascii(tag) === 'TAG') end -= ID3V1_BYTES
  }
  if (end - audioStart >= APE_FOOTER_BYTES) {
    const footer = await readExact(source, end - APE_FOOTER_BYTES, APE_FOOTER_BYTES, 'flac', 'trailing APEv2 probe', signal)
    if (ascii(footer, 0, 8) === 'APETAGEX') {
      const size = u32le(footer, 12) + ((u32le(footer, 20) & APE_HAS_HEADER) !== 0 ? APE_FOOTER_BYTES : 0)
      if (size < APE_FOOTER_BYTES || size > end - audioStart) throw new MalformedAudioError('flac', `trailing APEv2 tag size ${size} does not fit after the audio`, end - APE_FOOTER_BYTES)
      end -= size
    }
  }
  return end
}

/**
 * Feeds the FLAC essence to the hasher, in chunks of AUDIO_LIMITS.ioChunkBytes.
 *
 * @throws MalformedAudioError for a damaged file or when the bytes after the metadata blocks are
 * not a FLAC frame (sync code `0xFFF8`/`0xFFF9`, RFC 9639 §9.1).
 * @example
 * ```ts
 * const h = createSha256(); await flacEssence(source, h); toHex(h.digest())
 * ```
 */
export async function flacEssence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  const { signal } = options
  const layout = await readFlacLayout(source, signal)
  const streamInfo = layout.blocks[0]!
  const end = await flacAudioEnd(source, layout.audioStart, signal)
  if (end > layout.audioStart) {
    const sync = await readExact(source, layout.audioStart, Math.min(2, end - layout.audioStart), 'flac', 'first frame header', signal)
    if (sync[0] !== 0xff || sync.byteLength < 2 || (sync[1]! & 0xfe) !== 0xf8) {
      throw new MalformedAudioError('flac', 'no frame sync code after the last metadata block', layout.audioStart)
    }
  }
  hasher.update(await readExact(source, streamInfo.offset + 4, 34, 'flac', 'STREAMINFO', signal))
  await forEachChunk(source, layout.audioStart, end, AUDIO_LIMITS.ioChunkBytes, (b) => hasher.update(b), { format: 'flac', signal })
}
