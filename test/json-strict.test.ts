import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseJsonStrict } from '../src/_internal/json.js'
import { JsonParseError, isNoaiTagError } from '../src/index.js'

const parse = (text: string, positions = false): unknown => parseJsonStrict(text, { maxDepth: 32, positions }).value

describe('strict JSON (docs/spec.md §4.10)', () => {
  it('agrees with JSON.parse on valid JSON without duplicate names (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const text = JSON.stringify(v)
        expect(parse(text)).toEqual(JSON.parse(text))
        expect(parse(JSON.stringify(v, null, 2))).toEqual(JSON.parse(text))
      }),
      { numRuns: 300 },
    )
  })
  it('rejects duplicate member names, a BOM and trailing text with a position', () => {
    const dup = () => parse('{\n  "a": 1,\n  "a": 2\n}')
    expect(dup).toThrow(JsonParseError)
    try {
      dup()
    } catch (e) {
      expect(isNoaiTagError(e)).toBe(true)
      expect(e).toMatchObject({ code: 'ERR_NOAI_JSON_INVALID', line: 3, column: 3 })
      expect((e as Error).message).toMatch(/duplicate member name "a"/)
    }
    expect(() => parse('\ufeff{}')).toThrow(/byte order mark/)
    expect(() => parse('{} x')).toThrow(/after the JSON value/)
  })
  it('rejects what RFC 8259 forbids', () => {
    for (const bad of ['', '{', '[1,]', '{"a":1,}', "{'a':1}", '01', '1.', '.5', '+1', 'NaN', 'Infinity', '"\u0001"', '"\\x41"', '"\\u12G4"', 'tru', '[1 2]', '1e999']) {
      expect(() => parse(bad), JSON.stringify(bad)).toThrow(JsonParseError)
    }
  })
  it('bounds nesting without recursion blow-up', () => {
    expect(() => parse('['.repeat(33) + ']'.repeat(33))).toThrow(/nesting deeper than 32/)
    expect(() => parse('['.repeat(100_000))).toThrow(/nesting deeper than 32/)
    expect(parse('['.repeat(32) + ']'.repeat(32))).toBeInstanceOf(Array)
  })
  it('keeps __proto__ as an own member and never touches prototypes', () => {
    const v = parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}') as Record<string, unknown>
    expect(Object.getOwnPropertyNames(v)).toEqual(['__proto__', 'constructor'])
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
  it('maps JSON Pointers to positions', () => {
    const text = '{\n  "usage": {\n    "train-ai": "nope"\n  },\n  "a/b": [1, 2]\n}'
    const { positions } = parseJsonStrict(text, { maxDepth: 32, positions: true })
    expect(positions?.get('/usage/train-ai')).toEqual({ offset: text.indexOf('"nope"'), line: 3, column: 17 })
    expect(positions?.get('/a~1b/1')?.line).toBe(5)
    expect(positions?.get('')).toEqual({ offset: 0, line: 1, column: 1 })
  })
})

/** What parsing gives: the value, or the error's message and position. */
function outcome(text: string, positions: boolean): unknown {
  try {
    return { value: parseJsonStrict(text, { maxDepth: 8, positions }).value }
  } catch (e) {
    const err = e as JsonParseError
    return { error: err.message, offset: err.offset, line: err.line, column: err.column, code: err.code }
  }
}

describe('strict JSON: the JSON.parse fast path gives what the strict parser gives', () => {
  // Without positions the text goes through JSON.parse and checks; with positions, always through
  // the strict parser. Both must agree on every text: the same value, or the same error where it is.
  const tricky = [
    '{"a":1,"a":2}',
    '{"a":{"b":1,"b":1}}',
    '[{"x":1},{"x":1,"x":1}]',
    '{"a":1,"b":{"a":1}}',
    '{"":1,"":2}',
    '{"a\\\\":1,"a\\\\":1}',
    '{"a\\u0041":1,"aA":1}',
    '{"aA":1,"a\\u0041":1}',
    '{"k:":1,"k":{"x:y":"z:w"}}',
    '{"q\\"":1,"q\\"":2}',
    '{"__proto__":1,"__proto__":2}',
    '{"__proto__":{"a":1}}',
    '\ufeff{}',
    '{} ',
    ' \t\n\r{}\n',
    '1e400',
    '[1e400]',
    '{"a":-1e999}',
    '1e-400',
    '-0',
    '"\\ud800"',
    '"\ud800"',
    '[[[[[[[[]]]]]]]]',
    '[[[[[[[[[]]]]]]]]]',
    '{"a":[{"b":[{"c":[{"d":[]}]}]}]}',
    '{"a":[{"b":[{"c":[{"d":[{}]}]}]}]}',
    '{"a" : 1 , "b" : [ 1 , 2 ] }',
    '{"a":1}{"b":2}',
    '\u00a0{}',
    '{"\u2028":"\u2029"}',
    '[0,1,2,"0","1"]',
    '{"1":1,"0":0,"b":2,"a":3}',
    '{"1":1,"01":2,"1.0":3}',
    '{"a":"\u0001"}',
    '',
  ]
  it('on texts made to find where they could differ', () => {
    for (const text of tricky) {
      expect(outcome(text, false), JSON.stringify(text)).toEqual(outcome(text, true))
    }
  })
  it('on JSON with duplicate names, deep nesting and odd numbers (property)', () => {
    const member = fc.tuple(fc.constantFrom('a', 'b', '__proto__', 'a:b', 'x"y', '1', ''), fc.jsonValue({ maxDepth: 3 }))
    const objectText = fc.array(member, { maxLength: 5 }).map((ms) => `{${ms.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`)
    const nested = fc.tuple(fc.integer({ min: 0, max: 10 }), objectText, fc.constantFrom('', ' ', '1e400', '-1e309', ',')).map(([depth, inner, extra]) => `${'['.repeat(depth)}${inner}${extra}${']'.repeat(depth)}`)
    fc.assert(
      fc.property(fc.oneof(objectText, nested, fc.jsonValue({ maxDepth: 9 }).map((v) => JSON.stringify(v))), (text) => {
        expect(outcome(text, false)).toEqual(outcome(text, true))
      }),
      { numRuns: 2000 },
    )
  })
  it('keeps integer-like names in the order the strict parser gives them', () => {
    const text = '{"b":1,"2":2,"a":3,"1":4}'
    expect(Object.keys(parse(text) as object)).toEqual(Object.keys(parse(text, true) as object))
  })
})

describe('parseTag argument checks', () => {
  it('throws InvalidArgumentError for values that are neither text nor bytes', async () => {
    const { parseTag, InvalidArgumentError } = await import('../src/index.js')
    for (const bad of [null, undefined, 123, {}, [], new ArrayBuffer(4)]) {
      expect(() => parseTag(bad as unknown as string), String(bad)).toThrow(InvalidArgumentError)
    }
    // Buffers are Uint8Arrays; lone surrogates count as the 3 bytes of U+FFFD
    expect(() => parseTag(new TextEncoder().encode('{}'))).toThrow(/invalid tag/)
    const lone = '{"ext":{"a.b":"' + '\ud800\u4e00'.repeat(11_000) + '"}}'
    expect(() => parseTag(lone)).toThrow(/maxDocumentBytes/)
  })
})
