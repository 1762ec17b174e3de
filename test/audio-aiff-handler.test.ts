// AIFF and AIFF-C end to end without external tools: committed fixtures (ffmpeg AIFF and AIFC,
// sox AIFC, ffmpeg with an ID3 chunk, sox COMT with APPL/XMP) and hand-built files. Round trips,
// essence invariance, byte-for-byte preservation, in place, and hostile input.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyAudioPlan, audioEssence, audioTagEntries, fromBytes, planAudioWrite, readAudioTag, removeAudioTag, writeAudioTag } from '../src/audio.js'
import { handler } from '../src/audio/aiff/index.js'
import { MalformedAudioError, UnsupportedFormatError } from '../src/audio/errors.js'
import { parseId3v2 } from '../src/audio/id3v2/index.js'
import { LimitExceededError, isNoaiTagError } from '../src/errors.js'
import type { NoaiTag } from '../src/index.js'
import { tag as id3tag, textFrame, txxx } from './audio-id3v2-build.js'
import { ascii, chunk, chunksOf, concat, containerSizeOk, fixture, foreignOf, form, hex, idsOf, payloadOf, sha, XMP_PACKET } from './audio-wav-helpers.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z' }
const LINE = 'search=y, train-ai=n'
const BIG: NoaiTag = { ...TAG, subject: { self: true, urls: Array.from({ length: 40 }, (_, i) => `https://example.com/recordings/${i}/${'x'.repeat(80)}`) } }
const FIXTURES = ['ffmpeg.aiff', 'ffmpeg.aifc', 'sox.aifc', 'ffmpeg-id3.aiff', 'comt-xmp.aiff']
const aiff = (name: string): Uint8Array => fixture('aiff', name)
const essence = async (b: Uint8Array): Promise<string> => (await audioEssence(b)).sha256
const id3Ids = (b: Uint8Array): string[] => idsOf(b).filter((id) => id === 'ID3 ' || id === 'id3 ')

describe.each(FIXTURES)('AIFF fixture %s', (name) => {
  const original = aiff(name)

  it('the essence is the COMM payload then the whole SSND payload', async () => {
    expect(await essence(original)).toBe(sha(concat(payloadOf(original, 'COMM'), payloadOf(original, 'SSND'))))
    expect((await audioEssence(original)).format).toBe('aiff')
  })

  it('round trip: write, overwrite with a larger tag, remove; essence and every other chunk unchanged', async () => {
    const e0 = await essence(original)
    const others0 = foreignOf(original)
    const w = await writeAudioTag(original, { tag: TAG })
    const r = await readAudioTag(w)
    expect(r).toMatchObject({ format: 'aiff', codec: 'pcm', readable: LINE, signed: false, mismatch: false, tag: TAG })
    expect(id3Ids(w)).toEqual(['ID3 '])
    expect(await essence(w)).toBe(e0)
    expect(foreignOf(w)).toEqual(others0)
    expect(containerSizeOk(w)).toBe(true)
    const big = await writeAudioTag(w, { tag: BIG })
    expect((await readAudioTag(big)).tag).toEqual(BIG)
    expect(await essence(big)).toBe(e0)
    expect(foreignOf(big)).toEqual(others0)
    expect(containerSizeOk(big)).toBe(true)
    const rm = await removeAudioTag(big)
    const r2 = await readAudioTag(rm)
    expect(r2.readable).toBeUndefined()
    expect(r2.document).toBeUndefined()
    expect(await essence(rm)).toBe(e0)
    expect(foreignOf(rm)).toEqual(others0)
    expect(rm.length).toBe(big.length)
    expect(containerSizeOk(rm)).toBe(true)
  })

  it('one byte flipped in SSND (header or samples) or COMM changes the essence; an ID3 padding byte does not', async () => {
    const w = await writeAudioTag(original, { tag: TAG })
    const cs = chunksOf(w)
    const ssnd = cs.find((c) => c.id === 'SSND')!
    const comm = cs.find((c) => c.id === 'COMM')!
    for (const at of [ssnd.offset + 8, ssnd.offset + 16, ssnd.offset + 8 + ssnd.size - 1, comm.offset + 8 + 2]) {
      const flipped = w.slice()
      flipped[at]! ^= 0x01
      expect(await essence(flipped), `byte ${at}`).not.toBe(await essence(w))
    }
    const id3 = cs.find((c) => c.id === 'ID3 ')!
    const meta = w.slice()
    meta[id3.offset + id3.raw.length - 2]! ^= 0x01
    expect(await essence(meta)).toBe(await essence(w))
  })

  it('writing the same entries again changes nothing; a re-stamp of similar size is in place', async () => {
    const w = await writeAudioTag(original, { tag: TAG })
    expect(await planAudioWrite(w, audioTagEntries({ tag: TAG }))).toEqual({ kind: 'unchanged' })
    expect(await planAudioWrite(original, null)).toEqual({ kind: 'unchanged' })
    const plan = await planAudioWrite(w, audioTagEntries({ tag: { ...TAG, usage: { 'train-ai': 'denied' } } }))
    expect(plan.kind).toBe('in-place')
    const w2 = await applyAudioPlan(w, plan)
    expect((await readAudioTag(w2)).readable).toBe('train-ai=n')
    expect((await readAudioTag(w2)).essenceOffset).toBe((await readAudioTag(w)).essenceOffset)
  })
})

describe('AIFF operation sequences', () => {
  const usages: NoaiTag['usage'][] = [{ 'train-ai': 'denied' }, { 'train-ai': 'denied', search: 'allowed' }, { all: 'denied', search: 'allowed', tdm: 'denied', ai: 'denied', 'train-ai': 'denied', 'train-genai': 'denied', 'ai-input': 'denied' }]
  it('any sequence of writes (small, large, other usages) and removals keeps every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIXTURES),
        fc.array(fc.oneof(fc.constant(null), fc.record({ usage: fc.nat({ max: usages.length - 1 }), urls: fc.integer({ min: 1, max: 60 }) })), { minLength: 1, maxLength: 6 }),
        async (name, ops) => {
          const original = aiff(name)
          const e0 = await essence(original)
          const others0 = foreignOf(original)
          let cur = original
          for (const op of ops) {
            const tag: NoaiTag | undefined = op === null ? undefined : { ...TAG, usage: usages[op.usage]!, subject: { self: true, urls: Array.from({ length: op.urls }, (_, i) => `https://example.com/${i}/${'y'.repeat(60)}`) } }
            const plan = await planAudioWrite(cur, tag ? audioTagEntries({ tag }) : null)
            const next = await applyAudioPlan(cur, plan)
            if (plan.kind === 'in-place') {
              expect(next.length).toBe(cur.length)
              expect((await readAudioTag(next)).essenceOffset).toBe((await readAudioTag(cur)).essenceOffset)
            }
            cur = next
            const r = await readAudioTag(cur)
            expect(r.tag).toEqual(tag)
            expect(r.readable).toBe(tag ? audioTagEntries({ tag }).readable : undefined)
            expect(r.mismatch).toBe(false)
            expect(await essence(cur)).toBe(e0)
            expect(foreignOf(cur)).toEqual(others0)
            expect(containerSizeOk(cur)).toBe(true)
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('AIFF placement', () => {
  it('a new ID3 chunk (ID3v2.4, upper-case id) goes at the end of the FORM chunk', async () => {
    const original = aiff('ffmpeg.aifc')
    const w = await writeAudioTag(original, { tag: TAG })
    expect(idsOf(w)).toEqual(['FVER', 'COMM', 'SSND', 'ID3 '])
    expect(hex(w.subarray(8, original.length))).toBe(hex(original.subarray(8)))
    expect(parseId3v2(payloadOf(w, 'ID3 ')).major).toBe(4)
  })

  it("ffmpeg's ID3 chunk (odd length) receives our frames; NAME and the title frame are kept", async () => {
    const original = aiff('ffmpeg-id3.aiff')
    expect(payloadOf(original, 'ID3 ').length % 2).toBe(1)
    const w = await writeAudioTag(original, { tag: TAG })
    expect(idsOf(w)).toEqual(['NAME', 'COMM', 'SSND', 'ID3 '])
    const before = parseId3v2(payloadOf(original, 'ID3 '))
    const after = parseId3v2(payloadOf(w, 'ID3 '))
    expect(after.major).toBe(before.major)
    expect(after.frames.slice(0, before.frames.length).map((f) => hex(f.raw))).toEqual(before.frames.map((f) => hex(f.raw)))
    // Removing keeps the chunk (the title frame is left), in place.
    const rm = await removeAudioTag(w)
    expect(idsOf(rm)).toEqual(['NAME', 'COMM', 'SSND', 'ID3 '])
    expect(rm.length).toBe(w.length)
    expect(parseId3v2(payloadOf(rm, 'ID3 ')).frames.map((f) => hex(f.raw))).toEqual(before.frames.map((f) => hex(f.raw)))
  })

  it('an ID3 chunk with nothing but ours becomes a FLLR chunk on removal, with no trace of our entries', async () => {
    const w = await writeAudioTag(aiff('ffmpeg.aiff'), { tag: TAG })
    const rm = await removeAudioTag(w)
    expect(idsOf(rm)).toEqual(['COMM', 'SSND', 'FLLR'])
    expect(Buffer.from(rm).includes(LINE)).toBe(false)
    expect((await planAudioWrite(rm, audioTagEntries({ tag: TAG }))).kind).toBe('in-place')
  })

  it('APPL/XMP is reported with its packet; COMT and ANNO are kept', async () => {
    const original = aiff('comt-xmp.aiff')
    const r = await readAudioTag(original)
    const appl = chunksOf(original).find((c) => c.id === 'APPL')!
    expect(r.foreign).toEqual([{ kind: 'xmp', location: 'AIFF APPL XMP', offset: appl.offset + 12, length: appl.size - 4, bytes: appl.payload.subarray(4) }])
    expect(r.signals.map((s) => s.signal)).toEqual(['iptc-plus'])
    const w = await writeAudioTag(original, { tag: TAG })
    expect(idsOf(w)).toEqual(['COMT', 'COMM', 'SSND', 'APPL', 'ANNO', 'ID3 '])
    for (const id of ['COMT', 'APPL', 'ANNO']) expect(hex(payloadOf(w, id))).toBe(hex(payloadOf(original, id)))
  })

  it("a lower-case 'id3 ' chunk is read and reused", async () => {
    const o = aiff('ffmpeg.aiff')
    const file = form('AIFF', chunk('COMM', payloadOf(o, 'COMM'), false), chunk('SSND', payloadOf(o, 'SSND'), false), chunk('id3 ', id3tag({ frames: [txxx('NOAI', 'search=n')], padding: 4 }), false))
    expect((await readAudioTag(file)).readable).toBe('search=n')
    const w = await writeAudioTag(file, { tag: TAG })
    expect(id3Ids(w)).toEqual(['id3 '])
    expect((await readAudioTag(w)).tag).toEqual(TAG)
  })

  it('codec names of AIFF-C compression types', async () => {
    const o = aiff('ffmpeg.aiff')
    const comm = (type: string): Uint8Array => concat(payloadOf(o, 'COMM'), ascii(type), Uint8Array.of(0, 0))
    const of = async (type: string): Promise<string | undefined> => (await handler.read(fromBytes(form('AIFC', chunk('COMM', comm(type), false), chunk('SSND', new Uint8Array(8), false))))).codec
    expect(await of('sowt')).toBe('pcm')
    expect(await of('fl32')).toBe('pcm')
    expect(await of('ulaw')).toBe('mulaw')
    expect(await of('ima4')).toBe('ima4')
  })
})

describe('AIFF hostile input', () => {
  const o = aiff('ffmpeg.aiff')
  const comm = chunk('COMM', payloadOf(o, 'COMM'), false)
  const ssnd = chunk('SSND', payloadOf(o, 'SSND'), false)

  const malformed = async (bytes: Uint8Array, re: RegExp): Promise<MalformedAudioError> => {
    const e = await readAudioTag(bytes).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(MalformedAudioError)
    expect((e as Error).message).toMatch(re)
    await expect(writeAudioTag(bytes, { tag: TAG })).rejects.toThrow(MalformedAudioError)
    await expect(audioEssence(bytes)).rejects.toThrow(MalformedAudioError)
    return e as MalformedAudioError
  }

  it('a truncated file, with the offset', async () => {
    const e = await malformed(o.subarray(0, 3000), /FORM size .* runs past the end of the file .*truncated/)
    expect(e.offset).toBe(4)
    expect(e.format).toBe('aiff')
  })

  it('a chunk size past the end, and a 0xFFFFFFFF chunk size', async () => {
    const bad = form('AIFF', comm, chunk('SSND', new Uint8Array(8), false, { size: 5000 }))
    expect((await malformed(bad, /chunk "SSND" of 5000 bytes runs past the end of the FORM chunk/)).offset).toBe(38)
    const ff = form('AIFF', comm, chunk('SSND', new Uint8Array(8), false, { size: 0xffffffff }))
    await malformed(ff, /0xFFFFFFFF/)
  })

  it('no COMM, or no SSND with sample frames: the essence is refused; no SSND with zero frames is fine', async () => {
    await expect(audioEssence(form('AIFF', ssnd))).rejects.toThrow(/no "COMM" chunk/)
    await expect(audioEssence(form('AIFF', comm))).rejects.toThrow(/no "SSND" chunk/)
    const zero = payloadOf(o, 'COMM').slice()
    zero.set([0, 0, 0, 0], 2)
    const file = form('AIFF', chunk('COMM', zero, false))
    expect(await essence(file)).toBe(sha(zero))
  })

  it('too many chunks give LimitExceededError', async () => {
    await expect(readAudioTag(form('AIFF', ...Array.from({ length: 4100 }, () => chunk('abcd', new Uint8Array(0), false))))).rejects.toThrow(LimitExceededError)
  })

  it('an ID3v2.2 tag in the ID3 chunk cannot take our frames: UnsupportedFormatError', async () => {
    const v22 = concat(ascii('TT2'), Uint8Array.of(0, 0, 5, 0), ascii('Old!'), new Uint8Array(10))
    const e = await writeAudioTag(form('AIFF', comm, ssnd, chunk('ID3 ', id3tag({ major: 2, body: v22 }), false)), { tag: TAG }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UnsupportedFormatError)
    expect((e as UnsupportedFormatError).format).toBe('aiff')
  })

  it('handler.read reads only metadata: a large file costs a few small reads', async () => {
    const big = form('AIFF', comm, chunk('SSND', new Uint8Array(20_000_000), false), chunk('APPL', concat(ascii('XMP '), XMP_PACKET), false), chunk('ID3 ', id3tag({ frames: [txxx('NOAI', LINE), textFrame('TIT2', 'x')] }), false))
    let bytes = 0
    const src = fromBytes(big)
    const counting = { size: src.size, read: async (off: number, n: number) => ((bytes += n), src.read(off, n)) }
    const r = await handler.read(counting)
    expect(r.readable).toBe(LINE)
    expect(r.foreign).toHaveLength(1)
    expect(bytes).toBeLessThan(4096)
  })

  it('random damage to the headers gives a result or a typed error, never anything else', async () => {
    const bases = [aiff('comt-xmp.aiff'), await writeAudioTag(aiff('ffmpeg-id3.aiff'), { tag: TAG })]
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bases.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), async (which, edits) => {
        const base = bases[which]!
        const b = base.slice()
        const heads = chunksOf(base).flatMap((c) => [c.offset + 4, c.offset + 6, c.offset + 7, c.offset + 8, c.offset + 20])
        for (const [pos, v] of edits) b[pos % 2 === 0 ? heads[pos % heads.length]! % b.length : pos % b.length] = v
        for (const op of [() => readAudioTag(b), () => audioEssence(b), () => writeAudioTag(b, { tag: TAG }), () => removeAudioTag(b)]) {
          await op().catch((e: unknown) => {
            if (!isNoaiTagError(e)) throw e
          })
        }
      }),
      { numRuns: 300 },
    )
  })
})
