/**
 * The essence of a FLAC file (docs/spec.md §10.5): the 34-byte STREAMINFO body, then every byte
 * from the first audio frame to the end of the file, minus a trailing APEv2 tag and ID3v1 tag.
 *
 * Ref: RFC 9639 §8.2, §9 ; docs/spec.md §10.5.
 *
 * @module
 */
import { ascii, readExact, throwIfAborted, u32le } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { BLOCK, readFlacLayout } from './_layout.js'

const ID3V1_BYTES = 128
const APE_FOOTER_BYTES = 32
const APE_HAS_HEADER = 0x8000_0000
/** The first read of the essence: the metadata blocks of most files (a large PICTURE costs more reads). */
const HEAD_WINDOW_BYTES = 64 * 1024

const noop = (): void => undefined

/**
 * End of the audio frames: the file size minus a trailing ID3v1 tag (`TAG`, 128 bytes) and an APEv2
 * tag before it (footer `APETAGEX`; its size field counts the items and the footer, plus a 32-byte
 * header when flag bit 31 says there is one). Tools that tag FLAC badly add these. One read of the
 * last 160 bytes (fewer when the audio is shorter) holds both places.
 */
export async function flacAudioEnd(source: ByteSource, audioStart: number, signal?: AbortSignal): Promise<number> {
  const size = source.size
  const tailBytes = Math.min(size - audioStart, ID3V1_BYTES + APE_FOOTER_BYTES)
  if (tailBytes < APE_FOOTER_BYTES) return size
  const tail = await readExact(source, size - tailBytes, tailBytes, 'flac', 'trailing ID3v1/APEv2 probe', signal)
  const at = (offset: number): number => offset - (size - tailBytes)
  let end = size
  if (tailBytes >= ID3V1_BYTES && ascii(tail, at(end - ID3V1_BYTES), at(end - ID3V1_BYTES) + 3) === 'TAG') end -= ID3V1_BYTES
  if (end - audioStart >= APE_FOOTER_BYTES) {
    const footer = at(end - APE_FOOTER_BYTES)
    if (ascii(tail, footer, footer + 8) === 'APETAGEX') {
      const length = u32le(tail, footer + 12) + ((u32le(tail, footer + 20) & APE_HAS_HEADER) !== 0 ? APE_FOOTER_BYTES : 0)
      if (length < APE_FOOTER_BYTES || length > end - audioStart) throw new MalformedAudioError('flac', `trailing APEv2 tag size ${length} does not fit after the audio`, end - APE_FOOTER_BYTES)
      end -= length
    }
  }
  return end
}

/**
 * Hashes the frames `[start, end)` in windows of AUDIO_LIMITS.ioChunkBytes, the next window being
 * read while the current one is hashed; the first bytes must be a frame sync code (`0xFFF8` or
 * `0xFFF9`, RFC 9639 §9.1).
 */
async function hashFrames(source: ByteSource, start: number, end: number, hasher: Hasher, signal: AbortSignal | undefined): Promise<void> {
  const read = (at: number): Promise<Uint8Array> => {
    throwIfAborted(signal)
    const p = readExact(source, at, Math.min(AUDIO_LIMITS.ioChunkBytes, end - at), 'flac', 'audio frames', signal)
    p.catch(noop) // awaited below; never an unhandled rejection
    return p
  }
  let pending = start < end ? read(start) : undefined
  try {
    for (let at = start; pending !== undefined; ) {
      const bytes = await pending
      pending = undefined
      if (at === start && (bytes[0] !== 0xff || bytes.byteLength < 2 || (bytes[1]! & 0xfe) !== 0xf8)) {
        throw new MalformedAudioError('flac', 'no frame sync code after the last metadata block', start)
      }
      at += bytes.byteLength
      if (at < end) pending = read(at)
      hasher.update(bytes)
    }
  } finally {
    if (pending) await pending.catch(noop)
  }
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
  const layout = await readFlacLayout(source, signal, { bodies: [BLOCK.streamInfo], windowBytes: HEAD_WINDOW_BYTES })
  const end = await flacAudioEnd(source, layout.audioStart, signal)
  hasher.update(layout.blocks[0]!.body!)
  await hashFrames(source, layout.audioStart, end, hasher, signal)
}
