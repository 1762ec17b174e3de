import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, USES, combinePreferences, preferenceFor, resolvePreferences, type FoundSignal, type Use } from '../src/index.js'
import { aiTxtFor, aiTxtSignals, parseAiTxt, parseRobotsTxt, policySignals, type NoaiPolicy } from '../src/robots.js'

describe('Spawning ai.txt', () => {
  const ai = parseAiTxt('# Spawning AI\n# Prevent datasets from using the following file types\nUser-Agent: *\nDisallow: *.mp3\nDisallow: *.wav\nDisallow: *.flac\nAllow: /blog/\n', {
    url: 'https://artist.example/ai.txt',
  })
  const sig = (path: string) => aiTxtSignals(ai, `https://artist.example${path}`, { userAgent: 'ExampleBot' })

  it('a Disallow by extension denies AI training', () => {
    const s = sig('/music/a/song.mp3')
    expect(s).toHaveLength(1)
    expect(s[0]).toMatchObject({ signal: 'ai-txt', scope: 'site', usage: { 'train-ai': 'denied' }, source: { kind: 'ai.txt', url: 'https://artist.example/ai.txt', name: 'Disallow', line: 4, text: 'Disallow: *.mp3' } })
    expect(s[0]!.tokens[0]).toMatchObject({ token: 'Disallow', value: '*.mp3', read: 'denied' })
    expect(s[0]!.agent).toBeUndefined()
  })
  it('an explicit Allow allows AI training; no rule, no statement', () => {
    expect(sig('/blog/post')[0]).toMatchObject({ usage: { 'train-ai': 'allowed' }, source: { name: 'Allow', line: 7 } })
    expect(sig('/blog/post')[0]!.tokens[0]).toMatchObject({ token: 'Allow', read: 'allowed' })
    expect(sig('/about')).toEqual([])
  })
  it('uses robots.txt precedence: longest match, Allow on ties', () => {
    const f = parseAiTxt('User-Agent: *\nDisallow: /\nAllow: /blog/\nDisallow: /blog/*.wav\n')
    const at = (p: string) => aiTxtSignals(f, p, { userAgent: 'x' })[0]!.usage
    expect(at('/x')).toEqual({ 'train-ai': 'denied' })
    expect(at('/blog/a')).toEqual({ 'train-ai': 'allowed' })
    expect(at('/blog/a.wav')).toEqual({ 'train-ai': 'denied' })
  })
  it('reads groups for named agents', () => {
    const f = parseAiTxt('User-Agent: *\nDisallow: /\n\nUser-Agent: archivebot\nAllow: /\n')
    expect(aiTxtSignals(f, '/x', { userAgent: 'ArchiveBot' })[0]).toMatchObject({ agent: 'archivebot', usage: { 'train-ai': 'allowed' } })
  })
  it('keeps ai.txt and robots.txt apart', () => {
    expect(() => aiTxtSignals(parseRobotsTxt('User-agent: *\nDisallow: /\n'), '/x', { userAgent: 'x' })).toThrow(InvalidArgumentError)
    expect(() => aiTxtSignals(ai, '/x', { userAgent: '' })).toThrow(InvalidArgumentError)
  })
})

describe('aiTxtFor', () => {
  const base = { version: 1, issuer: 'https://artist.example', updated: '2026-11-26T00:00:00Z' } as const
  it('writes nothing when AI training is denied nowhere', () => {
    expect(aiTxtFor({ ...base, default: { usage: { search: 'allowed', 'train-ai': 'allowed' } } })).toBeUndefined()
    expect(aiTxtFor({ ...base, default: { usage: { 'ai-input': 'denied' } } })).toBeUndefined()
  })
  it('denies where train-ai is denied and allows the rule paths that allow it', () => {
    const policy: NoaiPolicy = { ...base, default: { usage: { ai: 'denied' } }, rules: [{ path: '/press/', usage: { 'train-ai': 'allowed' } }, { path: '/private/', usage: { all: 'denied' } }] }
    const txt = aiTxtFor(policy)!
    expect(txt).toBe('# Spawning AI\n# AI training preferences of https://artist.example (NoAI Tag site policy)\nUser-Agent: *\nDisallow: /\nAllow: /press/\nDisallow: /private/\n')
    const parsed = parseAiTxt(txt)
    for (const path of ['/', '/a.mp3', '/press/kit.zip', '/private/x']) {
      const want = policySignals(policy, path)[0]!.usage
      const got = aiTxtSignals(parsed, path, { userAgent: 'x' })[0]!.usage['train-ai']
      expect(got, path).toBe(path.startsWith('/press/') ? 'allowed' : 'denied')
      expect(want['train-ai'] ?? (want.ai === 'denied' || want.all === 'denied' ? 'denied' : undefined), path).toBe(got)
    }
  })
  it('denies only the rule paths when the default does not deny', () => {
    const txt = aiTxtFor({ ...base, default: { usage: { search: 'allowed' } }, rules: [{ path: '/stems/', usage: { 'train-genai': 'denied' } }] })!
    expect(txt.split('\n').slice(2)).toEqual(['User-Agent: *', 'Disallow: /stems/', ''])
  })
})

describe('round trip: policy → ai.txt → signals', () => {
  const state = fc.constantFrom<'allowed' | 'denied' | undefined>('allowed', 'denied', undefined)
  const usage = fc
    .record(Object.fromEntries(USES.map((u) => [u, state])) as Record<Use, typeof state>)
    .map((u) => Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)) as NoaiPolicy['default']['usage'])
  const answer = (s: FoundSignal[]) => preferenceFor(combinePreferences(s.map((x) => resolvePreferences(x.usage))), 'train-ai')
  it('denies AI training wherever the policy does, and never allows what the policy does not', () => {
    const paths = ['/a/', '/a/b/', '/*.mp3', '/a/*.wav$']
    const probes = ['/', '/x', '/a/1', '/a/b/2', '/c/d.mp3', '/a/b/e.mp3', '/a/f.wav', '/a/f.wav?x']
    fc.assert(
      fc.property(usage, fc.uniqueArray(fc.record({ path: fc.constantFrom(...paths), usage }), { maxLength: 4, selector: (r) => r.path }), (d, rules) => {
        const policy: NoaiPolicy = { version: 1, issuer: 'https://a.example', updated: '2026-11-26T00:00:00Z', default: { usage: d }, ...(rules.length ? { rules } : {}) }
        const txt = aiTxtFor(policy)
        for (const probe of probes) {
          const want = answer(policySignals(policy, probe))
          const got = txt === undefined ? 'unknown' : answer(aiTxtSignals(parseAiTxt(txt), probe, { userAgent: 'x' }))
          if (want === 'denied') expect(got, probe).toBe('denied')
          if (got === 'allowed') expect(want, probe).toBe('allowed')
        }
      }),
      { numRuns: 300 },
    )
  })
})
