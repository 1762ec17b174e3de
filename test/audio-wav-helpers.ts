// Helpers of the WAV and AIFF tests: fixtures, a small independent chunk parser (so that the tests
// do not trust the code under test to find chunks), and hand-built files.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseId3v2 } from '../src/audio/id3v2/index.js'

export const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

export function u32(n: number, le: boolean): Uint8Array {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n, le)
  return b
}

/** A chunk: header, payload, pad byte when odd (unless `noPad`). */
export function chunk(id: string, payload: Uint8Array, le = true, o: { noPad?: boolean; size?: number } = {}): Uint8Array {
  return concat(ascii(id), u32(o.size ?? payload.length, le), payload, payload.length % 2 && !o.noPad ? new Uint8Array(1) : new Uint8Array(0))
}

/** A RIFF WAVE file of these chunks (the RIFF size counts everything after it). */
export const riff = (...chunks: Uint8Array[]): Uint8Array => {
  const body = concat(ascii('WAVE'), ...chunks)
  return concat(ascii('RIFF'), u32(body.length, true), body)
}

/** A FORM AIFF (or AIFC) file of these chunks. */
export const form = (type: 'AIFF' | 'AIFC', ...chunks: Uint8Array[]): Uint8Array => {
  const body = concat(ascii(type), ...chunks)
  return concat(ascii('FORM'), u32(body.length, false), body)
}

/** One parsed chunk (independent of the code under test). */
export interface TestChunk {
  readonly id: string
  readonly offset: number
  readonly size: number
  /** Header, payload and pad byte, as stored. */
  readonly raw: Uint8Array
  readonly payload: Uint8Array
}

/** Parses top-level chunks after the 12-byte header (RF64: the 0xFFFFFFFF data size from ds64). */
export function chunksOf(b: Uint8Array, le = b[0] === 0x52 /* RIFF, RF64 */): TestChunk[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const out: TestChunk[] = []
  const size32 = v.getUint32(4, le)
  const end = size32 === 0xffffffff ? b.length : Math.min(b.length, 8 + size32)
  let dataSize: number | undefined
  for (let at = 12; at + 8 <= end; ) {
    const id = String.fromCharCode(...b.subarray(at, at + 4))
    let size = v.getUint32(at + 4, le)
    if (id === 'ds64') dataSize = v.getUint32(at + 16, true) + v.getUint32(at + 20, true) * 2 ** 32
    if (size === 0xffffffff && id === 'data' && dataSize !== undefined) size = dataSize
    const span = Math.min(8 + size + (size % 2), b.length - at)
    out.push({ id, offset: at, size, raw: b.subarray(at, at + span), payload: b.subarray(at + 8, at + 8 + size) })
    at += span
  }
  return out
}

/** The ids of the chunks, in order. */
export const idsOf = (b: Uint8Array): string[] => chunksOf(b).map((c) => c.id)

const OURS = /^noai(_tag)?$/i

/** The frames of an ID3 chunk that are not ours, as hex, with the tag's version. */
function otherFrames(payload: Uint8Array): string[] {
  const t = parseId3v2(payload)
  return [
    `v2.${t.major}`,
    ...t.frames.filter((f) => !(f.id === 'TXXX' && OURS.test(new TextDecoder().decode(f.data!.subarray(1, f.data!.indexOf(0, 1)))))).map((f) => hex(f.raw)),
  ]
}

/** The sub-chunks of an INFO list other than NOAI, as hex (header, value, pad). */
function otherInfo(payload: Uint8Array): string[] {
  const out: string[] = []
  const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength)
  for (let at = 4; at + 8 <= payload.length; ) {
    const size = v.getUint32(at + 4, true)
    const id = String.fromCharCode(...payload.subarray(at, at + 4))
    const end = Math.min(at + 8 + size + (size % 2), payload.length)
    if (id !== 'NOAI') out.push(hex(payload.subarray(at, end)))
    at = end
  }
  return out
}

/**
 * Everything in the file that is not ours, in order: every chunk as stored, except padding chunks
 * (`JUNK`, `FLLR`), the RF64 `ds64` (its riffSize changes), and ID3 chunks and INFO lists, which are
 * compared by their other frames and sub-chunks.
 */
export function foreignOf(b: Uint8Array): string[] {
  const out: string[] = []
  for (const c of chunksOf(b)) {
    if (c.id === 'JUNK' || c.id === 'FLLR' || c.id === 'ds64') continue
    if (c.id === 'id3 ' || c.id === 'ID3 ') {
      const others = otherFrames(c.payload)
      if (others.length > 1) out.push(`${c.id}:${others.join(',')}`)
    } else if (c.id === 'LIST' && String.fromCharCode(...c.payload.subarray(0, 4)) === 'INFO') {
      const others = otherInfo(c.payload)
      if (others.length > 0) out.push(`LIST/INFO:${others.join(',')}`)
    } else out.push(`${c.id}:${hex(c.raw)}`)
  }
  return out
}

/** The INFO `NOAI` values of a WAV file (bytes before the first NUL). */
export function infoNoai(b: Uint8Array): string[] {
  const out: string[] = []
  for (const c of chunksOf(b)) {
    if (c.id !== 'LIST' || String.fromCharCode(...c.payload.subarray(0, 4)) !== 'INFO') continue
    const v = new DataView(c.payload.buffer, c.payload.byteOffset, c.payload.byteLength)
    for (let at = 4; at + 8 <= c.payload.length; ) {
      const size = v.getUint32(at + 4, true)
      if (String.fromCharCode(...c.payload.subarray(at, at + 4)) === 'NOAI') {
        const val = c.payload.subarray(at + 8, at + 8 + size)
        out.push(new TextDecoder().decode(val.subarray(0, val.indexOf(0) < 0 ? val.length : val.indexOf(0))))
      }
      at += 8 + size + (size % 2)
    }
  }
  return out
}

/** The container size field is the file length − 8 (RIFF/FORM), or for RF64 the ds64 riffSize is. */
export function containerSizeOk(b: Uint8Array): boolean {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const magic = String.fromCharCode(...b.subarray(0, 4))
  if (magic === 'RF64' || magic === 'BW64') return v.getUint32(4, true) === 0xffffffff && v.getUint32(20, true) + v.getUint32(24, true) * 2 ** 32 === b.length - 8
  return v.getUint32(4, magic === 'RIFF') === b.length - 8
}

/** A chunk's payload, found independently (the first chunk with this id). */
export const payloadOf = (b: Uint8Array, id: string): Uint8Array => chunksOf(b).find((c) => c.id === id)!.payload

export const FIXTURES = new URL('./fixtures/audio/', import.meta.url)
export const fixture = (dir: 'wav' | 'aiff', name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`${dir}/${name}`, FIXTURES)))

/** An XMP packet with IPTC/PLUS DataMining. */
export const XMP_PACKET = ascii(
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" plus:DataMining="DMI-PROHIBITED-AIMLTRAINING"/></rdf:RDF></x:xmpmeta>',
)
