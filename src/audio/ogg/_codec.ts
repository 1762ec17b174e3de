// Identification of a logical stream by its first packet, and the comment header packet of
// Vorbis (`\x03vorbis` … framing byte, Vorbis I §5) and Opus (`OpusTags` …, RFC 7845 §5.2).
import { ascii } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { parseVorbisComment, serializeVorbisComment } from '../vorbis-comment/index.js'
import type { VorbisComment } from '../vorbis-comment/index.js'

/** What a logical stream carries, from the start of its first packet. */
export type StreamKind = 'vorbis' | 'opus' | 'c2pa' | 'skeleton' | 'flac' | 'speex' | 'theora' | 'unknown'

const MAGIC: readonly (readonly [StreamKind, string])[] = [
  ['vorbis', '\x01vorbis'],
  ['opus', 'OpusHead'],
  // A C2PA manifest store lives in its own logical stream whose first packet starts `\0c2pa`
  // (C2PA 2.3 §A.3.5 as cited by c2pa-rs ogg_io.rs).
  ['c2pa', '\x00c2pa'],
  ['skeleton', 'fishead\x00'],
  ['flac', '\x7fFLAC'],
  ['speex', 'Speex   '],
  ['theora', '\x80theora'],
]

/** The kind of a stream whose first packet starts with `bytes`. */
export function identify(bytes: Uint8Array): StreamKind {
  for (const [kind, magic] of MAGIC) if (ascii(bytes, 0, magic.length) === magic) return kind
  return 'unknown'
}

/** The codecs whose comment header this module reads and writes. */
export type AudioCodec = 'vorbis' | 'opus'

export const isAudio = (k: StreamKind): k is AudioCodec => k === 'vorbis' || k === 'opus'

/** Number of header packets (identification, comment, and for Vorbis setup). */
export const HEADER_PACKETS: Readonly<Record<AudioCodec, number>> = { vorbis: 3, opus: 2 }

const COMMENT_MAGIC: Readonly<Record<AudioCodec, string>> = { vorbis: '\x03vorbis', opus: 'OpusTags' }

/**
 * The comment list of a comment header packet. For Vorbis the bytes after the list must start with
 * a byte whose low bit (the framing bit) is set; they are kept as the list's tail, as are the
 * bytes after an Opus list.
 */
export function parseCommentPacket(codec: AudioCodec, packet: Uint8Array, offset: number): VorbisComment {
  const magic = COMMENT_MAGIC[codec]
  if (ascii(packet, 0, magic.length) !== magic) throw new MalformedAudioError('ogg', `the second ${codec} packet is not a comment header`, offset)
  const vc = parseVorbisComment(packet.subarray(magic.length), { format: 'ogg', offset: offset + magic.length })
  if (codec === 'vorbis' && (vc.tail.byteLength === 0 || (vc.tail[0]! & 1) === 0)) {
    throw new MalformedAudioError('ogg', 'Vorbis comment header lacks its framing bit', offset + packet.byteLength - vc.tail.byteLength)
  }
  return vc
}

/** The comment header packet for a list (its tail carries the Vorbis framing byte or Opus data). */
export function commentPacket(codec: AudioCodec, vc: VorbisComment): Uint8Array {
  const magic = COMMENT_MAGIC[codec]
  const list = serializeVorbisComment(vc)
  const out = new Uint8Array(magic.length + list.byteLength)
  for (let i = 0; i < magic.length; i++) out[i] = magic.charCodeAt(i)
  out.set(list, magic.length)
  return out
}

/** Checks that a Vorbis setup header starts `\x05vorbis` (Vorbis I §4.2.4). */
export function checkSetupPacket(packet: Uint8Array, offset: number): void {
  if (ascii(packet, 0, 7) !== '\x05vorbis') throw new MalformedAudioError('ogg', 'the third Vorbis packet is not a setup header', offset)
}
