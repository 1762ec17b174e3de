import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, type FoundSignal } from '../src/index.js'
import { SITE_LIMITS, parseRobotsTxt, robotsSignals, type RobotsTxt } from '../src/robots.js'

const ORIGIN = 'https://www.example.com'

/** Whether `agent` may crawl `path` under `robots` (no robots-txt signal addressed to it). */
function crawlable(robots: RobotsTxt, agent: string, path: string): boolean {
  const own = robotsSignals(robots, ORIGIN + path, { userAgent: agent, otherAgents: false })
  return !own.some((s) => s.signal === 'robots-txt')
}

const deciding = (signals: FoundSignal[]): FoundSignal | undefined => signals.find((s) => s.signal === 'robots-txt' && s.agent === undefined)

describe('RFC 9309 §5.1 simple example', () => {
  const robots = parseRobotsTxt(
    [
      'User-Agent: *',
      'Disallow: *.gif$',
      'Disallow: /example/',
      'Allow: /publications/',
      '',
      'User-Agent: foobot',
      'Disallow:/',
      'Allow:/example/page.html',
      'Allow:/example/allowed.gif',
      '',
      'User-Agent: barbot',
      'User-Agent: bazbot',
      'Disallow: /example/page.html',
      '',
      'User-Agent: quxbot',
      '',
      'EOF',
    ].join('\n'),
    { url: `${ORIGIN}/robots.txt` },
  )

  it('groups the lines as the RFC describes', () => {
    expect(robots.groups.map((g) => g.userAgents.map((u) => u.token))).toEqual([['*'], ['foobot'], ['barbot', 'bazbot'], ['quxbot']])
    expect(robots.groups[3]!.rules).toEqual([])
    // "EOF" has no colon: reported, not a rule
    expect(robots.warnings.some((w) => w.line === 17)).toBe(true)
  })
  it('*: no .gif, no /example/, /publications/ allowed', () => {
    expect(crawlable(robots, 'otherbot', '/images/a.gif')).toBe(false)
    expect(crawlable(robots, 'otherbot', '/images/a.gif?x=1')).toBe(true) // $ anchors the end
    expect(crawlable(robots, 'otherbot', '/example/x')).toBe(false)
    expect(crawlable(robots, 'otherbot', '/publications/x')).toBe(true)
    expect(crawlable(robots, 'otherbot', '/other')).toBe(true)
  })
  it('foobot: only /example/page.html and /example/allowed.gif', () => {
    expect(crawlable(robots, 'foobot', '/example/page.html')).toBe(true)
    expect(crawlable(robots, 'foobot', '/example/allowed.gif')).toBe(true)
    expect(crawlable(robots, 'foobot', '/publications/x')).toBe(false)
    expect(crawlable(robots, 'FooBot', '/other')).toBe(false) // product tokens match case-insensitively
  })
  it('barbot and bazbot share a group', () => {
    for (const bot of ['barbot', 'bazbot']) {
      expect(crawlable(robots, bot, '/example/page.html')).toBe(false)
      expect(crawlable(robots, bot, '/example/other.html')).toBe(true)
      expect(crawlable(robots, bot, '/a.gif')).toBe(true) // the * group does not apply to them
    }
  })
  it('quxbot: empty last group allows everything', () => {
    expect(crawlable(robots, 'quxbot', '/example/page.html')).toBe(true)
    expect(crawlable(robots, 'quxbot', '/a.gif')).toBe(true)
  })
  it('the deciding rule is reported with its line and text', () => {
    const s = deciding(robotsSignals(robots, `${ORIGIN}/example/x`, { userAgent: 'otherbot' }))!
    expect(s).toMatchObject({ signal: 'robots-txt', scope: 'site', usage: { all: 'denied' }, source: { kind: 'robots.txt', url: `${ORIGIN}/robots.txt`, line: 3, text: 'Disallow: /example/' } })
    expect(s.tokens[0]).toMatchObject({ token: 'Disallow', value: '/example/', read: 'denied' })
  })
})

describe('RFC 9309 §5.2 longest match', () => {
  const robots = parseRobotsTxt('User-Agent: foobot\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n')
  it('the longer rule wins in either direction', () => {
    expect(crawlable(robots, 'foobot', '/example/page/')).toBe(true)
    expect(crawlable(robots, 'foobot', '/example/page/other.gif')).toBe(true)
    expect(crawlable(robots, 'foobot', '/example/page/disallowed.gif')).toBe(false)
  })
})

describe('RFC 9309 §2 details', () => {
  it('merges groups for the same agent (§2.2.1)', () => {
    const robots = parseRobotsTxt('user-agent: ExampleBot\ndisallow: /foo\ndisallow: /bar\n\nuser-agent: examplebot\ndisallow: /baz\n')
    for (const p of ['/foo', '/bar', '/baz']) expect(crawlable(robots, 'ExampleBot', p)).toBe(false)
    expect(crawlable(robots, 'ExampleBot', '/qux')).toBe(true)
  })
  it('uses * only when no group names the agent, and nothing when there is no * group', () => {
    const robots = parseRobotsTxt('user-agent: *\ndisallow: /foo\n\nuser-agent: BazBot\ndisallow: /baz\n')
    expect(crawlable(robots, 'ExampleBot', '/foo')).toBe(false)
    expect(crawlable(robots, 'ExampleBot', '/baz')).toBe(true)
    expect(crawlable(robots, 'BazBot', '/foo')).toBe(true)
    const none = parseRobotsTxt('user-agent: BazBot\ndisallow: /\n')
    expect(crawlable(none, 'ExampleBot', '/anything')).toBe(true)
  })
  it('matches exact product tokens only, from the caller and from the file', () => {
    const robots = parseRobotsTxt('User-agent: Googlebot/2.1\nDisallow: /\n\nUser-agent: Googlebot-Image\nDisallow: /img\n')
    expect(robots.groups[0]!.userAgents[0]).toEqual({ value: 'Googlebot/2.1', token: 'Googlebot', line: 1 })
    expect(crawlable(robots, 'Googlebot', '/a')).toBe(false)
    expect(crawlable(robots, 'Googlebot/2.1 (+http://www.google.com/bot.html)', '/a')).toBe(false)
    expect(crawlable(robots, 'Googlebot-Image', '/a')).toBe(true)
    expect(crawlable(robots, 'Googlebot-News', '/a')).toBe(true)
  })
  it('allows on a tie (§2.2.2) and ignores empty patterns', () => {
    const tie = parseRobotsTxt('User-agent: *\nDisallow: /page\nAllow: /page\n')
    expect(crawlable(tie, 'a', '/page')).toBe(true)
    const empty = parseRobotsTxt('User-agent: *\nDisallow:\n')
    expect(crawlable(empty, 'a', '/anything')).toBe(true)
  })
  it('always allows /robots.txt', () => {
    const robots = parseRobotsTxt('User-agent: *\nDisallow: /\n')
    expect(crawlable(robots, 'a', '/robots.txt')).toBe(true)
    expect(crawlable(robots, 'a', '/robots.txt.bak')).toBe(false)
  })
  it('ignores rules before the first user-agent line, with a warning', () => {
    const robots = parseRobotsTxt('Disallow: /\nContent-Usage: train-ai=n\nUser-agent: *\nAllow: /\n')
    expect(crawlable(robots, 'a', '/x')).toBe(true)
    expect(robots.warnings.map((w) => w.line)).toEqual([1, 2])
    expect(robotsSignals(robots, '/x', { userAgent: 'a' })).toEqual([])
  })
  it('does not end a group at a Sitemap or License record (§2.2.4)', () => {
    const robots = parseRobotsTxt('User-agent: a\nSitemap: https://e.example/s.xml\nUser-agent: b\nLicense: https://e.example/l.xml\nDisallow: /x\n')
    expect(robots.groups).toHaveLength(1)
    expect(robots.groups[0]!.userAgents.map((u) => u.token)).toEqual(['a', 'b'])
    expect(robots.sitemaps).toEqual([{ value: 'https://e.example/s.xml', line: 2 }])
    expect(robots.licenses).toEqual([{ value: 'https://e.example/l.xml', line: 4 }])
  })
  it('starts a new group at a user-agent line after a rule', () => {
    const robots = parseRobotsTxt('User-agent: a\nAllow: /\nUser-agent: b\nDisallow: /\n')
    expect(robots.groups.map((g) => g.userAgents[0]!.token)).toEqual(['a', 'b'])
  })
  it('splits on CR, LF and CRLF, strips comments and a BOM, reads names case-insensitively', () => {
    const robots = parseRobotsTxt('\ufeffUSER-AGENT: a # the a bot\r\nDISALLOW: /x # no x\rallow: /x/y\nuseragent: b\r\ndisalow: /z\n')
    expect(robots.groups.map((g) => g.userAgents.map((u) => u.token))).toEqual([['a'], ['b']])
    expect(robots.groups[0]!.rules).toEqual([
      { type: 'disallow', pattern: '/x', line: 2 },
      { type: 'allow', pattern: '/x/y', line: 3 },
    ])
    expect(robots.groups[1]!.rules).toEqual([{ type: 'disallow', pattern: '/z', line: 5 }])
  })
  it('reads Crawl-delay', () => {
    const robots = parseRobotsTxt('User-agent: a\nCrawl-delay: 2.5\nUser-agent: b\nCrawl-delay: soon\n')
    expect(robots.groups[0]!.crawlDelay).toBe(2.5)
    expect(robots.groups[1]!.crawlDelay).toBeUndefined()
    expect(robots.warnings.some((w) => w.line === 4)).toBe(true)
  })
})

describe('path matching (RFC 9309 §2.2.2, §2.2.3; Google-style)', () => {
  const cases: [pattern: string, path: string, matches: boolean][] = [
    ['/fish', '/fish', true],
    ['/fish', '/fish.html', true],
    ['/fish', '/fish/salmon.html', true],
    ['/fish', '/Fish.asp', false], // case-sensitive
    ['/fish', '/catfish', false],
    ['/fish*', '/fishheads/yummy.html', true],
    ['/fish/', '/fish', false],
    ['/*.php', '/index.php', true],
    ['/*.php', '/folder/filename.php?parameters', true],
    ['/*.php', '/windows.PHP', false],
    ['/*.php$', '/filename.php', true],
    ['/*.php$', '/filename.php?parameters', false],
    ['/*.php$', '/filename.php5', false],
    ['/fish*.php', '/fish.php', true],
    ['/fish*.php', '/fishheads/catfish.php?parameters', true],
    ['/fish*.php', '/Fish.PHP', false],
    ['*.gif$', '/a/b.gif', true],
    ['/a*b*c$', '/aXbYc', true],
    ['/a*b*c$', '/aXbYcZ', false],
    ['/a*bc$', '/abcbc', true],
    ['/$', '/', true],
    ['/$', '/a', false],
    ['/a$b', '/a$b', true], // $ not at the end is a literal
    // §2.2.2 percent-encoding table
    ['/foo/bar?baz=https://foo.bar', '/foo/bar?baz=https://foo.bar', true],
    ['/foo/bar/ツ', '/foo/bar/%E3%83%84', true],
    ['/foo/bar/%E3%83%84', '/foo/bar/ツ', true],
    ['/foo/bar/%e3%83%84', '/foo/bar/%E3%83%84', true],
    ['/foo/bar/%62%61%7A', '/foo/bar/baz', true],
    ['/foo/bar/baz', '/foo/bar/%62%61%7A', true],
    ['/a%2Fb', '/a/b', false], // reserved characters stay encoded
    // §2.2.3: special characters named by their escape
    ['/path/file-with-a-%2A.html', '/path/file-with-a-*.html', true],
    ['/path/foo-%24', '/path/foo-$', true],
    ['/path/foo-%24', '/path/foo-', false],
  ]
  it.each(cases)('%s vs %s → %s', (pattern, path, matches) => {
    const robots = parseRobotsTxt(`User-agent: *\nDisallow: ${pattern}\n`)
    expect(crawlable(robots, 'a', path)).toBe(!matches)
  })
  it('counts specificity in octets of the encoded pattern', () => {
    // "/ツ" is 10 octets encoded, longer than the 4-octet "/abc"
    const robots = parseRobotsTxt('User-agent: *\nAllow: /ツ\nDisallow: /%E3*\n')
    expect(crawlable(robots, 'a', '/ツx')).toBe(true)
  })
})

describe('parse result', () => {
  it('is plain data that survives JSON', () => {
    const robots = parseRobotsTxt('User-agent: *\nDisallow: /x\nContent-Usage: /a/ train-ai=n\nContent-Signal: ai-train=no\nLicense: https://e.example/l.xml\n', { url: `${ORIGIN}/robots.txt` })
    const copy = JSON.parse(JSON.stringify(robots)) as RobotsTxt
    expect(copy).toEqual(robots)
    expect(robotsSignals(copy, `${ORIGIN}/a/1`, { userAgent: 'a' })).toEqual(robotsSignals(robots, `${ORIGIN}/a/1`, { userAgent: 'a' }))
  })
  it('rejects non-strings and bad options', () => {
    expect(() => parseRobotsTxt(undefined as unknown as string)).toThrow(InvalidArgumentError)
    expect(() => parseRobotsTxt('', { maxBytes: 0 })).toThrow(InvalidArgumentError)
  })
  it('caps the warnings it records', () => {
    const robots = parseRobotsTxt('nonsense\n'.repeat(500))
    expect(robots.warnings).toHaveLength(SITE_LIMITS.maxWarnings)
    expect(robots.warnings.at(-1)!.message).toMatch(/401 more warnings/)
  })
})
