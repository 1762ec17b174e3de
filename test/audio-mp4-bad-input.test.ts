// Hostile and damaged MP4 input (docs/spec.md §10.7.1, §10.7.8): a typed error in bounded time and
// memory, never a crash, a hang or a partial plan.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isNoaiTagError, LimitExceededError } from '../src/errors.js'
import { MalformedAudioError, UnsupportedFormatError } from '../src/audio/errors.js'
import { audioEssence } from '../src/audio.js'
import { createSha256 } from '../src/audio/hash.js'
import { handler } from '../src/audio/mp4/index.js'
import { fromBytes } from '../src/audio/source.js'
import {
  FIXTURES,
  ascii,
  box,
  boxesAt,
  cat,
  chunkOffsets,
  essenceHex,
  expectedEssence,
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

/** The synthetic moov-first file with its mdat split in two after the first chunk (chunk offsets fixed). */
function twoMdats(): Uint8Array {
  const file = synth({ moovFirst: true })
  const mdat = first(file, 'mdat')
  const [c1, c2] = chunkOffsets(file)[0]!.offsets
  const stco = first(file, 'stco')
  const head = file.slice(0, mdat.start)
  const view = new DataView(head.buffer)
  const n = view.getUint32(stco.start + 12)
  for (let i = 1; i < n; i++) view.setUint32(stco.start + 16 + 4 * i, view.getUint32(stco.start + 16 + 4 * i) + 8)
  expect(c2! - c1!).toBeGreaterThan(0)
  return cat(head, box('mdat', file.subarray(c1!, c2!)), box('mdat', file.subarray(c2!, mdat.end)))
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

  it('a chunk outside the payload of every top-level mdat (into moov, ftyp, an mdat header, across two mdats) → MalformedAudioError; the tag still reads', async () => {
    // docs/spec.md §10.7.4, malformed case 6: a chunk pointing into moov would make the essence
    // hash box bytes that writing the tag changes.
    for (const moovFirst of [true, false]) {
      const file = synth({ moovFirst, items: [freeform('com.apple.iTunes', 'NOAI', 'train-ai=n')] })
      const stco = first(file, 'stco')
      const moov = first(file, 'moov')
      const mdat = first(file, 'mdat')
      for (const target of [moov.start + 8, first(file, 'ilst').start, 8, mdat.start]) {
        const bad = setU32(file, stco.start + 16, target)
        const e = await essenceError(bad)
        expect(e, `chunk at ${target}`).toBeInstanceOf(MalformedAudioError)
        expect((e as MalformedAudioError).code).toBe('ERR_NOAI_MALFORMED_INPUT')
        expect((e as MalformedAudioError).message).toMatch(/outside the payload of every top-level mdat/)
        // Reading the entries does not need the essence (§10.7.5).
        expect(await handler.read(fromBytes(bad))).toMatchObject({ format: 'mp4', readable: 'train-ai=n' })
      }
      // The first sample at the last byte of mdat's payload: it runs into whatever follows.
      expect(await essenceError(setU32(file, stco.start + 16, mdat.end - 1))).toBeInstanceOf(MalformedAudioError)
    }
    // Two mdats: chunks in either are fine, a chunk straddling both is not.
    const two = twoMdats()
    const [, second] = boxesAt(two, 'mdat')
    const offsets = chunkOffsets(two)[0]!.offsets
    expect(offsets.filter((o) => o > second!.start)).toHaveLength(2)
    expect(await essenceError(two)).toBeUndefined()
    expect(await essenceHex(two)).toBe(expectedEssence())
    const stco = first(two, 'stco')
    expect(await essenceError(setU32(two, stco.start + 16 + 4, second!.start - 2))).toBeInstanceOf(MalformedAudioError)
  })

  it('the fuzz regression audio-mp4--property-5eed2026-m369.m4a (samples inside moov) → MalformedAudioError from audioEssence', async () => {
    const bytes = new Uint8Array(readFileSync(fileURLToPath(new URL('fixtures/fuzz-regressions/audio-mp4--property-5eed2026-m369.m4a', import.meta.url))))
    const e = await audioEssence(bytes).then(
      () => undefined,
      (x: unknown) => x,
    )
    expect(e).toBeInstanceOf(MalformedAudioError)
    expect((e as MalformedAudioError).message).toMatch(/outside the payload of every top-level mdat/)
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
