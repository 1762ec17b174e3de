import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, combinePreferences, preferenceFor, resolvePreferences, type FoundSignal, type Preference, type Use } from '../src/index.js'
import { parseRobotsTxt, robotsSignals, robotsStatusPolicy, unreachableRobotsTxt } from '../src/robots.js'

const ORIGIN = 'https://www.example.com'

/** The combined answer for one use over the signals addressed to the caller (agent-specific ones for other agents excluded). */
function answerFor(signals: FoundSignal[], use: Use, agent?: string): Preference {
  const mine = signals.filter((s) => s.agent === agent)
  return preferenceFor(combinePreferences(mine.map((s) => resolvePreferences(s.usage))), use)
}

describe('aipref Content-Usage in robots.txt (draft-ietf-aipref-attach §3, example)', () => {
  const robots = parseRobotsTxt(
    'User-Agent: *\nAllow: /\nDisallow: /never/\nContent-Usage: / train-ai=n\nContent-Usage: /ai-ok/ train-ai=y\n\nUser-Agent: ExampleBot\nAllow: /\nContent-Usage: / train-ai=y\n',
    { url: `${ORIGIN}/robots.txt` },
  )
  const sig = (path: string, agent: string) => robotsSignals(robots, ORIGIN + path, { userAgent: agent })

  it('/test: crawlable, train-ai=n', () => {
    const s = sig('/test', 'OtherBot')
    expect(s).toHaveLength(1)
    expect(s[0]).toMatchObject({ signal: 'aipref', scope: 'site', usage: { 'train-ai': 'denied' }, source: { name: 'Content-Usage', line: 4, text: 'Content-Usage: / train-ai=n' } })
    expect(s[0]!.agent).toBeUndefined()
  })
  it('/never/test: not crawlable, no usage preference', () => {
    const s = sig('/never/test', 'OtherBot')
    expect(s.map((x) => x.signal)).toEqual(['robots-txt'])
    expect(s[0]!.usage).toEqual({ all: 'denied' })
  })
  it('/ai-ok/test: train-ai=y (read narrowly as generative training)', () => {
    const s = sig('/ai-ok/test', 'OtherBot')
    expect(s.map((x) => x.usage)).toEqual([{ 'train-genai': 'allowed' }])
    expect(answerFor(s, 'train-genai')).toBe('allowed')
    expect(answerFor(s, 'train-ai')).toBe('unknown')
  })
  it('ExampleBot uses its own group, with agent set', () => {
    const s = sig('/never/test', 'ExampleBot')
    expect(s).toHaveLength(1)
    expect(s[0]).toMatchObject({ signal: 'aipref', agent: 'ExampleBot', usage: { 'train-genai': 'allowed' } })
  })
  it('a rule without a path applies to every path (earlier revisions)', () => {
    const r = parseRobotsTxt('User-agent: *\nContent-Usage: train-ai=n, search=y\n')
    expect(r.groups[0]!.contentUsage[0]).toMatchObject({ path: '/', value: 'train-ai=n, search=y', preferences: { 'train-ai': 'denied', search: 'allowed' } })
    expect(robotsSignals(r, '/a', { userAgent: 'x' })[0]!.usage).toEqual({ 'train-ai': 'denied', search: 'allowed' })
  })
  it('equally long paths with conflicting values combine most restrictively', () => {
    const r = parseRobotsTxt('User-agent: *\nContent-Usage: /a/ train-ai=y, search=y\nContent-Usage: /a/ train-ai=n\n')
    const s = robotsSignals(r, '/a/1', { userAgent: 'x' })
    expect(s).toHaveLength(2)
    expect(answerFor(s, 'train-genai')).toBe('denied')
    expect(answerFor(s, 'search')).toBe('allowed')
  })
  it('tied rules with the same value are one statement, at the first line (a repeated line costs nothing per URL)', () => {
    const r = parseRobotsTxt(`User-agent: *\nContent-Usage: /a/ train-ai=n\nContent-Usage: /a* search=y\n${'Content-Usage: /a/ train-ai=n\n'.repeat(20_000)}Content-Usage: /a* train-ai=n\n`)
    const s = robotsSignals(r, '/a/1', { userAgent: 'x' })
    expect(s.map((x) => [x.source.line, x.source.text])).toEqual([[2, 'Content-Usage: /a/ train-ai=n'], [3, 'Content-Usage: /a* search=y']])
    expect(answerFor(s, 'train-ai')).toBe('denied')
    expect(answerFor(s, 'search')).toBe('allowed')
  })
  it('the longest path wins, counting octets', () => {
    const r = parseRobotsTxt('User-agent: *\nContent-Usage: /a/ train-ai=n\nContent-Usage: /a/b/ train-ai=y\nContent-Usage: /a/b/c train-ai=n\n')
    expect(robotsSignals(r, '/a/b/x', { userAgent: 'x' }).map((s) => s.source.line)).toEqual([3])
    expect(robotsSignals(r, '/a/b/c', { userAgent: 'x' }).map((s) => s.source.line)).toEqual([4])
    expect(robotsSignals(r, '/b', { userAgent: 'x' })).toEqual([])
  })
  it('an invalid value makes every use unknown, and is reported', () => {
    const r = parseRobotsTxt('User-agent: *\nContent-Usage: / Train-AI=n\nContent-Usage: / search=maybe\n')
    expect(r.warnings.map((w) => w.line)).toEqual([2])
    const s = robotsSignals(r, '/a', { userAgent: 'x' })
    expect(s.map((x) => x.usage)).toEqual([{}, {}])
    expect(s[0]!.tokens[0]).toMatchObject({ token: 'Content-Usage', read: 'ignored' })
    expect(s[1]!.tokens[0]).toMatchObject({ token: 'search', read: 'ignored' })
  })
  it('reads labels of earlier revisions through the aipref-legacy rows, as one statement', () => {
    const r = parseRobotsTxt('User-agent: *\nContent-Usage: / all=n, search=y\nContent-Usage: /b/ bots=n\n')
    const a = robotsSignals(r, '/a', { userAgent: 'x' })
    expect(a[0]).toMatchObject({ signal: 'aipref', usage: { all: 'denied', search: 'allowed' } })
    expect(answerFor(a, 'search')).toBe('allowed') // a narrower allow within one statement
    expect(answerFor(a, 'train-ai')).toBe('denied')
    const b = robotsSignals(r, '/b/1', { userAgent: 'x' })
    expect(b[0]).toMatchObject({ signal: 'aipref-legacy', usage: { all: 'denied' } })
  })
})

describe('Content Signals (contentsignals.org)', () => {
  it('reads the policy example and Cloudflare\'s managed form', () => {
    const r = parseRobotsTxt('User-Agent: *\nContent-Signal: search=yes, ai-input=no, ai-train=no\nAllow: /\n\nUser-agent: x\nContent-signal: search=yes,ai-train=no,use=reference\n')
    const s = robotsSignals(r, '/a', { userAgent: 'other' })
    expect(s).toHaveLength(1)
    expect(s[0]).toMatchObject({ signal: 'content-signals', usage: { search: 'allowed', 'ai-input': 'denied', 'train-ai': 'denied' }, source: { name: 'Content-Signal', line: 2 } })
    const x = robotsSignals(r, '/a', { userAgent: 'x' })
    expect(x[0]!.usage).toEqual({ search: 'allowed', 'train-ai': 'denied' })
    expect(x[0]!.tokens.find((t) => t.token === 'use')).toMatchObject({ value: 'reference', read: 'ignored' })
  })
  it('does not read values other than yes and no', () => {
    const r = parseRobotsTxt('User-agent: *\nContent-Signal: ai-train=disallow, search=yes\n')
    const s = robotsSignals(r, '/', { userAgent: 'x' })[0]!
    expect(s.usage).toEqual({ search: 'allowed' })
    expect(s.tokens[0]).toMatchObject({ token: 'ai-train', value: 'disallow', read: 'ignored' })
  })
})

describe('other agents, RSL License and origins', () => {
  const robots = parseRobotsTxt(
    'User-agent: *\nAllow: /\n\nUser-agent: GPTBot\nUser-agent: CCBot\nDisallow: /\n\nUser-agent: ClaudeBot\nDisallow: /private/\n\nLicense: https://www.example.com/license.xml\n',
    { url: `${ORIGIN}/robots.txt` },
  )
  it('reports groups of other agents that disallow the URL, with agent set', () => {
    const s = robotsSignals(robots, `${ORIGIN}/a`, { userAgent: 'ExampleBot' })
    expect(s.filter((x) => x.signal === 'robots-txt').map((x) => x.agent)).toEqual(['GPTBot', 'CCBot'])
    expect(answerFor(s, 'all')).toBe('unknown') // not applied to ExampleBot
    const p = robotsSignals(robots, `${ORIGIN}/private/x`, { userAgent: 'ExampleBot' })
    expect(p.filter((x) => x.signal === 'robots-txt').map((x) => x.agent)).toEqual(['GPTBot', 'CCBot', 'ClaudeBot'])
  })
  it('applies them to the agent they name', () => {
    const s = robotsSignals(robots, `${ORIGIN}/a`, { userAgent: 'gptbot' })
    expect(answerFor(s, 'train-ai', 'GPTBot')).toBe('denied')
    expect(s.filter((x) => x.signal === 'robots-txt').map((x) => x.agent)).toEqual(['GPTBot', 'CCBot'])
  })
  it('can leave other agents out', () => {
    expect(robotsSignals(robots, `${ORIGIN}/a`, { userAgent: 'ExampleBot', otherAgents: false }).map((s) => s.signal)).toEqual(['rsl'])
  })
  it('reports the RSL License record for every crawler', () => {
    const lic = robotsSignals(robots, `${ORIGIN}/a`, { userAgent: 'ExampleBot' }).find((s) => s.signal === 'rsl')!
    expect(lic).toMatchObject({ scope: 'site', usage: {}, source: { kind: 'robots.txt', name: 'License', line: 11 } })
    expect(lic.tokens[0]).toMatchObject({ token: 'License', value: 'https://www.example.com/license.xml', read: 'ignored' })
  })
  it('refuses URLs of another origin, bad URLs and user agents without a product token', () => {
    expect(() => robotsSignals(robots, 'https://other.example/a', { userAgent: 'x' })).toThrow(InvalidArgumentError)
    expect(() => robotsSignals(robots, 'not a url', { userAgent: 'x' })).toThrow(InvalidArgumentError)
    expect(() => robotsSignals(robots, 'ftp://www.example.com/a', { userAgent: 'x' })).toThrow(InvalidArgumentError)
    expect(() => robotsSignals(robots, '/a', { userAgent: '*' })).toThrow(InvalidArgumentError)
    expect(() => robotsSignals(robots, '/a', { userAgent: '(compatible)' })).toThrow(InvalidArgumentError)
  })
  it('matches the path and query, without the fragment', () => {
    const r = parseRobotsTxt('User-agent: *\nDisallow: /*?session=\nDisallow: /*frag\n')
    expect(robotsSignals(r, `${ORIGIN}/a?session=1`, { userAgent: 'x' })).toHaveLength(1)
    expect(robotsSignals(r, `${ORIGIN}/a#frag`, { userAgent: 'x' })).toHaveLength(0)
  })
})

describe('unreachable robots.txt (RFC 9309 §2.3.1)', () => {
  it('maps statuses to actions', () => {
    expect([200, 204, 299].map(robotsStatusPolicy)).toEqual(['parse', 'parse', 'parse'])
    expect([301, 399, 400, 401, 403, 404, 410, 499].map(robotsStatusPolicy)).toEqual(Array(8).fill('none'))
    expect([429, 500, 503, 599].map(robotsStatusPolicy)).toEqual(Array(4).fill('disallow-all'))
    expect(robotsStatusPolicy('timeout')).toBe('disallow-all')
    expect(robotsStatusPolicy('network-error')).toBe('disallow-all')
    for (const bad of [100, 199, 600, 200.5, Number.NaN, 'oops']) expect(() => robotsStatusPolicy(bad as number)).toThrow(InvalidArgumentError)
  })
  it('an unreachable robots.txt denies everything to every crawler, with the reason', () => {
    const r = unreachableRobotsTxt('timeout', { url: `${ORIGIN}/robots.txt` })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    for (const agent of ['GPTBot', 'ExampleBot']) {
      const s = robotsSignals(r, `${ORIGIN}/a`, { userAgent: agent })
      expect(s).toHaveLength(1)
      expect(s[0]).toMatchObject({ signal: 'robots-txt', usage: { all: 'denied' } })
      expect(s[0]!.tokens[0]!.note).toMatch(/timed out.*RFC 9309 §2\.3\.1\.4/)
    }
    expect(() => unreachableRobotsTxt('gone' as 'timeout')).toThrow(InvalidArgumentError)
  })
})
