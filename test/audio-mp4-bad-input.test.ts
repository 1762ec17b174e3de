// Hostile and damaged MP4 input (docs/spec.md §10.7.1, §10.7.8): a typed error in bounded time and
// memory, never a crash, a hang or a partial plan.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isNoaiTagError, LimitExceededError } from '../src/errors.js'
import { MalformedAudioError, UnsupportedFormatError } from '../src/audio/errors.js'
import { createSha256 } from '../src/audio/hash.js'
import { handler } from '../src/audio/mp4/index.js'
import { fromBytes } from '../src/audio/source.js'
import {
  FIXTURES,
  ascii,
  box,
  boxesAt,
  cat,
  fixture,
  freeform,
  fullBox,
  synth,
  u32,
  u64,
  walk,
  write,
  type TBox,
} from './audio-mp4-helpers.js'

const ENTRIES = { readable: 'train-ai=n', document: '{"version":1}' }

/** Runs the three operations; each must succeed or throw a typed error. Returns the errors. */
async function all(bytes: Uint8Array): Promise<unknown[]> {
  const source = fromBytes(bytes)
  const ops = [() => handler.read(source), () => handler.essence(source, createSha256()), () => handler.planWrite(source, ENTRIES)]
  const errors: unknown[] = []
  for (const op of ops) {
    try {
      await op()
    } catch (e) {
      if (!isNoaiTagError(e)) throw e
      errors.push(e)
    }
  }
  return errors
}

async function expectAll(bytes: Uint8Array, check: (e: unknown) => void): Promise<void> {
  const errors = await all(bytes)
  expect(errors).toHaveLength(3)
  errors.forEach(check)
}

const malformedAt = (offset: number) => (e: unknown) => {
  expect(e).toBeInstanceOf(MalformedAudioError)
  expect((e as MalformedAudioError).offset).toBe(offset)
}

function first(file: Uint8Array, type: string): TBox {
  const visit = (list: TBox[]): TBox | undefined => {
    for (const b of list) {
      if (b.type === type) return b
      const c = visit(b.children)
      if (c) return c
    }
    return undefined
  }
  return visit(walk(file))!
}

/** `depth` boxes of `type`, each the only child of the one before. */
function nested(type: string, depth: number): Uint8Array {
  const out = new Uint8Array(8 * depth)
  for (let i = 0; i < depth; i++) {
    new DataView(out.buffer).setUint32(8 * i, 8 * (depth - i))
    out.set(ascii(type), 8 * i + 4)
  }
  return out
}

function setU32(file: Uint8Array, at: number, value: number): Uint8Array {
  const out = file.slice()
  new DataView(out.buffer).setUint32(at, value)
  return out
}

describe('MP4 bad input: sizes', () => {
  it('0xFFFFFFFF sizes: top-level, in moov, in ilst, in an item → MalformedAudioError with the offset', async () => {
    const file = synth({ items: [freeform('com.apple.iTunes', 'NOAI', 'x')] })
    const mdat = first(file, 'mdat')
    await expectAll(setU32(file, mdat.start, 0xffff_ffff), malformedAt(mdat.start))
    const trak = first(file, 'trak')
    await expectAll(setU32(file, trak.start, 0xffff_ffff), malformedAt(trak.start))
    const item = first(file, '----')
    const errors = await all(setU32(file, item.start, 0xffff_ffff))
    expect(errors.length).toBeGreaterThanOrEqual(2) // read and planWrite look into ilst; essence does not
    errors.forEach(malformedAt(item.start))
  })

  it('a 64-bit size past the end, or beyond any safe integer', async () => {
    const file = synth()
    const moov = first(file, 'moov')
    for (const high of [1, 0xffff_ffff]) {
      const bad = cat(file.subarray(0, moov.start), u32(1), ascii('moov'), u32(high), u32(0), file.subarray(moov.start + 8))
      await expectAll(bad, malformedAt(moov.start))
    }
  })

  it('size 0 inside moov, and sizes smaller than the header', async () => {
    const file = synth()
    const trak = first(file, 'trak')
    await expectAll(setU32(file, trak.start, 0), malformedAt(trak.start))
    await expectAll(setU32(file, trak.start, 7), malformedAt(trak.start))
    await expectAll(setU32(file, 0, 3), malformedAt(0))
  })

  it('a child running past its parent', async () => {
    const file = synth()
    const stbl = first(file, 'stbl')
    const stsd = first(file, 'stsd')
    const bad = setU32(file, stsd.start, stbl.end - stsd.start + 8)
    const errors = await all(bad)
    expect(errors).toHaveLength(3)
    errors.forEach(malformedAt(stsd.start))
  })

  it('truncated files: every cut of every fixture gives a result or a typed error', async () => {
    for (const name of FIXTURES) {
      const file = fixture(name)
      for (let cut = 0; cut < file.byteLength; cut += 53) await all(file.subarray(0, cut))
    }
  })

  it('random damage gives a result or a typed error (fast-check)', async () => {
    const file = fixture('aac-noai-mutagen.m4a')
    const moov = first(file, 'moov')
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: moov.start, max: file.byteLength - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (edits) => {
        const bad = file.slice()
        for (const [at, v] of edits) bad[at] = v
        await all(bad)
      }),
      { numRuns: 300 },
    )
  })
})

describe('MP4 bad input: structure', () => {
  it('boxes nested 10,000 deep are not followed (bounded time)', async () => {
    const start = Date.now()
    const tags = await handler.read(fromBytes(synth({ extraMoov: [nested('udta', 10_000)] })))
    expect(tags.format).toBe('mp4')
    expect(await all(synth({ extraUdta: [nested('meta', 10_000)] }))).toEqual([])
    expect(await all(synth({ extraMoov: [nested('trak', 10_000)] }))).toEqual([])
    expect(Date.now() - start).toBeLessThan(5_000)
  })

  it('too many boxes → LimitExceededError', async () => {
    const many = new Uint8Array(8 * 100_001)
    for (let at = 0; at < many.byteLength; at += 8) {
      new DataView(many.buffer).setUint32(at, 8)
      many.set(ascii('free'), at + 4)
    }
    const errors = await all(synth({ extraTop: [many] }))
    expect(errors).toHaveLength(3)
    errors.forEach((e) => expect(e).toBeInstanceOf(LimitExceededError))
  })

  it('no moov, or two → MalformedAudioError', async () => {
    await expectAll(cat(box('ftyp', ascii('M4A '), u32(0)), box('mdat', new Uint8Array(10))), (e) => expect(e).toBeInstanceOf(MalformedAudioError))
    const file = synth()
    await expectAll(cat(file, file.subarray(first(file, 'moov').start)), (e) => expect(e).toBeInstanceOf(MalformedAudioError))
  })

  it('fragmented files (moof, sidx, mfra at top level; mvex in moov) → UnsupportedFormatError fragmented-mp4', async () => {
    const variants = [synth({ extraTop: [box('sidx', new Uint8Array(24))] }), cat(synth(), box('moof', box('mfhd', new Uint8Array(8)))), cat(synth(), box('mfra')), synth({ extraMoov: [box('mvex', box('trex', new Uint8Array(24)))] })]
    for (const v of variants) {
      await expectAll(v, (e) => {
        expect(e).toBeInstanceOf(UnsupportedFormatError)
        expect((e as UnsupportedFormatError).format).toBe('fragmented-mp4')
      })
    }
  })
})

describe('MP4 bad input: sample tables', () => {
  async function essenceError(bytes: Uint8Array): Promise<unknown> {
    return handler.essence(fromBytes(bytes), createSha256()).then(
      () => undefined,
      (e: unknown) => e,
    )
  }

  it('an stco entry count larger than the box (TagLib PR #1333) → MalformedAudioError, also when writing', async () => {
    const file = synth({ moovFirst: true })
    const stco = first(file, 'stco')
    const bad = setU32(file, stco.start + 12, 0x4000_0000)
    expect(await essenceError(bad)).toBeInstanceOf(MalformedAudioError)
    await expect(handler.planWrite(fromBytes(bad), ENTRIES)).rejects.toBeInstanceOf(MalformedAudioError)
  })

  it('stsz, stz2 and stsc counts larger than their boxes → MalformedAudioError', async () => {
    const file = synth()
    expect(await essenceError(setU32(file, first(file, 'stsz').start + 16, 0xffff_ffff))).toBeInstanceOf(MalformedAudioError)
    expect(await essenceError(setU32(file, first(file, 'stsc').start + 12, 0x1000_0000))).toBeInstanceOf(MalformedAudioError)
    const stz2 = synth({ tracks: [{ handler: 'soun', samples: [new Uint8Array(3)], perChunk: 1, sizes: 'stz2' }] })
    expect(await essenceError(setU32(stz2, first(stz2, 'stz2').start + 16, 1000))).toBeInstanceOf(MalformedAudioError)
  })

  it('chunks past the end of the file, sample counts that disagree, stsc not starting at 1', async () => {
    const file = synth()
    const stco = first(file, 'stco')
    expect(await essenceError(setU32(file, stco.start + 16, file.byteLength - 4))).toBeInstanceOf(MalformedAudioError)
    const stsz = first(file, 'stsz')
    expect(await essenceError(setU32(file, stsz.start + 16, 5))).toBeInstanceOf(MalformedAudioError)
    const stsc = first(file, 'stsc')
    expect(await essenceError(setU32(file, stsc.start + 16, 2))).toBeInstanceOf(MalformedAudioError)
  })

  it('a huge constant sample size → MalformedAudioError, not a huge read', async () => {
    const file = synth({ tracks: [{ handler: 'soun', samples: [new Uint8Array(16), new Uint8Array(16)], perChunk: 1, sizes: 'const' }] })
    expect(await essenceError(setU32(file, first(file, 'stsz').start + 12, 0xffff_ffff))).toBeInstanceOf(MalformedAudioError)
  })

  it('an audio track without stsz or stco → MalformedAudioError', async () => {
    const file = synth()
    const stco = first(file, 'stco')
    const renamed = file.slice()
    renamed.set(ascii('xxxx'), stco.start + 4)
    expect(await essenceError(renamed)).toBeInstanceOf(MalformedAudioError)
  })

  it('an oversized item of ours → LimitExceededError on read; it can still be replaced or removed', async () => {
    const huge = freeform('com.apple.iTunes', 'NOAI_TAG', 'x'.repeat(200_000))
    const file = synth({ items: [huge] })
    await expect(handler.read(fromBytes(file))).rejects.toBeInstanceOf(LimitExceededError)
    const removed = await handler.planWrite(fromBytes(file), null)
    expect(removed.kind).toBe('in-place')
    const replaced = await write(file, ENTRIES)
    expect(replaced.plan.kind).toBe('in-place')
    expect(await handler.read(fromBytes(replaced.out))).toMatchObject(ENTRIES)
  })

  it('unknown boxes and odd but valid layouts still work', async () => {
    const file = synth({ moovFirst: true, extraTop: [box('wide'), fullBox('junk', u64(1))], extraMoov: [box('iods', new Uint8Array(16))] })
    expect(await all(file)).toEqual([])
    expect(boxesAt(file, 'moov')).toHaveLength(1)
  })
})
