import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, USES, combinePreferences, preferenceFor, resolvePreferences, type FoundSignal, type Preference, type Use } from '../src/index.js'
import { AI_CRAWLERS, parseRobotsTxt, policySignals, robotsSignals, robotsTxtFor, type NoaiPolicy } from '../src/robots.js'

const ORIGIN = 'https://music.example'

function answers(signals: FoundSignal[], use: Use): Preference {
  return preferenceFor(combinePreferences(signals.map((s) => resolvePreferences(s.usage))), use)
}

const policyOf = (usage: NoaiPolicy['default']['usage'], rules?: NoaiPolicy['rules'], extra: Partial<NoaiPolicy> = {}): NoaiPolicy => ({
  version: 1,
  issuer: ORIGIN,
  updated: '2026-11-26T00:00:00Z',
  default: { usage },
  ...(rules ? { rules } : {}),
  ...extra,
})

describe('robotsTxtFor', () => {
  it('writes the * group with Content-Usage and Content-Signal', () => {
    const txt = robotsTxtFor(policyOf({ 'train-ai': 'denied', search: 'allowed' }))
    expect(txt).toBe(
      '# AI usage preferences of https://music.example (NoAI Tag site policy: /.well-known/noai-tag/policy.json)\n' +
        'User-agent: *\nAllow: /\nContent-Usage: / train-ai=n, search=y\nContent-Signal: search=yes, ai-train=no\n',
    )
  })
  it('expands broad denies through the answers (ai denied → train-ai=n, ai-input=no)', () => {
    const txt = robotsTxtFor(policyOf({ ai: 'denied' }))
    expect(txt).toContain('Content-Usage: / train-ai=n\n')
    expect(txt).toContain('Content-Signal: ai-input=no, ai-train=no\n')
    const all = robotsTxtFor(policyOf({ all: 'denied', search: 'allowed' }))
    expect(all).toContain('Content-Usage: / train-ai=n, search=y\n')
  })
  it('writes per-path rules, and Content-Signal only for keys that are the same on every path', () => {
    const txt = robotsTxtFor(policyOf({ 'train-ai': 'denied', search: 'allowed' }, [{ path: '/press/', usage: { all: 'allowed' } }, { path: '/drafts/', usage: {} as never }]))
    expect(txt).toContain('Content-Usage: / train-ai=n, search=y\nContent-Usage: /press/ train-ai=y, search=y\nContent-Usage: /drafts/\n')
    expect(txt).not.toContain('Content-Signal')
  })
  it('blocks AI crawlers by purpose only where their use is denied', () => {
    const txt = robotsTxtFor(policyOf({ 'train-ai': 'denied', search: 'allowed' }, [{ path: '/press/', usage: { all: 'allowed' } }]), { blockAiCrawlers: true })
    const robots = parseRobotsTxt(txt)
    const tokens = robots.groups.map((g) => g.userAgents.map((u) => u.token))
    const training = AI_CRAWLERS.filter((a) => a.purpose === 'training').map((a) => a.token)
    expect(tokens).toEqual([['*'], training])
    expect(robots.groups[1]!.rules.map((r) => `${r.type} ${r.pattern}`)).toEqual(['disallow /', 'allow /press/'])
    // no group for search, answer or user-fetch crawlers: their uses are not denied
    expect(txt).not.toContain('OAI-SearchBot')
    expect(txt).not.toContain('ChatGPT-User')
    const search = robotsTxtFor(policyOf({ all: 'denied' }), { blockAiCrawlers: true })
    expect(search).toContain('User-agent: OAI-SearchBot')
    expect(search).toContain('User-agent: Amazonbot')
    expect(search).not.toContain('User-agent: ChatGPT-User')
    expect(robotsTxtFor(policyOf({ search: 'allowed' }), { blockAiCrawlers: true })).not.toContain('GPTBot')
  })
  it('writes License and Sitemap records, and a valid product token for every crawler', () => {
    const txt = robotsTxtFor(policyOf({ 'train-ai': 'denied' }, undefined, { rsl: 'https://music.example/license.xml' }), { sitemaps: ['https://music.example/sitemap.xml'] })
    expect(txt.endsWith('\n\nLicense: https://music.example/license.xml\nSitemap: https://music.example/sitemap.xml\n')).toBe(true)
    for (const a of AI_CRAWLERS) expect(a.token).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(new Set(AI_CRAWLERS.map((a) => a.token.toLowerCase())).size).toBe(AI_CRAWLERS.length)
    expect(() => robotsTxtFor(policyOf({}), { sitemaps: ['nope'] })).toThrow(InvalidArgumentError)
    expect(() => robotsTxtFor({} as NoaiPolicy)).toThrow(InvalidArgumentError)
  })
})

// Emit → parse → signals gives the policy's answers per use.
const state = fc.constantFrom<'allowed' | 'denied' | undefined>('allowed', 'denied', undefined)
const usage = fc.record(Object.fromEntries(USES.map((u) => [u, state])) as Record<Use, typeof state>).map((u) =>
  Object.fromEntries(Object.entries(u).filter(([, v]) => v !== undefined)),
) as fc.Arbitrary<NoaiPolicy['default']['usage']>
const PATHS = ['/press/', '/press/kit/', '/music/*.mp3', '/music/', '/private$', '/*.wav', '/']
const rules = fc.uniqueArray(fc.record({ path: fc.constantFrom(...PATHS), usage }), { maxLength: 4, selector: (r) => r.path })
const PROBES = ['/', '/press/a', '/press/kit/b', '/music/a.mp3', '/music/a.flac', '/private', '/private/x', '/other/a.wav', '/x']

describe('round trip: policy → robots.txt → signals', () => {
  it('a generic crawler reads the policy\'s answers for search and train-genai, and never an allow the policy does not give', () => {
    fc.assert(
      fc.property(usage, rules, (u, r) => {
        const policy = policyOf(u, r.length > 0 ? r : undefined)
        const robots = parseRobotsTxt(robotsTxtFor(policy, { blockAiCrawlers: true }))
        for (const path of PROBES) {
          const want = policySignals(policy, ORIGIN + path)
          const got = robotsSignals(robots, ORIGIN + path, { userAgent: 'ExampleBot' }).filter((s) => s.agent === undefined)
          expect(answers(got, 'search'), `search at ${path}`).toBe(answers(want, 'search'))
          // Content-Signal ai-train=no denies all training, so a policy that denies train-ai but
          // allows train-genai loses the generative carve-out (the loss column of docs/spec.md §7.2).
          const genai = answers(got, 'train-genai')
          const widened = genai === 'denied' && answers(want, 'train-ai') === 'denied'
          expect(genai === answers(want, 'train-genai') || widened, `train-genai at ${path}`).toBe(true)
          // aipref's train-ai is generative training only, and Content-Signal has no paths, so a deny
          // of non-generative training on some paths only is not carried; nothing is ever widened
          // into an allow.
          const ta = answers(got, 'train-ai')
          if (ta === 'allowed') expect(answers(want, 'train-ai'), `train-ai at ${path}`).toBe('allowed')
          if (answers(want, 'train-genai') === 'denied') expect(ta, `train-ai at ${path}`).toBe('denied')
          const ai = answers(got, 'ai-input')
          expect(ai === 'unknown' || ai === answers(want, 'ai-input'), `ai-input at ${path}`).toBe(true)
        }
      }),
      { numRuns: 150 },
    )
  })
  it('a training crawler is kept out exactly where train-ai is denied, and keeps the preferences elsewhere', () => {
    fc.assert(
      fc.property(usage, rules, (u, r) => {
        const policy = policyOf(u, r.length > 0 ? r : undefined)
        const robots = parseRobotsTxt(robotsTxtFor(policy, { blockAiCrawlers: true }))
        for (const path of PROBES) {
          const want = answers(policySignals(policy, ORIGIN + path), 'train-ai')
          const got = robotsSignals(robots, ORIGIN + path, { userAgent: 'GPTBot', otherAgents: false })
          const blocked = got.some((s) => s.signal === 'robots-txt')
          if (want === 'denied') expect(answers(got, 'train-ai'), path).toBe('denied')
          else expect(blocked, `${path}: train-ai is ${want} but GPTBot is blocked`).toBe(false)
        }
      }),
      { numRuns: 150 },
    )
  })
})
