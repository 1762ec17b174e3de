// Helpers of the MP4 carrier tests: fixtures, applying an EditPlan, an independent box walker (not
// the code under test), and a builder of synthetic MP4 files for layouts no tool makes.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { toHex } from '../src/audio/_hex.js'
import { createSha256 } from '../src/audio/hash.js'
import { handler } from '../src/audio/mp4/index.js'
import { fromBytes } from '../src/audio/source.js'
import type { ByteSource, ContainerTags, EditPlan } from '../src/audio/types.js'

export const FIXTURE_DIR = new URL('./fixtures/audio/mp4/', import.meta.url)

/** A committed fixture (made by scripts/fixtures/mp4.sh). */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURE_DIR)))
}

export const FIXTURES = [
  'aac-end.m4a',
  'aac-faststart.m4a',
  'alac-end.m4a',
  'aac-end-mutagen.m4a',
  'aac-faststart-mutagen.m4a',
  'aac-noai-mutagen.m4a',
  'aac-xmp.m4a',
  'aac-chapters.m4a',
  'aac-video-track-faststart.mp4',
] as const

/** The new file an EditPlan describes. */
export function applyPlan(old: Uint8Array, plan: EditPlan): Uint8Array {
  if (plan.kind === 'unchanged') return old
  if (plan.kind === 'in-place') {
    const out = old.slice()
    for (const p of plan.patches) {
      if (p.offset + p.bytes.byteLength > old.byteLength) throw new Error('patch past the end')
      out.set(p.bytes, p.offset)
    }
    return out
  }
  const parts = plan.segments.map((s) => ('bytes' in s ? s.bytes : old.subarray(s.copyFrom, s.copyFrom + s.length)))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

/** A ByteSource of the file a rewrite plan describes, without building it (for virtual huge files). */
export function planSource(old: ByteSource, plan: Extract<EditPlan, { kind: 'rewrite' }>): ByteSource {
  const spans: { start: number; end: number; seg: (typeof plan.segments)[number] }[] = []
  let at = 0
  for (const seg of plan.segments) {
    const n = 'bytes' in seg ? seg.bytes.byteLength : seg.length
    spans.push({ start: at, end: at + n, seg })
    at += n
  }
  return {
    size: at,
    async read(offset, length) {
      const end = Math.min(at, offset + length)
      const out = new Uint8Array(Math.max(0, end - offset))
      for (const s of spans) {
        const a = Math.max(offset, s.start)
        const b = Math.min(end, s.end)
        if (a >= b) continue
        const piece = 'bytes' in s.seg ? s.seg.bytes.subarray(a - s.start, b - s.start) : await old.read(s.seg.copyFrom + (a - s.start), b - a)
        out.set(piece, a - offset)
      }
      return out
    },
  }
}

export async function readTags(bytes: Uint8Array | ByteSource): Promise<ContainerTags> {
  return handler.read(bytes instanceof Uint8Array ? fromBytes(bytes) : bytes)
}

export async function essenceHex(bytes: Uint8Array | ByteSource): Promise<string> {
  const h = createSha256()
  await handler.essence(bytes instanceof Uint8Array ? fromBytes(bytes) : bytes, h)
  return toHex(h.digest())
}

export async function write(bytes: Uint8Array, entries: { readable: string; document: string } | null): Promise<{ plan: EditPlan; out: Uint8Array }> {
  const plan = await handler.planWrite(fromBytes(bytes), entries)
  return { plan, out: applyPlan(bytes, plan) }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

// ---------------------------------------------------------------------------------------------
// An independent box walker (ISO/IEC 14496-12 §4.2), written separately from src/audio/mp4.

export interface TBox {
  readonly type: string
  readonly path: string
  readonly start: number
  readonly end: number
  readonly header: number
  readonly children: TBox[]
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'udta', 'dinf', 'edts', 'ilst', '----', 'meta', 'tref'])
const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength)
const type4 = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4))

/** Every box, descending the usual containers; `meta` as FullBox or QuickTime form. */
export function walk(bytes: Uint8Array, start = 0, end = bytes.byteLength, path = ''): TBox[] {
  const out: TBox[] = []
  for (let at = start; at + 8 <= end; ) {
    let size = dv(bytes).getUint32(at)
    const type = type4(bytes, at + 4)
    let header = 8
    if (size === 1) {
      size = Number(dv(bytes).getBigUint64(at + 8))
      header = 16
    } else if (size === 0) size = end - at
    if (size < header || at + size > end) throw new Error(`bad box ${type} at ${at}`)
    const p = path ? `${path}/${type}` : type
    let skip = 0
    if (type === 'meta') skip = type4(bytes, at + header + 4) === 'hdlr' ? 0 : 4
    const children = CONTAINERS.has(type) ? walk(bytes, at + header + skip, at + size, p) : []
    out.push({ type, path: p, start: at, end: at + size, header, children })
    at += size
  }
  return out
}

/** All boxes at a path such as `moov/udta/meta/ilst`. */
export function boxesAt(bytes: Uint8Array, path: string): TBox[] {
  const found: TBox[] = []
  const visit = (list: TBox[]) => {
    for (const b of list) {
      if (b.path === path) found.push(b)
      else if (path.startsWith(`${b.path}/`)) visit(b.children)
    }
  }
  visit(walk(bytes))
  return found
}

/** The bytes of a box. */
export function bytesOf(bytes: Uint8Array, b: TBox): Uint8Array {
  return bytes.subarray(b.start, b.end)
}

/** The ilst items as `mean:name` (freeform) or type, with their bytes. */
export function ilstItems(bytes: Uint8Array): { key: string; bytes: Uint8Array }[] {
  const [ilst] = boxesAt(bytes, 'moov/udta/meta/ilst')
  if (!ilst) return []
  return ilst.children.map((item) => {
    if (item.type !== '----') return { key: item.type, bytes: bytesOf(bytes, item) }
    const text = (t: string) => {
      const c = item.children.find((x) => x.type === t)
      return c ? new TextDecoder().decode(bytes.subarray(c.start + 12, c.end)) : '?'
    }
    return { key: `----:${text('mean')}:${text('name')}`, bytes: bytesOf(bytes, item) }
  })
}

/** The chunk offsets of every track, in track order. */
export function chunkOffsets(bytes: Uint8Array): { type: string; offsets: number[] }[] {
  return boxesAt(bytes, 'moov/trak').map((trak) => {
    const stbl = trak.children.find((b) => b.type === 'mdia')?.children.find((b) => b.type === 'minf')?.children.find((b) => b.type === 'stbl')
    const co = stbl?.children.find((b) => b.type === 'stco' || b.type === 'co64')
    if (!co) return { type: 'none', offsets: [] }
    const n = dv(bytes).getUint32(co.start + 12)
    const offsets: number[] = []
    for (let i = 0; i < n; i++) offsets.push(co.type === 'co64' ? Number(dv(bytes).getBigUint64(co.start + 16 + 8 * i)) : dv(bytes).getUint32(co.start + 16 + 4 * i))
    return { type: co.type, offsets }
  })
}

// ---------------------------------------------------------------------------------------------
// Building synthetic files.

export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4)
  dv(b).setUint32(0, n)
  return b
}
export function u64(n: number): Uint8Array {
  const b = new Uint8Array(8)
  dv(b).setBigUint64(0, BigInt(n))
  return b
}
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0))
}
export function cat(...parts: readonly Uint8Array[]): Uint8Array {
  return catAll(parts)
}
function catAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}
/** A box with a 32-bit size. */
export function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = cat(...payload)
  return cat(u32(body.byteLength + 8), ascii(type), body)
}
/** A box with a 64-bit largesize. */
export function box64(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = cat(...payload)
  return cat(u32(1), ascii(type), u64(body.byteLength + 16), body)
}
const zeros = (n: number) => new Uint8Array(n)
export const fullBox = (type: string, ...payload: Uint8Array[]) => box(type, zeros(4), ...payload)

/** A freeform ilst item. */
export function freeform(mean: string, name: string, value: string, dataType = 1): Uint8Array {
  return box('----', fullBox('mean', ascii(mean)), fullBox('name', ascii(name)), box('data', u32(dataType), zeros(4), new TextEncoder().encode(value)))
}
export const ITUNES_HDLR = fullBox('hdlr', zeros(4), ascii('mdir'), ascii('appl'), zeros(9))

export interface SynthTrack {
  readonly handler: string
  readonly samples: readonly Uint8Array[]
  readonly perChunk: number
  readonly sizes?: 'stsz' | 'stz2' | 'const'
}

export interface SynthOptions {
  readonly tracks?: readonly SynthTrack[]
  readonly moovFirst?: boolean
  readonly offsets?: 'stco' | 'co64'
  readonly mdat?: 'u32' | 'u64' | 'eof'
  /** udta content: the meta form, or 'none' for no udta at all. */
  readonly meta?: 'fullbox' | 'quicktime' | 'none'
  readonly items?: readonly Uint8Array[]
  readonly metaFree?: number
  /** A meta without ilst. */
  readonly noIlst?: boolean
  /** udta written with a 64-bit size. */
  readonly udta64?: boolean
  readonly topFreeAfterMoov?: number
  readonly extraMoov?: readonly Uint8Array[]
  readonly extraUdta?: readonly Uint8Array[]
  readonly extraTop?: readonly Uint8Array[]
}

/** Distinct sample bytes: sample i has length 20 + 7i and bytes seeded by `seed`. */
export function makeSamples(count: number, seed: number): Uint8Array[] {
  return Array.from({ length: count }, (_, i) => Uint8Array.from({ length: 20 + 7 * i }, (_, j) => (seed * 31 + i * 17 + j * 13) & 0xff))
}

export const AUDIO_TRACK: SynthTrack = { handler: 'soun', samples: makeSamples(7, 1), perChunk: 3 }

function sizesBox(t: SynthTrack): Uint8Array {
  if (t.sizes === 'const') return fullBox('stsz', u32(t.samples[0]!.byteLength), u32(t.samples.length))
  if (t.sizes === 'stz2') return fullBox('stz2', zeros(3), Uint8Array.of(8), u32(t.samples.length), Uint8Array.from(t.samples, (s) => s.byteLength))
  const table = new Uint8Array(4 * t.samples.length)
  t.samples.forEach((s, i) => dv(table).setUint32(4 * i, s.byteLength))
  return fullBox('stsz', u32(0), u32(t.samples.length), table)
}

function chunksOf(t: SynthTrack): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < t.samples.length; i += t.perChunk) out.push(catAll(t.samples.slice(i, i + t.perChunk)))
  return out
}

function trak(t: SynthTrack, offsets: readonly number[], wide: boolean): Uint8Array {
  const stsd = fullBox('stsd', u32(1), box(t.handler === 'soun' ? 'mp4a' : 'text', zeros(28)))
  const full = Math.floor(t.samples.length / t.perChunk)
  const rest = t.samples.length % t.perChunk
  const entries = [...(full > 0 ? [[1, t.perChunk]] : []), ...(rest > 0 ? [[full + 1, rest]] : [])]
  const stsc = fullBox('stsc', u32(entries.length), ...entries.flatMap(([first, n]) => [u32(first!), u32(n!), u32(1)]))
  const co = fullBox(wide ? 'co64' : 'stco', u32(offsets.length), catAll(offsets.map(wide ? u64 : u32)))
  const hdlr = fullBox('hdlr', zeros(4), ascii(t.handler), zeros(13))
  const dref = fullBox('dref', u32(1), box('url ', Uint8Array.of(0, 0, 0, 1)))
  const stbl = box('stbl', stsd, sizesBox(t), stsc, co)
  return box('trak', box('mdia', hdlr, box('minf', box('dinf', dref), stbl)))
}

function udta(o: SynthOptions): Uint8Array[] {
  if (o.meta === 'none') return []
  const ilst = o.noIlst ? [] : [box('ilst', ...(o.items ?? []))]
  const free = o.metaFree ? [box('free', zeros(o.metaFree - 8))] : []
  const meta = o.meta === 'quicktime' ? box('meta', ITUNES_HDLR, ...ilst, ...free) : fullBox('meta', ITUNES_HDLR, ...ilst, ...free)
  return [(o.udta64 ? box64 : box)('udta', meta, ...(o.extraUdta ?? []))]
}

/** A synthetic MP4 file; chunks of the tracks are interleaved in mdat. */
export function synth(o: SynthOptions = {}): Uint8Array {
  const tracks = o.tracks ?? [AUDIO_TRACK]
  const chunks = tracks.map(chunksOf)
  const order: { t: number; c: number }[] = []
  for (let c = 0; c < Math.max(...chunks.map((x) => x.length)); c++) for (let t = 0; t < tracks.length; t++) if (chunks[t]![c]) order.push({ t, c })
  const ftyp = box('ftyp', ascii('M4A '), u32(0), ascii('M4A isom'))
  const moovOf = (offsets: number[][]) =>
    box('moov', box('mvhd', zeros(100)), ...tracks.map((t, i) => trak(t, offsets[i]!, o.offsets === 'co64')), ...udta(o), ...(o.extraMoov ?? []))
  const payload = catAll(order.map(({ t, c }) => chunks[t]![c]!))
  const mdatHeader = o.mdat === 'u64' ? 16 : 8
  const freeAfter = o.topFreeAfterMoov ? [box('free', zeros(o.topFreeAfterMoov - 8))] : []
  const extra = cat(...(o.extraTop ?? []))
  const moovSize = moovOf(chunks.map((x) => x.map(() => 0))).byteLength
  const mdatStart = ftyp.byteLength + extra.byteLength + (o.moovFirst ? moovSize + freeAfter.reduce((n, f) => n + f.byteLength, 0) : 0)
  const offsets = chunks.map((x) => x.map(() => 0))
  let at = mdatStart + mdatHeader
  for (const { t, c } of order) {
    offsets[t]![c] = at
    at += chunks[t]![c]!.byteLength
  }
  const mdat = o.mdat === 'u64' ? box64('mdat', payload) : o.mdat === 'eof' ? cat(u32(0), ascii('mdat'), payload) : box('mdat', payload)
  const moov = moovOf(offsets)
  return o.moovFirst ? cat(ftyp, extra, moov, ...freeAfter, mdat) : cat(ftyp, extra, mdat, moov, ...freeAfter)
}

/** SHA-256 of the audio samples of synthetic tracks (the expected essence, computed independently). */
export function expectedEssence(tracks: readonly SynthTrack[] = [AUDIO_TRACK]): string {
  const h = createHash('sha256')
  for (const t of tracks) if (t.handler === 'soun') for (const s of t.samples) h.update(s)
  return h.digest('hex')
}
