// One test per bound of the web carriers, signing, key discovery and the crawler that no carrier
// test covers yet (docs/limits.md lists them all, with the test that proves each one).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkUrl, createCrawlCache, createMemoryCrawlStore, CRAWL_LIMITS, evaluate, type CheckUrlOptions } from '../src/crawl.js'
import { HTML_LIMITS, readHtmlSignalsSync } from '../src/html.js'
import { HTTP_LIMITS, readHttpSignals } from '../src/http.js'
import { parseRobotsTxt, robotsSignals, SITE_LIMITS } from '../src/robots.js'
import { createKeyResolver, createMemoryKeySetStore, KEY_SET_LIMITS, SIGN_LIMITS, verifyTag } from '../src/sign.js'
import { createLru } from '../src/sign/keys/_lru.js'
import { frozenDate, startServer, text, type TestServer } from './crawl-server.js'
import { craft, header, ISSUER, ISSUER_KEYS, NOW, TAG } from './sign-fixtures.js'

const servers: TestServer[] = []
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
async function server(routes: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(routes)
  servers.push(s)
  return s
}
const check = (url: string, options: Partial<CheckUrlOptions> = {}) => checkUrl(url, { use: 'train-ai', userAgent: 'ExampleBot/1.0', cache: createCrawlCache(), ...options })
const page = (head: string): string => `<!doctype html><html><head>${head}</head><body></body></html>`

describe('HTTP_LIMITS', () => {
  it('maxSignedTagFieldLength: a NoAI-Tag-JWS value longer than one maximum-size signed tag is not read', () => {
    const jws = `"${'a'.repeat(HTTP_LIMITS.maxSignedTagFieldLength)}"`
    const signals = readHttpSignals({ 'noai-tag-jws': jws })
    expect(signals.every((s) => s.tag === undefined && Object.keys(s.usage).length === 0)).toBe(true)
    expect(JSON.stringify(signals)).toMatch(/maxSignedTagFieldLength/)
  })

  it('maxLinks: links of a Link field past the first 32 are not read, and that is said', () => {
    const links = (n: number): string => Array.from({ length: n }, (_, i) => `<https://x.example/${i}>; rel="next"`).join(', ')
    const license = '<https://x.example/license.rsl>; rel="license"; type="application/rsl+xml"'
    const within = readHttpSignals({ link: `${links(HTTP_LIMITS.maxLinks - 1)}, ${license}` })
    expect(JSON.stringify(within)).toContain('license.rsl')
    const past = readHttpSignals({ link: `${links(HTTP_LIMITS.maxLinks)}, ${license}` })
    expect(JSON.stringify(past)).not.toContain('license.rsl')
    expect(JSON.stringify(past)).toMatch(/maxLinks/)
  })
})

describe('HTML_LIMITS', () => {
  const agents = (n: number): string => Array.from({ length: n }, (_, i) => `<meta name="bot${i}" content="noai">`).join('')

  it('maxSignals: at most 64 statements are returned for a page, and that is said', () => {
    const r = readHtmlSignalsSync(page(agents(HTML_LIMITS.maxSignals + 10)))
    expect(r.signals).toHaveLength(HTML_LIMITS.maxSignals)
    expect(r.notes.join('\n')).toMatch(/maxSignals/)
    expect(readHtmlSignalsSync(page(agents(10))).signals).toHaveLength(10)
  })

  it('maxElements: at most 256 elements of interest are kept; later ones are reported, not read', () => {
    const denies = (r: ReturnType<typeof readHtmlSignalsSync>): boolean => r.signals.some((s) => Object.values(s.usage).includes('denied'))
    const after = (n: number) => readHtmlSignalsSync(page(`${'<meta name="tdm-reservation" content="0">'.repeat(n)}<meta name="robots" content="noai">`))
    expect(denies(after(10))).toBe(true)
    const r = after(HTML_LIMITS.maxElements)
    expect(denies(r)).toBe(false)
    expect(r.notes.join('\n')).toMatch(/maxElements/)
  })

  it('maxRslDocuments: at most 4 inline RSL documents are kept', () => {
    const rsl = (i: number): string => `<script type="application/rsl+xml"><rsl xmlns="https://rslstandard.org/rsl"><content url="/${i}"/></rsl></script>`
    const r = readHtmlSignalsSync(page(Array.from({ length: HTML_LIMITS.maxRslDocuments + 2 }, (_, i) => rsl(i)).join('')))
    expect(r.rsl).toHaveLength(HTML_LIMITS.maxRslDocuments)
    expect(JSON.stringify(r.signals)).toMatch(/maxRslDocuments/)
  })

  it('MAX_AGENT_META_CONTENT: an agent meta whose content is over 512 characters is not read as one', () => {
    const read = (content: string) => readHtmlSignalsSync(page(`<meta name="gptbot" content="${content}">`)).signals.filter((s) => s.agent !== undefined)
    expect(read('noai')).toHaveLength(1)
    expect(read(`noai, ${'x'.repeat(520)}`)).toHaveLength(0)
  })
})

describe('SITE_LIMITS', () => {
  it('maxUrlLength: a URL over 16,384 characters is refused by robotsSignals', () => {
    const robots = parseRobotsTxt('User-agent: *\nDisallow: /private/\n')
    const url = (n: number): string => `https://site.example/${'a'.repeat(n)}`
    expect(robotsSignals(robots, url(100), { userAgent: 'ExampleBot' })).toBeInstanceOf(Array)
    expect(() => robotsSignals(robots, url(SITE_LIMITS.maxUrlLength), { userAgent: 'ExampleBot' })).toThrow(/over 16384/)
  })
})

describe('SIGN_LIMITS and key discovery', () => {
  it('maxHeaderLength: a protected header over 2048 characters is refused before decoding', async () => {
    const jws = await craft(header('test-ed25519', { 'x-pad': 'x'.repeat(SIGN_LIMITS.maxHeaderLength) }), TAG, 'test-ed25519')
    expect(jws.split('.')[0]!.length).toBeGreaterThan(SIGN_LIMITS.maxHeaderLength)
    expect(jws.length).toBeLessThan(SIGN_LIMITS.maxTokenLength)
    expect((await verifyTag(jws, { keys: ISSUER_KEYS, now: NOW })).codes).toEqual(['token-too-large'])
    const fits = await craft(header('test-ed25519', { 'x-pad': 'x'.repeat(100) }), TAG, 'test-ed25519')
    expect((await verifyTag(fits, { keys: ISSUER_KEYS, now: NOW })).codes).not.toContain('token-too-large')
  })

  it('KEY_SET_LIMITS.maxJsonDepth: a key set nested deeper than 16 is refused', async () => {
    const nested = (d: number): string => `{"keys":[],"x":${'['.repeat(d)}${']'.repeat(d)}}`
    const lookup = async (body: string) =>
      createKeyResolver({ fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }) }).lookup(ISSUER, 'k1')
    expect(await lookup(nested(8))).toMatchObject({ found: false, failure: 'key-not-found' })
    expect(await lookup(nested(KEY_SET_LIMITS.maxJsonDepth + 1))).toMatchObject({ found: false, failure: 'key-set-invalid' })
  })

  it('memoryStoreEntries: the default key set store keeps at most 1000 issuers', () => {
    const store = createMemoryKeySetStore()
    for (let i = 0; i <= KEY_SET_LIMITS.memoryStoreEntries; i++) store.set(`issuer-${i}`, i)
    expect(store.get('issuer-0')).toBeUndefined()
    expect(store.get('issuer-1')).toBe(1)
    expect(store.get(`issuer-${KEY_SET_LIMITS.memoryStoreEntries}`)).toBe(KEY_SET_LIMITS.memoryStoreEntries)
  })
})

describe('CRAWL_LIMITS', () => {
  it('memoryStoreEntries: the default crawl store keeps at most 10,000 entries', () => {
    const store = createMemoryCrawlStore()
    for (let i = 0; i <= CRAWL_LIMITS.memoryStoreEntries; i++) store.set(`k${i}`, i)
    expect(store.get('k0')).toBeUndefined()
    expect(store.get('k1')).toBe(1)
  })

  it('memoryParsedEntries: the in-memory caches of parsed site files are LRUs of that many origins', () => {
    const lru = createLru<number>(CRAWL_LIMITS.memoryParsedEntries)
    for (let i = 0; i <= CRAWL_LIMITS.memoryParsedEntries; i++) lru.set(`https://o${i}.example`, i)
    expect(lru.get('https://o0.example')).toBeUndefined()
    expect(lru.get(`https://o${CRAWL_LIMITS.memoryParsedEntries}.example`)).toBe(CRAWL_LIMITS.memoryParsedEntries)
  })

  it('maxRslDocuments: at most 3 RSL licences are fetched for one check', async () => {
    const rsl = { headers: { 'content-type': 'application/rsl+xml' }, body: '<rsl xmlns="https://rslstandard.org/rsl"><content url="/"/></rsl>' }
    const fetched = async (limits: CheckUrlOptions['limits']): Promise<number> => {
      const routes: Parameters<typeof startServer>[0] = { '/a': text('hello') }
      for (let i = 0; i < 5; i++) routes[`/l${i}.rsl`] = rsl
      const s = await server(routes)
      // License values must be absolute URLs.
      s.route('/robots.txt', text(`User-agent: *\nAllow: /\n\n${Array.from({ length: 5 }, (_, i) => `License: ${s.url(`/l${i}.rsl`)}`).join('\n')}\n`))
      await check(s.url('/a'), limits ? { limits } : {})
      return Array.from({ length: 5 }, (_, i) => s.count(`/l${i}.rsl`)).reduce((a, b) => a + b, 0)
    }
    expect(await fetched(undefined)).toBe(CRAWL_LIMITS.maxRslDocuments)
    expect(await fetched({ maxRslDocuments: 1 })).toBe(1)
  })

  it('defaultSiteFileTtlMs: a site file without Cache-Control is kept that long, then fetched again', async () => {
    const clock = frozenDate()
    const s = await server({ '/robots.txt': text('User-agent: *\nAllow: /\n'), '/a': text('hello') })
    const cache = createCrawlCache()
    const limits = { defaultSiteFileTtlMs: 300, minSiteFileTtlMs: 100 }
    await check(s.url('/a'), { cache, limits })
    await check(s.url('/a'), { cache, limits })
    expect(s.count('/robots.txt')).toBe(1)
    clock.advance(400)
    await check(s.url('/a'), { cache, limits })
    expect(s.count('/robots.txt')).toBe(2)
  })

  it('maxAudioBytes and maxAudioRequests: reading an embedded tag stops at either, keeping the header fields\' answer', async () => {
    const bytes = new Uint8Array(200_000)
    const s = await server({
      '/robots.txt': text('User-agent: *\nAllow: /\n'),
      '/a.mp3': (_req, res) => {
        res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': String(bytes.length), 'content-usage': 'train-ai=n' })
        res.end(bytes)
      },
    })
    for (const limits of [{ maxAudioBytes: 1000 }, { maxAudioRequests: 1 }]) {
      const r = await check(s.url('/a.mp3'), { limits })
      expect(r.verdict).toBe('deny')
      expect(r.notes.join('\n')).toMatch(/embedded tag not read/)
    }
  })

  it('CLOCK_TOLERANCE_SECONDS: a tag that expired less than 300 s ago still applies', async () => {
    const doc = (expires: Date) => JSON.stringify({ version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2020-01-01T00:00:00Z', expires: expires.toISOString().replace(/\.\d+Z$/, 'Z') })
    const now = new Date('2026-01-01T00:00:00Z')
    const at = (secondsAgo: number) => readHtmlSignalsSync(page(`<script type="application/noai-tag+json">${doc(new Date(now.getTime() - secondsAgo * 1000))}</script>`), { url: 'https://site.example/a' }).signals
    expect((await evaluate(at(100), { use: 'train-ai', now })).verdict).toBe('deny')
    expect((await evaluate(at(400), { use: 'train-ai', now })).verdict).toBe('unknown')
  })
})
