// The layout of a FLAC file: ID3v2 prefixes, `fLaC`, metadata block headers, start of the audio
// frames (RFC 9639 §8.1). Reads the ID3v2 headers, the block headers and the bodies asked for, in as
// few reads as it can without reading bytes it does not use (unless given a window).
import { ascii, peekExact, readExact, throwIfAborted } from '../_read.js'
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
  /** The body, for the first block of each type asked for in {@link LayoutOptions.bodies}. */
  readonly body?: Uint8Array
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

/** What {@link readFlacLayout} reads besides the block headers, and how. */
export interface LayoutOptions {
  /** Block types whose first block's body is returned (read together with the next block header). */
  readonly bodies?: readonly number[]
  /**
   * Bytes read at least per read (a cached window; 0: only what is needed). Reading a tag keeps it
   * 0, to read few bytes; hashing the essence reads the metadata of most files in one read.
   */
  readonly windowBytes?: number
}

const HEADER = 4
/** The first read: `fLaC`, the STREAMINFO block (header and 34-byte body) and the next block header. */
const FIRST_READ_BYTES = 4 + HEADER + 34 + HEADER

/** Reads through a cache of the last read, so that a body and the block header after it cost one read. */
class HeadReader {
  readonly #source: ByteSource
  readonly #window: number
  readonly #signal: AbortSignal | undefined
  #start = 0
  #bytes: Uint8Array = new Uint8Array(0)

  constructor(source: ByteSource, window: number, signal: AbortSignal | undefined) {
    this.#source = source
    this.#window = window
    this.#signal = signal
  }

  /** Exactly `length` bytes at `offset` (MalformedAudioError naming `what` when the file is shorter). */
  async bytes(offset: number, length: number, what: string, readAhead = 0): Promise<Uint8Array> {
    const from = offset - this.#start
    if (from >= 0 && from + length <= this.#bytes.byteLength) return this.#bytes.subarray(from, from + length)
    throwIfAborted(this.#signal)
    if (offset + length > this.#source.size) return readExact(this.#source, offset, length, 'flac', what, this.#signal)
    const n = Math.min(this.#source.size - offset, Math.max(length + readAhead, this.#window))
    this.#bytes = peekExact(this.#source, offset, n, this.#signal) ?? (await readExact(this.#source, offset, n, 'flac', what, this.#signal))
    this.#start = offset
    return this.#bytes.subarray(0, length)
  }
}

/** Size of an ID3v2 tag starting at `at` (header, body, footer), from its 10-byte header. */
async function id3Size(r: HeadReader, size: number, at: number): Promise<number> {
  const h = parseId3v2Header(await r.bytes(at, 10, 'ID3v2 prefix header'), 0, at, 'flac')!
  if (at + h.totalBytes > size) throw new MalformedAudioError('flac', `ID3v2 prefix (${h.totalBytes} bytes) runs past the end of the file`, at)
  return h.totalBytes
}

async function readPrefixes(r: HeadReader, size: number): Promise<{ offset: number; length: number }[]> {
  const prefixes: { offset: number; length: number }[] = []
  let at = 0
  for (;;) {
    if (at + 10 > size) break
    const magic = await r.bytes(at, 3, 'file start', FIRST_READ_BYTES - 3)
    if (ascii(magic) !== 'ID3') break
    if (prefixes.length === FLAC_LIMITS.maxId3Prefixes) throw new MalformedAudioError('flac', `more than ${FLAC_LIMITS.maxId3Prefixes} ID3v2 tags before fLaC`, at)
    const length = await id3Size(r, size, at)
    prefixes.push({ offset: at, length })
    at += length
  }
  return prefixes
}

/**
 * Walks the metadata block headers. STREAMINFO must come first and be 34 bytes; type 127 is
 * forbidden (RFC 9639 §8.1); every block must end inside the file. Without a window, a file with
 * STREAMINFO, VORBIS_COMMENT and PADDING costs two reads when the VORBIS_COMMENT body is asked for:
 * `fLaC` with STREAMINFO and the next header, then the body with the header after it.
 *
 * @throws MalformedAudioError for a missing `fLaC`, a block running past the end, a bad STREAMINFO.
 */
export async function readFlacLayout(source: ByteSource, signal?: AbortSignal, options: LayoutOptions = {}): Promise<FlacLayout> {
  const r = new HeadReader(source, options.windowBytes ?? 0, signal)
  const wanted = new Set(options.bodies)
  const prefixes = await readPrefixes(r, source.size)
  const lastPrefix = prefixes[prefixes.length - 1]
  const marker = lastPrefix ? lastPrefix.offset + lastPrefix.length : 0
  const magic = await r.bytes(marker, 4, 'fLaC marker', FIRST_READ_BYTES - 4)
  if (ascii(magic) !== 'fLaC') throw new MalformedAudioError('flac', `expected "fLaC", found ${JSON.stringify(ascii(magic))}`, marker)
  const blocks: FlacBlock[] = []
  let at = marker + 4
  for (;;) {
    throwIfAborted(signal)
    if (blocks.length === FLAC_LIMITS.maxBlocks) throw new MalformedAudioError('flac', `more than ${FLAC_LIMITS.maxBlocks} metadata blocks`, at)
    const h = await r.bytes(at, HEADER, 'metadata block header')
    const type = h[0]! & 0x7f
    const last = (h[0]! & 0x80) !== 0
    const length = (h[1]! << 16) | (h[2]! << 8) | h[3]!
    if (type === 127) throw new MalformedAudioError('flac', 'metadata block type 127 is forbidden', at)
    if (blocks.length === 0 && (type !== BLOCK.streamInfo || length !== 34)) {
      throw new MalformedAudioError('flac', `the first metadata block must be a 34-byte STREAMINFO (found type ${type}, ${length} bytes)`, at)
    }
    if (blocks.length > 0 && type === BLOCK.streamInfo) throw new MalformedAudioError('flac', 'a second STREAMINFO block', at)
    if (at + HEADER + length > source.size) throw new MalformedAudioError('flac', `metadata block of type ${type} (${length} bytes) runs past the end of the file`, at)
    let body: Uint8Array | undefined
    if (wanted.delete(type)) body = await r.bytes(at + HEADER, length, `metadata block of type ${type}`, last ? 0 : HEADER)
    blocks.push({ offset: at, type, length, last, ...(body ? { body } : {}) })
    at += HEADER + length
    if (last) break
  }
  return { prefixes, marker, blocks, audioStart: at }
}

/** The 4-byte header of a metadata block. */
export function blockHeader(type: number, length: number, last: boolean): Uint8Array {
  return Uint8Array.of((last ? 0x80 : 0) | type, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff)
}
