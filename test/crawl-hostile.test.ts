// checkUrl() against hostile and broken servers: slow-loris headers and bodies, endless pages, a
// head that never ends, huge site files, binary junk. Each must end in bounded time and memory
// with a clear verdict or error, never a hang; a page is read only as far as its head.
import { afterEach, describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import { checkUrl, createCrawlCache, type CheckUrlOptions } from '../src/crawl.js'
import { eventually, startServer, text, type TestServer } from './crawl-server.js'

const servers: TestServer[] = []
const timers: ReturnType<typeof setInterval>[] = []
async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes)
  servers.push(s)
  return s
}
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t)
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const check = (url: string, options: Partial<CheckUrlOptions> = {}) => checkUrl(url, { use: 'train-ai', userAgent: 'ExampleBot', cache: createCrawlCache(), ...options })

/** Writes `chunk` every `ms` until the client goes away. */
function trickle(res: ServerResponse, chunk: string | Uint8Array, ms: number): void {
  const t = setInterval(() => {
    if (res.destroyed || res.writableEnded) return clearInterval(t)
    res.write(chunk)
  }, ms)
  timers.push(t)
  res.on('close', () => clearInterval(t))
}

const ROBOTS_OK = text('User-agent: *\nAllow: /\n')

describe('checkUrl: bounded time against slow servers', () => {
  it('a slow-loris page (one byte at a time, forever) ends at the deadline', async () => {
    const s = await server({
      '/robots.txt': ROBOTS_OK,
      '/page': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' })
        res.write('<html><head>')
        trickle(res, ' ', 50)
      },
    })
    const started = Date.now()
    const r = await check(s.url('/page'), { limits: { timeoutMs: 1500 } })
    expect(Date.now() - started).toBeLessThan(6000)
    expect(r).toMatchObject({ verdict: 'unknown', error: { code: 'timeout' } })
    await eventually(() => s.aborted.has('/page'))
    expect(s.aborted.get('/page')).toBe(1)
  })

  it('a server that accepts and never answers ends at the deadline', async () => {
    const s = await server({ '/robots.txt': ROBOTS_OK, '/page': () => undefined })
    const started = Date.now()
    const r = await check(s.url('/page'), { limits: { timeoutMs: 1500 } })
    expect(Date.now() - started).toBeLessThan(6000)
    expect(r).toMatchObject({ verdict: 'unknown', error: { code: 'timeout' } })
  })

  it('a slow-loris robots.txt is unreachable: a complete disallow', async () => {
    const s = await server({
      '/robots.txt': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.write('User-agent: *\n')
        trickle(res, '#', 50)
      },
      '/page': ROBOTS_OK,
    })
    const started = Date.now()
    const r = await check(s.url('/page'), { limits: { timeoutMs: 1500 } })
    expect(Date.now() - started).toBeLessThan(6000)
    expect(r).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true })
    expect(s.count('/page')).toBe(0)
  })

  it('a redirect loop across two origins ends after a bounded number of requests', async () => {
    const a = await server({ '/robots.txt': ROBOTS_OK })
    const b = await server({ '/robots.txt': ROBOTS_OK })
    a.route('/x', { status: 302, headers: { location: b.url('/x') } })
    b.route('/x', { status: 302, headers: { location: a.url('/x') } })
    const r = await check(a.url('/x'))
    expect(r).toMatchObject({ verdict: 'unknown', error: { code: 'redirect-loop' } })
    expect(a.count('/x') + b.count('/x')).toBe(2)
  })
})

describe('checkUrl: only the head of a page is read', () => {
  it('stops reading at </head> and closes the connection while the server is still sending', async () => {
    const s = await server({
      '/robots.txt': ROBOTS_OK,
      '/page': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        res.write('<html><head><meta name="noai-tag" content="train-ai=n"></head><body>')
        trickle(res, `<p>${'x'.repeat(16 * 1024)}</p>`, 5)
      },
    })
    const started = Date.now()
    const r = await check(s.url('/page'))
    expect(Date.now() - started).toBeLessThan(2000)
    expect(r.verdict).toBe('deny')
    expect(r.reasons[0]).toMatchObject({ source: { kind: 'html', name: 'noai-tag' }, decisive: true })
    await eventually(() => s.aborted.has('/page'))
    expect(s.aborted.get('/page')).toBe(1)
  })

  it('a 10 MB page without </head> is read up to maxHtmlBytes only', async () => {
    const tenMb = `<html><head><title>${'a'.repeat(10 * 1024 * 1024)}`
    let sent = 0
    const s = await server({
      '/robots.txt': ROBOTS_OK,
      '/big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' })
        // Written in 64 KiB pieces as the client reads, so that what was sent can be counted.
        let at = 0
        const pump = (): void => {
          while (at < tenMb.length) {
            const piece = tenMb.slice(at, at + 65536)
            at += piece.length
            sent += piece.length
            if (!res.write(piece)) return void res.once('drain', pump)
          }
          res.end()
        }
        res.on('close', () => (at = tenMb.length))
        pump()
      },
    })
    const r = await check(s.url('/big'), { limits: { maxHtmlBytes: 256 * 1024 } })
    expect(r.verdict).toBe('unknown')
    expect(r.notes.join('\n')).toMatch(/no end of the head within 262144 bytes/)
    await eventually(() => s.aborted.has('/big'))
    expect(s.aborted.get('/big')).toBe(1)
    expect(sent).toBeLessThan(6 * 1024 * 1024) // socket buffers aside, far from the whole page
  })

  it('a "</head" inside a comment or a script does not end the head early; a page without </head> is read to its body', async () => {
    const s = await server({
      '/robots.txt': ROBOTS_OK,
      '/comment': { headers: { 'content-type': 'text/html' }, body: '<html><head><!-- </head> --><script>var x = "</HEAD>"</script><meta name="noai-tag" content="train-ai=n"></head><body>x</body></html>' },
      '/omitted': { headers: { 'content-type': 'text/html' }, body: `<html><head><meta name="robots" content="noai"><body>${'<p>x</p>'.repeat(20_000)}` },
      '/utf16': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-16le' })
        const text = '<html><head><meta name="noai-tag" content="train-ai=n"></head><body></body></html>'
        res.end(Buffer.from(`\ufeff${text}`, 'utf16le'))
      },
    })
    for (const path of ['/comment', '/omitted', '/utf16']) {
      const r = await check(s.url(path))
      expect(r.verdict, path).toBe('deny')
      expect(r.reasons[0]!.source.kind, path).toBe('html')
    }
  })

  it('binary junk served as HTML gives no statement, and no error', async () => {
    const junk = new Uint8Array(200_000).map((_, i) => (i * 7919) % 256)
    const s = await server({ '/robots.txt': ROBOTS_OK, '/junk': { headers: { 'content-type': 'text/html' }, body: junk } })
    const r = await check(s.url('/junk'))
    expect(r).toMatchObject({ verdict: 'unknown', status: 200 })
    expect(r.error).toBeUndefined()
  })
})

describe('checkUrl: oversized and malformed site files', () => {
  it('a 2 MB robots.txt is parsed up to its limit; a 1 MB policy is ignored', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `Disallow: /p${i}/`).join('\n')
    const s = await server({
      '/robots.txt': text(`User-agent: *\n${lines}\nDisallow: /last/\n`),
      '/.well-known/noai-tag/policy.json': { headers: { 'content-type': 'application/json' }, body: `{"x":"${'y'.repeat(1_000_000)}"}` },
      '/p1/a': ROBOTS_OK,
      '/last/a': ROBOTS_OK,
    })
    expect((await check(s.url('/p1/a'))).verdict).toBe('deny')
    const last = await check(s.url('/last/a'), { use: 'search' })
    expect(last.decidedBeforeFetching).toBe(false) // the rule past the limit is not read
    expect(last.notes.join('\n')).toMatch(/the site policy was ignored: .*larger than 524288 bytes/)
  })

  it('a tdmrep.json that is not an array and an RSL document with a DOCTYPE state nothing', async () => {
    const s = await server({
      '/robots.txt': ROBOTS_OK,
      '/.well-known/tdmrep.json': { headers: { 'content-type': 'application/json' }, body: '{"tdm-reservation": 1}' },
      '/x': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', link: '</evil.rsl>; rel="license"; type="application/rsl+xml"' })
        res.end('x')
      },
      '/evil.rsl': { body: '<!DOCTYPE rsl [<!ENTITY a "aaaaaaaa">]><rsl xmlns="https://rslstandard.org/rsl">&a;</rsl>' },
    })
    const r = await check(s.url('/x'), { use: 'tdm' })
    expect(r.verdict).toBe('unknown')
    const notes = r.notes.join('\n')
    expect(notes).toMatch(/tdmrep.json was ignored: .*must be a JSON array/)
    expect(notes).toMatch(/RSL licence .*evil.rsl was ignored/)
  })
})
