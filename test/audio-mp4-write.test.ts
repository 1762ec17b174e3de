// Writing, replacing and removing our MP4 items (docs/spec.md §10.7.6).
import { describe, expect, it } from 'vitest'
import { LimitExceededError } from '../src/errors.js'
import { UnsupportedFormatError } from '../src/audio/errors.js'
import { AUDIO_LIMITS } from '../src/audio/limits.js'
import { handler } from '../src/audio/mp4/index.js'
import { MP4_PADDING_BYTES } from '../src/audio/mp4/limits.js'
import { fromBytes } from '../src/audio/source.js'
import type { EditPlan } from '../src/audio/types.js'
import {
  AUDIO_TRACK,
  FIXTURES,
  ascii,
  boxesAt,
  bytesOf,
  chunkOffsets,
  essenceHex,
  expectedEssence,
  fixture,
  freeform,
  fullBox,
  ilstItems,
  makeSamples,
  planSource,
  readTags,
  sha256,
  synth,
  walk,
  write,
  type SynthTrack,
  type TBox,
} from './audio-mp4-helpers.js'

const SMALL = { readable: 'train-ai=n, search=y', document: '{"version":1,"usage":{"train-ai":"n"}}' }
const LARGE = { readable: 'train-ai=n, ai-input=n, search=y', document: `{"version":1,"note":"${'x'.repeat(4000)}"}` }
const OURS = new Set(['----:com.apple.iTunes:NOAI', '----:com.apple.iTunes:NOAI_TAG'])

/** Leaf boxes of every track except the chunk offset tables, with their bytes. */
function trackLeaves(file: Uint8Array): string[] {
  const out: string[] = []
  const visit = (list: TBox[]) => {
    for (const b of list) {
      if (b.children.length > 0) visit(b.children)
      else if (b.type !== 'stco' && b.type !== 'co64') out.push(`${b.path}:${sha256(bytesOf(file, b))}`)
    }
  }
  visit(boxesAt(file, 'moov/trak'))
  return out
}

/** Top-level boxes other than moov and free, and moov children other than trak/udta, and udta children other than meta. */
function otherBoxes(file: Uint8Array): string[] {
  const top = walk(file).filter((b) => b.type !== 'moov' && b.type !== 'free')
  const moov = boxesAt(file, 'moov')[0]!.children.filter((b) => b.type !== 'trak' && b.type !== 'udta')
  const udta = boxesAt(file, 'moov/udta').flatMap((u) => u.children).filter((b) => b.type !== 'meta')
  const meta = boxesAt(file, 'moov/udta/meta').flatMap((m) => m.children).filter((b) => b.type !== 'ilst' && b.type !== 'free')
  return [...top, ...moov, ...udta, ...meta].map((b) => `${b.path}:${sha256(bytesOf(file, b))}`)
}

/** The first bytes of every chunk of every track. */
function chunkHeads(file: Uint8Array): string[] {
  return chunkOffsets(file).map((t) => t.offsets.map((o) => sha256(file.subarray(o, o + 8))).join(','))
}

function othersOf(file: Uint8Array): { key: string; hash: string }[] {
  return ilstItems(file)
    .filter((i) => !OURS.has(i.key))
    .map((i) => ({ key: i.key, hash: sha256(i.bytes) }))
}

async function checkPreserved(before: Uint8Array, after: Uint8Array): Promise<void> {
  expect(await essenceHex(after)).toBe(await essenceHex(before))
  expect(othersOf(after)).toEqual(othersOf(before))
  expect(trackLeaves(after)).toEqual(trackLeaves(before))
  const created = boxesAt(before, 'moov/udta/meta').length === 0 ? ['moov/udta/meta/hdlr'] : []
  expect(otherBoxes(after).filter((b) => !created.includes(b.split(':')[0]!))).toEqual(otherBoxes(before))
  expect(chunkHeads(after)).toEqual(chunkHeads(before))
  expect((await readTags(after)).foreign.map((f) => f.bytes && sha256(f.bytes))).toEqual((await readTags(before)).foreign.map((f) => f.bytes && sha256(f.bytes)))
}

function ourKeys(file: Uint8Array): string[] {
  return ilstItems(file)
    .map((i) => i.key)
    .filter((k) => OURS.has(k))
}

describe.each(FIXTURES)('MP4 write, overwrite and remove: %s', (name) => {
  const original = fixture(name)

  it('round-trips and keeps the audio and every other box', async () => {
    const w = await write(original, SMALL)
    expect(await readTags(w.out)).toMatchObject({ readable: SMALL.readable, document: SMALL.document, warnings: [] })
    expect(ourKeys(w.out)).toEqual([...OURS])
    await checkPreserved(original, w.out)

    const big = await write(w.out, LARGE)
    expect(await readTags(big.out)).toMatchObject({ readable: LARGE.readable, document: LARGE.document })
    expect(ourKeys(big.out)).toEqual([...OURS])
    await checkPreserved(original, big.out)

    const removed = await write(big.out, null)
    const tags = await readTags(removed.out)
    expect(tags.readable).toBeUndefined()
    expect(tags.document).toBeUndefined()
    expect(ourKeys(removed.out)).toEqual([])
    expect(removed.plan.kind).toBe('in-place')
    await checkPreserved(original, removed.out)
  })

  it('does nothing when the same entries are written again, or when removing from an untagged file', async () => {
    const w = await write(original, SMALL)
    expect((await write(w.out, SMALL)).plan.kind).toBe('unchanged')
    const removed = await write(w.out, null)
    expect((await write(removed.out, null)).plan.kind).toBe('unchanged')
  })
})

describe('MP4 item bytes', () => {
  it('writes the exact item of docs/spec.md §10.7.3 and the 33-byte iTunes hdlr', async () => {
    const w = await write(synth({ meta: 'none' }), { readable: 'train-ai=n', document: '{}' })
    const [item] = ilstItems(w.out)
    const hex = (s: string) => s.replace(/"([^"]*)"/g, (_, t: string) => Buffer.from(t, 'latin1').toString('hex')).replace(/ /g, '')
    expect(Buffer.from(item!.bytes).toString('hex')).toBe(hex('0000004E "----" 0000001C "mean" 00000000 "com.apple.iTunes" 00000010 "name" 00000000 "NOAI" 0000001A "data" 00000001 00000000 "train-ai=n"').toLowerCase())
    const hdlr = boxesAt(w.out, 'moov/udta/meta')[0]!.children[0]!
    expect(Buffer.from(bytesOf(w.out, hdlr)).toString('hex')).toBe(hex('00000021 "hdlr" 00000000 00000000 "mdir" "appl" 000000000000000000'))
  })
})

describe('MP4 writing in place', () => {
  it.each(['aac-end-mutagen.m4a', 'aac-faststart-mutagen.m4a'])('uses the free box after ilst, and removal restores the original bytes: %s', async (name) => {
    const original = fixture(name)
    const moov = boxesAt(original, 'moov')[0]!
    const w = await write(original, SMALL)
    expect(w.plan.kind).toBe('in-place')
    expect(w.out.byteLength).toBe(original.byteLength)
    expect((await readTags(w.out)).essenceOffset).toBe((await readTags(original)).essenceOffset)
    for (const p of (w.plan as Extract<EditPlan, { kind: 'in-place' }>).patches) {
      expect(p.offset).toBeGreaterThanOrEqual(moov.start)
      expect(p.offset + p.bytes.byteLength).toBeLessThanOrEqual(moov.end)
    }
    const removed = await write(w.out, null)
    expect(removed.plan.kind).toBe('in-place')
    expect(sha256(removed.out)).toBe(sha256(original))
  })

  it('replaces items of ours written by another tool at the position of the first one, without duplicates', async () => {
    const original = fixture('aac-noai-mutagen.m4a')
    const before = ilstItems(original).map((i) => i.key)
    const first = before.findIndex((k) => OURS.has(k))
    const expected = [...before.slice(0, first).filter((k) => !OURS.has(k)), ...OURS, ...before.slice(first).filter((k) => !OURS.has(k))]
    expect(before.filter((k) => OURS.has(k))).toHaveLength(2)
    const w = await write(original, SMALL)
    expect(w.plan.kind).toBe('in-place')
    expect(ilstItems(w.out).map((i) => i.key)).toEqual(expected)
    expect(await readTags(w.out)).toMatchObject(SMALL)
  })

  it('uses a top-level free box right after moov (mdat does not move)', async () => {
    const file = synth({ moovFirst: true, topFreeAfterMoov: 1000 })
    const w = await write(file, SMALL)
    expect(w.plan.kind).toBe('in-place')
    expect(chunkOffsets(w.out)).toEqual(chunkOffsets(file))
    expect(await readTags(w.out)).toMatchObject(SMALL)
    expect(await essenceHex(w.out)).toBe(expectedEssence())
  })

  it('uses a free box elsewhere in udta, moving only metadata', async () => {
    const file = synth({ moovFirst: true, extraUdta: [fullBox('free', new Uint8Array(600))] })
    const w = await write(file, SMALL)
    expect(w.plan.kind).toBe('in-place')
    expect(await readTags(w.out)).toMatchObject(SMALL)
    expect(await essenceHex(w.out)).toBe(expectedEssence())
  })

  it('removes by leaving a free box of the same size behind ilst', async () => {
    const w = await write(synth({ moovFirst: true }), SMALL)
    const removed = await write(w.out, null)
    expect(removed.plan.kind).toBe('in-place')
    expect(removed.out.byteLength).toBe(w.out.byteLength)
    const meta = boxesAt(removed.out, 'moov/udta/meta')[0]!
    expect(meta.children.map((b) => b.type)).toEqual(['hdlr', 'ilst', 'free'])
  })
})

describe('MP4 rewriting', () => {
  it('rewrites only moov when it is after mdat (no chunk offset changes), with padding for later edits', async () => {
    const original = fixture('aac-end.m4a')
    const moov = boxesAt(original, 'moov')[0]!
    const w = await write(original, SMALL)
    expect(w.plan.kind).toBe('rewrite')
    expect(sha256(w.out.subarray(0, moov.start))).toBe(sha256(original.subarray(0, moov.start)))
    expect(chunkOffsets(w.out)).toEqual(chunkOffsets(original))
    expect(boxesAt(w.out, 'moov/udta/meta')[0]!.children.map((b) => b.type)).toEqual(['hdlr', 'ilst', 'free'])
    expect(boxesAt(w.out, 'moov/udta/meta/free')[0]!.end - boxesAt(w.out, 'moov/udta/meta/free')[0]!.start).toBe(MP4_PADDING_BYTES)
    expect((await write(w.out, { readable: 'train-ai=y', document: SMALL.document })).plan.kind).toBe('in-place')
  })

  it('shifts mdat and adds the shift to the chunk offsets of every track when moov is first', async () => {
    const text: SynthTrack = { handler: 'text', samples: makeSamples(3, 9), perChunk: 1 }
    const file = synth({ moovFirst: true, tracks: [AUDIO_TRACK, text] })
    const w = await write(file, SMALL)
    expect(w.plan.kind).toBe('rewrite')
    const shift = boxesAt(w.out, 'mdat')[0]!.start - boxesAt(file, 'mdat')[0]!.start
    expect(shift).toBeGreaterThan(0)
    const after = chunkOffsets(w.out)
    chunkOffsets(file).forEach((t, i) => expect(after[i]!.offsets).toEqual(t.offsets.map((o) => o + shift)))
    expect(chunkHeads(w.out)).toEqual(chunkHeads(file))
    expect(await essenceHex(w.out)).toBe(expectedEssence())
  })

  it('keeps co64 tables and 64-bit box sizes', async () => {
    const file = synth({ moovFirst: true, offsets: 'co64', mdat: 'u64', udta64: true })
    const w = await write(file, SMALL)
    expect(chunkOffsets(w.out)[0]!.type).toBe('co64')
    expect(boxesAt(w.out, 'moov/udta')[0]!.header).toBe(16)
    expect(boxesAt(w.out, 'mdat')[0]!.header).toBe(16)
    expect(await essenceHex(w.out)).toBe(expectedEssence())
  })

  it('keeps an mdat whose size is 0 (to the end of the file)', async () => {
    const file = synth({ moovFirst: true, mdat: 'eof' })
    const w = await write(file, SMALL)
    const mdat = boxesAt(w.out, 'mdat')[0]!
    expect(new DataView(w.out.buffer, w.out.byteOffset).getUint32(mdat.start)).toBe(0)
    expect(await essenceHex(w.out)).toBe(expectedEssence())
    expect(await readTags(w.out)).toMatchObject(SMALL)
  })

  it('creates udta, meta (FullBox, hdlr mdir/appl) and ilst when absent', async () => {
    for (const moovFirst of [true, false]) {
      const file = synth({ moovFirst, meta: 'none' })
      const w = await write(file, SMALL)
      expect(await readTags(w.out)).toMatchObject(SMALL)
      const meta = boxesAt(w.out, 'moov/udta/meta')[0]!
      expect(Array.from(w.out.subarray(meta.start + 8, meta.start + 12))).toEqual([0, 0, 0, 0])
      const hdlr = meta.children[0]!
      expect(hdlr.type).toBe('hdlr')
      expect(String.fromCharCode(...w.out.subarray(hdlr.start + 16, hdlr.start + 24))).toBe('mdirappl')
      expect(await essenceHex(w.out)).toBe(expectedEssence())
    }
    const noIlst = await write(synth({ noIlst: true }), SMALL)
    expect(boxesAt(noIlst.out, 'moov/udta/meta')[0]!.children.map((b) => b.type)).toEqual(['hdlr', 'ilst', 'free'])
    expect(await readTags(noIlst.out)).toMatchObject(SMALL)
  })

  it('keeps the QuickTime form of meta (no version and flags)', async () => {
    const file = synth({ meta: 'quicktime', moovFirst: true })
    const w = await write(file, SMALL)
    const meta = boxesAt(w.out, 'moov/udta/meta')[0]!
    expect(String.fromCharCode(...w.out.subarray(meta.start + 12, meta.start + 16))).toBe('hdlr')
    expect(await readTags(w.out)).toMatchObject(SMALL)
  })

  it('converts stco to co64 when an offset would pass 4 GiB (virtual 4 GiB file)', async () => {
    const { source, near } = hugeFile()
    const plan = await handler.planWrite(source, SMALL)
    expect(plan.kind).toBe('rewrite')
    const out = planSource(source, plan as Extract<EditPlan, { kind: 'rewrite' }>)
    const prefix = await out.read(0, 64)
    const view = new DataView(prefix.buffer, prefix.byteOffset)
    const ftyp = view.getUint32(0)
    const head = await out.read(0, ftyp + view.getUint32(ftyp)) // ftyp + moov
    const offsets = chunkOffsets(head)
    expect(offsets[0]!.type).toBe('co64')
    const shift = out.size - source.size
    expect(offsets[0]!.offsets).toEqual([near.first + shift, near.second + shift])
    expect(offsets[0]!.offsets[1]).toBeGreaterThan(0xffff_ffff)
    expect(await essenceHex(out)).toBe(await essenceHex(source))
    expect((await readTags(out)).readable).toBe(SMALL.readable)
  })

  it('refuses to move mdat when the file has item locations (iloc) it cannot fix', async () => {
    const iloc = fullBox('meta', fullBox('hdlr', new Uint8Array(4), ascii('pict'), new Uint8Array(13)), fullBox('iloc', new Uint8Array(8)))
    const file = synth({ moovFirst: true, extraMoov: [iloc] })
    const e = await handler.planWrite(fromBytes(file), SMALL).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UnsupportedFormatError)
    // moov after mdat: nothing moves, so the same file is written
    const w = await write(synth({ extraMoov: [iloc] }), SMALL)
    expect(await readTags(w.out)).toMatchObject(SMALL)
  })

  it('refuses entries over the size limit', async () => {
    const e = await handler.planWrite(fromBytes(fixture('aac-end.m4a')), { readable: 'x', document: 'y'.repeat(AUDIO_LIMITS.maxEntryBytes + 1) }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(LimitExceededError)
  })

  it('removes every item of ours, whatever the case of its name', async () => {
    const file = synth({ items: [freeform('com.apple.iTunes', 'noai', 'a'), freeform('com.apple.iTunes', 'NOAI', 'b'), freeform('com.example', 'NOAI', 'c')] })
    const removed = await write(file, null)
    expect(ilstItems(removed.out).map((i) => i.key)).toEqual(['----:com.example:NOAI'])
  })
})

/** A virtual file over 4 GiB: ftyp, moov (stco with a chunk just under 4 GiB), 64-bit mdat of zeros. */
function hugeFile() {
  const samples = [new Uint8Array(64).fill(7), new Uint8Array(64).fill(9)]
  const track: SynthTrack = { handler: 'soun', samples, perChunk: 1 }
  const small = synth({ moovFirst: true, tracks: [track], mdat: 'u64' })
  const mdat = boxesAt(small, 'mdat')[0]!
  const first = mdat.start + 16
  const second = 0xffff_fff0 - 64
  const size = second + 64
  const head = small.slice(0, mdat.start + 16)
  const view = new DataView(head.buffer)
  view.setBigUint64(mdat.start + 8, BigInt(size - mdat.start))
  const stco = findBox(small, 'stco')!
  view.setUint32(stco.start + 16, first)
  view.setUint32(stco.start + 20, second)
  const source = {
    size,
    async read(offset: number, length: number) {
      const out = new Uint8Array(Math.max(0, Math.min(size, offset + length) - offset))
      for (let i = 0; i < out.byteLength; i++) {
        const at = offset + i
        out[i] = at < head.byteLength ? head[at]! : at >= first && at < first + 64 ? 7 : at >= second ? 9 : 0
      }
      return out
    },
  }
  return { source, near: { first, second } }
}

function findBox(file: Uint8Array, type: string): TBox | undefined {
  const visit = (list: TBox[]): TBox | undefined => {
    for (const b of list) {
      if (b.type === type) return b
      const c = visit(b.children)
      if (c) return c
    }
    return undefined
  }
  return visit(walk(file))
}
