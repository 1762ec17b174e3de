// The layout of a FLAC file: ID3v2 prefixes, `fLaC`, metadata block headers, start of the audio
// frames. Reads only the 10-byte ID3 headers and the 4-byte block headers (RFC 9639 §8.1).
import { ascii, readExact, throwIfAborted } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { parseId3v2Header } from '../id3v2/index.js'
import type { ByteSource } from '../types.js'
import { FLAC_LIMITS } from './limits.js'

/** Metadata block types (RFC 9639 §8.1, Table 1). */
export const BLOCK = { streamInfo: 0, padding: 1, application: 2, seekTable: 3, vorbisComment: 4, cueSheet: 5, picture: 6 } as const

/** One metadata block: where its 4-byte header is and how long its body is. */
export interface FlacBlock {
  readonly offset: number
  readonly type: number
  readonly length: number
  readonly last: boolean
}

/** The parsed layout. */
export interface FlacLayout {
  /** ID3v2 tags in front of `fLaC`, kept byte for byte. */
  readonly prefixes: readonly { readonly offset: number; readonly length: number }[]
  /** Offset of `fLaC`. */
  readonly marker: number
  readonly blocks: readonly FlacBlock[]
  /** Offset of the first audio frame (the byte after the last metadata block). */
  readonly audioStart: number
}

/** Size of an ID3v2 tag starting at `at` (header, body, footer), from its 10-byte header. */
async function id3Size(source: ByteSource, at: number, signal: AbortSignal | undefined): Promise<number> {
  const h = parseId3v2Header(await readExact(source, at, 10, 'flac', 'ID3v2 prefix header', signal), 0, at, 'flac')!
  if (at + h.totalBytes > source.size) throw new MalformedAudioError('flac', `ID3v2 prefix (${h.totalBytes} bytes) runs past the end of the file`, at)
  return h.totalBytes
}

async function readPrefixes(source: ByteSource, signal: AbortSignal | undefined): Promise<{ offset: number; length: number }[]> {
  const prefixes: { offset: number; length: number }[] = []
  let at = 0
  for (;;) {
    if (at + 10 > source.size) break
    const magic = await readExact(source, at, 3, 'flac', 'file start', signal)
    if (ascii(magic) !== 'ID3') break
    if (prefixes.length === FLAC_LIMITS.maxId3Prefixes) throw new MalformedAudioError('flac', `more than ${FLAC_LIMITS.maxId3Prefixes} ID3v2 tags before fLaC`, at)
    const length = await id3Size(source, at, signal)
    prefixes.push({ offset: at, length })
    at += length
  }
  return prefixes
}

/**
 * Walks the metadata block headers. STREAMINFO must come first and be 34 bytes; type 127 is
 * forbidden (RFC 9639 §8.1); every block must end inside the file.
 *
 * @throws MalformedAudioError for a missing `fLaC`, a block running past the end, a bad STREAMINFO.
 */
export async function readFlacLayout(source: ByteSource, signal?: AbortSignal): Promise<FlacLayout> {
  const prefixes = await readPrefixes(source, signal)
  const lastPrefix = prefixes[prefixes.length - 1]
  const marker = lastPrefix ? lastPrefix.offset + lastPrefix.length : 0
  const magic = await readExact(source, marker, 4, 'flac', 'fLaC marker', signal)
  if (ascii(magic) !== 'fLaC') throw new MalformedAudioError('flac', `expected "fLaC", found ${JSON.stringify(ascii(magic))}`, marker)
  const blocks: FlacBlock[] = []
  let at = marker + 4
  for (;;) {
    throwIfAborted(signal)
    if (blocks.length === FLAC_LIMITS.maxBlocks) throw new MalformedAudioError('flac', `more than ${FLAC_LIMITS.maxBlocks} metadata blocks`, at)
    const h = await readExact(source, at, 4, 'flac', 'metadata block header', signal)
    const type = h[0]! & 0x7f
    const last = (h[0]! & 0x80) !== 0
    const length = (h[1]! << 16) | (h[2]! << 8) | h[3]!
    if (type === 127) throw new MalformedAudioError('flac', 'metadata block type 127 is forbidden', at)
    if (blocks.length === 0 && (type !== BLOCK.streamInfo || length !== 34)) {
      throw new MalformedAudioError('flac', `the first metadata block must be a 34-byte STREAMINFO (found type ${type}, ${length} bytes)`, at)
    }
    if (blocks.length > 0 && type === BLOCK.streamInfo) throw new MalformedAudioError('flac', 'a second STREAMINFO block', at)
    if (at + 4 + length > source.size) throw new MalformedAudioError('flac', `metadata block of type ${type} (${length} bytes) runs past the end of the file`, at)
    blocks.push({ offset: at, type, length, last })
    at += 4 + length
    if (last) break
  }
  return { prefixes, marker, blocks, audioStart: at }
}

/** The 4-byte header of a metadata block. */
export function blockHeader(type: number, length: number, last: boolean): Uint8Array {
  return Uint8Array.of((last ? 0x80 : 0) | type, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff)
}
