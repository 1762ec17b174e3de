// Test helpers of the FLAC and Ogg modules, written independently of the code under test: applying
// an edit plan, walking Ogg pages with a bitwise CRC, reassembling packets, building pages, the Ogg
// essence bytes.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { EditPlan } from '../src/audio/types.js'

/** A committed fixture of test/fixtures/audio/<dir>/ (scripts/fixtures/{flac,ogg}.sh). */
export function fixture(dir: 'flac' | 'ogg', name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/audio/${dir}/${name}`, import.meta.url)))
}

/** The new file a plan describes. */
export function applyPlan(bytes: Uint8Array, plan: EditPlan): Uint8Array {
  if (plan.kind === 'unchanged') return bytes
  if (plan.kind === 'in-place') {
    const out = bytes.slice()
    for (const p of plan.patches) out.set(p.bytes, p.offset)
    return out
  }
  return cat(...plan.segments.map((s) => ('bytes' in s ? s.bytes : bytes.subarray(s.copyFrom, s.copyFrom + s.length))))
}

export function cat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

/** CRC-32 of Ogg, bit by bit (no table): polynomial 0x04C11DB7, init 0, not reflected, no final XOR. */
export function bitwiseCrc(bytes: Uint8Array): number {
  let c = 0
  for (const b of bytes) {
    c ^= b << 24
    for (let k = 0; k < 8; k++) c = c & 0x8000_0000 ? (c << 1) ^ 0x04c1_1db7 : c << 1
  }
  return c >>> 0
}

/** The same CRC, table-driven (the table made by {@link bitwiseCrc}'s loop), for speed on big files. */
const TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let c = i << 24
  for (let k = 0; k < 8; k++) c = c & 0x8000_0000 ? (c << 1) ^ 0x04c1_1db7 : c << 1
  return c >>> 0
})
function tableCrc(bytes: Uint8Array): number {
  let c = 0
  for (let i = 0; i < bytes.byteLength; i++) c = (c << 8) ^ TABLE[((c >>> 24) ^ bytes[i]!) & 0xff]!
  return c >>> 0
}

export interface Page {
  readonly offset: number
  readonly type: number
  readonly granule: bigint
  readonly serial: number
  readonly seq: number
  readonly lacing: readonly number[]
  readonly body: Uint8Array
  readonly bytes: Uint8Array
  readonly crcOk: boolean
}

/** Every page of an Ogg file (throws on anything but a clean sequence of pages). */
export function pages(file: Uint8Array): Page[] {
  const out: Page[] = []
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength)
  for (let at = 0; at < file.byteLength; ) {
    if (new TextDecoder().decode(file.subarray(at, at + 4)) !== 'OggS') throw new Error(`no OggS at ${at}`)
    const n = file[at + 26]!
    const lacing = [...file.subarray(at + 27, at + 27 + n)]
    const len = lacing.reduce((a, b) => a + b, 0)
    const bytes = file.subarray(at, at + 27 + n + len)
    const zeroed = bytes.slice()
    zeroed.fill(0, 22, 26)
    out.push({
      offset: at,
      type: file[at + 5]!,
      granule: dv.getBigInt64(at + 6, true),
      serial: dv.getUint32(at + 14, true),
      seq: dv.getUint32(at + 18, true),
      lacing,
      body: bytes.subarray(27 + n),
      bytes,
      crcOk: tableCrc(zeroed) === dv.getUint32(at + 22, true),
    })
    at += bytes.byteLength
  }
  return out
}

/** The packets of one logical stream, in order. */
export function packets(file: Uint8Array, serial?: number): Uint8Array[] {
  const all = pages(file)
  const s = serial ?? all[0]!.serial
  const out: Uint8Array[] = []
  let cur: Uint8Array[] = []
  for (const p of all.filter((x) => x.serial === s)) {
    let at = 0
    for (const v of p.lacing) {
      cur.push(p.body.subarray(at, at + v))
      at += v
      if (v < 255) {
        out.push(cat(...cur))
        cur = []
      }
    }
  }
  return out
}

/** Builds one page (with a correct CRC) from fields. */
export function page(f: { type: number; granule: bigint; serial: number; seq: number; lacing: readonly number[]; body: Uint8Array }): Uint8Array {
  const out = new Uint8Array(27 + f.lacing.length + f.body.byteLength)
  const dv = new DataView(out.buffer)
  out.set([0x4f, 0x67, 0x67, 0x53, 0, f.type])
  dv.setBigInt64(6, f.granule, true)
  dv.setUint32(14, f.serial, true)
  dv.setUint32(18, f.seq, true)
  out[26] = f.lacing.length
  out.set(f.lacing, 27)
  out.set(f.body, 27 + f.lacing.length)
  dv.setUint32(22, tableCrc(out), true)
  return out
}

/** Lacing values of one packet of `n` bytes (a trailing 0 when n is a multiple of 255). */
export function lacingOf(n: number): number[] {
  return [...Array<number>(Math.floor(n / 255)).fill(255), n % 255]
}

/** A page rebuilt with some fields changed (CRC recomputed unless `keepCrc`). */
export function repage(p: Page, changes: Partial<{ type: number; granule: bigint; serial: number; seq: number }>): Uint8Array {
  return page({ type: p.type, granule: p.granule, serial: p.serial, seq: p.seq, lacing: p.lacing, body: p.body, ...changes })
}

/** A hasher that keeps what it is fed (to compare essence bytes, not only digests). */
export function capture(): { update(b: Uint8Array): void; digest(): Uint8Array; bytes(): Uint8Array } {
  const parts: Uint8Array[] = []
  return {
    update: (b) => void parts.push(b.slice()),
    digest: () => new Uint8Array(32),
    bytes: () => cat(...parts),
  }
}

/** Byte equality that stays fast on large arrays (vitest's toEqual walks typed arrays slowly). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

const AUDIO_MAGIC = ['\x01vorbis', 'OpusHead']

/**
 * The Ogg essence bytes (docs/spec.md §10.6.5), computed independently from {@link pages} and
 * {@link packets}: for each Vorbis or Opus stream in the order of the BOS pages, the packets but
 * packet 1 concatenated, the SHA-256 of their lengths as u32le, and the last granule position that
 * is not −1 (eight 0xFF bytes if none). Each stream must have its own serial number.
 */
export function oggEssenceBytes(file: Uint8Array): Uint8Array {
  const all = pages(file)
  const parts: Uint8Array[] = []
  for (const bos of all.filter((p) => (p.type & 2) !== 0)) {
    const magic = new TextDecoder('latin1').decode(bos.body.subarray(0, 8))
    if (!AUDIO_MAGIC.some((m) => magic.startsWith(m))) continue
    const kept = packets(file, bos.serial).filter((_, i) => i !== 1)
    const lengths = new Uint8Array(4 * kept.length)
    kept.forEach((p, i) => new DataView(lengths.buffer).setUint32(4 * i, p.byteLength, true))
    const last = all.filter((p) => p.serial === bos.serial && p.granule !== -1n).at(-1)
    const granule = last ? last.bytes.slice(6, 14) : new Uint8Array(8).fill(0xff)
    parts.push(...kept, new Uint8Array(createHash('sha256').update(lengths).digest()), granule)
  }
  return cat(...parts)
}
