// Tags at the end of an MP3 file, peeled off from the end to find where the audio stops
// (docs/spec.md §10.4): ID3v1 (`TAG`, 128 bytes, with an optional enhanced `TAG+` block of 227
// bytes before it), APEv2 (32-byte `APETAGEX` footer, optional header), Lyrics3v2 (`LYRICS200`
// after a 6-digit size) and an appended ID3v2 tag with a v2.4 `3DI` footer. Internal.
import { MalformedAudioError } from '../errors.js'
import { ascii, peekExact, readExact, u32le } from '../_read.js'
import { parseId3v2Footer } from '../id3v2/index.js'
import type { ByteSource } from '../types.js'
import { MP3_LIMITS } from './limits.js'

/** One trailing tag. */
export interface TrailingTag {
  readonly kind: 'id3v1' | 'id3v1-enhanced' | 'apev2' | 'lyrics3v2' | 'id3v2-appended'
  readonly offset: number
  readonly length: number
}

const PROBE = 256
const ID3V1 = 128
const ID3V1_ENHANCED = 227
const APE_FOOTER = 32
const APE_HAS_HEADER = 0x80000000
const LYRICS_TRAILER = 15 // 6-digit size + 'LYRICS200'

async function peel(source: ByteSource, start: number, end: number, signal: AbortSignal | undefined): Promise<TrailingTag | undefined> {
  const from = Math.max(start, end - PROBE)
  const b = peekExact(source, from, end - from, signal) ?? (await readExact(source, from, end - from, 'mp3', 'trailing tag probe', signal))
  const at = (n: number): number => b.length - n // index of end - n in the probe
  if (b.length >= ID3V1 && ascii(b, at(ID3V1), at(ID3V1) + 3) === 'TAG') {
    if (b.length >= ID3V1 + ID3V1_ENHANCED && ascii(b, at(ID3V1 + ID3V1_ENHANCED), at(ID3V1 + ID3V1_ENHANCED) + 4) === 'TAG+') {
      return { kind: 'id3v1-enhanced', offset: end - ID3V1 - ID3V1_ENHANCED, length: ID3V1 + ID3V1_ENHANCED }
    }
    return { kind: 'id3v1', offset: end - ID3V1, length: ID3V1 }
  }
  if (b.length >= APE_FOOTER && ascii(b, at(APE_FOOTER), at(APE_FOOTER) + 8) === 'APETAGEX') {
    const size = u32le(b, at(APE_FOOTER) + 12)
    const flags = u32le(b, at(APE_FOOTER) + 20)
    const length = size + ((flags & APE_HAS_HEADER) >>> 0 !== 0 ? APE_FOOTER : 0)
    if (size < APE_FOOTER || end - length < start) throw new MalformedAudioError('mp3', `APEv2 tag size ${size} does not fit the file`, end - APE_FOOTER)
    return { kind: 'apev2', offset: end - length, length }
  }
  if (b.length >= LYRICS_TRAILER && ascii(b, at(9), b.length) === 'LYRICS200') {
    const digits = ascii(b, at(LYRICS_TRAILER), at(9))
    if (!/^\d{6}$/.test(digits)) throw new MalformedAudioError('mp3', 'Lyrics3v2 size is not 6 digits', end - LYRICS_TRAILER)
    const length = Number(digits) + LYRICS_TRAILER
    if (end - length < start) throw new MalformedAudioError('mp3', `Lyrics3v2 size ${digits} does not fit the file`, end - LYRICS_TRAILER)
    const begin = peekExact(source, end - length, 11, signal) ?? (await readExact(source, end - length, 11, 'mp3', 'Lyrics3v2 start', signal))
    if (ascii(begin) !== 'LYRICSBEGIN') throw new MalformedAudioError('mp3', 'Lyrics3v2 tag does not start with LYRICSBEGIN', end - length)
    return { kind: 'lyrics3v2', offset: end - length, length }
  }
  const footer = b.length >= 10 ? parseId3v2Footer(b, at(10), end - 10, 'mp3') : undefined
  if (footer) {
    if (end - footer.totalBytes < start) throw new MalformedAudioError('mp3', `appended ID3v2 tag of ${footer.totalBytes} bytes does not fit the file`, end - 10)
    const head = peekExact(source, end - footer.totalBytes, 3, signal) ?? (await readExact(source, end - footer.totalBytes, 3, 'mp3', 'appended ID3v2 header', signal))
    if (ascii(head) !== 'ID3') throw new MalformedAudioError('mp3', 'ID3v2 footer without a matching header', end - footer.totalBytes)
    return { kind: 'id3v2-appended', offset: end - footer.totalBytes, length: footer.totalBytes }
  }
  return undefined
}

/**
 * Peels trailing tags off the end of the file, never going below `start` (the end of the leading
 * tags). Returns them last first, and where the audio ends.
 *
 * @throws MalformedAudioError when a trailing tag's size points outside the file; LimitExceeded
 *   semantics are by count: more than `MP3_LIMITS.maxTrailingTags` tags stop the peeling.
 */
export async function findTrailers(source: ByteSource, start: number, signal?: AbortSignal): Promise<{ end: number; trailers: TrailingTag[] }> {
  const trailers: TrailingTag[] = []
  let end = source.size
  while (end > start && trailers.length < MP3_LIMITS.maxTrailingTags) {
    const t = await peel(source, start, end, signal)
    if (!t) break
    trailers.push(t)
    end = t.offset
  }
  return { end, trailers }
}
