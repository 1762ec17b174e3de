// Names the codec of the first audio track from its sample description (ISO/IEC 14496-12
// §8.5.2 `stsd`; ISO/IEC 14496-1 §7.2.6 ES_Descriptor for `mp4a`). Only `stsd` is read, never the
// sample tables. Internal.
import { ascii, u32be } from '../_read.js'
import { find, payloadOf } from './_box.js'
import type { BoxIO } from './_io.js'
import type { Track } from './_layout.js'
import { MP4_LIMITS } from './limits.js'

/** Sample entry types → codec names (ContainerTags.codec). */
const ENTRY_CODECS: Readonly<Record<string, string>> = {
  alac: 'alac',
  Opus: 'opus',
  fLaC: 'flac',
  'ac-3': 'ac3',
  'ec-3': 'eac3',
  '.mp3': 'mp3',
  lpcm: 'pcm',
  sowt: 'pcm',
  twos: 'pcm',
  ipcm: 'pcm',
  fpcm: 'pcm',
}

/** MPEG-4 objectTypeIndication values (MP4RA "Object Types") of `mp4a` entries. */
const OBJECT_TYPES: Readonly<Record<number, string>> = { 0x40: 'aac', 0x66: 'aac', 0x67: 'aac', 0x68: 'aac', 0x69: 'mp3', 0x6b: 'mp3', 0xa5: 'ac3', 0xa6: 'eac3', 0xad: 'opus', 0xdd: 'vorbis' }

/** The codec of a track, or undefined when its `stsd` is missing or too large to look at. */
export async function trackCodec(io: BoxIO, track: Track): Promise<string | undefined> {
  const stsd = find(track.tables, 'stsd')
  if (!stsd || stsd.end - payloadOf(stsd) > MP4_LIMITS.maxSampleDescriptionBytes) return undefined
  const body = io.peek(payloadOf(stsd), stsd.end - payloadOf(stsd)) ?? (await io.bytes(payloadOf(stsd), stsd.end - payloadOf(stsd), 'stsd box'))
  if (body.byteLength < 16) return undefined
  const entry = ascii(body, 12, 16)
  if (entry !== 'mp4a') return ENTRY_CODECS[entry] ?? entry.trim().toLowerCase()
  const oti = objectType(body.subarray(16, Math.min(body.byteLength, 8 + u32be(body, 8))))
  return oti === undefined ? 'aac' : (OBJECT_TYPES[oti] ?? 'mp4a')
}

/** objectTypeIndication of the DecoderConfigDescriptor in the entry's `esds`, when found. */
function objectType(entry: Uint8Array): number | undefined {
  for (let i = 4; i + 4 <= entry.byteLength; i++) {
    if (ascii(entry, i, i + 4) !== 'esds') continue
    let at = i + 8 // type, version and flags
    if (entry[at] !== 0x03) return undefined
    at = skipLength(entry, at + 1)
    const flags = entry[at + 2] ?? 0
    at += 3 + (flags & 0x80 ? 2 : 0) + (flags & 0x20 ? 2 : 0)
    if (flags & 0x40) at += 1 + (entry[at] ?? 0)
    if (entry[at] !== 0x04) return undefined
    return entry[skipLength(entry, at + 1)]
  }
  return undefined
}

/** Skips an expandable descriptor length (ISO/IEC 14496-1 §8.3.3: up to 4 bytes, high bit = more). */
function skipLength(bytes: Uint8Array, at: number): number {
  for (let n = 0; n < 4 && at < bytes.byteLength; n++) if (!((bytes[at++] ?? 0) & 0x80)) break
  return at
}
