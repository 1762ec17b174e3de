import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, JsonParseError, LimitExceededError, USES, isNoaiTagError, preferenceFor, resolvePreferences, type Use } from '../src/index.js'
import { SITE_LIMITS, SiteFileError, parseTdmrepJson, policySignals, tdmrepJsonFor, tdmrepSignals, type NoaiPolicy } from '../src/robots.js'

const ORIGIN = 'https://label.example'

describe('parseTdmrepJson / tdmrepSignals (W3C TDMRep, file on the origin server)', () => {
  const file = parseTdmrepJson(
    '[\n  {"location": "/music/previews/*.mp3", "tdm-reservation": 0},\n  {"location": "/", "tdm-reservation": 1, "tdm-policy": "https://label.example/tdm-policy.json"}\n]',
    { url: `${ORIGIN}/.well-known/tdmrep.json` },
  )
  it('reads the rules with their lines', () => {
    expect(file.rules).toEqual([
      { index: 0, line: 2, location: '/music/previews/*.mp3', reservation: 0, text: '{"location":"/music/previews/*.mp3","tdm-reservation":0}' },
      { index: 1, line: 3, location: '/', reservation: 1, policy: 'https://label.example/tdm-policy.json', text: expect.any(String) },
    ])
    expect(file.warnings).toEqual([])
  })
  it('the first matching rule wins', () => {
    const preview = tdmrepSignals(file, `${ORIGIN}/music/previews/a.mp3`)
    expect(preview).toHaveLength(1)
    expect(preview[0]).toMatchObject({ signal: 'tdmrep', scope: 'site', usage: { tdm: 'allowed' }, source: { kind: 'tdmrep.json', url: `${ORIGIN}/.well-known/tdmrep.json`, name: '/0', line: 2 } })
    const track = tdmrepSignals(file, `${ORIGIN}/music/tracks/a.mp3`)
    expect(track[0]!.usage).toEqual({ tdm: 'denied' })
    expect(track[0]!.tokens[1]).toMatchObject({ token: 'tdm-policy', value: 'https://label.example/tdm-policy.json', read: 'ignored' })
  })
  it('order matters, unlike robots.txt', () => {
    const reversed = parseTdmrepJson('[{"location": "/", "tdm-reservation": 1}, {"location": "/music/previews/*.mp3", "tdm-reservation": 0}]')
    expect(tdmrepSignals(reversed, '/music/previews/a.mp3')[0]!.usage).toEqual({ tdm: 'denied' })
  })
  it('matches case-sensitively with robots wildcards and percent-normalisation', () => {
    const f = parseTdmrepJson('[{"location": "/Images/*.png$", "tdm-reservation": 1}, {"location": "/caf%C3%A9/", "tdm-reservation": 1}]')
    expect(tdmrepSignals(f, '/Images/a/b.png')).toHaveLength(1)
    expect(tdmrepSignals(f, '/images/a.png')).toHaveLength(0)
    expect(tdmrepSignals(f, '/Images/a.png?x')).toHaveLength(0)
    expect(tdmrepSignals(f, 'https://label.example/café/menu')).toHaveLength(1)
  })
  it('no matching rule: no signal; other values of tdm-reservation: unset with a note', () => {
    const f = parseTdmrepJson('[{"location": "/a/", "tdm-reservation": "1"}, {"location": "/b/", "tdm-reservation": 2}]')
    expect(tdmrepSignals(f, '/c')).toEqual([])
    const a = tdmrepSignals(f, '/a/x')
    expect(a[0]!.usage).toEqual({})
    expect(a[0]!.tokens[0]).toMatchObject({ token: 'tdm-reservation', read: 'ignored' })
    expect(f.warnings.map((w) => w.line)).toEqual([1, 1])
  })
  it('skips rules without a location and reads URL locations as paths', () => {
    const f = parseTdmrepJson('[{"tdm-reservation": 1}, 7, {"location": "https://label.example", "tdm-reservation": 1}]')
    expect(f.rules.map((r) => r.location)).toEqual(['/'])
    expect(f.warnings).toHaveLength(3)
    expect(tdmrepSignals(f, '/anything')[0]!.usage).toEqual({ tdm: 'denied' })
  })
})

describe('tdmrep.json hostile input', () => {
  const err = (text: string): unknown => {
    try {
      parseTdmrepJson(text)
    } catch (e) {
      return e
    }
    throw new Error('accepted')
  }
  it('rejects a file that is not an array with a typed error', () => {
    for (const [text, kind] of [
      ['{"tdm-reservation": 1, "tdm-policy": "https://x.example/p"}', 'an object'],
      ['"[]"', 'a string'],
      ['1', 'a number'],
      ['null', 'null'],
    ] as const) {
      const e = err(text)
      expect(e).toBeInstanceOf(SiteFileError)
      expect(isNoaiTagError(e) && e.code).toBe('ERR_NOAI_MALFORMED_INPUT')
      expect((e as SiteFileError).file).toBe('tdmrep.json')
      expect((e as Error).message).toContain(kind)
    }
  })
  it('rejects text that is not JSON, duplicate names and deep nesting', () => {
    expect(err('[{"location": "/"')).toBeInstanceOf(JsonParseError)
    expect(err('[{"location": "/", "location": "/x", "tdm-reservation": 1}]')).toBeInstanceOf(JsonParseError)
    expect(err('['.repeat(10_000) + ']'.repeat(10_000))).toBeInstanceOf(JsonParseError)
  })
  it('rejects huge files before parsing, and too many rules', () => {
    const t = performance.now()
    expect(err(' '.repeat(SITE_LIMITS.maxTdmrepBytes + 1))).toBeInstanceOf(LimitExceededError)
    expect(err('[' + '{"location":"/","tdm-reservation":1},'.repeat(1_000_000) + '{}]')).toBeInstanceOf(LimitExceededError)
    expect(performance.now() - t).toBeLessThan(1_000)
    const many = JSON.stringify(Array.from({ length: SITE_LIMITS.maxTdmrepRules + 1 }, () => ({ location: '/', 'tdm-reservation': 1 })))
    expect(err(many)).toBeInstanceOf(LimitExceededError)
  })
  it('ignores a leading BOM, and refuses non-string input and bad URLs', () => {
    expect(parseTdmrepJson('\ufeff[]').rules).toEqual([])
    expect(() => parseTdmrepJson(42 as unknown as string)).toThrow(InvalidArgumentError)
    expect(() => tdmrepSignals(parseTdmrepJson('[]'), 'nope')).toThrow(InvalidArgumentError)
  })
})

describe('tdmrepJsonFor', () => {
  const policy: NoaiPolicy = {
    version: 1,
    issuer: ORIGIN,
    updated: '2026-11-26T00:00:00Z',
    default: { usage: { 'train-ai': 'denied', search: 'allowed' }, license: 'https://label.example/licensing' },
    rules: [
      { path: '/press/', usage: { all: 'allowed' } },
      { path: '/music/*.mp3', usage: { tdm: 'denied' }, license: 'https://label.example/mp3-terms' },
      { path: '/blog/', usage: { search: 'allowed' } },
    ],
  }
  it('writes one rule per known answer for tdm, longest path first', () => {
    expect(tdmrepJsonFor(policy)).toEqual([
      { location: '/music/*.mp3', 'tdm-reservation': 1, 'tdm-policy': 'https://label.example/mp3-terms' },
      { location: '/press/', 'tdm-reservation': 0 },
      { location: '/', 'tdm-reservation': 1, 'tdm-policy': 'https://label.example/licensing' },
    ])
  })
  it('writes nothing when tdm is unknown everywhere', () => {
    expect(tdmrepJsonFor({ ...policy, default: { usage: { search: 'allowed' } }, rules: undefined as never })).toEqual([])
  })

  const state = fc.constantFrom<'allowed' | 'denied' | undefined>('allowed', 'denied', undefined)
  const usage = fc
    .record(Object.fromEntries(USES.map((u) => [u, state])) as Record<Use, typeof state>)
    .map((u) => Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)) as NoaiPolicy['default']['usage'])
  const tdm = (u: NoaiPolicy['default']['usage']) => preferenceFor(resolvePreferences(u), 'tdm')
  it('round trip: the policy\'s answer for tdm where it has one, and never an allow it does not give', () => {
    const paths = ['/a/', '/a/b/', '/*.mp3', '/a/*.wav$']
    const probes = ['/', '/x', '/a/1', '/a/b/2', '/c/d.mp3', '/a/b/e.mp3', '/a/f.wav', '/a/f.wav?x']
    fc.assert(
      fc.property(usage, fc.uniqueArray(fc.record({ path: fc.constantFrom(...paths), usage }), { maxLength: 4, selector: (r) => r.path }), (d, rules) => {
        const p: NoaiPolicy = { ...policy, default: { usage: d }, rules: rules.length ? rules : (undefined as never) }
        const file = parseTdmrepJson(JSON.stringify(tdmrepJsonFor(p)))
        for (const probe of probes) {
          // The pattern lengths differ, so exactly one policy statement applies to each probe.
          const want = tdm(policySignals(p, probe)[0]!.usage as NoaiPolicy['default']['usage'])
          const got = tdmrepSignals(file, probe)[0]?.usage.tdm ?? 'unknown'
          if (want !== 'unknown') expect(got, probe).toBe(want)
          if (got === 'allowed') expect(want, probe).toBe('allowed')
        }
      }),
      { numRuns: 300 },
    )
  })
})
