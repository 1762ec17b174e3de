// WAV end to end without external tools: committed fixtures (ffmpeg, sox, BWF, RF64, odd chunks,
// XMP + C2PA, JUNK, mutagen id3) and hand-built files. Round trips, essence invariance, byte-for-byte
// preservation of every other chunk, in place really in place, placement rules, and hostile input.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyAudioPlan, audioEssence, audioTagEntries, fromBytes, planAudioWrite, readAudioTag, removeAudioTag, writeAudioTag } from '../src/audio.js'
import { MalformedAudioError, UnsupportedFormatError } from '../src/audio/errors.js'
import { parseId3v2 } from '../src/audio/id3v2/index.js'
import { handler } from '../src/audio/wav/index.js'
import { LimitExceededError, isNoaiTagError } from '../src/errors.js'
import type { NoaiTag } from '../src/index.js'
import { txxx, tag as id3tag, textFrame } from './audio-id3v2-build.js'
import { ascii, chunk, chunksOf, concat, containerSizeOk, fixture, foreignOf, hex, idsOf, infoNoai, payloadOf, riff, sha, u32, XMP_PACKET } from './audio-wav-helpers.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z' }
const LINE = 'search=y, train-ai=n'
const BIG: NoaiTag = { ...TAG, usage: { 'train-ai': 'denied', search: 'allowed', ai: 'denied' }, subject: { self: true, urls: Array.from({ length: 40 }, (_, i) => `https://example.com/recordings/${i}/${'x'.repeat(80)}`) } }
const BIG_LINE = audioTagEntries({ tag: BIG }).readable
const FIXTURES = ['ffmpeg.wav', 'sox.wav', 'bwf.wav', 'rf64.wav', 'odd.wav', 'xmp-c2pa.wav', 'junk.wav', 'mutagen-id3.wav']
const wav = (name: string): Uint8Array => fixture('wav', name)
const essence = async (b: Uint8Array): Promise<string> => (await audioEssence(b)).sha256
/** The essence computed independently: SHA-256 of the fmt payload then the data payload. */
const expectedEssence = (b: Uint8Array): string => sha(concat(payloadOf(b, 'fmt '), payloadOf(b, 'data')))

describe.each(FIXTURES)('WAV fixture %s', (name) => {
  const original = wav(name)

  it('the essence is the fmt payload then the data payload', async () => {
    expect(await essence(original)).toBe(expectedEssence(original))
  })

  it('round trip: write, overwrite with a larger tag, remove; essence and every other chunk unchanged', async () => {
    const e0 = await essence(original)
    const others0 = foreignOf(original)
    const w = await writeAudioTag(original, { tag: TAG })
    const r = await readAudioTag(w)
    expect(r).toMatchObject({ format: 'wav', codec: 'pcm', readable: LINE, signed: false, mismatch: false, tag: TAG })
    expect(r.document).toBe(JSON.stringify(TAG))
    expect(infoNoai(w)).toEqual([LINE])
    expect(idsOf(w).filter((id) => id === 'id3 ' || id === 'ID3 ')).toHaveLength(1)
    expect(await essence(w)).toBe(e0)
    expect(foreignOf(w)).toEqual(others0)
    expect(containerSizeOk(w)).toBe(true)
    const big = await writeAudioTag(w, { tag: BIG })
    const rb = await readAudioTag(big)
    expect(rb.tag).toEqual(BIG)
    expect(rb.readable).toBe(BIG_LINE)
    expect(infoNoai(big)).toEqual([BIG_LINE])
    expect(await essence(big)).toBe(e0)
    expect(foreignOf(big)).toEqual(others0)
    expect(containerSizeOk(big)).toBe(true)
    const rm = await removeAudioTag(big)
    const r2 = await readAudioTag(rm)
    expect(r2.readable).toBeUndefined()
    expect(r2.document).toBeUndefined()
    expect(infoNoai(rm)).toEqual([])
    expect(await essence(rm)).toBe(e0)
    expect(foreignOf(rm)).toEqual(others0)
    expect(containerSizeOk(rm)).toBe(true)
    expect(rm.length).toBe(big.length) // removal is in place (JUNK)
  })

  it('one byte flipped in the data or fmt payload changes the essence; a metadata byte does not', async () => {
    const w = await writeAudioTag(original, { tag: TAG })
    const cs = chunksOf(w)
    const data = cs.find((c) => c.id === 'data')!
    const fmt = cs.find((c) => c.id === 'fmt ')!
    for (const at of [data.offset + 8, data.offset + 8 + Math.floor(data.size / 2), data.offset + 8 + data.size - 1, fmt.offset + 8 + 4]) {
      const flipped = w.slice()
      flipped[at]! ^= 0x01
      expect(await essence(flipped), `byte ${at}`).not.toBe(await essence(w))
    }
    const id3 = cs.find((c) => c.id === 'id3 ' || c.id === 'ID3 ')!
    const meta = w.slice()
    meta[id3.offset + id3.raw.length - 2]! ^= 0x01 // ID3 padding
    expect(await essence(meta)).toBe(await essence(w))
  })

  it('writing the same entries again changes nothing; removing from an untagged file changes nothing', async () => {
    const w = await writeAudioTag(original, { tag: TAG })
    expect(await planAudioWrite(w, audioTagEntries({ tag: TAG }))).toEqual({ kind: 'unchanged' })
    expect(await planAudioWrite(original, null)).toEqual({ kind: 'unchanged' })
  })

  it('re-stamping with another document of similar size, and changing the readable line, are in place', async () => {
    const w = await writeAudioTag(original, { tag: TAG })
    const before = await readAudioTag(w)
    for (const next of [
      { ...TAG, issued: '2027-01-01T00:00:00Z' },
      { ...TAG, usage: { 'train-ai': 'denied' } },
      { ...TAG, usage: { 'train-ai': 'denied', search: 'allowed', 'ai-input': 'denied', tdm: 'denied' } },
    ] as NoaiTag[]) {
      const plan = await planAudioWrite(w, audioTagEntries({ tag: next }))
      expect(plan.kind, JSON.stringify(next.usage)).toBe('in-place')
      const w2 = await applyAudioPlan(w, plan)
      const r = await readAudioTag(w2)
      expect(r.tag).toEqual(next)
      expect(r.mismatch).toBe(false)
      expect(r.essenceOffset).toBe(before.essenceOffset)
      expect(infoNoai(w2)).toEqual([r.readable])
      expect(foreignOf(w2)).toEqual(foreignOf(original))
    }
  })
})

describe('WAV operation sequences', () => {
  const usages: NoaiTag['usage'][] = [{ 'train-ai': 'denied' }, { 'train-ai': 'denied', search: 'allowed' }, { all: 'denied', search: 'allowed', tdm: 'denied', ai: 'denied', 'train-ai': 'denied', 'train-genai': 'denied', 'ai-input': 'denied' }]
  it('any sequence of writes (small, large, other usages) and removals keeps every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FIXTURES),
        fc.array(fc.oneof(fc.constant(null), fc.record({ usage: fc.nat({ max: usages.length - 1 }), urls: fc.integer({ min: 1, max: 60 }) })), { minLength: 1, maxLength: 6 }),
        async (name, ops) => {
          const original = wav(name)
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
            expect(infoNoai(cur)).toEqual(tag ? [r.readable] : [])
          }
        },
      ),
      { numRuns: 60 },
    )
  })
})

describe('WAV placement', () => {
  it('ffmpeg WAV: NOAI goes into the existing LIST/INFO after ISFT, the id3 chunk at the end', async () => {
    const original = wav('ffmpeg.wav')
    const w = await writeAudioTag(original, { tag: TAG })
    expect(idsOf(w)).toEqual(['fmt ', 'LIST', 'data', 'id3 '])
    const list = payloadOf(w, 'LIST')
    const isft = payloadOf(original, 'LIST')
    expect(hex(list.subarray(0, isft.length))).toBe(hex(isft))
    // The value is NUL-terminated and NUL-padded to 80 bytes with the pad byte (room for any readable line of v1).
    expect(hex(list.subarray(isft.length))).toBe(hex(concat(ascii('NOAI'), u32(80 - ((LINE.length + 1) % 2), true), ascii(LINE), new Uint8Array(80 - LINE.length))))
    const t = parseId3v2(payloadOf(w, 'id3 '))
    expect(t.major).toBe(4)
  })

  it('sox WAV (no LIST): a new LIST/INFO and id3 chunk are appended after data', async () => {
    const w = await writeAudioTag(wav('sox.wav'), { tag: TAG })
    expect(idsOf(w)).toEqual(['fmt ', 'data', 'LIST', 'id3 '])
    expect(hex(w.subarray(0, 12 + 24 + 8 + 4000).subarray(8))).toBe(hex(wav('sox.wav').subarray(8, 12 + 24 + 8 + 4000)))
  })

  it("someone else's id3 chunk (ID3v2.3) receives our frames: version, frames and chunk kept, no second chunk", async () => {
    const original = wav('mutagen-id3.wav')
    const w = await writeAudioTag(original, { tag: TAG })
    expect(idsOf(w)).toEqual(['fmt ', 'data', 'id3 ', 'LIST'])
    const before = parseId3v2(payloadOf(original, 'id3 '))
    const after = parseId3v2(payloadOf(w, 'id3 '))
    expect(after.major).toBe(3)
    expect(after.frames.slice(0, before.frames.length).map((f) => hex(f.raw))).toEqual(before.frames.map((f) => hex(f.raw)))
    expect(after.frames.map((f) => f.id)).toEqual(['TIT2', 'COMM', 'TXXX', 'TXXX'])
    // Removal keeps the chunk (it still holds other frames) with their bytes.
    const rm = await removeAudioTag(w)
    expect(idsOf(rm)).toEqual(['fmt ', 'data', 'id3 ', 'JUNK'])
    expect(parseId3v2(payloadOf(rm, 'id3 ')).frames.map((f) => hex(f.raw))).toEqual(before.frames.map((f) => hex(f.raw)))
  })

  it("an upper-case 'ID3 ' chunk is reused, not duplicated", async () => {
    const file = riff(chunk('fmt ', payloadOf(wav('sox.wav'), 'fmt ')), chunk('data', payloadOf(wav('sox.wav'), 'data')), chunk('ID3 ', id3tag({ frames: [textFrame('TIT2', 'Upper')], padding: 10 })))
    const w = await writeAudioTag(file, { tag: TAG })
    expect(idsOf(w)).toEqual(['fmt ', 'data', 'ID3 ', 'LIST'])
    expect((await readAudioTag(w)).tag).toEqual(TAG)
  })

  it('in place through JUNK: same size, audio not moved, the first JUNK (ds64 reservation) untouched', async () => {
    const original = wav('junk.wav')
    const before = await readAudioTag(original)
    const plan = await planAudioWrite(original, audioTagEntries({ tag: TAG }))
    expect(plan.kind).toBe('in-place')
    if (plan.kind !== 'in-place') return
    const dataEnd = before.essenceOffset! + 4000
    for (const p of plan.patches) expect(p.offset).toBeGreaterThanOrEqual(dataEnd)
    const w = await applyAudioPlan(original, plan)
    expect(w.length).toBe(original.length)
    expect(hex(w.subarray(0, dataEnd))).toBe(hex(original.subarray(0, dataEnd)))
    expect(idsOf(w)).toEqual(['JUNK', 'fmt ', 'data', 'LIST', 'id3 ', 'JUNK'])
    expect((await readAudioTag(w)).tag).toEqual(TAG)
    // Removing is in place too and leaves padding only, with no trace of our entries: here, the
    // original file exactly.
    const rm = await removeAudioTag(w)
    expect(rm.length).toBe(original.length)
    expect(idsOf(rm)).toEqual(['JUNK', 'fmt ', 'data', 'JUNK'])
    expect(sha(rm)).toBe(sha(original))
    expect(Buffer.from(rm).includes('NOAI')).toBe(false)
    expect(Buffer.from(rm).includes(LINE)).toBe(false)
    // ... and the next write reuses that padding, in place.
    expect((await planAudioWrite(rm, audioTagEntries({ tag: BIG }))).kind).toBe('rewrite') // BIG does not fit 1 KiB
    expect((await planAudioWrite(rm, audioTagEntries({ tag: TAG }))).kind).toBe('in-place')
  })

  it('a JUNK chunk first in a RIFF file (the ds64 reservation) is never taken', async () => {
    const s = wav('sox.wav')
    const file = riff(chunk('JUNK', new Uint8Array(2000)), chunk('fmt ', payloadOf(s, 'fmt ')), chunk('data', payloadOf(s, 'data')))
    const plan = await planAudioWrite(file, audioTagEntries({ tag: TAG }))
    expect(plan.kind).toBe('rewrite')
  })

  it('RF64: ds64 riffSize follows the new size; the 32-bit sizes stay 0xFFFFFFFF; dataSize unchanged', async () => {
    const original = wav('rf64.wav')
    const w = await writeAudioTag(original, { tag: BIG })
    const v = new DataView(w.buffer, w.byteOffset)
    expect(ascii('RF64').every((c, i) => w[i] === c)).toBe(true)
    expect(v.getUint32(4, true)).toBe(0xffffffff)
    expect(v.getUint32(20, true)).toBe(w.length - 8)
    expect(v.getUint32(28, true)).toBe(4000)
    const data = chunksOf(w).find((c) => c.id === 'data')!
    expect(v.getUint32(data.offset + 4, true)).toBe(0xffffffff)
    expect(containerSizeOk(w)).toBe(true)
    expect(idsOf(w)).toEqual(['ds64', 'fmt ', 'LIST', 'data', 'id3 '])
  })

  it('odd-length chunks keep their pad bytes; new chunks follow the chunks after data', async () => {
    const original = wav('odd.wav')
    const w = await writeAudioTag(original, { tag: TAG })
    expect(idsOf(w)).toEqual(['fmt ', 'fact', 'abcd', 'data', 'cue ', 'LIST', 'smpl', 'LIST', 'id3 '])
    expect(hex(w.subarray(8, original.length))).toBe(hex(original.subarray(8)))
    expect(chunksOf(w).every((c) => c.offset % 2 === 0)).toBe(true)
  })

  it('XMP in _PMX and C2PA are reported; our chunks go before the C2PA chunk, which stays last', async () => {
    const original = wav('xmp-c2pa.wav')
    const r = await readAudioTag(original)
    const pmx = chunksOf(original).find((c) => c.id === '_PMX')!
    const c2pa = chunksOf(original).find((c) => c.id === 'C2PA')!
    expect(r.foreign).toEqual([
      { kind: 'xmp', location: 'RIFF _PMX', offset: pmx.offset + 8, length: pmx.size, bytes: pmx.payload },
      { kind: 'c2pa', location: 'RIFF C2PA', offset: c2pa.offset + 8, length: c2pa.size },
    ])
    expect(pmx.size % 2).toBe(1)
    expect(r.signals.map((s) => s.signal)).toEqual(['iptc-plus', 'cawg'])
    expect(r.signals[0]!.usage['train-ai']).toBe('denied')
    const w = await writeAudioTag(original, { tag: TAG })
    expect(idsOf(w)).toEqual(['fmt ', 'data', '_PMX', 'LIST', 'id3 ', 'C2PA'])
    const rw = await readAudioTag(w)
    expect(rw.foreign.map((f) => ({ ...f, offset: 0 }))).toEqual(r.foreign.map((f) => ({ ...f, offset: 0 })))
  })

  it('BWF: bext (odd), levl and iXML are kept byte for byte', async () => {
    const original = wav('bwf.wav')
    const w = await writeAudioTag(original, { tag: TAG })
    for (const id of ['bext', 'levl', 'iXML']) expect(hex(payloadOf(w, id))).toBe(hex(payloadOf(original, id)))
    expect(payloadOf(original, 'bext').length % 2).toBe(1)
  })
})

describe('WAV reading', () => {
  const s = wav('sox.wav')
  const fmt = chunk('fmt ', payloadOf(s, 'fmt '))
  const data = chunk('data', payloadOf(s, 'data'))
  const info = (...subs: Uint8Array[]): Uint8Array => chunk('LIST', concat(ascii('INFO'), ...subs))
  const noai = (v: string): Uint8Array => chunk('NOAI', concat(ascii(v), Uint8Array.of(0)))
  const doc = JSON.stringify(TAG)

  it('the INFO NOAI line is the readable line when no ID3 one exists', async () => {
    const r = await readAudioTag(riff(fmt, data, info(chunk('ISFT', ascii('x\0')), noai(LINE))))
    expect(r.readable).toBe(LINE)
    expect(r.document).toBeUndefined()
    expect(r.signals[0]?.usage['train-ai']).toBe('denied')
  })

  it('when ID3 and INFO lines differ, the ID3 one is used and a warning given', async () => {
    const id3 = chunk('id3 ', id3tag({ frames: [txxx('NOAI', LINE), txxx('NOAI_TAG', doc)] }))
    const r = await readAudioTag(riff(fmt, data, info(noai('train-ai=y')), id3))
    expect(r.readable).toBe(LINE)
    expect(r.tag).toEqual(TAG)
    expect(r.warnings.join('\n')).toMatch(/differs from the ID3 TXXX NOAI line/)
  })

  it('entries in a second ID3 chunk are read; writing moves them into the first', async () => {
    const first = chunk('id3 ', id3tag({ frames: [textFrame('TIT2', 'One')], padding: 8 }))
    const second = chunk('ID3 ', id3tag({ frames: [txxx('NOAI', 'search=n'), txxx('NOAI_TAG', JSON.stringify({ ...TAG, usage: { search: 'denied' } })), textFrame('TALB', 'Two')] }))
    const file = riff(fmt, data, first, second)
    const r = await readAudioTag(file)
    expect(r.readable).toBe('search=n')
    expect(r.warnings.join('\n')).toMatch(/2 ID3 chunks/)
    const w = await writeAudioTag(file, { tag: TAG })
    const cs = chunksOf(w).filter((c) => c.id === 'id3 ' || c.id === 'ID3 ')
    expect(cs.map((c) => parseId3v2(c.payload).frames.map((f) => f.id))).toEqual([['TIT2', 'TXXX', 'TXXX'], ['TALB']])
    expect((await readAudioTag(w)).tag).toEqual(TAG)
  })

  it('a missing pad byte at the end is tolerated; a rewrite adds it', async () => {
    const odd = concat(ascii('abc'))
    const file = riff(fmt, data, chunk('zzzz', odd, true, { noPad: true }))
    const r = await readAudioTag(file)
    expect(r.warnings.join('\n')).toMatch(/no pad byte/)
    const w = await writeAudioTag(file, { tag: TAG })
    expect(idsOf(w)).toEqual(['fmt ', 'data', 'zzzz', 'LIST', 'id3 '])
    expect(w[file.length]).toBe(0)
    expect(containerSizeOk(w)).toBe(true)
    // A RIFF size that counts the missing pad byte.
    const counted = file.slice()
    new DataView(counted.buffer).setUint32(4, file.length - 7, true)
    expect((await readAudioTag(counted)).warnings.join('\n')).toMatch(/pad byte missing at the end/)
  })

  it('bytes after the RIFF chunk are kept and reported', async () => {
    const file = concat(riff(fmt, data), ascii('trailing'))
    const r = await readAudioTag(file)
    expect(r.warnings.join('\n')).toMatch(/8 bytes after the end of the RIFF chunk/)
    const w = await writeAudioTag(file, { tag: TAG })
    expect(Buffer.from(w.subarray(w.length - 8)).toString()).toBe('trailing')
    expect(new DataView(w.buffer).getUint32(4, true)).toBe(w.length - 16)
    expect((await readAudioTag(w)).tag).toEqual(TAG)
  })

  it('only a LIST with nothing but NOAI is dropped on removal; other INFO sub-chunks stay in place', async () => {
    const file = riff(fmt, info(chunk('ICMT', ascii('c\0')), noai(LINE)), data)
    const rm = await removeAudioTag(file)
    expect(rm.length).toBe(file.length)
    expect(idsOf(rm)).toEqual(['fmt ', 'LIST', 'JUNK', 'data'])
    expect(hex(payloadOf(rm, 'LIST'))).toBe(hex(concat(ascii('INFO'), chunk('ICMT', ascii('c\0')))))
    const alone = await removeAudioTag(riff(fmt, info(noai(LINE)), data))
    expect(idsOf(alone)).toEqual(['fmt ', 'JUNK', 'data'])
  })

  it('BW64 works like RF64; a ds64 table gives the size of a large non-data chunk; another header size is reported', async () => {
    const u64 = (n: number): Uint8Array => concat(u32(n % 2 ** 32, true), u32(Math.floor(n / 2 ** 32), true))
    const pcm = payloadOf(s, 'data')
    const body = concat(chunk('fmt ', payloadOf(s, 'fmt ')), chunk('abcd', ascii('12345'), true, { size: 0xffffffff }), chunk('data', pcm, true, { size: 0xffffffff }))
    const ds64Payload = (riffSize: number): Uint8Array => concat(u64(riffSize), u64(pcm.length), u64(pcm.length / 2), u32(1, true), ascii('abcd'), u64(5))
    const total = 12 + 8 + 40 + body.length
    const file = concat(ascii('BW64'), u32(0xffffffff, true), ascii('WAVE'), chunk('ds64', ds64Payload(total - 8)), body)
    const r = await readAudioTag(file)
    expect(r.format).toBe('wav')
    expect(r.essenceOffset).toBe(total - pcm.length)
    expect(await essence(file)).toBe(sha(concat(payloadOf(s, 'fmt '), pcm)))
    const w = await writeAudioTag(file, { tag: TAG })
    expect(containerSizeOk(w)).toBe(true)
    expect(hex(w.subarray(60, total))).toBe(hex(file.subarray(60)))
    expect((await readAudioTag(w)).tag).toEqual(TAG)
    expect(await essence(w)).toBe(await essence(file))
    const odd = file.slice()
    new DataView(odd.buffer).setUint32(4, 1234, true)
    expect((await readAudioTag(odd)).warnings.join('\n')).toMatch(/BW64 header size is 1234, not 0xFFFFFFFF/)
  })

  it('codec names: PCM, extensible PCM, A-law', async () => {
    const f = (tag: number, ext = false): Uint8Array => {
      const p = new Uint8Array(ext ? 40 : 16)
      new DataView(p.buffer).setUint16(0, ext ? 0xfffe : tag, true)
      if (ext) new DataView(p.buffer).setUint16(24, tag, true)
      return riff(chunk('fmt ', p), data)
    }
    expect((await handler.read(fromBytes(f(1)))).codec).toBe('pcm')
    expect((await handler.read(fromBytes(f(1, true)))).codec).toBe('pcm')
    expect((await handler.read(fromBytes(f(6)))).codec).toBe('alaw')
    expect((await handler.read(fromBytes(f(0x1234)))).codec).toBeUndefined()
  })
})

describe('WAV hostile input', () => {
  const s = wav('sox.wav')

  const malformed = async (bytes: Uint8Array, re: RegExp): Promise<MalformedAudioError> => {
    const e = await readAudioTag(bytes).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(MalformedAudioError)
    expect((e as Error).message).toMatch(re)
    await expect(writeAudioTag(bytes, { tag: TAG })).rejects.toThrow(MalformedAudioError)
    await expect(audioEssence(bytes)).rejects.toThrow(MalformedAudioError)
    return e as MalformedAudioError
  }

  it('a truncated file (RIFF size past the end), with the offset', async () => {
    const e = await malformed(s.subarray(0, 2000), /runs past the end of the file .*truncated/)
    expect(e.offset).toBe(4)
    expect(e.format).toBe('wav')
  })

  it('a chunk size past the end of the RIFF chunk', async () => {
    const file = riff(chunk('fmt ', payloadOf(s, 'fmt ')), chunk('data', new Uint8Array(10), true, { size: 1000 }))
    const e = await malformed(file, /chunk "data" of 1000 bytes runs past the end of the RIFF chunk/)
    expect(e.offset).toBe(36)
  })

  it('0xFFFFFFFF sizes in a plain RIFF file', async () => {
    const a = s.slice()
    new DataView(a.buffer).setUint32(4, 0xffffffff, true)
    await malformed(a, /RIFF size 0xFFFFFFFF/)
    const b = s.slice()
    new DataView(b.buffer).setUint32(40, 0xffffffff, true)
    await malformed(b, /"data" has the size 0xFFFFFFFF/)
  })

  it('RF64 without ds64 first, and a ds64 table longer than its chunk', async () => {
    const r = wav('rf64.wav')
    const a = r.slice()
    a.set(ascii('JUNK'), 12)
    await malformed(a, /must be "ds64"/)
    const b = r.slice()
    new DataView(b.buffer).setUint32(12 + 8 + 24, 5, true)
    await malformed(b, /ds64 table of 5 entries/)
  })

  it('a chunk header cut short, and a file too short for a header', async () => {
    const cut = concat(s, ascii('abc'))
    new DataView(cut.buffer).setUint32(4, cut.length - 8, true)
    const e = await malformed(cut, /chunk header cut short/)
    expect(e.offset).toBe(s.length)
    await expect(handler.read(fromBytes(ascii('RIFF\0\0\0\0WAV')))).rejects.toThrow(/no RIFF\/RF64\/BW64 WAVE header/)
  })

  it('too many chunks, and a metadata chunk over the limit, give LimitExceededError', async () => {
    const many = riff(...Array.from({ length: 4100 }, () => chunk('abcd', new Uint8Array(0))))
    await expect(readAudioTag(many)).rejects.toThrow(LimitExceededError)
    const head = riff(chunk('id3 ', new Uint8Array(0), true, { size: 100 * 1024 * 1024 }))
    const size = head.length + 100 * 1024 * 1024
    new DataView(head.buffer).setUint32(4, size - 8, true)
    const source = { size, read: async (o: number, n: number) => (o < head.length ? head.subarray(o, Math.min(head.length, o + n)) : new Uint8Array(n)) }
    await expect(readAudioTag(source)).rejects.toThrow(LimitExceededError)
  })

  it('a damaged ID3 tag or INFO list is reported on read and refused on write', async () => {
    const badId3 = riff(chunk('fmt ', payloadOf(s, 'fmt ')), chunk('data', payloadOf(s, 'data')), chunk('id3 ', concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0, 0, 1, 0))))
    const r = await readAudioTag(badId3)
    expect(r.warnings.join('\n')).toMatch(/could not be parsed/)
    await expect(writeAudioTag(badId3, { tag: TAG })).rejects.toThrow(MalformedAudioError)
    await expect(removeAudioTag(badId3)).rejects.toThrow(MalformedAudioError)
    const badInfo = riff(chunk('fmt ', payloadOf(s, 'fmt ')), chunk('LIST', concat(ascii('INFO'), ascii('ISFT'), u32(99, true), ascii('ab'))), chunk('data', payloadOf(s, 'data')))
    expect((await readAudioTag(badInfo)).warnings.join('\n')).toMatch(/sub-chunk "ISFT" of 99 bytes runs past the end/)
    await expect(writeAudioTag(badInfo, { tag: TAG })).rejects.toThrow(MalformedAudioError)
  })

  it('an ID3v2.2 tag in the id3 chunk cannot take our frames: UnsupportedFormatError', async () => {
    const v22 = concat(ascii('TT2'), Uint8Array.of(0, 0, 5, 0), ascii('Old!'), new Uint8Array(10))
    const file = riff(chunk('fmt ', payloadOf(s, 'fmt ')), chunk('data', payloadOf(s, 'data')), chunk('id3 ', id3tag({ major: 2, body: v22 })))
    const e = await writeAudioTag(file, { tag: TAG }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UnsupportedFormatError)
    expect((e as UnsupportedFormatError).format).toBe('wav')
    expect(await planAudioWrite(file, null)).toEqual({ kind: 'unchanged' })
  })

  it('no fmt or no data chunk: the essence is refused', async () => {
    await expect(audioEssence(riff(chunk('data', new Uint8Array(4))))).rejects.toThrow(/no "fmt " chunk/)
    await expect(audioEssence(riff(chunk('fmt ', new Uint8Array(16))))).rejects.toThrow(/no "data" chunk/)
  })

  it('handler.read reads only metadata: a large file costs a few small reads', async () => {
    const big = riff(chunk('fmt ', payloadOf(s, 'fmt ')), chunk('data', new Uint8Array(20_000_000)), chunk('_PMX', XMP_PACKET), chunk('id3 ', id3tag({ frames: [txxx('NOAI', LINE)] })))
    let bytes = 0
    const src = fromBytes(big)
    const counting = { size: src.size, read: async (o: number, n: number) => ((bytes += n), src.read(o, n)) }
    const r = await handler.read(counting)
    expect(r.readable).toBe(LINE)
    expect(bytes).toBeLessThan(4096)
  })

  it('random damage to the headers gives a result or a typed error, never anything else', async () => {
    const bases = [wav('odd.wav'), wav('rf64.wav'), await writeAudioTag(wav('ffmpeg.wav'), { tag: TAG })]
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bases.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), async (which, edits) => {
        const base = bases[which]!
        const b = base.slice()
        const heads = chunksOf(base).flatMap((c) => [c.offset + 4, c.offset + 5, c.offset + 7, c.offset + 8, c.offset + 20])
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
