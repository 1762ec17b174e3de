// Ogg pages (RFC 3533 §6): the 27-byte header, lacing values, body; reading them in order with a
// read-ahead window, and building new ones.
import { ascii, peekExact, readExact, throwIfAborted, u32le } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import type { ByteSource } from '../types.js'
import { oggCrc, pageCrc } from './_crc.js'

export const FLAG = { continued: 0x01, bos: 0x02, eos: 0x04 } as const
const FIXED = 27

/** A page header as read: where the page is, its fields, and its header bytes (for the CRC). */
export interface PageHeader {
  readonly offset: number
  readonly headerType: number
  readonly serial: number
  readonly seq: number
  readonly crc: number
  /** The granule position's 8 bytes as stored (little-endian; all 0xFF is −1, "no packet ends here"). */
  readonly granule: Uint8Array
  readonly lacing: Uint8Array
  /** The header bytes: 27 fixed bytes and the lacing values. */
  readonly raw: Uint8Array
  readonly bodyLength: number
}

/** Offset of the body of a page. */
export const bodyOffset = (h: PageHeader): number => h.offset + h.raw.byteLength

/** Sequential reader with a read-ahead window; the views it returns stay valid. */
export class PageReader {
  pos: number
  readonly #source: ByteSource
  readonly #window: number
  readonly #signal: AbortSignal | undefined
  #buf: Uint8Array = new Uint8Array(0)
  #bufStart = 0

  constructor(source: ByteSource, options: { readonly at?: number; readonly window: number; readonly signal?: AbortSignal | undefined }) {
    this.#source = source
    this.pos = options.at ?? 0
    this.#window = options.window
    this.#signal = options.signal
  }

  get atEnd(): boolean {
    return this.pos >= this.#source.size
  }

  /** The next `n` bytes; throws MalformedAudioError when the file ends first. */
  async bytes(n: number, what: string): Promise<Uint8Array> {
    const { pos } = this
    if (pos + n > this.#source.size) throw new MalformedAudioError('ogg', `${what} (${n} bytes) runs past the end of the file (truncated)`, pos)
    if (pos < this.#bufStart || pos + n > this.#bufStart + this.#buf.byteLength) {
      throwIfAborted(this.#signal)
      const len = Math.min(this.#source.size - pos, Math.max(n, this.#window))
      this.#buf = peekExact(this.#source, pos, len, this.#signal) ?? (await readExact(this.#source, pos, len, 'ogg', what, this.#signal))
      this.#bufStart = pos
    }
    this.pos += n
    return this.#buf.subarray(pos - this.#bufStart, pos - this.#bufStart + n)
  }

  /** Skips `n` bytes; throws when the file ends first. */
  skip(n: number, what: string): void {
    if (this.pos + n > this.#source.size) throw new MalformedAudioError('ogg', `${what} (${n} bytes) runs past the end of the file (truncated)`, this.pos)
    this.pos += n
  }

  /** The next page's header, or `undefined` at the end of the file. The reader then stands at the body. */
  async header(): Promise<PageHeader | undefined> {
    if (this.atEnd) return undefined
    const offset = this.pos
    const fixed = await this.bytes(FIXED, 'Ogg page header')
    if (ascii(fixed, 0, 4) !== 'OggS') throw new MalformedAudioError('ogg', 'expected an Ogg page ("OggS")', offset)
    if (fixed[4] !== 0) throw new MalformedAudioError('ogg', `unknown Ogg page version ${fixed[4]}`, offset + 4)
    const lacing = await this.bytes(fixed[26]!, 'Ogg lacing values')
    const raw = new Uint8Array(FIXED + lacing.byteLength)
    raw.set(fixed)
    raw.set(lacing, FIXED)
    let bodyLength = 0
    for (const v of lacing) bodyLength += v
    return {
      offset,
      headerType: fixed[5]!,
      granule: raw.subarray(6, 14),
      serial: u32le(fixed, 14),
      seq: u32le(fixed, 18),
      crc: u32le(fixed, 22),
      lacing: raw.subarray(FIXED),
      raw,
      bodyLength,
    }
  }

  /** The body of the page whose header was just read. */
  body(h: PageHeader): Promise<Uint8Array> {
    return this.bytes(h.bodyLength, 'Ogg page body')
  }

  /** Skips the body of the page whose header was just read. */
  skipBody(h: PageHeader): void {
    this.skip(h.bodyLength, 'Ogg page body')
  }
}

/** Throws when a page's stored CRC is not the CRC of its bytes. */
export function checkCrc(h: PageHeader, body: Uint8Array): void {
  const crc = pageCrc(h.raw, body)
  if (crc !== h.crc) throw new MalformedAudioError('ogg', `page CRC mismatch (stored 0x${h.crc.toString(16)}, computed 0x${crc.toString(16)})`, h.offset)
}

/** True when the granule position is −1 (no packet ends on the page). */
export function granuleUnset(g: Uint8Array): boolean {
  return g.every((b) => b === 0xff)
}

function putU32le(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff
  out[at + 1] = (v >>> 8) & 0xff
  out[at + 2] = (v >>> 16) & 0xff
  out[at + 3] = (v >>> 24) & 0xff
}

/** The fields of a page to build. */
export interface NewPage {
  readonly headerType: number
  readonly granule: Uint8Array
  readonly serial: number
  readonly seq: number
  readonly lacing: Uint8Array
}

/** The header bytes (27 + lacing) of a page with the CRC field zero. */
export function pageHeaderBytes(p: NewPage): Uint8Array {
  const out = new Uint8Array(FIXED + p.lacing.byteLength)
  out.set([0x4f, 0x67, 0x67, 0x53, 0, p.headerType])
  out.set(p.granule, 6)
  putU32le(out, 14, p.serial)
  putU32le(out, 18, p.seq)
  out[26] = p.lacing.byteLength
  out.set(p.lacing, FIXED)
  return out
}

/** A complete page (header with its CRC, and body). */
export function buildPage(p: NewPage, body: Uint8Array): Uint8Array {
  const header = pageHeaderBytes(p)
  const out = new Uint8Array(header.byteLength + body.byteLength)
  out.set(header)
  out.set(body, header.byteLength)
  putU32le(out, 22, oggCrc(out))
  return out
}

/** An old page's header with a new sequence number and the CRC recomputed over the unchanged body. */
export function renumberedHeader(h: PageHeader, seq: number, body: Uint8Array): Uint8Array {
  const out = h.raw.slice()
  putU32le(out, 18, seq)
  out.fill(0, 22, 26)
  putU32le(out, 22, oggCrc(body, oggCrc(out)))
  return out
}
