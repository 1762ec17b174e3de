// checkUrl()'s cache and politeness against real local servers: site files once per origin per
// lifetime (Cache-Control within bounds, absences and failures cached, stale copies on failure,
// one fetch in flight), per-origin concurrency, Crawl-delay, Retry-After, aborts.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkUrl, createCrawlCache, CRAWL_LIMITS, type CheckUrlOptions, type CrawlCache } from '../src/crawl.js'
import { frozenDate, html, startServer, text, type TestServer } from './crawl-server.js'

const servers: TestServer[] = []
async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes)
  servers.push(s)
  return s
}
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const UA = 'ExampleBot/1.0'
const PAGE = html('<title>t</title>')
const SITE_FILES = ['/robots.txt', '/.well-known/tdmrep.json', '/.well-known/noai-tag/policy.json', '/ai.txt']
const check = (url: string, cache: CrawlCache, options: Partial<CheckUrlOptions> = {}) => checkUrl(url, { use: 'train-ai', userAgent: UA, cache, ...options })

/** A handler that answers after `ms`. */
const slow = (ms: number, body = '<html><head></head></html>') => (_req: unknown, res: import('node:http').ServerResponse) => {
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(body)
  }, ms)
}

describe('checkUrl: the site-file cache', () => {
  it('fetches each site file once per origin, whatever the number of URLs (cache hits make no request)', async () => {
    const s = await server({ '/robots.txt': text('User-agent: *\nAllow: /\n') })
    for (let i = 0; i < 20; i++) s.route(`/p${i}`, PAGE)
    const cache = createCrawlCache()
    const results = []
    for (let i = 0; i < 20; i++) results.push(await check(s.url(`/p${i}`), cache))
    for (const p of SITE_FILES) expect(s.count(p), p).toBe(1)
    expect(results[0]!.requests).toBe(5)
    expect(results.slice(1).every((r) => r.requests === 1)).toBe(true)
    // A second cache has its own store: it fetches again.
    await check(s.url('/p0'), createCrawlCache())
    expect(s.count('/robots.txt')).toBe(2)
  })

  it('concurrent checks of one origin share one fetch of each file', async () => {
    const s = await server({ '/robots.txt': (_req, res) => void setTimeout(() => res.end('User-agent: *\nAllow: /\n'), 100) })
    for (let i = 0; i < 20; i++) s.route(`/p${i}`, PAGE)
    const cache = createCrawlCache()
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => check(s.url(`/p${i}`), cache)))
    expect(results.every((r) => r.status === 200)).toBe(true)
    for (const p of SITE_FILES) expect(s.count(p), p).toBe(1)
  })

  it('honours Cache-Control max-age within the bounds', async () => {
    const clock = frozenDate()
    const s = await server({ '/robots.txt': text('User-agent: *\nAllow: /\n', { 'cache-control': 'max-age=0' }), '/a': PAGE })
    const cache = createCrawlCache()
    const limits = { minSiteFileTtlMs: 150, maxSiteFileTtlMs: 400 }
    await check(s.url('/a'), cache, { limits })
    await check(s.url('/a'), cache, { limits })
    expect(s.count('/robots.txt')).toBe(1) // max-age=0 is raised to the lower bound
    clock.advance(200)
    await check(s.url('/a'), cache, { limits })
    expect(s.count('/robots.txt')).toBe(2)
    s.route('/robots.txt', text('User-agent: *\nAllow: /\n', { 'cache-control': 'max-age=86400' }))
    clock.advance(200)
    await check(s.url('/a'), cache, { limits })
    expect(s.count('/robots.txt')).toBe(3)
    await check(s.url('/a'), cache, { limits })
    expect(s.count('/robots.txt')).toBe(3)
    clock.advance(450)
    await check(s.url('/a'), cache, { limits }) // a day is lowered to the upper bound
    expect(s.count('/robots.txt')).toBe(4)
    expect(CRAWL_LIMITS.maxSiteFileTtlMs).toBe(24 * 3600 * 1000) // RFC 9309 §2.4
  })

  it('caches absences (404) and failures, the latter briefly', async () => {
    const clock = frozenDate()
    const s = await server({ '/robots.txt': { status: 500 }, '/a': PAGE })
    const cache = createCrawlCache()
    const limits = { failureTtlMs: 150 }
    expect((await check(s.url('/a'), cache, { limits })).verdict).toBe('deny')
    expect((await check(s.url('/a'), cache, { limits })).verdict).toBe('deny')
    expect(s.count('/robots.txt')).toBe(1)
    s.route('/robots.txt', { status: 404 })
    clock.advance(200)
    expect((await check(s.url('/a'), cache, { limits })).verdict).toBe('unknown')
    expect((await check(s.url('/a'), cache, { limits })).verdict).toBe('unknown')
    expect(s.count('/robots.txt')).toBe(2)
    expect(s.count('/ai.txt')).toBe(1) // a 404 of the other files is cached too
  })

  it('keeps using an earlier copy while refetching fails (RFC 9309 §2.4)', async () => {
    const clock = frozenDate()
    const s = await server({ '/robots.txt': text('User-agent: *\nDisallow: /private/\n', { 'cache-control': 'max-age=0' }), '/a': PAGE })
    const cache = createCrawlCache()
    const limits = { minSiteFileTtlMs: 100, failureTtlMs: 100 }
    await check(s.url('/a'), cache, { limits })
    s.route('/robots.txt', { status: 503 })
    clock.advance(150)
    const r = await check(s.url('/a'), cache, { limits })
    expect(r.verdict).toBe('unknown') // not a complete disallow: the earlier copy is used
    expect(r.notes.join('\n')).toMatch(/robots.txt: a copy fetched .* is used: .*HTTP 503/)
    expect((await check(s.url('/private/x'), cache, { limits })).verdict).toBe('deny')
    expect(s.count('/robots.txt')).toBe(2)
    // Without an earlier copy (or with maxStaleMs 0) the failure is a complete disallow.
    const fresh = await check(s.url('/a'), createCrawlCache(), { limits })
    expect(fresh.verdict).toBe('deny')
  })
})

describe('checkUrl: politeness per origin', () => {
  it('keeps at most originConcurrency requests in flight to one origin', async () => {
    const s = await server({ '/robots.txt': text('User-agent: *\nAllow: /\n') })
    for (let i = 0; i < 8; i++) s.route(`/p${i}`, slow(120))
    const cache = createCrawlCache()
    await check(s.url('/p0'), cache) // warm the site files
    await Promise.all(Array.from({ length: 8 }, (_, i) => check(s.url(`/p${i}`), cache)))
    expect(s.peak()).toBe(2)
    const t = await server({ '/robots.txt': text('User-agent: *\nAllow: /\n') })
    for (let i = 0; i < 8; i++) t.route(`/p${i}`, slow(120))
    const wide = createCrawlCache()
    await check(t.url('/p0'), wide)
    await Promise.all(Array.from({ length: 8 }, (_, i) => check(t.url(`/p${i}`), wide, { limits: { originConcurrency: 4 } })))
    expect(t.peak()).toBe(4)
  })

  it('spaces requests to an origin by the Crawl-delay of the crawler\'s group', async () => {
    const s = await server({ '/robots.txt': text('User-agent: *\nAllow: /\n\nUser-agent: ExampleBot\nAllow: /\nCrawl-delay: 0.25\n') })
    for (let i = 0; i < 4; i++) s.route(`/p${i}`, PAGE)
    const cache = createCrawlCache()
    await check(s.url('/p0'), cache)
    s.times.length = 0
    await Promise.all(Array.from({ length: 4 }, (_, i) => check(s.url(`/p${i}`), cache)))
    const starts = s.times.map(([, t]) => t)
    expect(starts).toHaveLength(4)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(230)
    // Another crawler (the * group, no Crawl-delay) is not slowed down: spaced by the delay, its four
    // requests would spread over at least 750 ms; unspaced, they take a few ms on a quiet machine, so
    // the bound leaves room for a busy one.
    s.times.length = 0
    const other = createCrawlCache()
    await check(s.url('/p0'), other, { userAgent: 'OtherBot' })
    s.times.length = 0
    await Promise.all(Array.from({ length: 4 }, (_, i) => check(s.url(`/p${i}`), other, { userAgent: 'OtherBot' })))
    expect(s.times.at(-1)![1] - s.times[0]![1]).toBeLessThan(600)
  })

  it('caps a long Crawl-delay', async () => {
    const s = await server({ '/robots.txt': text('User-agent: *\nCrawl-delay: 3600\n'), '/a': PAGE, '/b': PAGE })
    const cache = createCrawlCache()
    const started = Date.now()
    await check(s.url('/a'), cache, { limits: { maxCrawlDelayMs: 100 } })
    await check(s.url('/b'), cache, { limits: { maxCrawlDelayMs: 100 } })
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('honours Retry-After on 503 and 429: waits, then retries once', async () => {
    let calls = 0
    const s = await server({
      '/a': (_req, res) => {
        calls++
        if (calls === 1) {
          res.writeHead(503, { 'retry-after': '1' })
          res.end()
          return
        }
        res.writeHead(200, { 'content-type': 'text/html' })
        res.end('<html><head><meta name="noai-tag" content="train-ai=y"></head></html>')
      },
      '/b': { status: 429, headers: { 'retry-after': '120' } },
    })
    const cache = createCrawlCache()
    const r = await check(s.url('/a'), cache)
    expect(r.verdict).toBe('allow')
    const [first, second] = s.times.filter(([p]) => p === '/a').map(([, t]) => t)
    expect(second! - first!).toBeGreaterThanOrEqual(950)
    // Longer than maxRetryAfterMs: not waited for, and reported.
    const started = Date.now()
    const b = await check(s.url('/b'), cache, { limits: { maxRetryAfterMs: 100 } })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(b).toMatchObject({ verdict: 'unknown', status: 429, error: { code: 'http-status' } })
    expect(b.error!.message).toMatch(/Retry-After: 120/)
    expect(s.count('/b')).toBe(1)
  })

  it('an abort rejects with the signal\'s reason and frees the origin', async () => {
    const s = await server({ '/robots.txt': text('User-agent: *\nAllow: /\n'), '/slow': slow(5000), '/fast': PAGE })
    const cache = createCrawlCache()
    const controller = new AbortController()
    const pending = check(s.url('/slow'), cache, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('stop')), 100)
    await expect(pending).rejects.toThrow('stop')
    const after = await check(s.url('/fast'), cache, { limits: { originConcurrency: 1 } })
    expect(after.status).toBe(200)
  })
})
