// FLAC container module: read, write (in place and rewrite), overwrite, remove, essence, and bad
// input, on committed fixtures (scripts/fixtures/flac.sh) and hand-built edge cases.
import { describe, expect, it } from 'vitest'
import { handler } from '../src/audio/flac/index.js'
import { toHex } from '../src/audio/_hex.js'
import { createSha256 } from '../src/audio/hash.js'
import { fromBlob, fromBytes } from '../src/audio/source.js'
import type { EditPlan, TagEntries } from '../src/audio/types.js'
import { applyPlan, cat, fixture as fx } from './_xiph.js'

const fixture = (name: string): Uint8Array => fx('flac', name)
const FIXTURES = ['ffmpeg.flac', 'reference.flac', 'no-padding.flac', 'no-comment.flac'] as const
const enc = new TextEncoder()
const ENTRIES: TagEntries = { readable: 'train-ai=n, search=y', document: '{"version":1,"id":"urn:uuid:0b7e2a42-1c1f-4d2e-9d55-5b1f1b6f1a01"}' }
const BIG: TagEntries = { readable: 'train-ai=n', document: `{"version":1,"x":"${'a'.repeat(20_000)}"}` }

async function write(bytes: Uint8Array, entries: TagEntries | null): Promise<{ out: Uint8Array; plan: EditPlan }> {
  const plan = await handler.planWrite(fromBytes(bytes), entries)
  return { out: applyPlan(bytes, plan), plan }
}

async function essence(bytes: Uint8Array): Promise<string> {
  const h = createSha256()
  await handler.essence(fromBytes(bytes), h)
  return toHex(h.digest())
}

/** Every metadata block as [type, last, body] (independent of the module under test). */
function blocks(bytes: Uint8Array): { type: number; last: boolean; body: Uint8Array; offset: number }[] {
  let at = 0
  while (bytes[at] === 0x49 && bytes[at + 1] === 0x44 && bytes[at + 2] === 0x33) at += 10 + ((bytes[at + 6]! << 21) | (bytes[at + 7]! << 14) | (bytes[at + 8]! << 7) | bytes[at + 9]!)
  expect(new TextDecoder().decode(bytes.subarray(at, at + 4))).toBe('fLaC')
  at += 4
  const out = []
  for (;;) {
    const type = bytes[at]! & 0x7f
    const last = (bytes[at]! & 0x80) !== 0
    const len = (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!
    out.push({ type, last, body: bytes.subarray(at + 4, at + 4 + len), offset: at })
    at += 4 + len
    if (last) return out
  }
}

/** Blocks other than VORBIS_COMMENT and PADDING, and the VC fields other than ours: must survive byte for byte. */
function others(bytes: Uint8Array): { blocks: Uint8Array[]; fields: string[]; vendor: string } {
  const all = blocks(bytes)
  const vc = all.find((b) => b.type === 4)
  const fields: string[] = []
  let vendor = ''
  if (vc) {
    const dv = new DataView(vc.body.buffer, vc.body.byteOffset, vc.body.byteLength)
    const vl = dv.getUint32(0, true)
    vendor = new TextDecoder().decode(vc.body.subarray(4, 4 + vl))
    let at = 8 + vl
    for (let i = 0; i < dv.getUint32(4 + vl, true); i++) {
      const n = dv.getUint32(at, true)
      const f = new TextDecoder().decode(vc.body.subarray(at + 4, at + 4 + n))
      if (!/^noai(_tag)?=/i.test(f)) fields.push(f)
      at += 4 + n
    }
  }
  return { blocks: all.filter((b) => b.type !== 4 && b.type !== 1).map((b) => Uint8Array.of(b.type, ...b.body)), fields, vendor }
}

/** Asserts that `after` kept everything of `before` but our fields (a new VC's vendor is ours). */
function expectPreserved(after: Uint8Array, before: Uint8Array): void {
  const a = others(after)
  const b = others(before)
  const hadVc = blocks(before).some((x) => x.type === 4)
  expect({ ...a, vendor: hadVc ? a.vendor : '' }).toEqual(b)
}

function flipAudioByte(bytes: Uint8Array, audioStart: number): Uint8Array {
  const out = bytes.slice()
  const at = audioStart + Math.floor((bytes.byteLength - audioStart) / 2)
  out[at] = out[at]! ^ 0x10
  return out
}

describe.each(FIXTURES)('FLAC %s', (name) => {
  const original = fixture(name)

  it('reads: no entries yet, codec flac, essence offset = first frame', async () => {
    const tags = await handler.read(fromBytes(original))
    expect(tags).toMatchObject({ format: 'flac', codec: 'flac', foreign: [] })
    expect(tags.readable).toBeUndefined()
    expect(tags.document).toBeUndefined()
    const last = blocks(original).at(-1)!
    expect(tags.essenceOffset).toBe(last.offset + 4 + last.body.byteLength)
    expect(original[tags.essenceOffset!]).toBe(0xff)
  })

  it('write → read round trip; other blocks and fields byte for byte; essence unchanged; then overwrite bigger, then remove', async () => {
    const e0 = await essence(original)
    const w = await write(original, ENTRIES)
    expect(await handler.read(fromBytes(w.out))).toMatchObject({ readable: ENTRIES.readable, document: ENTRIES.document })
    expectPreserved(w.out, original)
    expect(await essence(w.out)).toBe(e0)

    const big = await write(w.out, BIG)
    expect(big.plan.kind).toBe('rewrite')
    const tags = await handler.read(fromBytes(big.out))
    expect(tags).toMatchObject({ readable: BIG.readable, document: BIG.document })
    expectPreserved(big.out, original)
    expect(await essence(big.out)).toBe(e0)
    // No duplicates after replacing.
    expect(new TextDecoder().decode(big.out).match(/NOAI_TAG=/g)).toHaveLength(1)

    const removed = await write(big.out, null)
    expect(removed.plan.kind).toBe('in-place')
    const after = await handler.read(fromBytes(removed.out))
    expect(after.readable).toBeUndefined()
    expect(after.document).toBeUndefined()
    expectPreserved(removed.out, original)
    expect(await essence(removed.out)).toBe(e0)
    expect(await handler.planWrite(fromBytes(removed.out), null)).toEqual({ kind: 'unchanged' })
  })

  it('exactly one last-block flag, on the last block, after every operation', async () => {
    for (const entries of [ENTRIES, BIG, null]) {
      const { out } = await write(original, entries)
      const flags = blocks(out).map((b) => b.last)
      expect(flags.filter(Boolean)).toHaveLength(1)
      expect(flags.at(-1)).toBe(true)
    }
  })

  it('flipping one audio byte changes the essence hash', async () => {
    const start = (await handler.read(fromBytes(original))).essenceOffset!
    expect(await essence(flipAudioByte(original, start))).not.toBe(await essence(original))
  })

  it('writing the same entries twice is "unchanged" the second time', async () => {
    const { out } = await write(original, ENTRIES)
    expect(await handler.planWrite(fromBytes(out), ENTRIES)).toEqual({ kind: 'unchanged' })
  })
})

describe('FLAC in place', () => {
  it('with padding: same size, same audio offset, patches only inside the metadata', async () => {
    for (const name of ['ffmpeg.flac', 'reference.flac', 'no-comment.flac']) {
      const original = fixture(name)
      const start = (await handler.read(fromBytes(original))).essenceOffset!
      const { out, plan } = await write(original, ENTRIES)
      expect(plan.kind).toBe('in-place')
      if (plan.kind !== 'in-place') continue
      for (const p of plan.patches) expect(p.offset + p.bytes.byteLength).toBeLessThanOrEqual(start)
      expect(out.byteLength).toBe(original.byteLength)
      expect((await handler.read(fromBytes(out))).essenceOffset).toBe(start)
      expect(out.subarray(start)).toEqual(original.subarray(start))
    }
  })

  it('remove after an in-place write gives back the original bytes when the VC was before the padding', async () => {
    const original = fixture('reference.flac')
    const { out } = await write(original, ENTRIES)
    const back = await write(out, null)
    expect(back.out).toEqual(original)
  })

  it('a file without a VORBIS_COMMENT gets one where its padding was; PADDING keeps the rest zeroed', async () => {
    const original = fixture('no-comment.flac')
    const { out } = await write(original, ENTRIES)
    const types = blocks(out).map((b) => b.type)
    expect(types).toEqual([0, 3, 4, 1])
    const pad = blocks(out).find((b) => b.type === 1)!
    expect(pad.body.every((b) => b === 0)).toBe(true)
    expect(others(out).vendor).toBe('noai-tag')
  })

  it('no padding: the file is rewritten with a fresh 8 KiB PADDING block at the end', async () => {
    const original = fixture('no-padding.flac')
    const { out, plan } = await write(original, ENTRIES)
    expect(plan.kind).toBe('rewrite')
    expect(blocks(out).map((b) => b.type)).toEqual([0, 3, 4, 6, 1])
    expect(blocks(out).at(-1)!.body.byteLength).toBe(8192)
    // The rewritten file then takes the next edit in place.
    expect((await write(out, { ...ENTRIES, readable: 'train-ai=y' })).plan.kind).toBe('in-place')
  })
})

/** A minimal FLAC: STREAMINFO, the given blocks, then a fake frame. */
function synth(extra: readonly { type: number; body: Uint8Array }[], audio = Uint8Array.of(0xff, 0xf8, 1, 2, 3, 4, 5, 6)): Uint8Array {
  const all = [{ type: 0, body: new Uint8Array(34).fill(7) }, ...extra]
  const parts: Uint8Array[] = [enc.encode('fLaC')]
  all.forEach((b, i) => {
    const n = b.body.byteLength
    parts.push(Uint8Array.of((i === all.length - 1 ? 0x80 : 0) | b.type, n >>> 16, (n >>> 8) & 0xff, n & 0xff), b.body)
  })
  parts.push(audio)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

function vcBody(fields: readonly string[]): Uint8Array {
  const raws = fields.map((f) => enc.encode(f))
  const out = new Uint8Array(8 + raws.reduce((n, r) => n + 4 + r.byteLength, 0))
  const dv = new DataView(out.buffer)
  dv.setUint32(4, raws.length, true)
  let at = 8
  for (const r of raws) {
    dv.setUint32(at, r.byteLength, true)
    out.set(r, at + 4)
    at += 4 + r.byteLength
  }
  return out
}

describe('FLAC padding arithmetic', () => {
  const ours = vcBody([`NOAI=${ENTRIES.readable}`, `NOAI_TAG=${ENTRIES.document}`])

  it('a new VC that exactly fills VC + PADDING is written in place with no PADDING left', async () => {
    const old = vcBody(['A=1'])
    const need = vcBody(['A=1', `NOAI=${ENTRIES.readable}`, `NOAI_TAG=${ENTRIES.document}`]).byteLength
    const file = synth([
      { type: 4, body: old },
      { type: 1, body: new Uint8Array(need - old.byteLength - 4) },
    ])
    const { out, plan } = await write(file, ENTRIES)
    expect(plan.kind).toBe('in-place')
    expect(blocks(out).map((b) => [b.type, b.last])).toEqual([
      [0, false],
      [4, true],
    ])
    expect(out.byteLength).toBe(file.byteLength)
  })

  it.each([1, 2, 3])('a leftover of %i byte(s) cannot form a PADDING block: rewrite', async (left) => {
    const old = vcBody(['A=1'])
    const need = vcBody(['A=1', `NOAI=${ENTRIES.readable}`, `NOAI_TAG=${ENTRIES.document}`]).byteLength
    const file = synth([
      { type: 4, body: old },
      { type: 1, body: new Uint8Array(need - old.byteLength - 4 + left) },
    ])
    const { out, plan } = await write(file, ENTRIES)
    expect(plan.kind).toBe('rewrite')
    expect(blocks(out).map((b) => b.type)).toEqual([0, 4, 1])
    expect(await essence(out)).toBe(await essence(file))
  })

  it('a leftover of exactly 4 bytes becomes an empty PADDING block, in place', async () => {
    const old = vcBody(['A=1'])
    const need = vcBody(['A=1', `NOAI=${ENTRIES.readable}`, `NOAI_TAG=${ENTRIES.document}`]).byteLength
    const file = synth([
      { type: 4, body: old },
      { type: 1, body: new Uint8Array(need - old.byteLength) },
    ])
    const { out, plan } = await write(file, ENTRIES)
    expect(plan.kind).toBe('in-place')
    expect(blocks(out).map((b) => [b.type, b.body.byteLength])).toEqual([
      [0, 34],
      [4, need],
      [1, 0],
    ])
  })

  it('removing shrinks the VC and grows the PADDING in place, zeroing the old bytes', async () => {
    const file = synth([
      { type: 2, body: enc.encode('riffxyz') },
      { type: 4, body: ours },
      { type: 6, body: new Uint8Array(50).fill(9) },
    ])
    const { out, plan } = await write(file, null)
    expect(plan.kind).toBe('in-place')
    expect(blocks(out).map((b) => b.type)).toEqual([0, 2, 4, 1, 6])
    expect(blocks(out)[3]!.body.every((b) => b === 0)).toBe(true)
    expect(blocks(out)[4]!.body).toEqual(new Uint8Array(50).fill(9))
  })

  it('removing from a last-block VC with no PADDING appends a PADDING block that takes the last flag', async () => {
    const file = synth([{ type: 4, body: vcBody(['A=1', `NOAI=${ENTRIES.readable}`, `NOAI_TAG=${ENTRIES.document}`]) }])
    const { out, plan } = await write(file, null)
    expect(plan.kind).toBe('in-place')
    expect(blocks(out).map((b) => [b.type, b.last])).toEqual([
      [0, false],
      [4, false],
      [1, true],
    ])
    expect(others(out)).toEqual(others(file))
    expect(await essence(out)).toBe(await essence(file))
  })

  it('uses the PADDING run right after the VC only; the new VC replaces the old one at its position', async () => {
    const file = synth([
      { type: 1, body: new Uint8Array(10_000) },
      { type: 4, body: vcBody(['A=1']) },
      { type: 6, body: new Uint8Array(20).fill(5) },
    ])
    const { out, plan } = await write(file, ENTRIES)
    expect(plan.kind).toBe('rewrite')
    expect(blocks(out).map((b) => b.type)).toEqual([0, 4, 6, 1])
  })

  it('keeps reserved block types and APPLICATION blocks byte for byte', async () => {
    const file = synth([
      { type: 2, body: enc.encode('ATCHdata') },
      { type: 9, body: Uint8Array.of(1, 2, 3) },
    ])
    const { out } = await write(file, ENTRIES)
    expect(blocks(out).map((b) => b.type)).toEqual([0, 2, 9, 4, 1])
    expect(blocks(out)[1]!.body).toEqual(enc.encode('ATCHdata'))
    expect(blocks(out)[2]!.body).toEqual(Uint8Array.of(1, 2, 3))
  })

  it('a VC block over 16 MiB − 1 bytes is a LimitExceededError', async () => {
    const file = synth([{ type: 4, body: vcBody(['A=' + 'x'.repeat(0xff_ffff - 8 - 4 - 2 - 100)]) }])
    await expect(handler.planWrite(fromBytes(file), ENTRIES)).rejects.toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxBlockBytes' })
  })
})

/** An ID3v2.4 frame. */
function frame(id: string, body: Uint8Array): Uint8Array {
  const n = body.byteLength
  return Uint8Array.of(...enc.encode(id), (n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f, 0, 0, ...body)
}

/** An ID3v2.4 tag with a PRIV `XMP` frame and a GEOB `application/c2pa` frame, as C2PA tools put in front of `fLaC`. */
function id3(payload: string): Uint8Array {
  const body = cat(
    frame('PRIV', enc.encode(`XMP\0${payload}`)),
    frame('GEOB', cat(Uint8Array.of(0), enc.encode('application/c2pa\0c2pa\0c2pa manifest store\0'), enc.encode('jumbdata'))),
  )
  const n = body.byteLength
  return Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, (n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f, ...body)
}

describe('FLAC with an ID3v2 prefix and ID3v1/APEv2 trailers', () => {
  const plain = fixture('reference.flac')
  const prefix = id3('<x:xmpmeta/>')
  const id3v1 = cat(enc.encode('TAG'), new Uint8Array(125).fill(0x20))
  const apeFooter = (items: number): Uint8Array => {
    const f = new Uint8Array(32)
    f.set(enc.encode('APETAGEX'))
    new DataView(f.buffer).setUint32(8, 2000, true)
    new DataView(f.buffer).setUint32(12, 32 + items, true)
    return f
  }
  const tagged = cat(prefix, plain, cat(new Uint8Array(10).fill(1), apeFooter(10)), id3v1)

  it('the essence ignores the prefix and the trailers', async () => {
    expect(await essence(tagged)).toBe(await essence(plain))
    expect(await essence(cat(plain, id3v1))).toBe(await essence(plain))
  })

  it('reads through the prefix: its range as a warning, its XMP and C2PA frames as foreign metadata', async () => {
    const tags = await handler.read(fromBytes(tagged))
    const xmp = tags.foreign.find((f) => f.kind === 'xmp')!
    expect(xmp).toMatchObject({ location: 'ID3v2 prefix PRIV XMP', length: 12 })
    expect(new TextDecoder().decode(xmp.bytes)).toBe('<x:xmpmeta/>')
    expect(new TextDecoder().decode(tagged.subarray(xmp.offset, xmp.offset + xmp.length))).toBe('<x:xmpmeta/>')
    const c2pa = tags.foreign.find((f) => f.kind === 'c2pa')!
    expect(c2pa.location).toMatch(/GEOB application\/c2pa/)
    expect(new TextDecoder().decode(tagged.subarray(c2pa.offset, c2pa.offset + c2pa.length))).toBe('jumbdata')
    expect(tags.warnings.join(' ')).toMatch(new RegExp(`ID3v2 prefix at offset 0 \\(${prefix.byteLength} bytes\\)`))
    expect(tags.essenceOffset).toBe((await handler.read(fromBytes(plain))).essenceOffset! + prefix.byteLength)
  })

  it('writing keeps the prefix and the trailers byte for byte (in place and rewrite)', async () => {
    for (const entries of [ENTRIES, BIG]) {
      const { out } = await write(tagged, entries)
      expect(out.subarray(0, prefix.byteLength)).toEqual(prefix)
      expect(out.subarray(out.byteLength - 170)).toEqual(tagged.subarray(tagged.byteLength - 170))
      expect((await handler.read(fromBytes(out))).document).toBe(entries.document)
      expect(await essence(out)).toBe(await essence(plain))
    }
  })
})

describe('FLAC bad input: typed errors, bounded', () => {
  const good = fixture('ffmpeg.flac')
  const code = async (bytes: Uint8Array): Promise<string | undefined> => {
    for (const op of [() => handler.read(fromBytes(bytes)), () => handler.planWrite(fromBytes(bytes), ENTRIES), () => handler.essence(fromBytes(bytes), createSha256())]) {
      try {
        await op()
      } catch (e) {
        return (e as { code?: string }).code
      }
    }
    return undefined
  }

  it('truncated anywhere in the metadata → ERR_NOAI_MALFORMED_INPUT', async () => {
    const start = (await handler.read(fromBytes(good))).essenceOffset!
    for (const cut of [0, 3, 4, 7, 8, 20, 41, 42, 50, start - 1]) expect(await code(good.subarray(0, cut)), `cut at ${cut}`).toBe('ERR_NOAI_MALFORMED_INPUT')
  })

  it('a block length pointing past the end, a forbidden type 127, a STREAMINFO not first', async () => {
    const past = good.slice()
    past[5] = 0xff
    expect(await code(past)).toBe('ERR_NOAI_MALFORMED_INPUT')
    const forbidden = synth([{ type: 127, body: new Uint8Array(1) }])
    expect(await code(forbidden)).toBe('ERR_NOAI_MALFORMED_INPUT')
    const notFirst = good.slice()
    notFirst[4] = 4
    expect(await code(notFirst)).toBe('ERR_NOAI_MALFORMED_INPUT')
  })

  it('an ID3 prefix size past the end, non-syncsafe, or not followed by fLaC', async () => {
    const p = id3('x')
    const big = p.slice()
    big[6] = 0x7f
    expect(await code(cat(big, good))).toBe('ERR_NOAI_MALFORMED_INPUT')
    const nonSync = p.slice()
    nonSync[9] = 0x80
    expect(await code(cat(nonSync, good))).toBe('ERR_NOAI_MALFORMED_INPUT')
    expect(await code(cat(p, new Uint8Array(4), good))).toBe('ERR_NOAI_MALFORMED_INPUT')
  })

  it('a VC field count of 0xFFFFFFFF, and 10,000 metadata blocks, fail fast', async () => {
    const vc = vcBody([])
    vc.set([0xff, 0xff, 0xff, 0xff], 4)
    const t0 = Date.now()
    expect(await code(synth([{ type: 4, body: vc }]))).toMatch(/ERR_NOAI_(MALFORMED_INPUT|LIMIT_EXCEEDED)/)
    const many = synth(Array.from({ length: 10_000 }, () => ({ type: 1, body: new Uint8Array(0) })))
    expect(await code(many)).toBe('ERR_NOAI_MALFORMED_INPUT')
    expect(Date.now() - t0).toBeLessThan(5000)
  })

  it('two VORBIS_COMMENT blocks: read warns and uses the first; writing is refused', async () => {
    const file = synth([
      { type: 4, body: vcBody(['NOAI=first']) },
      { type: 4, body: vcBody(['NOAI=second']) },
    ])
    const tags = await handler.read(fromBytes(file))
    expect(tags.readable).toBe('first')
    expect(tags.warnings.join(' ')).toMatch(/2 VORBIS_COMMENT blocks/)
    await expect(handler.planWrite(fromBytes(file), ENTRIES)).rejects.toMatchObject({ code: 'ERR_NOAI_MALFORMED_INPUT' })
  })

  it('garbage where the first frame should be is refused by the essence', async () => {
    const file = synth([], Uint8Array.of(0, 1, 2, 3))
    await expect(handler.essence(fromBytes(file), createSha256())).rejects.toMatchObject({ code: 'ERR_NOAI_MALFORMED_INPUT' })
    // A file with no frames at all has the STREAMINFO as its essence.
    await expect(handler.essence(fromBytes(synth([], new Uint8Array(0))), createSha256())).resolves.toBeUndefined()
  })
})

describe('FLAC from a Blob', () => {
  it('read, essence and planWrite give the same results as from bytes', async () => {
    const bytes = fixture('reference.flac')
    const blob = fromBlob(new Blob([bytes.slice().buffer]))
    expect(await handler.read(blob)).toEqual(await handler.read(fromBytes(bytes)))
    const h = createSha256()
    await handler.essence(blob, h)
    expect(toHex(h.digest())).toBe(await essence(bytes))
    for (const entries of [ENTRIES, null]) expect(await handler.planWrite(blob, entries)).toEqual(await handler.planWrite(fromBytes(bytes), entries))
  })
})
