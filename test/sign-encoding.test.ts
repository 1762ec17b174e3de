// The two decoders on the verification hot path, checked against references with fast-check:
// canonical base64url (docs/spec.md §13.1) against Node's decoder plus the canonical rule, and
// the fast strict-JSON path against the strict parser (docs/spec.md §4.10), which is the authority.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonParseError } from '../src/errors.js'
import { parseDocumentJson } from '../src/validate/parse.js'
import { decodeBase64url, encodeAsciiBase64url, encodeBase64url } from '../src/sign/_base64url.js'
import { parseStrictJson } from '../src/sign/_strict-json.js'

describe('base64url', () => {
  it('round-trips any bytes and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64url(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64url'))
        expect(decodeBase64url(text, true)).toEqual(bytes)
      }),
    )
  })

  it('encodes ASCII text like the byte encoder', () => {
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 100 }), (s) => {
      expect(encodeAsciiBase64url(s)).toBe(Buffer.from(s, 'latin1').toString('base64url'))
    }))
  })

  it('accepts exactly one spelling of any bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AB_-az09=+/ .'.split('')), maxLength: 12 }), (text) => {
        const bytes = decodeBase64url(text, true)
        if (bytes !== undefined) expect(encodeBase64url(bytes)).toBe(text)
      }),
    )
  })

  it.each([['QQ=='], ['QR'], ['Q'], ['QUJD+'], ['QUJD/'], ['QU JD'], ['QUI=']])('rejects %s', (text) => {
    expect(decodeBase64url(text, true)).toBeUndefined()
  })
})

type Verdict = { ok: true; value: unknown } | { ok: false }

function verdict(parse: (text: string) => unknown, text: string): Verdict {
  try {
    return { ok: true, value: parse(text) }
  } catch (e) {
    if (e instanceof JsonParseError) return { ok: false }
    throw e
  }
}

const strict = (text: string): unknown => parseDocumentJson(text).value

/** JSON texts, many with a member name repeated in some object. */
const texts = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc.json({ maxDepth: 4 }).map((t) => t.replace(/\{"([^"\\]*)":/, '{"$1":1,"$1":')),
  fc.tuple(fc.integer({ min: 28, max: 36 }), fc.constantFrom('[', '{"a":')).map(([n, open]) => open.repeat(n) + '0' + (open === '[' ? ']' : '}').repeat(n)),
  fc.constantFrom('\ufeff{}', '{"a":1e400}', '{"__proto__":{"x":1}}', '{"a":"\\":"}', '{"a:b":1,"a:b":2}', '[1,]', '{"\\u0061":1,"a":2}'),
)

describe('fast strict JSON', () => {
  it('agrees with the strict parser on acceptance and on the value', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(verdict(parseStrictJson, text)).toEqual(verdict(strict, text))
      }),
      { numRuns: 2000 },
    )
  })

  it('rejects escaped duplicates that only differ before unescaping', () => {
    expect(() => parseStrictJson('{"\\u0061":1,"a":2}')).toThrow(JsonParseError)
  })

  it('is not fooled by an enumerable member on Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>
    Object.defineProperty(proto, 'polluted', { value: 1, enumerable: true, configurable: true, writable: true })
    try {
      expect(() => parseStrictJson('{"a":1,"a":2}')).toThrow(JsonParseError)
    } finally {
      delete proto.polluted
    }
  })
})
