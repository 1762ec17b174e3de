// The Ogg essence (docs/spec.md §10.6.5) against an independent computation (test/_xiph.ts): on the
// committed fixtures, chained and multiplexed files, with either hasher factory; that it binds the
// packet boundaries and the final granule; and on synthetic files of several MiB, so that pages
// straddle the hasher's read windows (AUDIO_LIMITS.ioChunkBytes) with the boundary falling in a
// page header, in the lacing values and in a body.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { toHex } from '../src/audio/_hex.js'
import { createSha256 } from '../src/audio/hash.js'
import { AUDIO_LIMITS } from '../src/audio/limits.js'
import { handler } from '../src/audio/ogg/index.js'
import { fromBlob, fromBytes } from '../src/audio/source.js'
import type { ByteSource, Hasher } from '../src/audio/types.js'
import { capture, cat, fixture, lacingOf, oggEssenceBytes, packets, page, pages, repage, sameBytes } from './_xiph.js'

const NAMES = ['ffmpeg.ogg', 'oggenc.ogg', 'pages.ogg', 'ffmpeg.opus', 'opusenc.opus', 'pages.opus'] as const
const WINDOW = AUDIO_LIMITS.ioChunkBytes

const nodeSha256 = (): Hasher => {
  const h = createHash('sha256')
  return { update: (b) => void h.update(b), digest: () => new Uint8Array(h.digest()) }
}
const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

async function essenceBytes(source: ByteSource): Promise<Uint8Array> {
  const h = capture()
  await handler.essence(source, h)
  return h.bytes()
}

async function digest(source: ByteSource, createHasher?: () => Hasher): Promise<string> {
  const h = createHasher ? createHasher() : createSha256()
  await handler.essence(source, h, createHasher ? { createHasher } : {})
  return toHex(h.digest())
}

describe('Ogg essence: the definition', () => {
  it.each(NAMES)('%s: the packets but the comment, the SHA-256 of their lengths, the final granule', async (name) => {
    const bytes = fixture('ogg', name)
    const expected = oggEssenceBytes(bytes)
    expect(sameBytes(await essenceBytes(fromBytes(bytes)), expected)).toBe(true)
    // The same digest whichever SHA-256 hashes the packet lengths (the default, or node:crypto).
    expect(await digest(fromBytes(bytes))).toBe(sha256Hex(expected))
    expect(await digest(fromBytes(bytes), nodeSha256)).toBe(sha256Hex(expected))
  })

  it('chained and multiplexed streams: each audio stream in BOS order', async () => {
    const chain = cat(fixture('ogg', 'pages.ogg'), fixture('ogg', 'opusenc.opus'))
    expect(sameBytes(await essenceBytes(fromBytes(chain)), oggEssenceBytes(chain))).toBe(true)
    const a = pages(fixture('ogg', 'pages.opus'))
    const b = pages(fixture('ogg', 'pages.ogg')).map((p) => repage(p, { serial: 77 }))
    const parts = [a[0]!.bytes, b[0]!]
    for (let i = 1; i < Math.max(a.length, b.length); i++) parts.push(...(a[i] ? [a[i]!.bytes] : []), ...(b[i] ? [b[i]!] : []))
    const mux = cat(...parts)
    expect(sameBytes(await essenceBytes(fromBytes(mux)), oggEssenceBytes(mux))).toBe(true)
  })

  it('binds the packet boundaries: two packets merged into one (same bytes) change the digest', async () => {
    const original = fixture('ogg', 'pages.opus')
    const ps = pages(original)
    const audio = ps.findIndex((p, i) => i >= 2 && p.lacing.length >= 2 && p.lacing[0]! < 255)
    const p = ps[audio]!
    // The first two packets of the page become one packet of their summed length: the body is unchanged.
    const merged = [...lacingOf(p.lacing[0]! + p.lacing[1]!), ...p.lacing.slice(2)]
    const file = cat(...ps.map((x, i) => (i === audio ? page({ type: x.type, granule: x.granule, serial: x.serial, seq: x.seq, lacing: merged, body: x.body }) : x.bytes)))
    expect(packets(file).length).toBe(packets(original).length - 1)
    const [e0, e1] = [await essenceBytes(fromBytes(original)), await essenceBytes(fromBytes(file))]
    expect(sameBytes(e0.subarray(0, -40), e1.subarray(0, -40))).toBe(true)
    expect(await digest(fromBytes(file))).not.toBe(await digest(fromBytes(original)))
  })

  it('binds the final granule position', async () => {
    const original = fixture('ogg', 'pages.ogg')
    const ps = pages(original)
    const last = ps.at(-1)!
    const file = cat(...ps.slice(0, -1).map((p) => p.bytes), repage(last, { granule: last.granule - 1n }))
    expect(await digest(fromBytes(file))).not.toBe(await digest(fromBytes(original)))
  })
})

/** Deterministic bytes (a linear congruential generator). */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed >>> 0
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/**
 * Pages of one logical stream holding `sizes` packets of noise, laid out as a muxer would: at most
 * `maxSegments` lacing values per page, packets continued across pages (continued flag), granule
 * −1 on pages where no packet ends, EOS on the last page.
 */
function audioPages(serial: number, firstSeq: number, sizes: readonly number[], maxSegments: number): Uint8Array[] {
  const segs: { packet: number; len: number; last: boolean }[] = []
  sizes.forEach((n, packet) => {
    const l = lacingOf(n)
    l.forEach((len, i) => segs.push({ packet, len, last: i === l.length - 1 }))
  })
  const data = sizes.map((n, i) => noise(n, i + 1))
  const used = sizes.map(() => 0)
  const out: Uint8Array[] = []
  let granule = 0n
  for (let at = 0, seq = firstSeq; at < segs.length; seq++) {
    const these = segs.slice(at, at + maxSegments)
    const continued = at > 0 && !segs[at - 1]!.last
    at += these.length
    const body = cat(
      ...these.map((s) => {
        const part = data[s.packet]!.subarray(used[s.packet]!, used[s.packet]! + s.len)
        used[s.packet]! += s.len
        return part
      }),
    )
    const ends = these.filter((s) => s.last).length
    granule += BigInt(ends * 960)
    const type = (continued ? 1 : 0) | (at === segs.length ? 4 : 0)
    out.push(page({ type, granule: ends > 0 ? granule : -1n, serial, seq, lacing: these.map((s) => s.len), body }))
  }
  return out
}

/** A page of another logical stream (unknown codec) of exactly `total` bytes, or undefined. */
function foreignBos(total: number): Uint8Array | undefined {
  for (let n = Math.max(0, total - 28 - 260); n <= total - 28; n++) {
    if (27 + lacingOf(n).length + n === total) return page({ type: 2, granule: 0n, serial: 4242, seq: 0, lacing: lacingOf(n), body: noise(n, 99) })
  }
  return undefined
}

describe('Ogg essence across read windows', () => {
  const opus = pages(fixture('ogg', 'pages.opus'))
  const serial = opus[0]!.serial
  // Packet sizes from 1 byte to 70,000 (some span two pages), about 3.2 MiB in all.
  const sizes = Array.from({ length: 2400 }, (_, i) => (i % 97 === 0 ? 70_000 : 1 + ((i * 7919) % 1500)))
  const audio = audioPages(serial, 2, sizes, 200)
  const base = cat(opus[0]!.bytes, opus[1]!.bytes, ...audio)

  /** `base` behind a foreign BOS page sized so that the first window boundary falls `into` bytes into a page of the audio. */
  function shifted(into: (p: { lacing: readonly number[] }) => number): Uint8Array {
    const ps = pages(base)
    for (const p of ps.filter((x) => x.offset > WINDOW - 70_000 && x.offset < WINDOW - 400).reverse()) {
      const pre = foreignBos(WINDOW - p.offset - into(p))
      if (pre) return cat(pre, base)
    }
    throw new Error('no page to place the window boundary in')
  }

  const placements = {
    'page header': () => 5,
    'lacing values': (p: { lacing: readonly number[] }) => 27 + Math.floor(p.lacing.length / 2),
    'page body': (p: { lacing: readonly number[] }) => 27 + p.lacing.length + 100,
  }

  it.each(Object.keys(placements) as (keyof typeof placements)[])('window boundary in a %s: same essence as the independent computation', async (where) => {
    const file = shifted(placements[where])
    expect(file.byteLength).toBeGreaterThan(3 * WINDOW)
    const straddling = pages(file).find((p) => p.offset < WINDOW && p.offset + p.bytes.byteLength > WINDOW)!
    expect(WINDOW - straddling.offset).toBe(placements[where](straddling))
    const expected = oggEssenceBytes(file)
    expect(sameBytes(await essenceBytes(fromBytes(file)), expected)).toBe(true)
    expect(await digest(fromBlob(new Blob([file.slice().buffer])), nodeSha256)).toBe(sha256Hex(expected))
  })

  it('a flipped byte in a page straddling a window changes the digest; a cut inside it is malformed', async () => {
    const file = shifted(placements['page body'])
    const d0 = await digest(fromBytes(file))
    for (const at of [WINDOW - 1, WINDOW, WINDOW + 1]) {
      const bad = file.slice()
      bad[at]! ^= 0x01
      expect(await digest(fromBytes(bad))).not.toBe(d0)
    }
    await expect(handler.essence(fromBytes(file.subarray(0, WINDOW + 10)), createSha256())).rejects.toMatchObject({ code: 'ERR_NOAI_MALFORMED_INPUT' })
  })
})
