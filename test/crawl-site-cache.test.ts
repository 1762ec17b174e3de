// checkUrl reads a site file that says the same for every path once per origin and hands its
// statements to every check (src/crawl/_site.ts, src/robots/_everywhere.ts). These tests check
// that a check with a cache shared by many URLs answers exactly as a check with a cache of its
// own, for files that say the same everywhere and files that do not, on the paths where the
// difference could show: /robots.txt (always allowed), its percent-encoded spelling, queries, and
// URLs longer than the readers accept.
import { describe, expect, it } from 'vitest'
import { checkUrl, createCrawlCache, type CheckResult, type CrawlFetch } from '../src/crawl.js'
import { SITE_LIMITS } from '../src/robots.js'
import { matchesEveryPath } from '../src/robots/_everywhere.js'
import { compilePattern } from '../src/robots/_pattern.js'

const UA = 'ExampleBot/1.0 (+https://example.com/bot)'

type Files = Readonly<Record<string, readonly [string, string]>>

/** Sites by host: path → [content type, body]; every other path is a page saying `train-ai=n` on odd lengths. */
const SITES: Readonly<Record<string, Files>> = {
  // Everything the same for every path: universal rules, a default-only policy, a tdmrep.json whose first rule is `/*`.
  'same.example': {
    '/robots.txt': ['text/plain', 'User-agent: *\nAllow: /\nContent-Usage: / search=y\nContent-Signal: ai-train=no\n\nUser-agent: GPTBot\nDisallow: /\n\nUser-agent: OtherBot\nDisallow: *\n'],
    '/.well-known/noai-tag/policy.json': ['application/json', JSON.stringify({ version: 1, issuer: 'https://same.example', updated: '2026-11-26T00:00:00Z', default: { usage: { search: 'allowed', 'train-genai': 'denied' } } })],
    '/.well-known/tdmrep.json': ['application/json', JSON.stringify([{ location: '/*', 'tdm-reservation': 1 }, { location: '/private/', 'tdm-reservation': 0 }])],
    '/ai.txt': ['text/plain', 'User-agent: *\nDisallow: /\n'],
  },
  // A complete disallow for the crawler: every path but /robots.txt is denied before fetching.
  'closed.example': {
    '/robots.txt': ['text/plain', 'User-agent: ExampleBot\nDisallow: /\nContent-Usage: / train-ai=y\n'],
  },
  // Path rules everywhere: nothing is the same for every path.
  'paths.example': {
    '/robots.txt': ['text/plain', 'User-agent: *\nDisallow: /private/\nAllow: /$\nContent-Usage: /music/ train-ai=n\n\nUser-agent: GPTBot\nDisallow: /music/\n'],
    '/.well-known/noai-tag/policy.json': ['application/json', JSON.stringify({ version: 1, issuer: 'https://paths.example', updated: '2026-11-26T00:00:00Z', default: { usage: { search: 'allowed' } }, rules: [{ path: '/press/', usage: { all: 'allowed' } }] })],
    '/.well-known/tdmrep.json': ['application/json', JSON.stringify([{ location: '/private/', 'tdm-reservation': 1 }, { location: '/', 'tdm-reservation': 0 }])],
    '/ai.txt': ['text/plain', 'User-agent: *\nDisallow: /music/\n'],
  },
  // Universal robots.txt for the crawler but not for another agent it reports on.
  'mixed.example': {
    '/robots.txt': ['text/plain', 'User-agent: ExampleBot\nAllow: /*\n\nUser-agent: GPTBot\nDisallow: /private/\n'],
    '/.well-known/noai-tag/policy.json': ['application/json', JSON.stringify({ version: 1, issuer: 'https://mixed.example', updated: '2026-11-26T00:00:00Z', default: { usage: { search: 'allowed' } }, rules: [{ path: '/*', usage: { 'ai-input': 'denied' } }] })],
  },
}

const page = (deny: boolean): string =>
  `<!doctype html><html><head><title>t</title>${deny ? '<meta name="noai-tag" content="train-ai=n, search=y">' : '<meta name="robots" content="index">'}</head><body>x</body></html>`

/** An in-memory fetch serving SITES (no network, so that URLs of any length can be asked for). */
const fetchSites: CrawlFetch = async (url) => {
  const u = new URL(url)
  const files = SITES[u.host]
  const file = files?.[u.pathname]
  if (file !== undefined) return new Response(file[1], { status: 200, headers: { 'content-type': file[0], 'cache-control': 'max-age=3600' } })
  if (files === undefined || u.pathname.startsWith('/.well-known/') || u.pathname === '/ai.txt' || u.pathname === '/robots.txt') return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } })
  return new Response(page(u.pathname.length % 2 === 1), { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } })
}

const PATHS = ['/', '/a', '/ab', '/private/x', '/music/1', '/press/kit', '/robots.txt', '/%72obots.txt', '/robots.txt?x=1', '/a?q=1', `/${'l'.repeat(SITE_LIMITS.maxUrlLength)}`]

/** A result without the request count, which depends on what the cache already held. */
function comparable(r: CheckResult): Omit<CheckResult, 'requests'> {
  const { requests: _requests, ...rest } = r
  return rest
}

describe('checkUrl: site files that say the same everywhere are read once per origin', () => {
  it('a cache shared by many URLs answers as a cache of its own for each URL', async () => {
    for (const use of ['train-ai', 'search', 'ai-input']) {
      for (const userAgent of [UA, 'GPTBot/1.1']) {
        const shared = createCrawlCache()
        for (const host of Object.keys(SITES)) {
          for (const path of PATHS) {
            const url = `https://${host}${path}`
            const options = { use, userAgent, fetch: fetchSites, verify: false as const }
            const got = await checkUrl(url, { ...options, cache: shared })
            const alone = await checkUrl(url, { ...options, cache: createCrawlCache() })
            expect(comparable(got), `${use} ${userAgent} ${url.slice(0, 80)}`).toEqual(comparable(alone))
          }
        }
      }
    }
  })

  it('the paths where a file says something else are still read for themselves', async () => {
    const cache = createCrawlCache()
    const check = (path: string) => checkUrl(`https://closed.example${path}`, { use: 'train-ai', userAgent: UA, fetch: fetchSites, cache })
    expect(await check('/a')).toMatchObject({ verdict: 'deny', decidedBeforeFetching: true })
    // robots.txt always allows itself, also when written with escapes of unreserved characters.
    for (const path of ['/robots.txt', '/%72obots.txt']) {
      const r = await check(path)
      expect(r.decidedBeforeFetching, path).toBe(false)
      expect(r.reasons.some((x) => x.signal === 'robots-txt'), path).toBe(false)
    }
    // A URL longer than the readers accept is reported as not read, not answered from the cache.
    const long = await check(`/${'l'.repeat(SITE_LIMITS.maxUrlLength)}`)
    expect(long.notes.join('\n')).toMatch(/robots\.txt was not read for this URL/)
  })

  it('results do not share arrays, so changing one does not change another', async () => {
    const cache = createCrawlCache()
    const options = { use: 'train-ai', userAgent: UA, fetch: fetchSites, cache, verify: false as const }
    const a = await checkUrl('https://same.example/a', options)
    const b = await checkUrl('https://same.example/b', options)
    expect(a.reasons.length).toBeGreaterThan(1)
    expect(a.reasons).not.toBe(b.reasons)
    expect(a.notes).not.toBe(b.notes)
  })
})

describe('matchesEveryPath', () => {
  it('only patterns that match every request path', () => {
    for (const p of ['/', '*', '/*', '/**', '**']) expect(matchesEveryPath(compilePattern(p)), p).toBe(true)
    for (const p of ['/$', '/*$', '/a', '/*a', '*.mp3', '/%2A', 'a']) expect(matchesEveryPath(compilePattern(p)), p).toBe(false)
  })
})
