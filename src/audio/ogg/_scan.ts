// A sequential, allocation-free Ogg page scanner for hashing (RFC 3533 §6): reads the file in
// windows of AUDIO_LIMITS.ioChunkBytes, the next window always in flight while the current one is
// used, and exposes the current page's fields as numbers and its bytes as indexes into `view`.
// A page that straddles two windows is assembled in a small buffer (a page is at most
// 27 + 255 + 255 × 255 bytes, less than one window), so every byte of the file is read once.
import { readExact, throwIfAborted } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource } from '../types.js'
import { oggCrc } from './_crc.js'
import { OGG_LIMITS } from './limits.js'

/** The fixed part of a page header (RFC 3533 §6). */
export const PAGE_HEADER_BYTES = 27
/** The largest page: header, 255 lacing values, 255 × 255 body bytes. */
const MAX_PAGE_BYTES = PAGE_HEADER_BYTES + OGG_LIMITS.maxSegmentsPerPage + OGG_LIMITS.maxPageBodyBytes
const CRC_FIELD = 22
const ZERO_CRC = /* @__PURE__ */ new Uint8Array(4)

const u32At = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0

const noop = (): void => undefined

/** Reads pages in file order from an offset; `next()` moves to the next page. */
export class PageScanner {
  /** The buffer holding the whole current page (a read window, or the straddle buffer). */
  view: Uint8Array = new Uint8Array(0)
  /** Index of the current page's first byte in `view`. */
  at = 0
  /** File offset of the current page. */
  offset = 0
  headerType = 0
  serial = 0
  seq = 0
  /** Number of lacing values; they are `view[at + 27 …]`. */
  segments = 0
  /** Index of the body in `view`. */
  bodyStart = 0
  bodyLength = 0

  readonly #source: ByteSource
  readonly #signal: AbortSignal | undefined
  readonly #window: number
  /** File offset of the page after the current one. */
  #pos: number
  #chunk: Uint8Array = new Uint8Array(0)
  #chunkStart: number
  #ahead: Promise<Uint8Array> | undefined
  #straddle: Uint8Array | undefined
  /** Bytes of the page at `#pos` held in the straddle buffer (0: none). */
  #held = 0

  constructor(source: ByteSource, from: number, signal: AbortSignal | undefined) {
    this.#source = source
    this.#signal = signal
    this.#window = Math.max(AUDIO_LIMITS.ioChunkBytes, MAX_PAGE_BYTES)
    this.#pos = from
    this.#chunkStart = from
  }

  /** File offset right after the current page (the end of what has been walked). */
  get end(): number {
    return this.#pos
  }

  /**
   * Moves to the next page; false at the end of the file.
   *
   * @throws MalformedAudioError for a page without `OggS`, a version other than 0, or a file that
   *   ends inside a page.
   */
  async next(): Promise<boolean> {
    const offset = this.#pos
    if (offset >= this.#source.size) return false
    this.#held = 0
    await this.#need(PAGE_HEADER_BYTES, 'Ogg page header')
    let v = this.view
    let at = this.at
    if (v[at] !== 0x4f || v[at + 1] !== 0x67 || v[at + 2] !== 0x67 || v[at + 3] !== 0x53) throw new MalformedAudioError('ogg', 'expected an Ogg page ("OggS")', offset)
    if (v[at + 4] !== 0) throw new MalformedAudioError('ogg', `unknown Ogg page version ${v[at + 4]}`, offset + 4)
    const segments = v[at + 26]!
    await this.#need(PAGE_HEADER_BYTES + segments, 'Ogg lacing values')
    v = this.view
    at = this.at
    const lacing = at + PAGE_HEADER_BYTES
    let bodyLength = 0
    for (let i = 0; i < segments; i++) bodyLength += v[lacing + i]!
    await this.#need(PAGE_HEADER_BYTES + segments + bodyLength, 'Ogg page body')
    v = this.view
    at = this.at
    this.offset = offset
    this.headerType = v[at + 5]!
    this.serial = u32At(v, at + 14)
    this.seq = u32At(v, at + 18)
    this.segments = segments
    this.bodyStart = at + PAGE_HEADER_BYTES + segments
    this.bodyLength = bodyLength
    this.#pos = offset + PAGE_HEADER_BYTES + segments + bodyLength
    return true
  }

  /** The current page's body (a view: valid until the next call to `next()`). */
  body(): Uint8Array {
    return this.view.subarray(this.bodyStart, this.bodyStart + this.bodyLength)
  }

  /** The low or high 32 bits of the current page's granule position. */
  granule(high: boolean): number {
    return u32At(this.view, this.at + (high ? 10 : 6))
  }

  /** Whether the current page's stored CRC is the CRC of its bytes (CRC field taken as zero). */
  crcOk(): boolean {
    const v = this.view
    const at = this.at
    const end = this.bodyStart + this.bodyLength
    let crc = oggCrc(v.subarray(at, at + CRC_FIELD))
    crc = oggCrc(ZERO_CRC, crc)
    crc = oggCrc(v.subarray(at + CRC_FIELD + 4, end), crc)
    return crc === u32At(v, at + CRC_FIELD)
  }

  /** Waits for a read still in flight (call when done, so that no read outlives the caller). */
  async close(): Promise<void> {
    const ahead = this.#ahead
    this.#ahead = undefined
    if (ahead) await ahead.catch(noop)
  }

  /** Makes the `n` bytes from the start of the page at `#pos` contiguous in `view` from `at`. */
  async #need(n: number, what: string): Promise<void> {
    const pos = this.#pos
    if (pos + n > this.#source.size) throw new MalformedAudioError('ogg', `${what} runs past the end of the file (truncated)`, pos)
    if (n <= this.#held) return
    if (this.#held > 0) {
      // The page straddles the previous window and the current one, which starts `before` bytes
      // into the page: copy what is still missing.
      const before = this.#chunkStart - pos
      this.#straddle!.set(this.#chunk.subarray(this.#held - before, n - before), this.#held)
      this.#held = n
      return
    }
    while (pos >= this.#chunkStart + this.#chunk.byteLength) await this.#advance()
    const i = pos - this.#chunkStart
    if (i + n <= this.#chunk.byteLength) {
      this.view = this.#chunk
      this.at = i
      return
    }
    const straddle = (this.#straddle ??= new Uint8Array(MAX_PAGE_BYTES))
    const tail = this.#chunk.byteLength - i
    straddle.set(this.#chunk.subarray(i), 0)
    await this.#advance()
    straddle.set(this.#chunk.subarray(0, n - tail), tail)
    this.#held = n
    this.view = straddle
    this.at = 0
  }

  /** Moves to the next window (already in flight, or read now) and starts reading the one after. */
  async #advance(): Promise<void> {
    throwIfAborted(this.#signal)
    const start = this.#chunkStart + this.#chunk.byteLength
    const chunk = await (this.#ahead ?? this.#read(start))
    this.#ahead = undefined
    this.#chunk = chunk
    this.#chunkStart = start
    const following = start + chunk.byteLength
    if (following < this.#source.size) {
      const ahead = this.#read(following)
      ahead.catch(noop) // awaited by the next #advance() or close(); never an unhandled rejection
      this.#ahead = ahead
    }
  }

  #read(start: number): Promise<Uint8Array> {
    return readExact(this.#source, start, Math.min(this.#window, this.#source.size - start), 'ogg', 'Ogg pages', this.#signal)
  }
}
