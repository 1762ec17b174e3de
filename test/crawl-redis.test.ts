// Site files shared between crawler workers through a Keyv store backed by a real Redis server,
// started by this test on a free port of 127.0.0.1 (Debian package redis-server). Two caches stand
// for two workers: the second makes no site-file request (docs/spec.md §11.6).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer, connect } from 'node:net'
import KeyvRedis from '@keyv/redis'
import Keyv from 'keyv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkUrl, createCrawlCache } from '../src/crawl.js'
import { html, json, startServer, text, type TestServer } from './crawl-server.js'

const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0
if (!HAVE_REDIS) console.warn('skipping test/crawl-redis.test.ts: redis-server is not installed (Debian package redis-server)')

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1', () => {
        c.end()
        resolve(true)
      })
      c.on('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`redis-server did not listen on ${port} within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe.skipIf(!HAVE_REDIS)('checkUrl with a Keyv store on Redis', () => {
  let redis: ChildProcess
  let port: number
  let site: TestServer
  const keyvs: Keyv[] = []
  const keyv = (): Keyv => {
    const k = new Keyv(new KeyvRedis(`redis://127.0.0.1:${port}`))
    keyvs.push(k)
    return k
  }

  beforeAll(async () => {
    port = await freePort()
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    await waitForPort(port, 10_000)
    site = await startServer({
      '/robots.txt': text('User-agent: *\nDisallow: /private/\nContent-Usage: / train-ai=n, search=y\n\nLicense: /x.rsl\n', { 'cache-control': 'max-age=3600' }),
      '/.well-known/tdmrep.json': json([{ location: '/', 'tdm-reservation': 1 }]),
      '/.well-known/noai-tag/policy.json': json({ version: 1, issuer: 'https://label.example', updated: '2026-11-26T00:00:00Z', default: { usage: { 'ai-input': 'denied' } } }),
    })
    for (let i = 0; i < 10; i++) site.route(`/p${i}`, html('<title>t</title>'))
  })

  afterAll(async () => {
    for (const k of keyvs) await k.disconnect().catch(() => undefined)
    await site?.close()
    redis?.kill('SIGTERM')
  })

  it('two workers share the site files: the second makes no site-file request', async () => {
    const prefix = `noai-tag:crawl:test-${Date.now()}:`
    const worker1 = createCrawlCache({ store: keyv(), storeKeyPrefix: prefix })
    const worker2 = createCrawlCache({ store: keyv(), storeKeyPrefix: prefix })
    const options = { use: 'search', userAgent: 'ExampleBot' }
    const first = await checkUrl(site.url('/p0'), { ...options, cache: worker1 })
    expect(first.verdict).toBe('allow')
    const siteFiles = ['/robots.txt', '/.well-known/tdmrep.json', '/.well-known/noai-tag/policy.json', '/ai.txt']
    for (const p of siteFiles) expect(site.count(p), p).toBe(1)
    const before = site.total()
    const second = await Promise.all(Array.from({ length: 9 }, (_, i) => checkUrl(site.url(`/p${i + 1}`), { ...options, cache: worker2 })))
    expect(second.every((r) => r.verdict === 'allow')).toBe(true)
    // Only the nine pages were requested: every site file came from Redis.
    expect(site.total() - before).toBe(9)
    for (const p of siteFiles) expect(site.count(p), p).toBe(1)
    expect(second.every((r) => r.requests === 1)).toBe(true)
    // Decisions that need no request at all: a site-level deny, from Redis.
    const denied = await checkUrl(site.url('/private/a'), { ...options, cache: createCrawlCache({ store: keyv(), storeKeyPrefix: prefix }) })
    expect(denied).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true, requests: 0 })
  })

  it('what is stored is plain JSON with a time to live', async () => {
    const prefix = `noai-tag:crawl:json-${Date.now()}:`
    const store = keyv()
    await checkUrl(site.url('/p0'), { use: 'train-ai', userAgent: 'ExampleBot', cache: createCrawlCache({ store, storeKeyPrefix: prefix }) })
    const entry = (await store.get(`${prefix}robots.txt:${site.url('/robots.txt')}`)) as { v: number; kind: string; outcome: string; data: { groups: unknown[] } }
    expect(entry).toMatchObject({ v: 1, kind: 'robots.txt', outcome: 'ok' })
    expect(entry.data.groups).toHaveLength(1)
    expect(JSON.parse(JSON.stringify(entry))).toEqual(entry)
  })
})
