import { describe, expect, it } from 'vitest'
import { SITE_LIMITS, parseAiTxt, parseRobotsTxt, robotsSignals } from '../src/robots.js'

const timed = <T>(fn: () => T): [T, number] => {
  const t = performance.now()
  const r = fn()
  return [r, performance.now() - t]
}

describe('robots.txt hostile input: bounded time and memory, never a hang', () => {
  it('parses only the first 512 KiB of a 1 million line file, quickly', () => {
    const text = 'User-agent: *\n' + 'Disallow: /private/path/that/is/long\n'.repeat(1_000_000)
    expect(text.length).toBeGreaterThan(30_000_000)
    const [robots, ms] = timed(() => parseRobotsTxt(text))
    expect(ms).toBeLessThan(2_000)
    expect(robots.truncated).toBe(true)
    expect(robots.parsedBytes).toBeLessThanOrEqual(SITE_LIMITS.maxRobotsBytes)
    expect(robots.parsedBytes).toBeGreaterThan(SITE_LIMITS.maxRobotsBytes - 64)
    expect(robots.warnings[0]).toMatchObject({ line: 0, message: expect.stringMatching(/larger than 524288 bytes/) })
    // The cut never leaves a partial rule behind.
    for (const r of robots.groups[0]!.rules) expect(r.pattern).toBe('/private/path/that/is/long')
    const [signals, ms2] = timed(() => robotsSignals(robots, '/private/path/that/is/long/x', { userAgent: 'x' }))
    expect(signals[0]!.usage).toEqual({ all: 'denied' })
    expect(ms2).toBeLessThan(1_000)
  })
  it('parses 1 million short lines within the byte cap when the caller raises it', () => {
    const text = 'User-agent: a\n' + '#\n'.repeat(1_000_000) + 'Disallow: /\n'
    const [robots, ms] = timed(() => parseRobotsTxt(text, { maxBytes: 4_000_000 }))
    expect(ms).toBeLessThan(3_000)
    expect(robots.truncated).toBe(false)
    expect(robots.groups[0]!.rules).toEqual([{ type: 'disallow', pattern: '/', line: 1_000_002 }])
  })
  it('ignores a single 100 KB line and keeps the rest', () => {
    const text = `User-agent: *\nDisallow: /${'a'.repeat(100_000)}\nDisallow: /b\n`
    const [robots, ms] = timed(() => parseRobotsTxt(text))
    expect(ms).toBeLessThan(500)
    expect(robots.groups[0]!.rules).toEqual([{ type: 'disallow', pattern: '/b', line: 3 }])
    expect(robots.warnings[0]).toMatchObject({ line: 2, message: expect.stringMatching(/maxLineLength/) })
  })
  it('handles a file that is one 600 KB line', () => {
    const robots = parseRobotsTxt(`User-agent: *${' '.repeat(600_000)}`)
    expect(robots.truncated).toBe(true)
    expect(robots.groups).toEqual([])
  })
  it('stops at maxGroups and maxRules', () => {
    const groups = parseRobotsTxt('User-agent: a\nDisallow: /x\n'.repeat(SITE_LIMITS.maxGroups + 10))
    expect(groups.groups).toHaveLength(SITE_LIMITS.maxGroups)
    expect(groups.truncated).toBe(true)
    const rules = parseRobotsTxt('User-agent: a\n' + 'Allow:/\n'.repeat(SITE_LIMITS.maxRules + 10), { maxBytes: 1_000_000 })
    expect(rules.truncated).toBe(true)
    expect(rules.groups[0]!.rules.length).toBe(SITE_LIMITS.maxRules - 1)
  })
  it('matches wildcard-heavy patterns against long paths without backtracking blow-up', () => {
    const pattern = '/' + '*a'.repeat(2_000) + '$'
    const robots = parseRobotsTxt(`User-agent: *\nDisallow: ${pattern}\n`)
    const path = '/' + 'a'.repeat(8_000) + 'b'
    const [signals, ms] = timed(() => robotsSignals(robots, path, { userAgent: 'x' }))
    expect(signals).toEqual([])
    expect(ms).toBeLessThan(500)
  })
  it('evaluates many URLs against a large file quickly (patterns compiled once, rules indexed by prefix)', () => {
    const lines = ['User-agent: *']
    for (let i = 0; i < 5_000; i++) lines.push(`Disallow: /dir${i}/*.mp3$`, `Allow: /dir${i}/public/`)
    const robots = parseRobotsTxt(lines.join('\n'))
    const [, ms] = timed(() => {
      for (let i = 0; i < 5_000; i++) robotsSignals(robots, `/dir${i}/x/${i}.mp3`, { userAgent: 'x' })
    })
    expect(ms).toBeLessThan(3_000)
    expect(robotsSignals(robots, '/dir7/a.mp3', { userAgent: 'x' })[0]!.usage).toEqual({ all: 'denied' })
    expect(robotsSignals(robots, '/dir7/public/a.mp3', { userAgent: 'x' })).toEqual([]) // the Allow is longer
    expect(robotsSignals(robots, '/dir7/a.mp3?x', { userAgent: 'x' })).toEqual([])
  })
  it('stays linear when many user agents share many rules (no per-agent copies)', () => {
    const agents = Array.from({ length: 15_000 }, (_, i) => `User-agent: bot${i.toString(36).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)}`).join('\n')
    const rules = Array.from({ length: 15_000 }, (_, i) => `Disallow: /p${i}/`).join('\n')
    const text = `${agents}\n${rules}\n${agents}\n${rules}\n`
    const [signals, ms] = timed(() => robotsSignals(parseRobotsTxt(text, { maxBytes: 2_000_000 }), '/p7/x', { userAgent: 'me' }))
    expect(ms).toBeLessThan(3_000)
    expect(signals).toHaveLength(SITE_LIMITS.maxOtherAgentSignals)
  })
  it('reports at most maxOtherAgentSignals other agents', () => {
    const text = Array.from({ length: 1_000 }, (_, i) => `User-agent: bot${String.fromCharCode(97 + (i % 26))}${'x'.repeat(Math.floor(i / 26))}\nDisallow: /`).join('\n')
    const s = robotsSignals(parseRobotsTxt(text), '/a', { userAgent: 'me' })
    expect(s).toHaveLength(SITE_LIMITS.maxOtherAgentSignals)
  })
  it('keeps at most maxRecords Sitemap and License records', () => {
    const robots = parseRobotsTxt('License: https://e.example/l.xml\n'.repeat(5_000))
    expect(robots.licenses).toHaveLength(SITE_LIMITS.maxRecords)
    expect(robotsSignals(robots, '/', { userAgent: 'x' })).toHaveLength(SITE_LIMITS.maxRecords)
  })
  it('survives control characters, NULs and lone surrogates', () => {
    const robots = parseRobotsTxt('User-agent: *\u0000\nDisallow: /\ud800x\u0001\nAllow: /%zz\n\u0000\u0000\n')
    expect(robots.groups[0]!.rules).toHaveLength(2)
    expect(robotsSignals(robots, '/%EF%BF%BDx%01', { userAgent: 'x' })[0]!.usage).toEqual({ all: 'denied' })
  })
  it('applies the same bounds to ai.txt', () => {
    const ai = parseAiTxt('User-agent: *\n' + 'Disallow: *.mp3\n'.repeat(100_000))
    expect(ai.truncated).toBe(true)
  })
})
