// The Vorbis comment codec shared by FLAC and Ogg: parse/serialise round trip, bounds, our two
// fields (case-insensitive read, upper-case write, removal, no duplicates, other fields kept).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isNoaiTagError } from '../src/errors.js'
import {
  encodeEntries,
  fieldKey,
  parseVorbisComment,
  readOurVorbisEntries,
  serializeVorbisComment,
  withOurVorbisEntries,
} from '../src/audio/vorbis-comment/index.js'
import type { VorbisComment } from '../src/audio/vorbis-comment/index.js'

const enc = new TextEncoder()
const dec = new TextDecoder()
const opts = { format: 'flac', offset: 100 } as const

function list(vendor: string, fields: readonly (string | Uint8Array)[], tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  const raws = fields.map((f) => (typeof f === 'string' ? enc.encode(f) : f))
  return serializeVorbisComment({ vendor: enc.encode(vendor), fields: raws.map((raw) => ({ raw, key: fieldKey(raw) })), tail })
}

function texts(vc: VorbisComment): string[] {
  return vc.fields.map((f) => dec.decode(f.raw))
}

describe('Vorbis comment list: parse and serialise', () => {
  it('parses the layout of a real FLAC block (vendor, count, fields) and serialises it back byte for byte', () => {
    // From the reference: 0d000000 "Lavf59.27.100" 01000000 15000000 "encoder=Lavf59.27.100"
    const bytes = Uint8Array.from([13, 0, 0, 0, ...enc.encode('Lavf59.27.100'), 1, 0, 0, 0, 21, 0, 0, 0, ...enc.encode('encoder=Lavf59.27.100')])
    const vc = parseVorbisComment(bytes, opts)
    expect(dec.decode(vc.vendor)).toBe('Lavf59.27.100')
    expect(texts(vc)).toEqual(['encoder=Lavf59.27.100'])
    expect(vc.fields[0]!.key).toBe('ENCODER')
    expect(vc.tail.byteLength).toBe(0)
    expect(serializeVorbisComment(vc)).toEqual(bytes)
  })

  it('keeps the bytes after the list (Vorbis framing byte, Opus binary data) as the tail', () => {
    const tail = Uint8Array.of(0x01, 0xde, 0xad)
    const vc = parseVorbisComment(list('v', ['A=1'], tail), opts)
    expect(vc.tail).toEqual(tail)
    expect(serializeVorbisComment(vc)).toEqual(list('v', ['A=1'], tail))
  })

  it('round-trips arbitrary lists, including fields that are not NAME=value', () => {
    const field = fc.uint8Array({ maxLength: 40 })
    fc.assert(
      fc.property(fc.string(), fc.array(field, { maxLength: 12 }), fc.uint8Array({ maxLength: 5 }), (vendor, fields, tail) => {
        const bytes = list(vendor, fields, tail)
        expect(serializeVorbisComment(parseVorbisComment(bytes, opts))).toEqual(bytes)
      }),
    )
  })

  it('rejects lengths that run past the container, naming the offset', () => {
    const good = list('vendor', ['A=1', 'B=2'])
    for (const cut of [2, 6, 12, good.byteLength - 1]) {
      let err: unknown
      try {
        parseVorbisComment(good.subarray(0, cut), opts)
      } catch (e) {
        err = e
      }
      expect(isNoaiTagError(err) && err.code).toBe('ERR_NOAI_MALFORMED_INPUT')
      expect((err as { offset: number }).offset).toBeGreaterThanOrEqual(100)
    }
  })

  it('bounds the field count by the bytes that follow and by maxFields, without allocating', () => {
    const huge = Uint8Array.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f])
    expect(() => parseVorbisComment(huge, opts)).toThrow(/maxFields|does not fit/)
    const many = new Uint8Array(8 + 4 * 70_000)
    many.set([0x70, 0x11, 0x01, 0x00], 4) // 70000 empty fields
    expect(() => parseVorbisComment(many, opts)).toThrowError(expect.objectContaining({ code: 'ERR_NOAI_LIMIT_EXCEEDED' }))
    const lying = Uint8Array.from([0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0])
    expect(() => parseVorbisComment(lying, opts)).toThrowError(expect.objectContaining({ code: 'ERR_NOAI_MALFORMED_INPUT' }))
  })

  it('accepts names of ASCII 0x20-0x7D except "=", and nothing else', () => {
    expect(fieldKey(enc.encode('Noai_Tag=x'))).toBe('NOAI_TAG')
    expect(fieldKey(enc.encode(' }=x'))).toBe(' }')
    expect(fieldKey(enc.encode('=x'))).toBeUndefined()
    expect(fieldKey(enc.encode('NOAI'))).toBeUndefined()
    expect(fieldKey(enc.encode('NO~AI=x'))).toBeUndefined()
    expect(fieldKey(Uint8Array.of(0x4e, 0x0a, 0x3d))).toBeUndefined()
    expect(fieldKey(enc.encode('NÖAI=x'))).toBeUndefined()
  })
})

describe('our entries in a comment list', () => {
  const entries = { readable: 'train-ai=n, search=y', document: '{"version":1,"note":"caf\\u00e9"}' }

  it('reads NOAI and NOAI_TAG case-insensitively; the first of a repeated field wins with a warning', () => {
    const vc = parseVorbisComment(list('v', ['noai=first', 'Noai_Tag={"a":1}', 'NOAI=second', 'TITLE=x']), opts)
    const ours = readOurVorbisEntries(vc)
    expect(ours.readable).toBe('first')
    expect(ours.document).toBe('{"a":1}')
    expect(ours.warnings.join(' ')).toMatch(/NOAI appears more than once/)
  })

  it('returns values exactly as stored (UTF-8, "=" inside the value, trailing NULs removed)', () => {
    const vc = parseVorbisComment(list('v', ['NOAI=a=b ü\0\0']), opts)
    expect(readOurVorbisEntries(vc).readable).toBe('a=b ü')
  })

  it('writes upper-case names at the end, removes every old occurrence in any case, keeps the other fields in order', () => {
    const vc = parseVorbisComment(list('v', ['ARTIST=A', 'noai=old', 'TITLE=T', 'NoAi_TaG=old', 'NOAI=again']), opts)
    const next = withOurVorbisEntries(vc, entries)!
    expect(texts(next)).toEqual(['ARTIST=A', 'TITLE=T', `NOAI=${entries.readable}`, `NOAI_TAG=${entries.document}`])
    expect(next.fields[0]!.raw).toBe(vc.fields[0]!.raw)
    expect(next.vendor).toBe(vc.vendor)
  })

  it('writing the same entries again changes nothing; different entries replace without duplicating', () => {
    const once = withOurVorbisEntries(parseVorbisComment(list('v', ['A=1']), opts), entries)!
    expect(withOurVorbisEntries(once, entries)).toBeUndefined()
    const twice = withOurVorbisEntries(once, { ...entries, readable: 'train-ai=y' })!
    expect(texts(twice)).toEqual(['A=1', 'NOAI=train-ai=y', `NOAI_TAG=${entries.document}`])
  })

  it('removing takes out every occurrence and nothing else; removing when absent is "unchanged"', () => {
    const vc = parseVorbisComment(list('v', ['A=1', 'noai=x', 'B=2', 'NOAI_TAG=y'], Uint8Array.of(1)), opts)
    const removed = withOurVorbisEntries(vc, null)!
    expect(texts(removed)).toEqual(['A=1', 'B=2'])
    expect(removed.tail).toEqual(Uint8Array.of(1))
    expect(withOurVorbisEntries(removed, null)).toBeUndefined()
  })

  it('refuses a non-ASCII document and values over AUDIO_LIMITS.maxEntryBytes', () => {
    expect(() => encodeEntries({ readable: 'x', document: '{"a":"é"}' })).toThrowError(expect.objectContaining({ code: 'ERR_NOAI_INVALID_ARGUMENT' }))
    expect(() => encodeEntries({ readable: 'x', document: 'a'.repeat(131_073) })).toThrowError(expect.objectContaining({ code: 'ERR_NOAI_LIMIT_EXCEEDED' }))
    expect(encodeEntries({ readable: 'x', document: 'a'.repeat(131_072) }).document.byteLength).toBe(131_072 + 9)
  })
})
