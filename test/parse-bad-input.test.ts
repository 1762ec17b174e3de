// Hostile and malformed input through parseTag, as a string and as UTF-8 bytes (docs/spec.md
// §4.10, §12.2, §15): every case ends in a typed NoaiTagError (or a validation issue inside one),
// never a crash, a hang or prototype pollution.
import { afterAll, describe, expect, it } from 'vitest'
import {
  JsonParseError,
  LIMITS,
  LimitExceededError,
  TagValidationError,
  isNoaiTagError,
  parseTag,
  type NoaiTagError,
  type NoaiTagErrorCode,
  type ValidationIssue,
} from '../src/index.js'

const VALID = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' }
const VALID_TEXT = JSON.stringify(VALID)
const tagText = (patch: Record<string, unknown>): string => JSON.stringify({ ...VALID, ...patch })
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
/** The two input forms parseTag takes. */
const forms = (s: string): Array<[string, string | Uint8Array]> => [
  ['string', s],
  ['bytes', utf8(s)],
]

/** Calls parseTag, expecting a NoaiTagError with the given code; returns it. */
function thrown(input: string | Uint8Array, code: NoaiTagErrorCode, options?: { maxBytes?: number }): NoaiTagError {
  let error: unknown
  try {
    parseTag(input, options)
  } catch (e) {
    error = e
  }
  expect(error, 'parseTag must throw').toBeDefined()
  expect(isNoaiTagError(error), `not a NoaiTagError: ${String(error)}`).toBe(true)
  expect((error as NoaiTagError).code).toBe(code)
  return error as NoaiTagError
}
const jsonError = (input: string | Uint8Array): JsonParseError => {
  const e = thrown(input, 'ERR_NOAI_JSON_INVALID')
  expect(e).toBeInstanceOf(JsonParseError)
  expect(e.name).toBe('JsonParseError')
  return e as JsonParseError
}
const issuesOf = (input: string | Uint8Array): readonly ValidationIssue[] => {
  const e = thrown(input, 'ERR_NOAI_TAG_INVALID')
  expect(e).toBeInstanceOf(TagValidationError)
  expect(e.name).toBe('TagValidationError')
  return (e as TagValidationError).issues
}
/** Expected {path, keyword} pairs missing from the issues. */
const missing = (issues: readonly ValidationIssue[], expected: Array<[string, string]>): string[] =>
  expected.filter(([p, k]) => !issues.some((i) => i.path === p && i.keyword === k)).map(([p, k]) => `${p} ${k}`)

afterAll(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
})

describe('text that is not JSON', () => {
  const cases = ['', '   ', 'not json', '{"version":1', "{'version':1}", '{version:1}', 'NaN', '[1,]', '{"a":1,}', `${VALID_TEXT} x`, `${VALID_TEXT}{}`, '"\\x41"', '01']
  it.each(cases.flatMap((c) => forms(c).map(([how, input]) => [JSON.stringify(c).slice(0, 40), how, input] as const)))(
    '%s (%s) → JsonParseError',
    (_c, _how, input) => {
      const e = jsonError(input)
      expect(e.line).toBeGreaterThanOrEqual(1)
      expect(e.column).toBeGreaterThanOrEqual(1)
    },
  )

  it('points at the line and column of the problem', () => {
    const e = jsonError('{\n  "version": 1,\n  oops\n}')
    expect([e.line, e.column]).toEqual([3, 3])
    expect(e.message).toMatch(/line 3, column 3/)
  })
})

describe('byte order mark', () => {
  it.each([
    ['string', `\uFEFF${VALID_TEXT}`],
    ['bytes', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(VALID_TEXT)])],
  ] as const)('a BOM before the JSON (%s) → JsonParseError', (_how, input) => {
    expect(jsonError(input).message).toMatch(/byte order mark/)
  })
})

describe('duplicate member names', () => {
  const top = '{"version":1,"subject":{"self":true},"usage":{"train-ai":"denied"},\n"usage":{"train-ai":"allowed"},"issued":"2026-11-26T00:00:00Z"}'
  it.each(forms(top))('at the top level (%s) → JsonParseError naming the member and its line', (_how, input) => {
    const e = jsonError(input)
    expect(e.message).toMatch(/duplicate member name "usage"/)
    expect([e.line, e.column]).toEqual([2, 1])
  })
  it.each(forms(tagText({ ext: { 'com.example.x': {} } }).replace('{}', '{"a":1,"\\u0061":2}')))('nested and escaped (%s) → JsonParseError', (_how, input) => {
    expect(jsonError(input).message).toMatch(/duplicate member name "a"/)
  })
})

describe('__proto__ and constructor members', () => {
  it.each(forms(VALID_TEXT.slice(0, -1) + ',"__proto__":{"polluted":1}}'))('top-level __proto__ (%s) is an unknown member', (_how, input) => {
    expect(issuesOf(input)).toEqual([expect.objectContaining({ path: '/__proto__', keyword: 'additionalProperties' })])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
  it.each(forms(VALID_TEXT.slice(0, -1) + ',"constructor":{"prototype":{"polluted":1}}}'))('top-level constructor (%s) is an unknown member', (_how, input) => {
    expect(issuesOf(input)).toEqual([expect.objectContaining({ path: '/constructor', keyword: 'additionalProperties' })])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
  it.each(forms(VALID_TEXT.slice(0, -1) + ',"ext":{"com.example.x":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}}'))(
    'inside an extension value (%s) they are plain own members',
    (_how, input) => {
      const tag = parseTag(input)
      const value = tag.ext?.['com.example.x'] as Record<string, unknown>
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
      expect(Object.keys(value)).toEqual(['__proto__', 'constructor'])
      expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: 1 })
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    },
  )
  it.each(forms(VALID_TEXT.slice(0, -1) + ',"ext":{"__proto__":{"polluted":1}}}'))('as an extension name (%s) it is not allowed', (_how, input) => {
    expect(missing(issuesOf(input), [['/ext/__proto__', 'propertyNames']])).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('size limit', () => {
  const MiB50 = 50 * 1024 * 1024
  it('a 50 MB string → LimitExceededError on maxDocumentBytes', () => {
    const huge = VALID_TEXT.slice(0, -1) + ',"ext":{"com.example.pad":"' + 'a'.repeat(MiB50) + '"}}'
    const e = thrown(huge, 'ERR_NOAI_LIMIT_EXCEEDED') as LimitExceededError
    expect(e).toBeInstanceOf(LimitExceededError)
    expect([e.limit, e.maximum]).toEqual(['maxDocumentBytes', LIMITS.maxDocumentBytes])
    // For a string longer than the limit the exact UTF-8 size is not computed (it is at least its length).
    if (e.actual === undefined) expect(e.message).toContain(String(huge.length))
    else expect(e.actual).toBeGreaterThanOrEqual(huge.length)
  })
  it('a 50 MB Uint8Array → LimitExceededError with the exact byte count', () => {
    const e = thrown(new Uint8Array(MiB50).fill(0x20), 'ERR_NOAI_LIMIT_EXCEEDED') as LimitExceededError
    expect([e.limit, e.maximum, e.actual]).toEqual(['maxDocumentBytes', LIMITS.maxDocumentBytes, MiB50])
  })
  it('counts UTF-8 bytes, not characters', () => {
    const head = VALID_TEXT.slice(0, -1) + ',"ext":{"com.example.pad":"'
    const text = head + '\u00e9'.repeat(33_000) + '"}}'
    expect(text.length).toBeLessThan(LIMITS.maxDocumentBytes)
    const bytes = utf8(text).length
    for (const [, input] of forms(text)) {
      const e = thrown(input, 'ERR_NOAI_LIMIT_EXCEEDED') as LimitExceededError
      expect([e.maximum, e.actual]).toEqual([LIMITS.maxDocumentBytes, bytes])
    }
  })
  it('honours a lower maxBytes option', () => {
    expect((thrown(VALID_TEXT, 'ERR_NOAI_LIMIT_EXCEEDED', { maxBytes: 10 }) as LimitExceededError).maximum).toBe(10)
    const e = thrown(utf8(VALID_TEXT), 'ERR_NOAI_LIMIT_EXCEEDED', { maxBytes: 10 }) as LimitExceededError
    expect([e.maximum, e.actual]).toEqual([10, VALID_TEXT.length])
  })
})

describe('nesting', () => {
  const deep = (n: number): string => VALID_TEXT.slice(0, -1) + `,"ext":{"com.example.deep":${'['.repeat(n)}${']'.repeat(n)}}}`
  it.each(forms(deep(1000)))('1000 deep inside ext (%s) → JsonParseError about nesting', (_how, input) => {
    expect(jsonError(input).message).toMatch(new RegExp(`nesting deeper than ${LIMITS.maxJsonDepth}`))
  })
  it('a million deep with the size limit raised still fails on depth, not with a stack overflow', () => {
    const e = thrown(deep(1_000_000), 'ERR_NOAI_JSON_INVALID', { maxBytes: 4_000_000 })
    expect(e.message).toMatch(/nesting/)
  })
})

describe('wrong types everywhere', () => {
  const everyField = {
    $schema: 1, version: '1', id: 1,
    subject: { self: 'yes', essence: {}, ids: 'x', urls: 'u', urlPatterns: 1 },
    issuer: 1, rightsHolder: { name: 1, id: 1, url: 1 }, usage: { 'train-ai': 0, search: null },
    license: 1, contact: 1, issued: 1, expires: 1, disclosure: { ai: 1, note: 1 }, ext: [],
  }
  const leaves = ['/$schema', '/version', '/id', '/subject/self', '/subject/essence', '/subject/ids', '/subject/urls', '/subject/urlPatterns', '/issuer', '/rightsHolder/name', '/rightsHolder/id', '/rightsHolder/url', '/usage/train-ai', '/usage/search', '/license', '/contact', '/issued', '/expires', '/disclosure/ai', '/disclosure/note', '/ext']
  it.each(forms(JSON.stringify(everyField)))('a type issue for every field (%s)', (_how, input) => {
    const issues = issuesOf(input)
    expect(missing(issues, leaves.map((p) => [p, 'type']))).toEqual([])
    for (const i of issues) expect(i.message.length).toBeGreaterThan(5)
  })
  const containers = { version: 1, subject: [], rightsHolder: 'x', usage: [], issued: '2026-11-26T00:00:00Z', disclosure: 'x' }
  it.each(forms(JSON.stringify(containers)))('objects given as other types (%s)', (_how, input) => {
    expect(missing(issuesOf(input), ['/subject', '/rightsHolder', '/usage', '/disclosure'].map((p) => [p, 'type']))).toEqual([])
  })
  const items = tagText({ subject: { essence: [1, { format: 1, sha256: 1 }], ids: [1, { scheme: 1, value: 1 }], urls: [1], urlPatterns: [1] } })
  it.each(forms(items))('array items of the wrong type (%s)', (_how, input) => {
    const paths = ['/subject/essence/0', '/subject/essence/1/format', '/subject/essence/1/sha256', '/subject/ids/0', '/subject/ids/1/scheme', '/subject/ids/1/value', '/subject/urls/0', '/subject/urlPatterns/0']
    expect(missing(issuesOf(input), paths.map((p) => [p, 'type']))).toEqual([])
  })
  it.each(['42', '"tag"', 'null', 'true', '[]'].flatMap((t) => forms(t).map(([how, input]) => [t, how, input] as const)))(
    'a document that is %s (%s) is not an object',
    (_t, _how, input) => {
      expect(missing(issuesOf(input), [['', 'type']])).toEqual([])
    },
  )
})

describe('dates that are not dates', () => {
  const bad = ['2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-02-29T00:00:00Z', 'yesterday', '2026-11-26', '2026-11-26T24:00:00Z', '']
  for (const member of ['issued', 'expires'] as const) {
    it.each(bad.flatMap((d) => forms(tagText({ [member]: d })).map(([how, input]) => [d, how, input] as const)))(
      `${member} %j (%s) → format issue at /${member}`,
      (_d, _how, input) => {
        expect(missing(issuesOf(input), [[`/${member}`, 'format']])).toEqual([])
      },
    )
  }
})

describe('URLs that are not URLs', () => {
  const cases: Array<[Record<string, unknown>, Array<[string, string]>]> = [
    [{ license: 'not a url' }, [['/license', 'format'], ['/license', 'pattern']]],
    [{ license: 'https://' }, [['/license', 'format']]],
    [{ license: 'javascript:alert(1)' }, [['/license', 'pattern']]],
    [{ contact: 'bob@example.com' }, [['/contact', 'format'], ['/contact', 'pattern']]],
    [{ subject: { urls: ['https://'] } }, [['/subject/urls/0', 'format'], ['/subject/urls/0', 'pattern']]],
    [{ rightsHolder: { name: 'x', url: 'https://exa mple.com/' } }, [['/rightsHolder/url', 'format']]],
  ]
  it.each(cases.flatMap(([patch, expected]) => forms(tagText(patch)).map(([how, input]) => [JSON.stringify(patch), how, input, expected] as const)))(
    '%s (%s)',
    (_p, _how, input, expected) => {
      expect(missing(issuesOf(input), expected)).toEqual([])
    },
  )
})

describe('invalid UTF-8', () => {
  const inString = (bytes: number[]): Uint8Array => {
    const [a, b] = VALID_TEXT.split('"denied"') as [string, string]
    return new Uint8Array([...utf8(a + '"den'), ...bytes, ...utf8('ied"' + b)])
  }
  it.each([
    ['0xFF', inString([0xff])],
    ['a lone continuation byte', inString([0x80])],
    ['an overlong "/"', inString([0xc0, 0xaf])],
    ['an encoded surrogate', inString([0xed, 0xa0, 0x80])],
    ['a code point above U+10FFFF', inString([0xf4, 0x90, 0x80, 0x80])],
    ['a sequence cut short at the end', new Uint8Array([...utf8(VALID_TEXT), 0xe2, 0x82])],
  ] as const)('%s → JsonParseError', (_what, input) => {
    expect(jsonError(input).message).toMatch(/UTF-8/)
  })
})
