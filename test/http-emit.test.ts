import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readHttpSignals, tagHeaders } from '../src/http.js'
import { InvalidArgumentError, TagValidationError, USES, type NoaiTag } from '../src/index.js'
import { TAG, answers, combinedAnswers, fakeJws } from './http-web-helpers.js'

describe('tagHeaders (docs/spec.md §11.1)', () => {
  it('writes our field and the other signals from the mapping table', () => {
    expect(tagHeaders(TAG)).toEqual({
      'NoAI-Tag': 'search=y, train-ai=n',
      'Content-Usage': 'search=y, train-ai=n',
      'tdm-reservation': '1',
      'tdm-policy': 'https://label.example/licence?a=1&b=2',
      'X-Robots-Tag': 'noai, noimageai',
    })
  })
  it('expands broad denies into aipref keys and TDMRep', () => {
    expect(tagHeaders({ usage: { all: 'denied' } })).toEqual({
      'NoAI-Tag': 'all=n',
      'Content-Usage': 'search=n, train-ai=n',
      'tdm-reservation': '1',
      'X-Robots-Tag': 'noai, noimageai',
    })
    // a deny of generative training only: aipref train-ai (now generative) and TDMRep (all or nothing)
    expect(tagHeaders({ usage: { 'train-genai': 'denied' } })).toEqual({
      'NoAI-Tag': 'train-genai=n',
      'Content-Usage': 'train-ai=n',
      'tdm-reservation': '1',
      'X-Robots-Tag': 'noai, noimageai',
    })
  })
  it('writes allows only where the answer is allowed, and nothing for unknown', () => {
    expect(tagHeaders({ usage: { all: 'allowed' } })).toEqual({
      'NoAI-Tag': 'all=y',
      'Content-Usage': 'search=y, train-ai=y',
      'tdm-reservation': '0',
    })
    expect(tagHeaders({ usage: { 'ai-input': 'denied' } })).toEqual({ 'NoAI-Tag': 'ai-input=n', 'tdm-reservation': '1' })
    expect(tagHeaders({ usage: { 'org.example.voice': 'denied' } })).toEqual({ 'NoAI-Tag': 'org.example.voice=n' })
  })
  it('sends the signed tag as an sf-string and a noai-tag link; options switch fields off', () => {
    const jws = fakeJws(TAG)
    const h = tagHeaders(TAG, { jws, link: '/tags/1.jws', xRobots: false, tdm: false, contentUsage: false })
    expect(h).toEqual({
      'NoAI-Tag': 'search=y, train-ai=n',
      'NoAI-Tag-JWS': `"${jws}"`,
      Link: '</tags/1.jws>; rel="noai-tag"; type="application/noai-tag+jws"',
    })
    expect(tagHeaders(TAG, { compact: false, link: '/t.json' })).not.toHaveProperty('NoAI-Tag')
    expect(tagHeaders(TAG, { link: '/t.json' }).Link).toContain('application/noai-tag+json')
  })
  it('rejects a jws that does not carry the same usage, malformed input and bad URLs', () => {
    expect(() => tagHeaders(TAG, { jws: fakeJws({ ...TAG, usage: { all: 'denied' } }) })).toThrow(/differs/)
    expect(() => tagHeaders(TAG, { jws: 'not a jws' })).toThrow(InvalidArgumentError)
    expect(() => tagHeaders({ ...TAG, issued: 'yesterday' } as NoaiTag)).toThrow(TagValidationError)
    expect(() => tagHeaders({ usage: { 'Train-AI': 'denied' } })).toThrow(InvalidArgumentError)
    expect(() => tagHeaders(TAG, { link: '/a b' })).toThrow(InvalidArgumentError)
    expect(() => tagHeaders(TAG, { licenseUrl: 'https://x/"' })).toThrow(InvalidArgumentError)
    expect(() => tagHeaders(null as never)).toThrow(InvalidArgumentError)
  })
  it('the result works as a Headers init', () => {
    const h = new Headers(tagHeaders(TAG, { jws: fakeJws(TAG) }))
    expect(h.get('noai-tag')).toBe('search=y, train-ai=n')
  })
})

describe('readHttpSignals(tagHeaders(tag)): round trips', () => {
  const usageArb = fc.dictionary(fc.constantFrom(...USES), fc.constantFrom('allowed' as const, 'denied' as const), { minKeys: 1 })
  it('our field gives back the answer for every use; with the JWS, the document and no mismatch', () => {
    fc.assert(
      fc.property(usageArb, (usage) => {
        const tag: NoaiTag = { ...TAG, usage }
        for (const options of [{}, { jws: fakeJws(tag) }]) {
          const signals = readHttpSignals(tagHeaders(tag, options))
          const ours = signals.filter((s) => s.signal === 'noai-tag')
          expect(ours).toHaveLength(1)
          expect(ours[0]?.mismatch).toBeUndefined()
          expect(answers(ours[0]!.usage)).toEqual(answers(usage))
        }
      }),
    )
  })
  it('every other field keeps every deny of the tag: combined, a denied use stays denied', () => {
    fc.assert(
      fc.property(usageArb, (usage) => {
        const signals = readHttpSignals(tagHeaders({ usage })).filter((s) => s.signal !== 'noai-tag')
        const want = answers(usage)
        const got = combinedAnswers(signals)
        for (const u of USES) {
          // Some denies are widened (the loss column of the mapping table), none is lost, and
          // nothing is allowed that the tag does not allow. (A deny of `all` whose every narrower
          // use is allowed has no form in any other signal.)
          const carried = u !== 'all' || USES.some((v) => v !== 'all' && want[v] === 'denied')
          if (want[u] === 'denied' && carried) expect(got[u], u).toBe('denied')
          if (got[u] === 'allowed') expect(want[u], u).toBe('allowed')
        }
      }),
    )
  })
  it('a tag whose denies the other signals can carry exactly round-trips through all of them', () => {
    const usage = { all: 'denied', search: 'allowed' } as const
    const signals = readHttpSignals(tagHeaders({ usage }))
    expect(combinedAnswers(signals)).toEqual(answers(usage))
  })
})
