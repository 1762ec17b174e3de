import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readHtmlSignalsSync, tagHtml } from '../src/html.js'
import { InvalidArgumentError, TagValidationError, USES, type NoaiTag } from '../src/index.js'
import { TAG, answers, combinedAnswers, fakeJws } from './http-web-helpers.js'

describe('tagHtml (docs/spec.md §11.2)', () => {
  it('writes our meta, the document, TDMRep and robots meta, escaped', () => {
    expect(tagHtml(TAG).split('\n')).toEqual([
      '<meta name="noai-tag" content="search=y, train-ai=n">',
      `<script type="application/noai-tag+json">${JSON.stringify(TAG)}</script>`,
      '<meta name="tdm-reservation" content="1">',
      '<meta name="tdm-policy" content="https://label.example/licence?a=1&amp;b=2">',
      '<meta name="robots" content="noai, noimageai">',
    ])
  })
  it('escapes < in the JSON so that </script> cannot appear, and attribute values fully', () => {
    const tag: NoaiTag = { ...TAG, rightsHolder: { name: `</script><script>alert(1)</script> & "quotes" 'too'` } }
    const html = tagHtml(tag, { licenseUrl: `https://x.example/?q="<'&>` })
    expect(html).not.toMatch(/<\/script><script>/)
    expect(html).toContain('\\u003c/script>')
    expect(html).toContain('content="https://x.example/?q=&quot;&lt;&#39;&amp;&gt;"')
    const r = readHtmlSignalsSync(`<head>${html}</head>`)
    expect(r.signals[0]?.tag?.rightsHolder?.name).toBe(tag.rightsHolder?.name)
    expect(r.signals.find((s) => s.signal === 'tdmrep')?.tokens[1]?.value).toBe(new URL(`https://x.example/?q="<'&>`).href)
  })
  it('a signed tag goes in the script; media tags carry data-noai-for and nothing about the page', () => {
    const jws = fakeJws(TAG)
    expect(tagHtml(TAG, { jws }).split('\n')[1]).toBe(`<script type="application/noai-tag+jws">${jws}</script>`)
    expect(tagHtml(TAG, { jws, for: 'audio/1.mp3?a=1&b="2"' })).toBe(`<script type="application/noai-tag+jws" data-noai-for="audio/1.mp3?a=1&amp;b=&quot;2&quot;">${jws}</script>`)
    expect(tagHtml(TAG, { for: 'a.mp3' })).toMatch(/^<script type="application\/noai-tag\+json" data-noai-for="a.mp3">/)
  })
  it('options switch elements off; a usage map alone writes no script', () => {
    expect(tagHtml({ usage: { 'train-ai': 'denied' } }, { tdm: false, robotsMeta: false })).toBe('<meta name="noai-tag" content="train-ai=n">')
    expect(tagHtml(TAG, { compact: false, document: false, tdm: false })).toBe('<meta name="robots" content="noai, noimageai">')
    expect(tagHtml({ usage: { all: 'allowed' } })).toBe('<meta name="noai-tag" content="all=y">\n<meta name="tdm-reservation" content="0">')
  })
  it('rejects what it cannot write', () => {
    expect(() => tagHtml({ usage: { 'train-ai': 'denied' } }, { for: 'a.mp3' })).toThrow(InvalidArgumentError)
    expect(() => tagHtml(TAG, { for: ' ' })).toThrow(InvalidArgumentError)
    expect(() => tagHtml(TAG, { jws: fakeJws({ ...TAG, usage: { all: 'denied' } }) })).toThrow(/differs/)
    expect(() => tagHtml(TAG, { jws: '<script>' })).toThrow(InvalidArgumentError)
    expect(() => tagHtml({ ...TAG, version: 2 } as unknown as NoaiTag)).toThrow(TagValidationError)
  })
})

describe('readHtmlSignals(tagHtml(tag)): round trips', () => {
  const usageArb = fc.dictionary(fc.constantFrom(...USES), fc.constantFrom('allowed' as const, 'denied' as const), { minKeys: 1 })
  it('our elements give back the answer for every use, with no mismatch', () => {
    fc.assert(
      fc.property(usageArb, fc.boolean(), (usage, signed) => {
        const tag: NoaiTag = { ...TAG, usage }
        const html = tagHtml(tag, signed ? { jws: fakeJws(tag) } : {})
        const ours = readHtmlSignalsSync(`<!doctype html><html><head><title>x</title>\n${html}\n</head><body>`).signals.filter((s) => s.signal === 'noai-tag')
        expect(ours).toHaveLength(1)
        expect(ours[0]?.mismatch).toBeUndefined()
        expect(answers(ours[0]!.usage)).toEqual(answers(usage))
      }),
    )
  })
  it('the other elements never lose a deny and never allow what the tag does not', () => {
    fc.assert(
      fc.property(usageArb, (usage) => {
        const others = readHtmlSignalsSync(`<head>${tagHtml({ usage })}</head>`).signals.filter((s) => s.signal !== 'noai-tag')
        const want = answers(usage)
        const got = combinedAnswers(others)
        for (const u of USES) {
          // HTML has no aipref form, so a deny of search is carried only by our meta (and a deny of
          // `all` only when something under tdm is denied).
          const carried = u === 'all' ? ['tdm', 'ai', 'train-ai', 'train-genai', 'ai-input'].some((v) => want[v as keyof typeof want] === 'denied') : u !== 'search'
          if (want[u] === 'denied' && carried) expect(got[u], u).toBe('denied')
          if (got[u] === 'allowed') expect(want[u], u).toBe('allowed')
        }
      }),
    )
  })
  it('a media tag written in the body is read with scanBodyForTags, for the media URL', () => {
    const html = `<head></head><body><audio src="a.mp3"></audio>${tagHtml(TAG, { for: 'a.mp3' })}</body>`
    const r = readHtmlSignalsSync(html, { url: 'https://x.example/t/', scanBodyForTags: true })
    expect(r.signals.map((s) => [s.for, answers(s.usage)])).toEqual([['https://x.example/t/a.mp3', answers(TAG.usage)]])
  })
})
