// MP3 end to end without external tools: committed fixtures and hand-built files. Round trips,
// essence invariance, byte-for-byte preservation of other metadata, in place really in place,
// leading/trailing tag layouts, and hostile input.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyAudioPlan, audioEssence, audioTagEntries, fromBytes, planAudioWrite, readAudioTag, removeAudioTag, writeAudioTag } from '../src/audio.js'
import { MalformedAudioError } from '../src/audio/errors.js'
import { handler } from '../src/audio/mp3/index.js'
import { paddingFor } from '../src/audio/mp3/plan.js'
import { findOurEntries, parseId3v2 } from '../src/audio/id3v2/index.js'
import { LimitExceededError, isNoaiTagError } from '../src/errors.js'
import type { NoaiTag } from '../src/index.js'
import { apev2, ascii, concat, fixture, frame, ID3V1, lyrics3v2, mpegFrames, priv, tag, textFrame, txxx, txxxBody } from './audio-id3v2-build.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z' }
const BIG: NoaiTag = { ...TAG, subject: { self: true, urls: Array.from({ length: 40 }, (_, i) => `https://example.com/recordings/${i}/${'x'.repeat(80)}`) } }
const FIXTURES = ['tone-v24.mp3', 'tone-v23-id3v1.mp3', 'bare.mp3', 'bare-noxing.mp3', 'foreign.mp3']
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const essence = async (b: Uint8Array): Promise<string> => (await audioEssence(b)).sha256

/** Every frame that is not ours, from every leading tag, as hex, in order. */
async function otherFrames(b: Uint8Array): Promise<string[]> {
  const out: string[] = []
  let at = 0
  while (ascii('ID3').every((c, i) => b[at + i] === c)) {
    const t = parseId3v2(b.subarray(at), { offset: at })
    for (const f of t.frames) if (!(f.id === 'TXXX' && /^noai(_tag)?$/i.test(new TextDecoder().decode(f.data!.subarray(1, f.data!.indexOf(0, 1)))))) out.push(Buffer.from(f.raw).toString('hex'))
    at += t.totalBytes
  }
  return out
}

/** Bytes after the essence (trailing tags), which must never change. */
const tail = (b: Uint8Array, n: number): string => Buffer.from(b.subarray(b.length - n)).toString('hex')

describe.each(FIXTURES)('MP3 fixture %s', (name) => {
  const original = fixture(name)

  it('round trip: write, overwrite with a larger tag, remove; essence and other metadata unchanged', async () => {
    const e0 = await essence(original)
    const others0 = await otherFrames(original)
    const w = await writeAudioTag(original, { tag: TAG })
    const r = await readAudioTag(w)
    expect(r).toMatchObject({ format: 'mp3', codec: 'mp3', readable: 'search=y, train-ai=n', signed: false, mismatch: false, tag: TAG })
    expect(r.document).toBe(JSON.stringify(TAG))
    expect(await essence(w)).toBe(e0)
    expect(await otherFrames(w)).toEqual(others0)
    const big = await writeAudioTag(w, { tag: BIG })
    expect((await readAudioTag(big)).tag).toEqual(BIG)
    expect(await essence(big)).toBe(e0)
    expect(await otherFrames(big)).toEqual(others0)
    const rm = await removeAudioTag(big)
    const r2 = await readAudioTag(rm)
    expect(r2.readable).toBeUndefined()
    expect(r2.document).toBeUndefined()
    expect(await essence(rm)).toBe(e0)
    expect(await otherFrames(rm)).toEqual(others0)
    expect(tail(rm, 300)).toBe(tail(original, 300))
  })

  it('one audio byte flipped changes the essence; a padding byte does not', async () => {
    const w = await writeAudioTag(original, { tag: TAG })
    const r = await readAudioTag(w)
    const flipped = w.slice()
    flipped[r.essenceOffset! + 500]! ^= 0x01
    expect(await essence(flipped)).not.toBe(await essence(w))
    const padded = w.slice()
    padded[r.essenceOffset! - 200] = 0x00 // inside the padding of our tag or in the Info frame
    expect(await essence(padded)).toBe(await essence(w))
  })

  it('writing the same entries again changes nothing', async () => {
    const w = await writeAudioTag(original, { tag: TAG })
    expect(await planAudioWrite(w, audioTagEntries({ tag: TAG }))).toEqual({ kind: 'unchanged' })
    expect(sha(await writeAudioTag(w, { tag: TAG }))).toBe(sha(w))
  })
})

describe('MP3 placement', () => {
  it('writes in place when the padding absorbs the tag: same size, same essence offset, only tag bytes patched', async () => {
    const original = fixture('foreign.mp3')
    const before = await readAudioTag(original)
    const plan = await planAudioWrite(original, audioTagEntries({ tag: TAG }))
    expect(plan.kind).toBe('in-place')
    if (plan.kind !== 'in-place') return
    for (const p of plan.patches) expect(p.offset + p.bytes.length).toBeLessThanOrEqual(before.essenceOffset! - 100)
    const w = await applyAudioPlan(original, plan)
    expect(w.length).toBe(original.length)
    expect((await readAudioTag(w)).essenceOffset).toBe(before.essenceOffset)
    // Removing again restores the original bytes exactly (in place both ways).
    expect(sha(await removeAudioTag(w))).toBe(sha(original))
  })

  it('rewrites with padding per the policy when the tag does not fit; a file without ID3v2 gets a new v2.4 tag', async () => {
    const bare = fixture('bare.mp3')
    const plan = await planAudioWrite(bare, audioTagEntries({ tag: TAG }))
    expect(plan.kind).toBe('rewrite')
    if (plan.kind !== 'rewrite') return
    expect(plan.segments[1]).toEqual({ copyFrom: 0, length: bare.length })
    const t = parseId3v2((plan.segments[0] as { bytes: Uint8Array }).bytes)
    expect(t.major).toBe(4)
    expect(t.paddingBytes).toBe(paddingFor(bare.length))
    expect(paddingFor(5_000_000)).toBe(1024 + 5000)
    expect(paddingFor(10_000_000_000)).toBe(1024 * 1024)
  })

  it('keeps the version of a v2.3 tag (entries as ISO-8859-1 TXXX)', async () => {
    const w = await writeAudioTag(fixture('tone-v23-id3v1.mp3'), { tag: TAG })
    const t = parseId3v2(w)
    expect(t.major).toBe(3)
    const ours = t.frames.filter((f) => f.id === 'TXXX')
    expect(ours.map((f) => f.data![0])).toEqual([0, 0])
  })

  it('two leading tags: reads ours from either; writes into the first and removes ours from the second', async () => {
    const audio = mpegFrames(20)
    const first = tag({ frames: [textFrame('TIT2', 'One')], padding: 20 })
    const second = tag({ major: 3, frames: [txxx('NOAI', 'search=n', { major: 3 }), txxx('NOAI_TAG', JSON.stringify({ ...TAG, usage: { search: 'denied' } }), { major: 3 }), textFrame('TALB', 'Two', 3)], padding: 10 })
    const file = concat(first, second, audio)
    const r = await readAudioTag(file)
    expect(r.readable).toBe('search=n')
    expect(r.warnings.join()).toMatch(/2 consecutive ID3v2 tags/)
    const w = await writeAudioTag(file, { tag: TAG })
    const t1 = parseId3v2(w)
    const t2 = parseId3v2(w.subarray(t1.totalBytes), { offset: t1.totalBytes })
    expect(findOurEntries([t1]).readable).toBe('search=y, train-ai=n')
    expect(findOurEntries([t2]).readable).toBeUndefined()
    expect(t2.frames.map((f) => f.raw)).toEqual([textFrame('TALB', 'Two', 3)])
    expect(t2.totalBytes).toBe(second.length) // in place inside the second tag
    expect(await essence(w)).toBe(await essence(file))
    expect((await readAudioTag(w)).readable).toBe('search=y, train-ai=n')
  })

  it('an ID3v2.2 first tag is kept; a new v2.4 tag is put in front of it', async () => {
    const txx = concat(ascii('TT2'), Uint8Array.of(0, 0, 5), Uint8Array.of(0), ascii('Old!'))
    const file = concat(tag({ major: 2, body: concat(txx, new Uint8Array(10)) }), mpegFrames(10))
    const w = await writeAudioTag(file, { tag: TAG })
    const t = parseId3v2(w)
    expect(t.major).toBe(4)
    expect(Buffer.from(w.subarray(t.totalBytes))).toEqual(Buffer.from(file))
    expect((await readAudioTag(w)).readable).toBe('search=y, train-ai=n')
  })

  it('trailing ID3v1, APEv2, Lyrics3v2 and an appended ID3v2 with footer bound the essence and survive writes', async () => {
    const audio = mpegFrames(30, 7)
    const appended = tag({ frames: [textFrame('TIT2', 'End')], footer: true })
    const trailers = concat(appended, lyrics3v2(), apev2(), ID3V1)
    const file = concat(tag({ frames: [textFrame('TIT2', 'Start')], padding: 8 }), audio, trailers)
    const e = await essence(file)
    expect(e).toBe(sha(audio))
    const w = await writeAudioTag(file, { tag: TAG })
    expect(await essence(w)).toBe(e)
    expect(tail(w, trailers.length)).toBe(Buffer.from(trailers).toString('hex'))
    expect(await essence(concat(audio, ID3V1))).toBe(e)
  })

  it('skips a Xing/Info frame whose bytes a remux rewrites', async () => {
    const original = fixture('tone-v24.mp3')
    const r = await readAudioTag(original)
    const changed = original.slice()
    changed[r.essenceOffset! - 20]! ^= 0xff // inside the LAME Info frame (encoder string, CRC)
    expect(await essence(changed)).toBe(await essence(original))
  })
})

describe('MP3 hostile input', () => {
  // The essence needs only the tags' sizes, not their frames: a damaged frame list fails reads and
  // writes, not the essence.
  const malformed = async (bytes: Uint8Array, re: RegExp, essenceToo = true) => {
    const e = await readAudioTag(bytes).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(MalformedAudioError)
    expect((e as Error).message).toMatch(re)
    await expect(writeAudioTag(bytes, { tag: TAG })).rejects.toThrow(MalformedAudioError)
    if (essenceToo) await expect(audioEssence(bytes)).rejects.toThrow(MalformedAudioError)
  }

  it('a tag size past the end of the file', () => malformed(tag({ frames: [txxx('NOAI', 'a=n')], padding: 100 }).subarray(0, 60), /runs past the end/))
  it('a 0xFFFFFFFF tag size', () => malformed(concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0xff, 0xff, 0xff, 0xff), mpegFrames(3)), /not a syncsafe/))
  it('a frame size past the end of the tag', () =>
    malformed(concat(tag({ major: 3, frames: [frame('TXXX', txxxBody('NOAI', 'x', 0), { major: 3, size: 0xfffffff0 })] }), mpegFrames(3)), /runs past the end of the tag/, false))
  it('an APEv2 size past the start of the audio', () => {
    const ape = apev2()
    ape.set([0xff, 0xff, 0xff, 0x7f], ape.length - 32 + 12)
    return malformed(concat(mpegFrames(3), ape), /APEv2 tag size/)
  })
  it('a Lyrics3v2 size that is not digits', () => malformed(concat(mpegFrames(3), ascii('LYRICSBEGIN'), ascii('12x456LYRICS200')), /6 digits/))

  it('too many leading tags, and a tag over the metadata limit, are refused with LimitExceededError', async () => {
    const many = concat(...Array.from({ length: 9 }, () => tag({ padding: 1 })), mpegFrames(2))
    await expect(readAudioTag(many)).rejects.toThrow(LimitExceededError)
    const huge = concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f))
    const source = { size: 300 * 1024 * 1024, read: async (o: number, n: number) => (o === 0 ? huge.subarray(0, n) : new Uint8Array(n)) }
    await expect(readAudioTag(source)).rejects.toThrow(LimitExceededError)
  })

  it('handler.read reads only metadata: a large file costs a few reads', async () => {
    const file = concat(tag({ frames: [priv('XMP', ascii('<x/>'))], padding: 100 }), mpegFrames(50_000))
    let bytes = 0
    const src = fromBytes(file)
    const counting = { size: src.size, read: async (o: number, n: number) => ((bytes += n), src.read(o, n)) }
    await handler.read(counting)
    expect(bytes).toBeLessThan(70 * 1024)
    expect(file.length).toBeGreaterThan(5_000_000)
  })

  it('random damage to the tags or the trailers gives a result or a typed error, never anything else', async () => {
    const base = fixture('foreign.mp3')
    const headLen = (await readAudioTag(base)).essenceOffset!
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 8 }), async (edits) => {
        const b = base.slice()
        for (const [pos, v, atEnd] of edits) b[atEnd ? b.length - 1 - (pos % 300) : pos % headLen] = v
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
