// Hand-built ID3v2 tags and MP3 files for the codec and MP3 tests (edge cases no tool makes).
import { readFileSync } from 'node:fs'

const enc = new TextEncoder()

export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
export const utf8 = (s: string): Uint8Array => enc.encode(s)

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export function syncsafe(n: number): Uint8Array {
  return Uint8Array.of((n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f)
}

export function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff)
}

export function u32le(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff)
}

/** A frame: v2.4 syncsafe size unless `plain` (v2.3, or old iTunes v2.4). */
export function frame(id: string, body: Uint8Array, o: { major?: 3 | 4; flags?: number; plain?: boolean; size?: number } = {}): Uint8Array {
  const major = o.major ?? 4
  const size = o.size ?? body.length
  const sz = major === 4 && !o.plain ? syncsafe(size) : u32(size)
  const flags = o.flags ?? 0
  return concat(ascii(id), sz, Uint8Array.of(flags >> 8, flags & 0xff), body)
}

/** A TXXX body: encoding 0 (latin1) or 3 (UTF-8); desc NUL value. */
export function txxxBody(desc: string, value: string, encoding: 0 | 3 = 3): Uint8Array {
  const e = encoding === 3 ? utf8 : ascii
  return concat(Uint8Array.of(encoding), e(desc), Uint8Array.of(0), e(value))
}

export function txxx(desc: string, value: string, o: { major?: 3 | 4; encoding?: 0 | 3; plain?: boolean } = {}): Uint8Array {
  const major = o.major ?? 4
  return frame('TXXX', txxxBody(desc, value, o.encoding ?? (major === 4 ? 3 : 0)), { major, ...(o.plain ? { plain: true } : {}) })
}

export function textFrame(id: string, text: string, major: 3 | 4 = 4): Uint8Array {
  return frame(id, concat(Uint8Array.of(major === 4 ? 3 : 0), ascii(text)), { major })
}

export function priv(owner: string, data: Uint8Array, major: 3 | 4 = 4): Uint8Array {
  return frame('PRIV', concat(ascii(owner), Uint8Array.of(0), data), { major })
}

export function geob(mime: string, data: Uint8Array, major: 3 | 4 = 4): Uint8Array {
  return frame('GEOB', concat(Uint8Array.of(0), ascii(mime), Uint8Array.of(0), ascii('c2pa'), Uint8Array.of(0), ascii('c2pa manifest store'), Uint8Array.of(0), data), { major })
}

/** A whole tag: header (+ extended header) + frames + padding (+ footer). `body` overrides frames (already encoded). */
export function tag(o: {
  major?: 2 | 3 | 4
  flags?: number
  frames?: Uint8Array[]
  padding?: number
  ext?: Uint8Array
  footer?: boolean
  body?: Uint8Array
}): Uint8Array {
  const major = o.major ?? 4
  let flags = o.flags ?? 0
  if (o.ext) flags |= 0x40
  if (o.footer) flags |= 0x10
  const body = o.body ?? concat(o.ext ?? new Uint8Array(0), ...(o.frames ?? []), new Uint8Array(o.padding ?? 0))
  const head = concat(ascii('ID3'), Uint8Array.of(major, 0, flags), syncsafe(body.length))
  return o.footer ? concat(head, body, ascii('3DI'), Uint8Array.of(major, 0, flags), syncsafe(body.length)) : concat(head, body)
}

/** Applies ID3 unsynchronisation (for hand-built unsynchronised tags). */
export function unsync(b: Uint8Array): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < b.length; i++) {
    out.push(b[i]!)
    if (b[i] === 0xff && (i + 1 === b.length || b[i + 1] === 0 || (b[i + 1]! & 0xe0) === 0xe0)) out.push(0)
  }
  return Uint8Array.from(out)
}

export const FIXTURES = new URL('./fixtures/audio/mp3/', import.meta.url)
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)))

/** The audio of the committed fixtures (from the LAME Info frame to the end): 42 MPEG-2 Layer III frames. */
export function audioOnly(): Uint8Array {
  return fixture('bare.mp3')
}

/** A tiny sequence of valid MPEG-2 Layer III frames (no Info frame): `n` frames of 104 bytes. */
export function mpegFrames(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n * 104)
  let x = seed
  for (let i = 0; i < n; i++) {
    out.set([0xff, 0xf3, 0x40, 0xc4], i * 104)
    for (let j = 4; j < 104; j++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff
      out[i * 104 + j] = (x >>> 16) & 0x7f // never 0xFF: no false syncs inside frames
    }
  }
  return out
}

export const ID3V1 = concat(ascii('TAG'), new Uint8Array(124), Uint8Array.of(0xff))

/** An APEv2 tag with header and footer and one item. */
export function apev2(): Uint8Array {
  const item = concat(u32le(4), u32le(0), ascii('Title'), Uint8Array.of(0), ascii('Tone'))
  const size = item.length + 32
  const hdr = (isHeader: boolean): Uint8Array =>
    concat(ascii('APETAGEX'), u32le(2000), u32le(size), u32le(1), u32le(0x80000000 | (isHeader ? 0x20000000 : 0)), new Uint8Array(8))
  return concat(hdr(true), item, hdr(false))
}

export function lyrics3v2(): Uint8Array {
  const body = concat(ascii('LYRICSBEGIN'), ascii('IND00003110'), ascii('LYR00005hello'))
  return concat(body, ascii(String(body.length).padStart(6, '0')), ascii('LYRICS200'))
}
