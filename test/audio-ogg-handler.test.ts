// Ogg (Vorbis, Opus) container module: read, write (in place, same page count, re-paged), overwrite,
// remove, essence, other streams, and bad input, on committed fixtures (scripts/fixtures/ogg.sh)
// and hand-built pages.
import { describe, expect, it } from 'vitest'
import { toHex } from '../src/audio/_hex.js'
import { createSha256 } from '../src/audio/hash.js'
import { handler } from '../src/audio/ogg/index.js'
import { fromBlob, fromBytes } from '../src/audio/source.js'
import type { EditPlan, TagEntries } from '../src/audio/types.js'
import { applyPlan, bitwiseCrc, capture, cat, fixture as fx, lacingOf, packets, page, pages, repage } from './_xiph.js'

const fixture = (name: string): Uint8Array => fx('ogg', name)
const FIXTURES = ['ffmpeg.ogg', 'oggenc.ogg', 'pages.ogg', 'ffmpeg.opus', 'opusenc.opus', 'pages.opus'] as const
const enc = new TextEncoder()
const dec = new TextDecoder()
const ENTRIES: TagEntries = { readable: 'train-ai=n, search=y', document: '{"version":1,"id":"urn:uuid:0b7e2a42-1c1f-4d2e-9d55-5b1f1b6f1a01"}' }
/** Large enough to need more than one header page (over 255 × 255 bytes). */
const HUGE: TagEntries = { readable: 'train-ai=n', document: `{"version":1,"x":"${'a'.repeat(70_000)}"}` }

async function write(bytes: Uint8Array, entries: TagEntries | null): Promise<{ out: Uint8Array; plan: EditPlan }> {
  const plan = await handler.planWrite(fromBytes(bytes), entries)
  return { out: applyPlan(bytes, plan), plan }
}

async function essence(bytes: Uint8Array): Promise<string> {
  const h = createSha256()
  await handler.essence(fromBytes(bytes), h)
  return toHex(h.digest())
}

async function essenceBytes(bytes: Uint8Array): Promise<Uint8Array> {
  const h = capture()
  await handler.essence(fromBytes(bytes), h)
  return h.bytes()
}

/** The comment packet split into magic, vendor, fields (text) and tail: what must survive besides our fields. */
function comment(file: Uint8Array): { vendor: string; fields: string[]; tail: Uint8Array; ours: string[] } {
  const p = packets(file)[1]!
  const magic = p[0] === 3 ? 7 : 8
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength)
  const vl = dv.getUint32(magic, true)
  let at = magic + 4 + vl
  const n = dv.getUint32(at, true)
  at += 4
  const all: string[] = []
  for (let i = 0; i < n; i++) {
    const len = dv.getUint32(at, true)
    all.push(dec.decode(p.subarray(at + 4, at + 4 + len)))
    at += 4 + len
  }
  const isOurs = (f: string): boolean => /^noai(_tag)?=/i.test(f)
  return { vendor: dec.decode(p.subarray(magic + 4, magic + 4 + vl)), fields: all.filter((f) => !isOurs(f)), ours: all.filter(isOurs), tail: p.subarray(at) }
}

/**
 * Structural checks every written file must pass (independent of the module). The granule rule is
 * not checked for `foreign` streams (c2pa-rs writes granule 0 on every page of its stream).
 */
function expectValidOgg(file: Uint8Array, foreign?: number): void {
  const ps = pages(file)
  const bySerial = new Map<number, typeof ps>()
  for (const p of ps) bySerial.set(p.serial, [...(bySerial.get(p.serial) ?? []), p])
  for (const [serial, list] of bySerial) {
    list.forEach((p, i) => {
      expect(p.crcOk, `CRC of page at ${p.offset}`).toBe(true)
      if (i > 0) expect(p.seq).toBe(list[i - 1]!.seq + 1)
      const completes = p.lacing.some((v) => v < 255)
      if (!completes && serial !== foreign) expect(p.granule, `granule of page ${p.seq} on which no packet ends`).toBe(-1n)
    })
  }
}

function otherPackets(file: Uint8Array): Uint8Array[] {
  return packets(file).filter((_, i) => i !== 1)
}

describe.each(FIXTURES)('Ogg %s', (name) => {
  const original = fixture(name)
  const codec = name.endsWith('.opus') ? 'opus' : 'vorbis'

  it('reads: codec, no entries, essence offset = first audio page', async () => {
    const tags = await handler.read(fromBytes(original))
    expect(tags).toMatchObject({ format: 'ogg', codec, foreign: [], warnings: [] })
    expect(tags.readable).toBeUndefined()
    const audio = pages(original)[codec === 'vorbis' ? 2 : 2]!
    expect(tags.essenceOffset).toBe(audio.offset)
  })

  it('write, overwrite with a comment needing more pages, remove: round trips, everything else kept, essence unchanged', async () => {
    const e0 = await essence(original)
    const c0 = comment(original)
    let file = original
    for (const entries of [ENTRIES, HUGE, ENTRIES, null]) {
      file = (await write(file, entries)).out
      expectValidOgg(file)
      const tags = await handler.read(fromBytes(file))
      expect(tags.readable).toBe(entries?.readable)
      expect(tags.document).toBe(entries?.document)
      const c = comment(file)
      expect({ ...c, ours: [] }).toEqual({ ...c0, ours: [] })
      expect(c.ours).toHaveLength(entries ? 2 : 0)
      expect(otherPackets(file)).toEqual(otherPackets(original))
      expect(await essence(file)).toBe(e0)
    }
  })

  it('one flipped audio byte changes the essence hash', async () => {
    const audio = pages(original).at(-1)!
    const bad = original.slice()
    bad[audio.offset + 27 + audio.lacing.length + 3]! ^= 0x01
    expect(await essence(bad)).not.toBe(await essence(original))
  })

  it('header pages keep their count for a small tag: audio pages are copied byte for byte', async () => {
    const { out, plan } = await write(original, ENTRIES)
    expect(plan.kind).not.toBe('unchanged')
    const before = (await handler.read(fromBytes(original))).essenceOffset!
    const after = (await handler.read(fromBytes(out))).essenceOffset!
    expect(out.subarray(after)).toEqual(original.subarray(before))
    expect(pages(out)).toHaveLength(pages(original).length)
    if (plan.kind === 'rewrite') expect(plan.segments.at(-1)).toEqual({ copyFrom: before, length: original.byteLength - before })
  })

  it('a comment of more than 255 × 255 bytes is re-paged: granule −1 where no packet ends, later pages renumbered', async () => {
    const { out } = await write(original, HUGE)
    const ps = pages(out)
    expect(ps.length).toBe(pages(original).length + 1)
    expect(ps[1]!.granule).toBe(-1n)
    expect(ps[1]!.lacing).toHaveLength(255)
    expect(ps[2]!.type & 1).toBe(1)
    expect(ps.slice(3).map((p) => p.body)).toEqual(pages(original).slice(2).map((p) => p.body))
    expect(ps.slice(3).map((p) => p.granule)).toEqual(pages(original).slice(2).map((p) => p.granule))
    // Removing keeps the two header pages when the packets still fill two pages (no renumbering),
    // else goes back to one.
    const back = (await write(out, null)).out
    expectValidOgg(back)
    expect([pages(original).length, ps.length]).toContain(pages(back).length)
    expect(pages(back).slice(-pages(original).length + 2).map((p) => p.body)).toEqual(pages(original).slice(2).map((p) => p.body))
    expect(await essence(back)).toBe(await essence(original))
  })

  it('in place when the new header pages have the old lengths', async () => {
    const { out } = await write(original, ENTRIES)
    const same = { readable: ENTRIES.readable.replace('n', 'y'), document: ENTRIES.document.replace('0b7e', '1c8f') }
    const { out: again, plan } = await write(out, same)
    expect(plan.kind).toBe('in-place')
    expect(again.byteLength).toBe(out.byteLength)
    expect((await handler.read(fromBytes(again))).readable).toBe(same.readable)
    expectValidOgg(again)
    expect(await handler.planWrite(fromBytes(again), same)).toEqual({ kind: 'unchanged' })
  })
})

describe('Ogg lacing edge cases', () => {
  it.each([1, 2, 3])('a comment packet of exactly 255 × k bytes gets a trailing 0 lacing value (k = %i extra segments)', async (k) => {
    const original = fixture('ffmpeg.opus')
    const base = packets((await write(original, { readable: 'r', document: '' })).out)[1]!.byteLength
    const target = 255 * (Math.ceil(base / 255) + k)
    const entries = { readable: 'r', document: 'd'.repeat(target - base) }
    const { out } = await write(original, entries)
    expectValidOgg(out)
    const p1 = pages(out)[1]!
    expect(packets(out)[1]!.byteLength % 255).toBe(0)
    expect(p1.lacing.at(-1)).toBe(0)
    expect((await handler.read(fromBytes(out))).document).toBe(entries.document)
    expect(await essence(out)).toBe(await essence(original))
  })

  it('a Vorbis comment + setup that exactly fill 255 lacing values stay on one page; one more byte needs a second page', async () => {
    const original = fixture('ffmpeg.ogg')
    const [, c, s] = packets((await write(original, { readable: 'r', document: '' })).out)
    const segs = (n: number): number => Math.floor(n / 255) + 1
    // Grow the comment until comment + setup take exactly 255 segments, with the comment ending on a 254 lacing value.
    const setupSegs = segs(s!.byteLength)
    const commentBytes = (255 - setupSegs - 1) * 255 + 254
    const doc = 'd'.repeat(commentBytes - c!.byteLength)
    const full = await write(original, { readable: 'r', document: doc })
    expect(pages(full.out)[1]!.lacing).toHaveLength(255)
    expect(pages(full.out)).toHaveLength(pages(original).length)
    const over = await write(original, { readable: 'r', document: doc + 'dd' })
    expect(pages(over.out)).toHaveLength(pages(original).length + 1)
    expectValidOgg(over.out)
    expect(await essence(over.out)).toBe(await essence(original))
  })
})

/** ffmpeg.opus with an OpusTags packet ending in the given bytes after the list. */
function opusWithTail(tail: Uint8Array): Uint8Array {
  const original = fixture('ffmpeg.opus')
  const ps = pages(original)
  const tags = cat(packets(original)[1]!, tail)
  const p1 = page({ type: 0, granule: 0n, serial: ps[1]!.serial, seq: 1, lacing: lacingOf(tags.byteLength), body: tags })
  return cat(ps[0]!.bytes, p1, ...ps.slice(2).map((p) => p.bytes))
}

describe('Opus comment header trailing data (RFC 7845 §5.2)', () => {
  it.each([
    ['binary data (first byte LSB 1)', Uint8Array.of(0x01, 0xde, 0xad, 0xbe, 0xef)],
    ['padding (first byte LSB 0)', new Uint8Array(300)],
  ])('keeps %s byte for byte through write, overwrite and remove', async (_, tail) => {
    const file = opusWithTail(tail)
    expect((await handler.read(fromBytes(file))).warnings).toEqual([])
    let out = file
    for (const entries of [ENTRIES, HUGE, null]) {
      out = (await write(out, entries)).out
      expect(comment(out).tail).toEqual(tail)
      expect(await essence(out)).toBe(await essence(file))
    }
  })
})

describe('Ogg with other logical streams', () => {
  /** A C2PA stream as c2pa-rs writes it: its BOS page first, then the audio BOS, then its other pages. */
  function withC2pa(file: Uint8Array, manifest: Uint8Array): Uint8Array {
    const ps = pages(file)
    const packet = cat(enc.encode('\0c2pa'), manifest)
    const lacing = lacingOf(packet.byteLength)
    const first = lacing.slice(0, 255)
    const firstBytes = first.reduce((a, b) => a + b, 0)
    const bos = page({ type: 2, granule: 0n, serial: 0x43325041, seq: 0, lacing: first, body: packet.subarray(0, firstBytes) })
    const rest = lacing.length > 255 ? [page({ type: 1 | 4, granule: 0n, serial: 0x43325041, seq: 1, lacing: lacing.slice(255), body: packet.subarray(firstBytes) })] : []
    return cat(bos, ps[0]!.bytes, ...rest, ...ps.slice(1).map((p) => p.bytes))
  }

  for (const name of ['pages.ogg', 'pages.opus']) {
    it(`${name}: a \\0c2pa stream is reported as foreign C2PA, kept byte for byte, and is not essence`, async () => {
      const original = fixture(name)
      const manifest = new Uint8Array(70_000).fill(0x6a)
      const file = withC2pa(original, manifest)
      const tags = await handler.read(fromBytes(file))
      expect(tags.foreign).toEqual([{ kind: 'c2pa', location: `Ogg logical stream ${0x43325041} (\\0c2pa)`, offset: 27 + 255, length: 70_005 }])
      expect(await essence(file)).toBe(await essence(original))
      for (const entries of [ENTRIES, HUGE, null]) {
        const { out } = await write(file, entries)
        expectValidOgg(out, 0x43325041)
        expect(pages(out).filter((p) => p.serial === 0x43325041).map((p) => p.bytes)).toEqual(pages(file).filter((p) => p.serial === 0x43325041).map((p) => p.bytes))
        expect((await handler.read(fromBytes(out))).document).toBe(entries?.document)
        expect(await essence(out)).toBe(await essence(original))
      }
    })
  }

  it('chained streams: the essence is each audio stream in turn; only the first stream is written', async () => {
    const a = fixture('pages.ogg')
    const b = fixture('opusenc.opus')
    const chain = cat(a, b)
    expect(await essenceBytes(chain)).toEqual(cat(await essenceBytes(a), await essenceBytes(b)))
    const { out } = await write(chain, HUGE)
    expectValidOgg(out)
    expect(out.subarray(out.byteLength - b.byteLength)).toEqual(b)
    expect(await essence(out)).toBe(await essence(chain))
  })

  it('multiplexed audio streams: hashed one after the other in BOS order; the second is reported and untouched', async () => {
    const a = pages(fixture('pages.opus'))
    const b = pages(fixture('pages.ogg')).map((p) => repage(p, { serial: 77 }))
    // BOS pages first, then the other pages interleaved.
    const parts = [a[0]!.bytes, b[0]!]
    const rest = Math.max(a.length, b.length)
    for (let i = 1; i < rest; i++) parts.push(...(a[i] ? [a[i]!.bytes] : []), ...(b[i] ? [b[i]!] : []))
    const mux = cat(...parts)
    expect(await essenceBytes(mux)).toEqual(cat(await essenceBytes(fixture('pages.opus')), await essenceBytes(fixture('pages.ogg'))))
    const tags = await handler.read(fromBytes(mux))
    expect(tags.codec).toBe('opus')
    expect(tags.warnings.join(' ')).toMatch(/stream 77 \(vorbis\) is a second audio stream/)
    for (const entries of [ENTRIES, HUGE]) {
      const { out } = await write(mux, entries)
      expectValidOgg(out)
      expect(pages(out).filter((p) => p.serial === 77).map((p) => p.bytes)).toEqual(b)
      expect(await essence(out)).toBe(await essence(mux))
    }
  })

  it('an Ogg file with no Vorbis or Opus stream is refused with ERR_NOAI_UNSUPPORTED_FORMAT', async () => {
    const flac = page({ type: 2, granule: 0n, serial: 1, seq: 0, lacing: [13], body: enc.encode('\x7fFLAC\x01\x00\x00\x01fLaC') })
    for (const op of [() => handler.read(fromBytes(flac)), () => handler.essence(fromBytes(flac), createSha256()), () => handler.planWrite(fromBytes(flac), ENTRIES)]) {
      await expect(op()).rejects.toMatchObject({ code: 'ERR_NOAI_UNSUPPORTED_FORMAT', format: 'ogg' })
    }
  })
})

describe('Ogg bad input: typed errors, bounded', () => {
  const good = fixture('pages.ogg')
  const ps = pages(good)
  const errorOf = async (bytes: Uint8Array, op: 'read' | 'essence' | 'write'): Promise<string | undefined> => {
    try {
      if (op === 'read') await handler.read(fromBytes(bytes))
      else if (op === 'essence') await handler.essence(fromBytes(bytes), createSha256())
      else await handler.planWrite(fromBytes(bytes), HUGE)
    } catch (e) {
      return (e as { code?: string }).code
    }
    return undefined
  }

  it('the CRC implementation matches the check value 0x89A1897F', () => {
    expect(bitwiseCrc(enc.encode('123456789'))).toBe(0x89a1897f)
  })

  it('a bad CRC on a header page: malformed for every operation; on an audio page the essence still changes', async () => {
    const bad = good.slice()
    bad[ps[1]!.offset + 40]! ^= 0x20
    for (const op of ['read', 'essence', 'write'] as const) expect(await errorOf(bad, op)).toBe('ERR_NOAI_MALFORMED_INPUT')
    const badAudio = good.slice()
    badAudio[ps[3]!.offset + 40]! ^= 0x20
    expect(await errorOf(badAudio, 'read')).toBeUndefined()
    expect(await essence(badAudio)).not.toBe(await essence(good))
    // Renumbering pages checks their CRCs before recomputing them.
    expect(await errorOf(badAudio, 'write')).toBe('ERR_NOAI_MALFORMED_INPUT')
  })

  it('a missing page (sequence gap): malformed in the header pages and in the audio', async () => {
    const bigHeader = (await write(good, HUGE)).out
    const hp = pages(bigHeader)
    const noHeaderPage = cat(...hp.filter((_, i) => i !== 2).map((p) => p.bytes))
    for (const op of ['read', 'essence', 'write'] as const) expect(await errorOf(noHeaderPage, op)).toBe('ERR_NOAI_MALFORMED_INPUT')
    const noAudioPage = cat(...ps.filter((_, i) => i !== 4).map((p) => p.bytes))
    expect(await errorOf(noAudioPage, 'essence')).toBe('ERR_NOAI_MALFORMED_INPUT')
    expect(await errorOf(noAudioPage, 'write')).toBe('ERR_NOAI_MALFORMED_INPUT')
    const noBos = cat(...ps.slice(1).map((p) => p.bytes))
    for (const op of ['read', 'essence', 'write'] as const) expect(await errorOf(noBos, op)).toBe('ERR_NOAI_MALFORMED_INPUT')
  })

  it('truncated at every page boundary and inside pages: malformed (or, for read, fine once the headers are complete)', async () => {
    const cuts = [1, 4, 26, 27, 28, ps[1]!.offset - 1, ps[1]!.offset + 30, ps[2]!.offset - 1, ps[3]!.offset + 20, good.byteLength - 1]
    for (const cut of cuts) {
      const t = good.subarray(0, cut)
      expect(await errorOf(t, 'essence'), `essence cut at ${cut}`).toBe('ERR_NOAI_MALFORMED_INPUT')
      if (cut < ps[2]!.offset) expect(await errorOf(t, 'read'), `read cut at ${cut}`).toBe('ERR_NOAI_MALFORMED_INPUT')
    }
    // Cut exactly after a page that ends a packet: the file is short, not damaged.
    await expect(handler.essence(fromBytes(good.subarray(0, ps[3]!.offset)), createSha256())).resolves.toBeUndefined()
  })

  it('huge lacing: a page of 255 × 255 claimed bytes in a short file, and a header packet that never ends', async () => {
    const claim = cat(ps[0]!.bytes, page({ type: 0, granule: -1n, serial: 0, seq: 1, lacing: Array(255).fill(255), body: new Uint8Array(65_025) }).subarray(0, 400))
    expect(await errorOf(claim, 'read')).toBe('ERR_NOAI_MALFORMED_INPUT')
    expect(await errorOf(claim, 'essence')).toBe('ERR_NOAI_MALFORMED_INPUT')
    const body = new Uint8Array(65_025)
    const endless = [ps[0]!.bytes]
    for (let i = 1; i <= 300; i++) endless.push(page({ type: i === 1 ? 0 : 1, granule: -1n, serial: 0, seq: i, lacing: Array(255).fill(255), body }))
    const t0 = Date.now()
    const code = await errorOf(cat(...endless), 'read')
    expect(code).toBe('ERR_NOAI_LIMIT_EXCEEDED')
    expect(Date.now() - t0).toBeLessThan(10_000)
  })

  it('continuation flags that do not match the packets, and a BOS page that is not first', async () => {
    const wrongCont = cat(ps[0]!.bytes, repage(ps[1]!, { type: 1 }), ...ps.slice(2).map((p) => p.bytes))
    for (const op of ['read', 'essence'] as const) expect(await errorOf(wrongCont, op)).toBe('ERR_NOAI_MALFORMED_INPUT')
    const notFirst = cat(ps[1]!.bytes, ps[0]!.bytes)
    expect(await errorOf(notFirst, 'read')).toBe('ERR_NOAI_MALFORMED_INPUT')
    const junk = cat(good, enc.encode('TAG junk'))
    expect(await errorOf(junk, 'essence')).toBe('ERR_NOAI_MALFORMED_INPUT')
  })

  it('a Vorbis comment header without its framing bit, or a second packet that is no comment header', async () => {
    const c = packets(good)[1]!
    const noFraming = c.slice()
    noFraming[noFraming.byteLength - 1] = 0
    const setup = packets(good)[2]!
    const rebuilt = (comment: Uint8Array): Uint8Array => {
      const body = cat(comment, setup)
      return cat(ps[0]!.bytes, page({ type: 0, granule: 0n, serial: 0, seq: 1, lacing: [...lacingOf(comment.byteLength), ...lacingOf(setup.byteLength)], body }), ...ps.slice(2).map((p) => p.bytes))
    }
    expect(await errorOf(rebuilt(c), 'read')).toBeUndefined()
    expect(await errorOf(rebuilt(noFraming), 'read')).toBe('ERR_NOAI_MALFORMED_INPUT')
    const notComment = c.slice()
    notComment[0] = 5
    expect(await errorOf(rebuilt(notComment), 'write')).toBe('ERR_NOAI_MALFORMED_INPUT')
  })

  it('audio sharing the last header page: read warns, writing is refused', async () => {
    const o = fixture('pages.opus')
    const op = pages(o)
    const merged = cat(op[1]!.body, op[2]!.body)
    const p1 = page({ type: 0, granule: op[2]!.granule, serial: 0, seq: 1, lacing: [...op[1]!.lacing, ...op[2]!.lacing], body: merged })
    const file = cat(op[0]!.bytes, p1, ...op.slice(3).map((p) => repage(p, { seq: p.seq - 1 })))
    expect((await handler.read(fromBytes(file))).warnings.join(' ')).toMatch(/writing is refused/)
    expect(await errorOf(file, 'write')).toBe('ERR_NOAI_MALFORMED_INPUT')
    expect(await essence(file)).toBe(await essence(o))
  })
})

describe('Ogg from a Blob', () => {
  it('read, essence and planWrite give the same results as from bytes', async () => {
    const bytes = fixture('pages.ogg')
    const blob = fromBlob(new Blob([bytes.slice().buffer]))
    expect(await handler.read(blob)).toEqual(await handler.read(fromBytes(bytes)))
    const h = createSha256()
    await handler.essence(blob, h)
    expect(toHex(h.digest())).toBe(await essence(bytes))
    for (const entries of [ENTRIES, null]) expect(await handler.planWrite(blob, entries)).toEqual(await handler.planWrite(fromBytes(bytes), entries))
  })
})
