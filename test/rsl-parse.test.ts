import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, LimitExceededError, combinePreferences, preferenceFor, resolvePreferences, type FoundSignal, type Use } from '../src/index.js'
import { RSL_NAMESPACE, SITE_LIMITS, SiteFileError, parseRsl, rslSignals } from '../src/robots.js'

const answer = (signals: FoundSignal[], use: Use) => preferenceFor(combinePreferences(signals.map((s) => resolvePreferences(s.usage))), use)

const REFERENCE_EXAMPLE = `<rsl xmlns="https://rslstandard.org/rsl">
  <content url="/tracks/*">
    <license>
      <permits type="usage">search</permits>
      <prohibits type="usage">ai-train ai-input</prohibits>
    </license>
  </content>
</rsl>`

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  throw new Error('did not throw')
}

describe('parseRsl', () => {
  it('reads the reference example', () => {
    expect(parseRsl(REFERENCE_EXAMPLE, { url: 'https://label.example/license.rsl' })).toEqual({
      url: 'https://label.example/license.rsl',
      contents: [
        {
          url: '/tracks/*',
          licenses: [
            {
              permits: { usage: ['search'], user: [], geo: [] },
              prohibits: { usage: ['ai-train', 'ai-input'], user: [], geo: [] },
              payment: [],
              legal: [],
            },
          ],
        },
      ],
      warnings: [],
    })
  })
  it('reads server, payment, legal, user and geo terms, a prefixed root and an XML declaration', () => {
    const rsl = parseRsl(`<?xml version="1.0" encoding="UTF-8"?>
<r:rsl xmlns:r="${RSL_NAMESPACE}">
  <r:content url="https://label.example/catalog/*" server="https://rsl.label.example">
    <r:license>
      <r:permits type="usage">ai-train</r:permits>
      <r:permits type="user">non-commercial education</r:permits>
      <r:prohibits type="geo">us</r:prohibits>
      <r:payment type="training"><r:amount currency="USD">0.01</r:amount><r:standard>https://rslcollective.org/license</r:standard></r:payment>
      <r:legal type="warranty">none &amp; no liability</r:legal>
    </r:license>
  </r:content>
</r:rsl>`)
    expect(rsl.contents[0]).toEqual({
      url: 'https://label.example/catalog/*',
      server: 'https://rsl.label.example',
      licenses: [
        {
          permits: { usage: ['ai-train'], user: ['non-commercial', 'education'], geo: [] },
          prohibits: { usage: [], user: [], geo: ['US'] },
          payment: [{ type: 'training', amount: '0.01', currency: 'USD', standard: 'https://rslcollective.org/license' }],
          legal: [{ type: 'warranty', text: 'none & no liability' }],
        },
      ],
    })
  })
  it('gives no statement and a warning for the wrong namespace or root', () => {
    for (const xml of ['<rsl xmlns="https://example.com/not-rsl"><content url="/"><license><prohibits>all</prohibits></license></content></rsl>', '<rsl><content url="/"/></rsl>', '<html><body/></html>']) {
      const r = parseRsl(xml)
      expect(r.contents).toEqual([])
      expect(r.warnings).toHaveLength(1)
      expect(rslSignals(r, '/x')).toEqual([])
    }
  })
  it('skips contents without a url and unknown permit types, with warnings', () => {
    const r = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}"><content><license/></content><content url="/a"><license><permits type="color">red</permits></license></content></rsl>`)
    expect(r.contents.map((c) => c.url)).toEqual(['/a'])
    expect(r.warnings).toHaveLength(2)
  })
})

describe('parseRsl hostile input', () => {
  it('rejects a DOCTYPE and entity declarations (billion laughs, external entities)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rsl xmlns="${RSL_NAMESPACE}"><content url="/">&lol2;</content></rsl>`
    const e = thrown(() => parseRsl(bomb))
    expect(e).toBeInstanceOf(SiteFileError)
    expect((e as SiteFileError).code).toBe('ERR_NOAI_MALFORMED_INPUT')
    expect((e as SiteFileError).file).toBe('rsl')
    expect(thrown(() => parseRsl(`<!doctype rsl SYSTEM "file:///etc/passwd"><rsl xmlns="${RSL_NAMESPACE}"/>`))).toBeInstanceOf(SiteFileError)
  })
  it('leaves undeclared entities unexpanded', () => {
    const r = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}"><content url="/"><license><prohibits type="usage">&bogus; ai-train</prohibits></license></content></rsl>`)
    expect(r.contents[0]!.licenses[0]!.prohibits.usage).toEqual(['&bogus;', 'ai-train'])
  })
  it('rejects malformed XML and deep nesting quickly', () => {
    expect(thrown(() => parseRsl('<rsl xmlns="https://rslstandard.org/rsl"><content url="/">'))).toBeInstanceOf(SiteFileError)
    const t = performance.now()
    const deep = `<rsl xmlns="${RSL_NAMESPACE}">${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</rsl>`
    expect(thrown(() => parseRsl(deep))).toBeInstanceOf(SiteFileError)
    expect(performance.now() - t).toBeLessThan(2_000)
    // within the limit is fine
    expect(parseRsl(`<rsl xmlns="${RSL_NAMESPACE}">${'<a>'.repeat(SITE_LIMITS.maxRslDepth - 2)}${'</a>'.repeat(SITE_LIMITS.maxRslDepth - 2)}</rsl>`).contents).toEqual([])
  })
  it('rejects oversized documents, too many contents, and prototype-polluting names', () => {
    expect(thrown(() => parseRsl(' '.repeat(SITE_LIMITS.maxRslBytes + 1)))).toBeInstanceOf(LimitExceededError)
    const many = `<rsl xmlns="${RSL_NAMESPACE}">${'<content url="/"/>'.repeat(SITE_LIMITS.maxRslContents + 1)}</rsl>`
    expect(thrown(() => parseRsl(many))).toBeInstanceOf(LimitExceededError)
    expect(thrown(() => parseRsl(`<rsl xmlns="${RSL_NAMESPACE}"><__proto__ polluted="1"/></rsl>`))).toBeInstanceOf(SiteFileError)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(() => parseRsl(null as unknown as string)).toThrow(InvalidArgumentError)
  })
  it('caps the tokens read from one element', () => {
    const r = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}"><content url="/"><license><prohibits>${'ai-train '.repeat(1_000)}</prohibits></license></content></rsl>`)
    expect(r.contents[0]!.licenses[0]!.prohibits.usage).toHaveLength(SITE_LIMITS.maxRslTokens)
    expect(r.warnings).toHaveLength(1)
  })
})

describe('rslSignals', () => {
  it('maps the reference example: search allowed, AI training and input denied', () => {
    const rsl = parseRsl(REFERENCE_EXAMPLE, { url: 'https://label.example/license.rsl' })
    const s = rslSignals(rsl, 'https://label.example/tracks/1.mp3')
    expect(s.map((x) => x.source.name)).toEqual(['prohibits', 'permits'])
    expect(s[0]).toMatchObject({ signal: 'rsl', scope: 'site', usage: { 'train-ai': 'denied', 'ai-input': 'denied' }, source: { kind: 'rsl', url: 'https://label.example/license.rsl' } })
    expect(s[1]!.usage).toEqual({ search: 'allowed' })
    expect(answer(s, 'search')).toBe('allowed')
    expect(answer(s, 'train-genai')).toBe('denied')
    expect(rslSignals(rsl, 'https://label.example/about')).toEqual([])
  })
  it('prohibitions override permissions (docs/spec.md §7.1)', () => {
    const rsl = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}"><content url="/"><license><prohibits type="usage">all</prohibits><permits type="usage">search</permits></license></content></rsl>`)
    const s = rslSignals(rsl, '/a')
    expect(answer(s, 'search')).toBe('denied')
  })
  it('the most specific content wins; equally specific ones all apply', () => {
    const rsl = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}">
      <content url="/"><license><prohibits type="usage">all</prohibits></license></content>
      <content url="/free/"><license><permits type="usage">all</permits></license></content>
      <content url="/free/*.wav"><license><prohibits type="usage">ai-train</prohibits></license></content>
      <content url="/free/*.mp3"><license><permits type="usage">ai-input</permits></license></content>
    </rsl>`)
    expect(answer(rslSignals(rsl, '/x'), 'search')).toBe('denied')
    expect(answer(rslSignals(rsl, '/free/a'), 'train-ai')).toBe('allowed')
    expect(answer(rslSignals(rsl, '/free/a.wav'), 'train-ai')).toBe('denied')
    expect(answer(rslSignals(rsl, '/free/a.wav'), 'search')).toBe('unknown')
    expect(answer(rslSignals(rsl, '/free/a.wav.mp3'), 'train-ai')).toBe('denied') // both 11-octet patterns match
  })
  it('full-URL patterns apply only on their origin', () => {
    const rsl = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}"><content url="https://Label.example/a/"><license><prohibits>ai-all</prohibits></license></content></rsl>`)
    expect(rslSignals(rsl, 'https://label.example/a/1')[0]!.usage).toEqual({ ai: 'denied' })
    expect(rslSignals(rsl, 'https://other.example/a/1')).toEqual([])
  })
  it('does not read a conditional permission as an allow', () => {
    const rsl = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}">
      <content url="/srv/" server="https://rsl.example"><license><permits type="usage">ai-train</permits><prohibits type="usage">ai-input</prohibits></license></content>
      <content url="/paid/"><license><permits type="usage">ai-train</permits><payment type="training"><amount currency="EUR">1</amount></payment></license></content>
      <content url="/nc/"><license><permits type="usage">ai-train</permits><permits type="user">non-commercial</permits></license></content>
      <content url="/gratis/"><license><permits type="usage">ai-train</permits><payment type="free"/></license></content>
    </rsl>`)
    const srv = rslSignals(rsl, '/srv/a')
    expect(answer(srv, 'train-ai')).toBe('unknown')
    expect(answer(srv, 'ai-input')).toBe('denied')
    expect(srv[0]!.tokens[0]!.note).toMatch(/must be obtained from https:\/\/rsl\.example/)
    expect(srv[1]!.tokens[0]).toMatchObject({ token: 'ai-train', read: 'ignored', note: expect.stringMatching(/licence must be obtained/) })
    expect(answer(rslSignals(rsl, '/paid/a'), 'train-ai')).toBe('unknown')
    const nc = rslSignals(rsl, '/nc/a')
    expect(answer(nc, 'train-ai')).toBe('unknown')
    expect(nc[0]!.tokens.map((t) => t.token)).toEqual(['ai-train', 'non-commercial'])
    expect(answer(rslSignals(rsl, '/gratis/a'), 'train-ai')).toBe('allowed')
  })
  it('reports unknown usage tokens and maps ai-index as a deny of AI input', () => {
    const rsl = parseRsl(`<rsl xmlns="${RSL_NAMESPACE}"><content url="/"><license><prohibits>ai-index ai-dance</prohibits></license></content></rsl>`)
    const s = rslSignals(rsl, '/')
    expect(s[0]!.usage).toEqual({ 'ai-input': 'denied' })
    expect(s[0]!.tokens[1]).toMatchObject({ token: 'ai-dance', read: 'ignored' })
  })
})
