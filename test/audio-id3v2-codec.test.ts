// The ID3v2 codec on hand-built tags: versions, extended headers, footer, unsynchronisation,
// iTunes non-syncsafe sizes, opaque frames, hostile sizes, and byte-for-byte re-serialisation.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MalformedAudioError } from '../src/audio/errors.js'
import {
  findOurEntries,
  foreignOfFrames,
  newId3v2Tag,
  parseId3v2,
  parseId3v2Footer,
  rewriteId3v2,
  serializeId3v2,
  decodeTxxx,
  type Id3v2Tag,
} from '../src/audio/id3v2/index.js'
import { applyUnsync, removeUnsync } from '../src/audio/id3v2/syncsafe.js'
import { ascii, concat, frame, geob, priv, syncsafe, tag, textFrame, txxx, txxxBody, u32, unsync } from './audio-id3v2-build.js'

const ENTRIES = { readable: 'train-ai=n', document: '{"version":1,"subject":{"self":true},"usage":{"train-ai":"denied"},"issued":"2026-11-26T00:00:00Z"}' }
const pad = { paddingFor: () => 100 }
const others = (t: Id3v2Tag): string[] => t.frames.filter((f) => !(f.id === 'TXXX' && /^noai/i.test(decodeTxxx(f)?.description ?? ''))).map((f) => Buffer.from(f.raw).toString('hex'))

describe('ID3v2 unsynchronisation', () => {
  it('removeUnsync inverts applyUnsync for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const u = applyUnsync(b, true)
        for (let i = 0; i + 1 < u.length; i++) if (u[i] === 0xff) expect(u[i + 1] === 0 || (u[i + 1]! & 0xe0) !== 0xe0).toBe(true)
        expect(removeUnsync(u)).toEqual(b)
      }),
    )
  })
})

describe('parseId3v2', () => {
  it('parses a v2.4 tag, keeps every frame as stored and counts the padding', () => {
    const frames = [textFrame('TIT2', 'Tone'), txxx('comment', 'x'), priv('org.example', Uint8Array.of(1, 2, 3))]
    const t = parseId3v2(tag({ frames, padding: 37 }))
    expect(t.major).toBe(4)
    expect(t.frames.map((f) => f.id)).toEqual(['TIT2', 'TXXX', 'PRIV'])
    expect(t.frames.map((f) => f.raw)).toEqual(frames)
    expect(t.paddingBytes).toBe(37)
    expect(t.frames[0]!.fileOffset).toBe(10)
  })

  it('skips a v2.3 extended header (with CRC) and a v2.4 extended header (syncsafe, counts itself)', () => {
    const f = [txxx('NOAI', 'a=n', { major: 3 })]
    const ext3 = concat(u32(10), Uint8Array.of(0x80, 0), u32(0), u32(0xdeadbeef))
    expect(findOurEntries([parseId3v2(tag({ major: 3, ext: ext3, frames: f }))]).readable).toBe('a=n')
    const ext4 = concat(syncsafe(6), Uint8Array.of(1, 0))
    const t4 = parseId3v2(tag({ major: 4, ext: ext4, frames: [txxx('NOAI', 'b=y')] }))
    expect(findOurEntries([t4]).readable).toBe('b=y')
    expect(t4.frames[0]!.fileOffset).toBe(16)
  })

  it('refuses an extended header whose size does not fit', () => {
    const bad = concat(u32(5000), Uint8Array.of(0, 0), u32(0))
    expect(() => parseId3v2(tag({ major: 3, ext: bad, frames: [txxx('NOAI', 'a=n', { major: 3 })] }))).toThrow(MalformedAudioError)
  })

  it('reads a v2.4 footer: the tag is 20 bytes longer than its size field, and the footer parses', () => {
    const bytes = tag({ frames: [txxx('NOAI', 'a=n')], footer: true })
    const t = parseId3v2(bytes)
    expect(t.totalBytes).toBe(bytes.length)
    expect(parseId3v2Footer(bytes, bytes.length - 10)?.totalBytes).toBe(bytes.length)
  })

  it('decodes a v2.3 whole-tag unsynchronised tag', () => {
    const data = Uint8Array.of(0xff, 0xe0, 0xff, 0x00, 0x41, 0xff)
    const frames = concat(priv('XMP', data, 3), txxx('NOAI', 'a=n', { major: 3 }))
    const bytes = tag({ major: 3, flags: 0x80, body: unsync(concat(frames, new Uint8Array(4))) })
    const t = parseId3v2(bytes)
    expect(t.frames.map((f) => f.id)).toEqual(['PRIV', 'TXXX'])
    const xmp = foreignOfFrames(t.frames, 0)[0]!
    expect(xmp.kind).toBe('xmp')
    expect(xmp.bytes).toEqual(data)
    expect(findOurEntries([t]).readable).toBe('a=n')
  })

  it('decodes v2.4 per-frame unsynchronisation with a data length indicator', () => {
    const data = concat(ascii('XMP'), Uint8Array.of(0), Uint8Array.of(0xff, 0xf0, 0x12, 0xff, 0x00))
    const stored = unsync(data)
    const f = concat(ascii('PRIV'), syncsafe(stored.length + 4), Uint8Array.of(0x00, 0x03), syncsafe(data.length), stored)
    const t = parseId3v2(tag({ frames: [f] }))
    expect(t.frames[0]!.data).toEqual(data)
    expect(foreignOfFrames(t.frames, 0)[0]!.bytes).toEqual(data.subarray(4))
  })

  it('reads v2.4 frame sizes written as plain integers (old iTunes) like mutagen', () => {
    const big = 'x'.repeat(200) // size 0xCA: not a syncsafe byte
    const frames = [frame('TIT2', concat(Uint8Array.of(3), ascii(big)), { plain: true }), txxx('NOAI', 'a=n', { plain: true }), textFrame('TALB', 'Album')]
    const t = parseId3v2(tag({ frames }))
    expect(t.sizeMode).toBe('plain')
    expect(t.frames.map((f) => f.id)).toEqual(['TIT2', 'TXXX', 'TALB'])
    expect(t.warnings.join()).toMatch(/plain integers/)
    // Ours is written with plain sizes too, so that the tag stays consistent for readers.
    const r = rewriteId3v2(t, { readable: 'a=n', document: 'd'.repeat(300) }, pad)!
    const back = parseId3v2(r.bytes)
    expect(back.sizeMode).toBe('plain')
    expect(findOurEntries([back]).document).toBe('d'.repeat(300))
    expect(others(back)).toEqual(others(t))
  })

  it('keeps compressed and encrypted frames raw, and ignores a compressed TXXX with a warning', () => {
    const zlib = Uint8Array.of(0x78, 0x9c, 1, 2, 3, 4)
    const compressed = concat(ascii('TXXX'), syncsafe(zlib.length + 4), Uint8Array.of(0x00, 0x09), syncsafe(100), zlib)
    const encrypted = concat(ascii('APIC'), syncsafe(5), Uint8Array.of(0x00, 0x04), Uint8Array.of(0x80, 9, 9, 9, 9))
    const t = parseId3v2(tag({ frames: [compressed, encrypted, txxx('NOAI', 'a=n')], padding: 10 }))
    expect(t.frames[0]!.opaque).toBe(true)
    expect(t.frames[1]!.opaque).toBe(true)
    const found = findOurEntries([t])
    expect(found.readable).toBe('a=n')
    expect(found.warnings.join()).toMatch(/compressed or encrypted TXXX/)
    const r = rewriteId3v2(t, ENTRIES, pad)!
    const back = parseId3v2(r.bytes)
    expect(back.frames[0]!.raw).toEqual(compressed)
    expect(back.frames[1]!.raw).toEqual(encrypted)
  })

  it('parses v2.3 compressed/encrypted/grouped frame extras in flag order', () => {
    const grouped = concat(ascii('TXXX'), u32(1 + txxxBody('NOAI', 'g=y', 0).length), Uint8Array.of(0x00, 0x20), Uint8Array.of(7), txxxBody('NOAI', 'g=y', 0))
    expect(findOurEntries([parseId3v2(tag({ major: 3, frames: [grouped] }))]).readable).toBe('g=y')
  })

  it('throws typed errors for 0xFFFFFFFF and past-the-end sizes, and for cut tags', () => {
    const ff = concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0xff, 0xff, 0xff, 0xff))
    expect(() => parseId3v2(ff)).toThrow(MalformedAudioError)
    const huge = frame('TXXX', txxxBody('NOAI', 'a', 0), { major: 3, size: 0xffffffff })
    const e = (() => {
      try {
        parseId3v2(tag({ major: 3, frames: [huge] }))
      } catch (x) {
        return x
      }
    })()
    expect(e).toBeInstanceOf(MalformedAudioError)
    expect((e as MalformedAudioError).code).toBe('ERR_NOAI_MALFORMED_INPUT')
    expect((e as MalformedAudioError).message).toMatch(/runs past the end of the tag/)
    const whole = tag({ frames: [txxx('NOAI', 'a=n')], padding: 100 })
    expect(() => parseId3v2(whole.subarray(0, 50))).toThrow(/cut short/)
  })

  it('treats junk after the frames as padding, with a warning', () => {
    const t = parseId3v2(tag({ body: concat(txxx('NOAI', 'a=n'), ascii('junk!'), new Uint8Array(5)) }))
    expect(t.frames).toHaveLength(1)
    expect(t.paddingBytes).toBe(10)
    expect(t.warnings.join()).toMatch(/not a frame/)
  })

  it('reads v2.2 TXX frames, and skips unknown versions unread', () => {
    const txx = concat(ascii('TXX'), Uint8Array.of(0, 0, 9), txxxBody('NOAI', 'a=n', 0).subarray(0, 9))
    const t2 = parseId3v2(tag({ major: 2, body: concat(txx, new Uint8Array(4)) }))
    expect(findOurEntries([t2]).readable).toBe('a=n')
    const t5 = parseId3v2(tag({ major: 5 as 4, frames: [txxx('NOAI', 'a=n')] }))
    expect(t5.readable).toBe(false)
    expect(t5.frames).toEqual([])
  })
})

describe('TXXX text', () => {
  const f = (body: Uint8Array) => parseId3v2(tag({ frames: [frame('TXXX', body)] })).frames[0]!
  it('decodes every encoding, strips trailing NULs and takes the first of several values', () => {
    expect(decodeTxxx(f(concat(Uint8Array.of(0), ascii('NOAI'), Uint8Array.of(0), Uint8Array.of(0x61, 0xe9, 0)))))
      .toEqual({ description: 'NOAI', value: 'a\u00e9', extraValues: 0 })
    const le = (s: string) => concat(Uint8Array.of(0xff, 0xfe), Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0), 0])))
    const be = (s: string) => Uint8Array.from([...s].flatMap((c) => [0, c.charCodeAt(0)]))
    expect(decodeTxxx(f(concat(Uint8Array.of(1), le('noai'), Uint8Array.of(0, 0), le('x=y'), Uint8Array.of(0, 0))))?.value).toBe('x=y')
    expect(decodeTxxx(f(concat(Uint8Array.of(1), concat(Uint8Array.of(0xfe, 0xff), be('NOAI')), Uint8Array.of(0, 0), concat(Uint8Array.of(0xfe, 0xff), be('b=n'))))))
      .toMatchObject({ description: 'NOAI', value: 'b=n' })
    expect(decodeTxxx(f(concat(Uint8Array.of(2), be('NOAI'), Uint8Array.of(0, 0), be('c=y'))))?.value).toBe('c=y')
    expect(decodeTxxx(f(concat(Uint8Array.of(3), ascii('NOAI'), Uint8Array.of(0), ascii('one'), Uint8Array.of(0), ascii('two'), Uint8Array.of(0)))))
      .toEqual({ description: 'NOAI', value: 'one', extraValues: 1 })
  })

  it('matches our descriptions ASCII case-insensitively (TagLib upper-cases), not by Unicode case folding', () => {
    const t = parseId3v2(tag({ frames: [txxx('noai', 'a=n'), txxx('Noai_Tag', '{}'), txxx('NOA\u0131', 'dotless')] }))
    const found = findOurEntries([t])
    expect(found.readable).toBe('a=n')
    expect(found.document).toBe('{}')
  })

  it('reports every NOAI_TAG when a file holds more than one', () => {
    const found = findOurEntries([parseId3v2(tag({ frames: [txxx('NOAI_TAG', 'one'), txxx('NOAI_TAG', 'two')] }))])
    expect(found.document).toBe('one')
    expect(found.moreDocuments).toEqual(['two'])
    expect(found.warnings.join()).toMatch(/2 TXXX NOAI_TAG/)
  })
})

describe('rewriteId3v2', () => {
  it('writes v2.4 entries as UTF-8 and v2.3 entries as ISO-8859-1, exactly NOAI / NOAI_TAG, no terminator', () => {
    const r4 = rewriteId3v2(parseId3v2(tag({ frames: [], padding: 500 })), ENTRIES, pad)!
    expect(Buffer.from(r4.bytes).indexOf(Buffer.concat([Buffer.from('TXXX'), Buffer.from(syncsafe(1 + 4 + 1 + 10)), Buffer.from([0, 0, 3]), Buffer.from('NOAI\0train-ai=n')]))).toBe(10)
    const r3 = rewriteId3v2(parseId3v2(tag({ major: 3, frames: [], padding: 500 })), ENTRIES, pad)!
    expect(r3.bytes[3]).toBe(3)
    expect(Buffer.from(r3.bytes).indexOf(Buffer.concat([Buffer.from('TXXX'), Buffer.from(u32(16)), Buffer.from([0, 0, 0]), Buffer.from('NOAI\0train-ai=n')]))).toBe(10)
  })

  it('replaces ours where they were, keeps the others byte for byte and in order, keeps the length when padding allows', () => {
    const frames = [textFrame('TIT2', 'Tone'), txxx('noai', 'old'), txxx('NOAI_TAG', 'old doc'), priv('XMP', ascii('<x/>')), textFrame('TALB', 'A')]
    const t = parseId3v2(tag({ frames, padding: 400 }))
    const r = rewriteId3v2(t, ENTRIES, pad)!
    expect(r.inPlace).toBe(true)
    expect(r.bytes.length).toBe(t.totalBytes)
    const back = parseId3v2(r.bytes)
    expect(back.frames.map((f) => f.id)).toEqual(['TIT2', 'TXXX', 'TXXX', 'PRIV', 'TALB'])
    expect(others(back)).toEqual(others(t))
    expect(findOurEntries([back])).toMatchObject(ENTRIES)
    expect(rewriteId3v2(back, ENTRIES, pad)).toBeUndefined()
  })

  it('grows with the padding policy when the frames do not fit', () => {
    const t = parseId3v2(tag({ frames: [textFrame('TIT2', 'Tone')], padding: 4 }))
    const r = rewriteId3v2(t, ENTRIES, { paddingFor: () => 1234 })!
    expect(r.inPlace).toBe(false)
    expect(parseId3v2(r.bytes).paddingBytes).toBe(1234)
  })

  it('drops a footer and an extended header, turning their bytes into padding in place', () => {
    const ext = concat(syncsafe(6), Uint8Array.of(1, 0))
    const t = parseId3v2(tag({ ext, frames: [textFrame('TIT2', 'Tone'), txxx('NOAI', 'x')], padding: 300, footer: false }))
    const r = rewriteId3v2(t, ENTRIES, pad)!
    expect(r.bytes.length).toBe(t.totalBytes)
    expect(r.bytes[5]! & 0x40).toBe(0)
    const withFooter = parseId3v2(tag({ frames: [textFrame('TIT2', 'Tone')], body: concat(textFrame('TIT2', 'Tone'), new Uint8Array(250)), footer: true }))
    const rf = rewriteId3v2(withFooter, ENTRIES, pad)!
    expect(rf.inPlace).toBe(true)
    expect(rf.bytes.length).toBe(withFooter.totalBytes)
    expect(rf.bytes[5]! & 0x10).toBe(0)
    expect(parseId3v2(rf.bytes).frames[0]!.raw).toEqual(textFrame('TIT2', 'Tone'))
  })

  it('keeps a v2.3 whole-tag unsynchronisation: other frames get back their stored bytes', () => {
    const data = Uint8Array.of(0xff, 0xe0, 0xff, 0x00, 0x41, 0xff)
    const body = unsync(concat(priv('XMP', data, 3), new Uint8Array(300)))
    const original = tag({ major: 3, flags: 0x80, body })
    const r = rewriteId3v2(parseId3v2(original), ENTRIES, pad)!
    expect(r.inPlace).toBe(true)
    expect(r.bytes[5]).toBe(0x80)
    // The frame's stored bytes (the last 00 belongs to the boundary: it depends on what follows).
    const n = unsync(priv('XMP', data, 3)).length - 1
    expect(Buffer.from(r.bytes.subarray(10, 10 + n))).toEqual(Buffer.from(original.subarray(10, 10 + n)))
    const back = parseId3v2(r.bytes)
    expect(findOurEntries([back])).toMatchObject(ENTRIES)
    expect(foreignOfFrames(back.frames, 0)[0]!.bytes).toEqual(data)
  })

  it('removes ours, leaving padding, and reports GEOB C2PA stores', () => {
    const jumbf = ascii('....jumb')
    const t = parseId3v2(tag({ frames: [geob('application/c2pa', jumbf), txxx('NOAI', 'a=n'), txxx('NOAI_TAG', '{}')], padding: 0 }))
    const r = rewriteId3v2(t, null, pad)!
    expect(r.inPlace).toBe(true)
    const back = parseId3v2(r.bytes)
    expect(back.frames.map((f) => f.id)).toEqual(['GEOB'])
    const c2pa = foreignOfFrames(back.frames, 0)
    expect(c2pa).toEqual([{ kind: 'c2pa', location: 'ID3v2 GEOB application/c2pa', offset: 10 + 10 + 1 + 16 + 1 + 5 + 20, length: jumbf.length }])
  })

  it('builds a new v2.4 tag with our entries', () => {
    const t = parseId3v2(newId3v2Tag(ENTRIES, 64))
    expect(t.major).toBe(4)
    expect(t.paddingBytes).toBe(64)
    expect(findOurEntries([t])).toMatchObject(ENTRIES)
  })

  it('refuses non-ASCII entries (the document is ASCII JSON or a JWS)', () => {
    expect(() => newId3v2Tag({ readable: 'a=n', document: '{"x":"\u00e9"}' }, 0)).toThrow(/ASCII/)
  })
})

describe('serializeId3v2', () => {
  it('serialises a tag in its own version with the padding asked for', () => {
    const t = parseId3v2(tag({ major: 3, frames: [textFrame('TIT2', 'Tone', 3), txxx('NOAI', 'old', { major: 3 })], padding: 3 }))
    const out = parseId3v2(serializeId3v2(t, ENTRIES, 777))
    expect(out.major).toBe(3)
    expect(out.paddingBytes).toBe(777)
    expect(out.frames[0]!.raw).toEqual(textFrame('TIT2', 'Tone', 3))
    expect(findOurEntries([out])).toMatchObject(ENTRIES)
    expect(parseId3v2(serializeId3v2(t, null, 0)).frames.map((f) => f.id)).toEqual(['TIT2'])
  })
})
