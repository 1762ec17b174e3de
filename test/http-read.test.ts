import { describe, expect, it } from 'vitest'
import { HTTP_LIMITS, readHttpSignals } from '../src/http.js'
import { InvalidArgumentError } from '../src/index.js'
import { TAG, fakeJws } from './http-web-helpers.js'

const URL_ = 'https://music.example/track/1'
const one = (headers: Parameters<typeof readHttpSignals>[0], signal: string) => readHttpSignals(headers, { url: URL_ }).filter((s) => s.signal === signal)

describe('readHttpSignals: input shapes', () => {
  it('accepts Headers, records (with arrays) and pairs, names case-insensitive', () => {
    const h = new Headers({ 'content-usage': 'train-ai=n' })
    const r = { 'Content-Usage': 'train-ai=n' }
    const p: [string, string][] = [['CONTENT-USAGE', 'train-ai=n']]
    for (const input of [h, r, p]) {
      const [s] = one(input, 'aipref')
      expect(s?.usage).toEqual({ 'train-ai': 'denied' })
      expect(s?.source).toEqual({ kind: 'http-header', name: 'Content-Usage', text: 'train-ai=n', url: URL_ })
      expect(s?.scope).toBe('resource')
    }
    expect(readHttpSignals({ 'x-robots-tag': ['noai', 'noimageai'] }).map((s) => s.tokens.map((t) => t.token))).toEqual([['noai', 'noimageai']])
  })
  it('rejects what is not headers', () => {
    expect(() => readHttpSignals(null as never)).toThrow(InvalidArgumentError)
    expect(() => readHttpSignals('noai' as never)).toThrow(InvalidArgumentError)
  })
  it('finds nothing in unrelated headers', () => {
    expect(readHttpSignals({ 'content-type': 'text/html', link: '</a.css>; rel=preload' })).toEqual([])
  })
})

describe('readHttpSignals: NoAI-Tag and NoAI-Tag-JWS (docs/spec.md §8.3, §11.1)', () => {
  it('reads the compact form through the noai-tag rows', () => {
    const [s] = one({ 'NoAI-Tag': 'train-ai=n, search=y, org.example.voice=n' }, 'noai-tag')
    expect(s?.usage).toEqual({ 'train-ai': 'denied', search: 'allowed' })
    expect(s?.tokens.find((t) => t.token === 'org.example.voice')?.read).toBe('ignored')
    expect(s?.jws).toBeUndefined()
  })
  it('a malformed dictionary is no statement, with a note', () => {
    for (const bad of ['Train-AI=n', 'train-ai=n,', 'train-ai=n;;', '"x"']) {
      const [s] = one({ 'NoAI-Tag': bad }, 'noai-tag')
      expect(s?.usage, bad).toEqual({})
      expect(s?.tokens[0]?.read).toBe('ignored')
      expect(s?.tokens[0]?.note).toMatch(/not a valid compact form/)
    }
  })
  it('duplicate keys: the last wins; parameters are ignored and reported', () => {
    const [s] = one([['NoAI-Tag', 'train-ai=n'], ['NoAI-Tag', 'train-ai=y;x=1']], 'noai-tag')
    expect(s?.usage).toEqual({ 'train-ai': 'allowed' })
    expect(s?.tokens.some((t) => t.read === 'ignored' && /parameters ignored/.test(t.note ?? ''))).toBe(true)
  })
  it('decodes a signed tag without verifying it: jws and tag attached, the document usage used', () => {
    const jws = fakeJws(TAG)
    const [s, ...rest] = one({ 'NoAI-Tag': 'search=y, train-ai=n', 'NoAI-Tag-JWS': `"${jws}"` }, 'noai-tag')
    expect(rest).toEqual([])
    expect(s?.jws).toBe(jws)
    expect(s?.tag?.license).toBe(TAG.license)
    expect(s?.usage).toEqual({ 'train-ai': 'denied', search: 'allowed' })
    expect(s?.mismatch).toBeUndefined()
    expect(s?.source.name).toBe('NoAI-Tag-JWS')
  })
  it('reports a compact form that disagrees with the document, and uses the document', () => {
    const [s] = one({ 'NoAI-Tag': 'train-ai=y', 'NoAI-Tag-JWS': `"${fakeJws(TAG)}"` }, 'noai-tag')
    expect(s?.mismatch).toBe(true)
    expect(s?.usage).toEqual({ 'train-ai': 'denied', search: 'allowed' })
    expect(s?.tokens.find((t) => t.note?.startsWith('mismatch:'))?.value).toBe('train-ai=y')
  })
  it('an unreadable signed tag states nothing, and the compact form is not used in its place', () => {
    const bad = fakeJws({ version: 1, usage: { 'train-ai': 'denied' } }) // no subject, no issued
    const [s] = one({ 'NoAI-Tag': 'train-ai=n', 'NoAI-Tag-JWS': `"${bad}"` }, 'noai-tag')
    expect(s?.usage).toEqual({})
    expect(s?.jws).toBe(bad)
    expect(s?.tag).toBeUndefined()
    expect(s?.tokens[0]?.note).toMatch(/cannot be read/)
    const [t] = one({ 'NoAI-Tag-JWS': '"abc.def"' }, 'noai-tag')
    expect(t?.usage).toEqual({})
  })
  it('a NoAI-Tag-JWS that is not a String is not read; several Strings are several statements', () => {
    const [s] = one({ 'NoAI-Tag-JWS': fakeJws(TAG) }, 'noai-tag') // a bare Token
    expect(s?.jws).toBeUndefined()
    expect(s?.tokens[0]?.note).toMatch(/not an RFC 9651 String/)
    const two = one([['NoAI-Tag-JWS', `"${fakeJws(TAG)}"`], ['NoAI-Tag-JWS', `"${fakeJws({ ...TAG, usage: { all: 'allowed' } })}"`]], 'noai-tag')
    expect(two.map((x) => x.usage)).toEqual([{ 'train-ai': 'denied', search: 'allowed' }, { all: 'allowed' }])
    expect(two.every((x) => x.tokens.some((t) => /more than one tag document/.test(t.note ?? '')))).toBe(true)
  })
  it('a rel="noai-tag" link is recorded to fetch', () => {
    const [s] = one({ link: '</tags/1.jws>; rel="noai-tag"; type="application/noai-tag+jws"' }, 'noai-tag')
    expect(s?.usage).toEqual({})
    expect(s?.tokens[0]).toMatchObject({ token: 'noai-tag', value: 'https://music.example/tags/1.jws', read: 'ignored' })
  })
})

describe('readHttpSignals: Content-Usage (aipref)', () => {
  it('reads y/n tokens through the aipref rows (train-ai=y allows generative training only)', () => {
    expect(one({ 'content-usage': 'train-ai=y, search=n' }, 'aipref')[0]?.usage).toEqual({ 'train-genai': 'allowed', search: 'denied' })
  })
  it('reads labels of earlier drafts through the aipref-legacy rows', () => {
    const [s] = one({ 'content-usage': 'ai=n, genai=y, inference=n, bots=n' }, 'aipref')
    expect(s?.usage).toEqual({ ai: 'denied', 'train-genai': 'allowed', 'ai-input': 'denied', all: 'denied' })
    expect(s?.tokens.find((t) => t.token === 'ai')?.note).toMatch(/earlier aipref label/)
  })
  it('ignores unknown keys, non-token values and parameters; duplicate keys last-wins', () => {
    const [s] = one({ 'content-usage': 'train-ai=n;exceptions=cc-cr, foo=n, search="y", search=y, train-ai=n, ai-input=yes' }, 'aipref')
    expect(s?.usage).toEqual({ 'train-ai': 'denied', search: 'allowed' })
    expect(s?.tokens.find((t) => t.token === 'foo')?.read).toBe('ignored')
    expect(s?.tokens.find((t) => t.token === 'ai-input')?.read).toBe('ignored')
  })
  it('a parse failure means unknown (no statement, with a note)', () => {
    for (const bad of ['Train-AI=n', 'train-ai=n,,', '\u00e9=n', 'train-ai=n;']) {
      const [s] = one({ 'content-usage': bad }, 'aipref')
      expect(s?.usage, bad).toEqual({})
      expect(s?.tokens[0]?.note).toMatch(/not a valid RFC 9651 Dictionary/)
    }
  })
})

describe('readHttpSignals: Content-Signal', () => {
  it('reads yes/no with the robots.txt grammar, case-insensitive, use= reported', () => {
    const [s] = one({ 'content-signal': ' AI-Train = No ,search=YES, ai-input=no,use=reference, ai-train' }, 'content-signals')
    expect(s?.usage).toEqual({ 'train-ai': 'denied', search: 'allowed', 'ai-input': 'denied' })
    expect(s?.tokens.filter((t) => t.read === 'ignored').map((t) => t.token)).toEqual(['use', 'ai-train'])
  })
  it('a deny wins over an allow of the same key within the statement (docs/spec.md §7.1 step 3)', () => {
    expect(one({ 'content-signal': 'ai-train=no, ai-train=yes' }, 'content-signals')[0]?.usage).toEqual({ 'train-ai': 'denied' })
  })
})

describe('readHttpSignals: TDMRep', () => {
  it('1 reserves tdm, 0 does not; the policy URL is recorded', () => {
    const [s] = one({ 'tdm-reservation': '1', 'tdm-policy': '/policy.json' }, 'tdmrep')
    expect(s?.usage).toEqual({ tdm: 'denied' })
    expect(s?.tokens.find((t) => t.token === 'tdm-policy')?.value).toBe('https://music.example/policy.json')
    expect(one({ 'tdm-reservation': '0' }, 'tdmrep')[0]?.usage).toEqual({ tdm: 'allowed' })
  })
  it('any value other than exactly 1 or 0 leaves it unset', () => {
    for (const v of ['yes', '2', '1, 1', 'true', '']) {
      const [s] = one({ 'tdm-reservation': v }, 'tdmrep')
      expect(s?.usage, v).toEqual({})
      expect(s?.tokens[0]?.read).toBe('ignored')
    }
  })
})

describe('readHttpSignals: X-Robots-Tag', () => {
  it('reads noai/noimageai case-insensitively from comma lists and several field lines', () => {
    const signals = readHttpSignals([
      ['X-Robots-Tag', 'noindex, NOAI'],
      ['x-robots-tag', 'NoImageAI'],
    ])
    expect(signals).toHaveLength(1)
    expect(signals[0]?.signal).toBe('robots-meta')
    expect(signals[0]?.usage).toEqual({ ai: 'denied' })
    expect(signals[0]?.tokens.map((t) => t.token)).toEqual(['noai', 'noimageai'])
  })
  it('agent prefixes address statements to one agent; userAgent filters them', () => {
    const h: [string, string][] = [
      ['X-Robots-Tag', 'GPTBot: noai'],
      ['X-Robots-Tag', 'otherbot: noimageai, nofollow'],
      ['X-Robots-Tag', 'unavailable_after: 25 Jun 2030 15:00:00 PST'],
    ]
    const all = readHttpSignals(h)
    expect(all.map((s) => s.agent)).toEqual(['GPTBot', 'otherbot'])
    expect(readHttpSignals(h, { userAgent: 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)' }).map((s) => s.agent)).toEqual(['GPTBot'])
    expect(readHttpSignals(h, { userAgent: 'gptbot' }).map((s) => s.agent)).toEqual(['GPTBot'])
    expect(readHttpSignals(h, { userAgent: 'CCBot' })).toEqual([])
  })
  it('reports noarchive/nocache as bing, not mapped; ignores unknown directives', () => {
    const [s, ...rest] = readHttpSignals({ 'x-robots-tag': 'noarchive, nocache, noml, max-snippet: 20' })
    expect(rest).toEqual([])
    expect(s?.signal).toBe('bing')
    expect(s?.usage).toEqual({})
    expect(s?.tokens.every((t) => t.read === 'ignored')).toBe(true)
  })
})

describe('readHttpSignals: Link rel=license (RSL)', () => {
  it('records an RSL licence URL (type application/rsl+xml only)', () => {
    const signals = one({ link: '</a.css>; rel=stylesheet, <https://x.example/license.xml>; rel="license"; type="application/rsl+xml", </cc>; rel=license' }, 'rsl')
    expect(signals).toHaveLength(1)
    expect(signals[0]?.tokens[0]?.value).toBe('https://x.example/license.xml')
  })
  it('reads quoted parameters with commas and semicolons', () => {
    expect(one({ link: '<l.xml>; title="a, b; c"; rel="License"; type="Application/RSL+XML"' }, 'rsl')[0]?.tokens[0]?.value).toBe('https://music.example/track/l.xml')
  })
  it('reports a malformed Link field that mentions our relations', () => {
    const [s] = readHttpSignals({ link: '<a>; rel=noai-tag, garbage' })
    expect(s?.tokens[0]?.value).toBe('a')
    expect(readHttpSignals({ link: 'garbage; rel=noai-tag' })[0]?.tokens[0]?.note).toMatch(/malformed Link/)
  })
})

describe('readHttpSignals: limits', () => {
  it('does not parse values over maxHeaderValueLength, and says so', () => {
    const long = `train-ai=n, ${'a=y, '.repeat(HTTP_LIMITS.maxHeaderValueLength / 4)}`
    const [s] = readHttpSignals({ 'content-usage': long })
    expect(s?.usage).toEqual({})
    expect(s?.tokens[0]?.note).toMatch(/maxHeaderValueLength/)
    expect(s?.source.text?.length).toBeLessThanOrEqual(HTTP_LIMITS.maxSourceText)
  })
  it('bounds field lines, agents and statements', () => {
    const lines: [string, string][] = Array.from({ length: 1000 }, (_, i) => ['x-robots-tag', `bot${i}: noai`])
    const t = performance.now()
    const signals = readHttpSignals(lines)
    expect(performance.now() - t).toBeLessThan(1000)
    expect(signals.length).toBeLessThanOrEqual(HTTP_LIMITS.maxSignals)
    expect(signals.filter((s) => s.agent !== undefined)).toHaveLength(HTTP_LIMITS.maxAgents)
    expect(signals.some((s) => /maxFieldLines/.test(s.tokens[0]?.note ?? ''))).toBe(true)
  })
  it('survives binary junk in every field', () => {
    const junk = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256))
    const names = ['NoAI-Tag', 'NoAI-Tag-JWS', 'Content-Usage', 'Content-Signal', 'tdm-reservation', 'tdm-policy', 'X-Robots-Tag', 'Link']
    const signals = readHttpSignals(names.map((n) => [n, junk] as [string, string]))
    for (const s of signals) expect(s.usage).toEqual({})
  })
})
