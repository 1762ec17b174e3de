// checkUrl() against real local HTTP servers: the robots.txt outcomes, conflicting statements
// across header, HTML and robots.txt, user-agent groups, path rules, the site policy,
// tdmrep.json, RSL, redirects, and the User-Agent it sends (docs/spec.md §11.6).
import { afterEach, describe, expect, it } from 'vitest'
import { checkUrl, createCrawlCache, type CheckUrlOptions } from '../src/crawl.js'
import { InvalidArgumentError, type NoaiTag } from '../src/index.js'
import { signTag } from '../src/sign.js'
import { html, json, startServer, text, type TestServer } from './crawl-server.js'
import { privateJwk, testKey } from './sign-fixtures.js'

const servers: TestServer[] = []
async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes)
  servers.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const UA = 'ExampleBot/1.0 (+https://example.com/bot)'
/** A fresh cache per check unless one is given, so that tests do not share site files. */
const check = (url: string, options: Partial<CheckUrlOptions> = {}) => checkUrl(url, { use: 'train-ai', userAgent: UA, cache: createCrawlCache(), ...options })
const PLAIN_PAGE = html('<title>t</title>')

describe('checkUrl: robots.txt outcomes (RFC 9309 §2.3.1)', () => {
  it('404: no crawl rules; the page is read', async () => {
    const s = await server({ '/page': html('<meta name="robots" content="noai">') })
    const r = await check(s.url('/page'))
    expect(r).toMatchObject({ verdict: 'deny', decidedBeforeFetching: false, status: 200, finalUrl: s.url('/page') })
    expect(r.reasons.map((x) => [x.signal, x.source.kind])).toEqual([['robots-meta', 'html']])
    expect(s.count('/robots.txt')).toBe(1)
    expect(s.count('/page')).toBe(1)
  })

  it.each([
    [429, 'too-many-requests'],
    [500, 'server error'],
    [503, 'server error'],
  ])('%i: unreachable, a complete disallow; the resource is not requested', async (status) => {
    const s = await server({ '/robots.txt': { status, body: 'busy' }, '/page': PLAIN_PAGE })
    const r = await check(s.url('/page'), { use: 'search' })
    expect(r.verdict).toBe('deny')
    expect(r.decidedBeforeFetching).toBe(true)
    expect(s.count('/page')).toBe(0)
    expect(r.reasons[0]).toMatchObject({ signal: 'robots-txt', status: 'applied', decisive: true, usage: { all: 'denied' } })
    expect(r.notes.join('\n')).toMatch(new RegExp(`robots.txt is unreachable .*HTTP ${status}`))
    // The other site files are not fetched either.
    expect(s.count('/.well-known/tdmrep.json')).toBe(0)
  })

  it('redirects are followed, also to another origin, and the file applies to the original origin', async () => {
    const other = await server({ '/r.txt': text('User-agent: *\nDisallow: /private/\n') })
    const s = await server({ '/robots.txt': { status: 301, headers: { location: other.url('/r.txt') } }, '/private/x': PLAIN_PAGE, '/open': PLAIN_PAGE })
    const denied = await check(s.url('/private/x'))
    expect(denied).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true })
    expect(denied.reasons[0]!.source).toMatchObject({ kind: 'robots.txt', url: s.url('/robots.txt'), line: 2 })
    expect(s.count('/private/x')).toBe(0)
    expect((await check(s.url('/open'))).verdict).toBe('unknown')
  })

  it('more than five redirects in a row: unavailable, no crawl rules', async () => {
    const s = await server({ '/page': PLAIN_PAGE })
    for (let i = 0; i < 8; i++) s.route(i === 0 ? '/robots.txt' : `/r${i}`, { status: 302, headers: { location: `/r${i + 1}` } })
    const r = await check(s.url('/page'))
    expect(r.verdict).toBe('unknown')
    expect(s.count('/page')).toBe(1)
    expect(r.notes.join('\n')).toMatch(/more than 5 redirects/)
  })

  it('a timeout: unreachable, a complete disallow', async () => {
    const s = await server({ '/robots.txt': () => undefined /* never answers */, '/page': PLAIN_PAGE })
    const started = Date.now()
    const r = await check(s.url('/page'), { limits: { timeoutMs: 300 } })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(r).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true })
    expect(r.notes.join('\n')).toMatch(/within 300 ms/)
    expect(s.count('/page')).toBe(0)
  })
})

describe('checkUrl: what the statements say', () => {
  it('conflicting statements across header, HTML and robots.txt: any deny wins, every one is reported', async () => {
    const s = await server({
      '/robots.txt': text('User-agent: *\nAllow: /\nContent-Usage: / train-ai=y, search=y\n'),
      '/song': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'Content-Usage': 'search=y', 'NoAI-Tag': 'search=y' })
        res.end('<html><head><meta name="noai-tag" content="train-ai=n"></head><body></body></html>')
      },
    })
    const r = await check(s.url('/song'), { use: 'train-genai' })
    expect(r.verdict).toBe('deny')
    expect(r.reasons.map((x) => `${x.source.kind}:${x.source.name}:${x.value}:${x.decisive}`)).toEqual([
      'robots.txt:Content-Usage:allowed:false',
      'html:noai-tag:denied:true',
    ])
    const search = await check(s.url('/song'), { use: 'search' })
    expect(search.verdict).toBe('allow')
    expect(search.reasons.filter((x) => x.decisive).map((x) => `${x.source.kind}:${x.source.name}`)).toEqual([
      'robots.txt:Content-Usage',
      'http-header:NoAI-Tag',
      'http-header:Content-Usage',
    ])
  })

  it('user-agent specific groups: the crawler\'s own group applies, others are reported', async () => {
    const s = await server({
      '/robots.txt': text('User-agent: *\nAllow: /\n\nUser-agent: GPTBot\nDisallow: /\n\nUser-agent: examplebot\nDisallow: /members/\nContent-Usage: / train-ai=n\n'),
      '/members/a': PLAIN_PAGE,
      '/news': PLAIN_PAGE,
    })
    const cache = createCrawlCache()
    const gpt = await check(s.url('/news'), { userAgent: 'GPTBot', use: 'search', cache })
    expect(gpt).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true })
    const own = await check(s.url('/news'), { use: 'search', cache })
    expect(own.verdict).toBe('unknown')
    expect(own.reasons.map((x) => `${x.agent}:${x.status}`)).toEqual(['GPTBot:other-agent'])
    const training = await check(s.url('/news'), { cache })
    expect(training.verdict).toBe('deny')
    expect(training.reasons.find((x) => x.decisive)).toMatchObject({ signal: 'aipref', agent: 'examplebot', status: 'applied' })
    expect((await check(s.url('/members/a'), { use: 'search', cache })).decidedBeforeFetching).toBe(true)
    expect(s.count('/members/a')).toBe(0)
    expect(s.count('/robots.txt')).toBe(1)
  })

  it('path-specific rules: Disallow, Content-Usage, the site policy and tdmrep.json by path', async () => {
    const s = await server({
      '/robots.txt': text('User-agent: *\nDisallow: /private/\nContent-Usage: /stems/ ai=n\n'),
      '/.well-known/noai-tag/policy.json': json({
        version: 1,
        issuer: 'https://label.example',
        updated: '2026-11-26T00:00:00Z',
        default: { usage: { search: 'allowed' } },
        rules: [{ path: '/press/', usage: { all: 'allowed' } }, { path: '/vocals/', usage: { 'train-genai': 'denied' } }],
      }),
      '/.well-known/tdmrep.json': json([{ location: '/datasets/', 'tdm-reservation': 1 }]),
      '/press/kit': PLAIN_PAGE,
      '/stems/a.wav': { headers: { 'content-type': 'text/plain' }, body: 'x' },
      '/vocals/b': PLAIN_PAGE,
      '/datasets/c': PLAIN_PAGE,
      '/news': PLAIN_PAGE,
    })
    const cache = createCrawlCache()
    const verdict = async (path: string, use = 'train-ai') => (await check(s.url(path), { use, cache })).verdict
    expect(await verdict('/press/kit')).toBe('allow')
    expect(await verdict('/private/x', 'search')).toBe('deny')
    expect(await verdict('/stems/a.wav', 'ai-input')).toBe('deny')
    expect(await verdict('/vocals/b')).toBe('deny')
    expect(await verdict('/vocals/b', 'search')).toBe('unknown')
    expect(await verdict('/datasets/c', 'tdm')).toBe('deny')
    expect(await verdict('/news', 'search')).toBe('allow')
    expect(await verdict('/news')).toBe('unknown')
    const press = await check(s.url('/press/kit'), { cache })
    expect(press.reasons[0]!.source).toMatchObject({ kind: 'policy', url: s.url('/.well-known/noai-tag/policy.json'), name: '/rules/0' })
    // Each site file once for the origin.
    for (const p of ['/robots.txt', '/.well-known/noai-tag/policy.json', '/.well-known/tdmrep.json', '/ai.txt']) expect(s.count(p), p).toBe(1)
    expect(s.count('/private/x')).toBe(0)
  })

  it('an RSL licence named in robots.txt is fetched once and read; an invalid policy is reported, not applied', async () => {
    const s = await server({
      '/robots.txt': text('User-agent: *\nAllow: /\n\nLicense: /license.rsl\n'),
      '/license.rsl': {
        headers: { 'content-type': 'application/rsl+xml' },
        body: '<rsl xmlns="https://rslstandard.org/rsl"><content url="/"><license><prohibits type="usage">ai-train</prohibits><permits type="usage">search</permits></license></content></rsl>',
      },
      '/.well-known/noai-tag/policy.json': json({ version: 2 }),
      '/a': PLAIN_PAGE,
      '/b': PLAIN_PAGE,
    })
    // A relative License value is not a URL: the record is reported; use an absolute one.
    s.route('/robots.txt', text(`User-agent: *\nAllow: /\n\nLicense: ${s.url('/license.rsl')}\n`))
    const cache = createCrawlCache()
    const a = await check(s.url('/a'), { cache })
    expect(a).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true })
    expect(a.reasons[0]).toMatchObject({ signal: 'rsl', source: { kind: 'rsl', url: s.url('/license.rsl'), name: 'prohibits' } })
    expect(a.notes.join('\n')).toMatch(/the site policy was ignored: .*invalid site policy/)
    expect((await check(s.url('/b'), { cache, use: 'search' })).verdict).toBe('allow')
    expect(s.count('/license.rsl')).toBe(1)
  })

  it('an RSL licence linked from the response is read', async () => {
    const s = await server({
      '/lic.xml': {
        headers: { 'content-type': 'application/rsl+xml' },
        body: '<rsl xmlns="https://rslstandard.org/rsl"><content url="/"><license><prohibits type="usage">all</prohibits></license></content></rsl>',
      },
      '/doc': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', link: '</lic.xml>; rel="license"; type="application/rsl+xml"' })
        res.end('x')
      },
    })
    const r = await check(s.url('/doc'), { use: 'search' })
    expect(r.verdict).toBe('deny')
    expect(r.reasons.find((x) => x.decisive)!.source.url).toBe(s.url('/lic.xml'))
  })

  it('sends its User-Agent on every request, and the product token selects the group', async () => {
    const s = await server({ '/robots.txt': text('User-agent: ExampleBot\nDisallow: /x\n'), '/y': PLAIN_PAGE })
    await check(s.url('/y'))
    expect(s.agents.length).toBeGreaterThanOrEqual(5)
    expect(new Set(s.agents)).toEqual(new Set([UA]))
    await check(s.url('/y'), { userAgent: undefined })
    expect(s.agents.at(-1)).toMatch(/^noai-tag /)
  })

  it('http(s) only: other schemes and credentials are refused', async () => {
    await expect(checkUrl('ftp://example.com/a', { use: 'train-ai' })).rejects.toThrow(InvalidArgumentError)
    await expect(checkUrl('file:///etc/passwd', { use: 'train-ai' })).rejects.toThrow(InvalidArgumentError)
    await expect(checkUrl('http://user:pw@127.0.0.1/', { use: 'train-ai' })).rejects.toThrow(InvalidArgumentError)
    await expect(checkUrl('not a url', { use: 'train-ai' })).rejects.toThrow(InvalidArgumentError)
    await expect(checkUrl('http://127.0.0.1/', { use: 'nope' })).rejects.toThrow(InvalidArgumentError)
  })
})

describe('checkUrl: redirects of the resource', () => {
  it('follows redirects, checking each target\'s site files first', async () => {
    const cdn = await server({ '/robots.txt': text('User-agent: *\nDisallow: /blocked/\n'), '/blocked/a': PLAIN_PAGE, '/ok/a': html('<meta name="noai-tag" content="train-ai=y">') })
    const s = await server({ '/go-ok': { status: 302, headers: { location: cdn.url('/ok/a') } }, '/go-blocked': { status: 307, headers: { location: cdn.url('/blocked/a') } } })
    const ok = await check(s.url('/go-ok'))
    expect(ok).toMatchObject({ verdict: 'allow', url: s.url('/go-ok'), finalUrl: cdn.url('/ok/a') })
    const blocked = await check(s.url('/go-blocked'))
    expect(blocked).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true })
    expect(blocked.notes.join('\n')).toMatch(/whose site files deny the use/)
    expect(cdn.count('/blocked/a')).toBe(0)
  })

  it('a redirect loop and too many redirects are errors, with a bounded number of requests', async () => {
    const s = await server({ '/a': { status: 302, headers: { location: '/b' } }, '/b': { status: 302, headers: { location: '/a' } } })
    for (let i = 0; i < 10; i++) s.route(`/c${i}`, { status: 301, headers: { location: `/c${i + 1}` } })
    const loop = await check(s.url('/a'))
    expect(loop).toMatchObject({ verdict: 'unknown', error: { code: 'redirect-loop' } })
    expect(loop.error!.message).toContain('/a → ')
    const many = await check(s.url('/c0'), { limits: { maxRedirects: 3 } })
    expect(many).toMatchObject({ verdict: 'unknown', error: { code: 'too-many-redirects' } })
    expect(s.count('/c4')).toBe(0)
  })

  it('a redirect to another scheme is an error', async () => {
    const s = await server({ '/x': { status: 302, headers: { location: 'ftp://example.com/x' } } })
    expect(await check(s.url('/x'))).toMatchObject({ verdict: 'unknown', error: { code: 'bad-redirect' } })
  })

  it('an allow from the site files alone is not an answer when the resource cannot be read', async () => {
    const s = await server({ '/.well-known/noai-tag/policy.json': json({ version: 1, issuer: 'https://a.example', updated: '2026-11-26T00:00:00Z', default: { usage: { all: 'allowed' } } }), '/x': { status: 500 } })
    const r = await check(s.url('/x'))
    expect(r).toMatchObject({ verdict: 'unknown', status: 500, error: { code: 'http-status' } })
    expect(r.reasons[0]).toMatchObject({ value: 'allowed', decisive: false })
  })
})

describe('checkUrl: signed tags', () => {
  it('verifies a signed tag against the issuer\'s key set (fetched once, cached in the store) and the URL', async () => {
    const s = await server({ '/.well-known/noai-tag/jwks.json': { headers: { 'content-type': 'application/jwk-set+json' }, body: JSON.stringify({ keys: [testKey('test-ed25519').publicJwk] }) } })
    const tag = (urls: string[]): NoaiTag => ({ version: 1, issuer: s.origin, subject: { urls }, usage: { search: 'allowed', 'train-ai': 'denied' }, issued: '2026-01-01T00:00:00Z' })
    const signedPage = async (path: string, urls: string[]) => {
      const jws = await signTag(tag(urls), privateJwk('test-ed25519'))
      s.route(path, html(`<script type="application/noai-tag+jws">${jws}</script>`))
    }
    await signedPage('/track/1', [s.url('/track/1')])
    await signedPage('/track/2', [s.url('/track/1')]) // copied onto another page
    const cache = createCrawlCache()
    const verify = { allowHttpLoopback: true, trust: [s.origin] }
    const own = await check(s.url('/track/1'), { use: 'search', cache, verify })
    expect(own.verdict).toBe('allow')
    expect(own.reasons[0]!.verification).toMatchObject({ state: 'trusted', binding: 'checked', issuer: s.origin })
    const copied = await check(s.url('/track/2'), { use: 'search', cache, verify })
    expect(copied.verdict).toBe('unknown')
    expect(copied.reasons[0]!.verification!.codes).toContain('url-not-covered')
    expect((await check(s.url('/track/2'), { use: 'train-ai', cache, verify })).verdict).toBe('deny')
    expect(s.count('/.well-known/noai-tag/jwks.json')).toBe(1)
    // Without allowHttpLoopback the http issuer is not allowed: the tag's allows do not count.
    const strict = await check(s.url('/track/1'), { use: 'search', cache })
    expect(strict.verdict).toBe('unknown')
    expect(strict.reasons[0]!.verification!.codes).toContain('issuer-not-allowed')
  })
})
