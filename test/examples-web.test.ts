// The web examples, end to end on loopback: the Express server of examples/server/ (imported as a
// module, on 127.0.0.1 port 0) serves one tag and one policy through every web carrier; the
// Crawlee crawler of examples/crawler/ (spawned, as a user runs it) crawls it and must skip what
// the server denies for the use, with reasons, without downloading it. Every file the server
// serves is then read back with the library's own readers (round trip).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag } from '../src/audio.js'
import { checkUrl, createCrawlCache } from '../src/crawl.js'
import { readHtmlSignals } from '../src/html.js'
import { readHttpSignals, tagHeaders } from '../src/http.js'
import { formatCompact } from '../src/index.js'
import {
  aiTxtFor,
  aiTxtSignals,
  parseAiTxt,
  parsePolicy,
  parseRobotsTxt,
  parseTdmrepJson,
  robotsSignals,
  robotsTxtFor,
  tdmrepSignals,
  validatePolicy,
  wellKnownHeaders,
} from '../src/robots.js'
import { createStaticKeyResolver, keySetHeaders, parseKeySet, verifyTag } from '../src/sign.js'
import { startServer, type ExampleSite } from '../examples/server/server.js'
import type { CrawlEvent } from '../examples/crawler/crawl.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const CRAWLER = join(root, 'examples/crawler/crawl.ts')
const TSX = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href
const UA = 'ExampleBot/1.0 (+https://example.com/bot)'

interface Seen {
  readonly method: string
  readonly path: string
  readonly userAgent: string
  readonly range?: string
}

let site: ExampleSite
const seen: Seen[] = []
const work = mkdtempSync(join(tmpdir(), 'noai-crawl-'))

beforeAll(async () => {
  site = await startServer({ port: 0, onRequest: (r) => seen.push(r) })
})
afterAll(async () => {
  await site?.close()
  rmSync(work, { recursive: true, force: true })
})

/** Runs the crawler example as a user would (tsx), in an empty directory, and parses its JSON Lines. */
function runCrawler(use: string): Promise<{ code: number | null; events: CrawlEvent[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', TSX, CRAWLER, '--start', `${site.url}/`, '--use', use, '--user-agent', UA, '--jsonl', '--allow-http-loopback']
    const child = spawn(process.execPath, args, { cwd: work, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      const events = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as CrawlEvent)
      resolve({ code, events, stderr })
    })
  })
}

const eventsAbout = (events: readonly CrawlEvent[], path: string) => events.filter((e) => 'url' in e && e.url === `${site.url}${path}`)

describe('examples/crawler with examples/server', () => {
  it('skips the track page and its audio for train-ai, with reasons, without requesting them; downloads the rest', async () => {
    const before = seen.length
    const { code, events, stderr } = await runCrawler('train-ai')
    expect(code, stderr).toBe(0)
    const requests = seen.slice(before)

    for (const path of ['/tracks/1', '/audio/1.mp3']) {
      const skip = eventsAbout(events, path).find((e) => e.event === 'skip')
      expect(skip, `${path} skipped`).toMatchObject({ verdict: 'deny', use: 'train-ai', decidedBeforeFetching: true })
      const reasons = skip!.event === 'skip' ? skip!.reasons : []
      // The policy denies AI training on these paths, and every site-level carrier written from it says so.
      expect(new Set(reasons.map((r) => r.signal))).toEqual(new Set(['aipref', 'tdmrep', 'noai-tag', 'ai-txt']))
      for (const r of reasons) {
        expect(r.value).toBe('denied')
        expect(r.where).toMatch(new RegExp(`^(robots.txt|tdmrep.json|policy|ai.txt) ${site.url}/`))
      }
      expect(eventsAbout(events, path).some((e) => e.event === 'fetched'), `${path} not downloaded`).toBe(false)
      expect(requests.filter((r) => r.path === path), `${path} never requested`).toEqual([])
    }
    for (const path of ['/', '/press/', '/press/kit.html']) {
      expect(eventsAbout(events, path).map((e) => e.event), path).toEqual(['allow', 'fetched'])
    }
    expect(events.at(-1)).toEqual({ event: 'done', checked: 5, fetched: 3, skipped: 2 })
    // Every request, the checks' and Crawlee's downloads, carried the crawler's User-Agent.
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.filter((r) => r.userAgent !== UA)).toEqual([])
    // Crawlee kept its storage in memory.
    expect(readdirSync(work)).toEqual([])
  })

  it('downloads the track page and its audio for search, which the tag allows', async () => {
    const before = seen.length
    const { code, events, stderr } = await runCrawler('search')
    expect(code, stderr).toBe(0)
    expect(events.filter((e) => e.event === 'skip')).toEqual([])
    const audio = eventsAbout(events, '/audio/1.mp3').find((e) => e.event === 'fetched')
    expect(audio).toMatchObject({ status: 200, contentType: 'audio/mpeg', bytes: site.audio.length })
    const allow = eventsAbout(events, '/tracks/1').find((e) => e.event === 'allow')
    expect(allow?.event === 'allow' ? allow.reasons.map((r) => r.signal) : []).toContain('noai-tag')
    // The check read the audio's tag with a Range request; then Crawlee downloaded the whole file.
    const audioRequests = seen.slice(before).filter((r) => r.path === '/audio/1.mp3')
    expect(audioRequests.some((r) => r.range !== undefined)).toBe(true)
    expect(audioRequests.some((r) => r.range === undefined)).toBe(true)
    expect(existsSync(join(root, 'storage'))).toBe(false)
  })
})

describe('examples/server: every served file read back with the library', () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${site.url}${path}`, { headers })

  it('the track page carries the tag in its header fields and head, signed', async () => {
    const res = await get('/tracks/1')
    const expected = tagHeaders(site.tag, { jws: site.jws })
    for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name), name).toBe(value)
    const url = `${site.url}/tracks/1`
    const fromHeaders = readHttpSignals(res.headers, { url })
    expect(fromHeaders.find((s) => s.signal === 'noai-tag' && s.jws !== undefined)?.usage).toEqual(site.tag.usage)
    expect(fromHeaders.find((s) => s.signal === 'aipref')?.usage).toEqual({ 'train-ai': 'denied', search: 'allowed' })
    const html = await readHtmlSignals(await res.text(), { url })
    const signed = html.signals.find((s) => s.signal === 'noai-tag' && s.jws !== undefined)
    expect(signed?.jws).toBe(site.jws)
    expect(html.signals.some((s) => s.signal === 'robots-meta' && s.usage.ai === 'denied')).toBe(true)
  })

  it('the audio is the fixture stamped with the signed tag: same essence, read back by Range', async () => {
    const head = await get('/audio/1.mp3', { range: 'bytes=0-1023' })
    expect(head.status).toBe(206)
    expect(head.headers.get('content-range')).toBe(`bytes 0-1023/${site.audio.length}`)
    expect(head.headers.get('noai-tag')).toBe(formatCompact(site.tag.usage))
    const bytes = new Uint8Array(await (await get('/audio/1.mp3')).arrayBuffer())
    const report = await readAudioTag(bytes)
    expect(report).toMatchObject({ format: 'mp3', signed: true, jws: site.jws, mismatch: false, readable: formatCompact(site.tag.usage) })
    expect(await audioEssence(bytes)).toEqual(site.tag.subject.essence?.[0])
  })

  it('the key set verifies the tag for the page URL and for the audio essence', async () => {
    const res = await get('/.well-known/noai-tag/jwks.json')
    expect(res.headers.get('content-type')).toBe(keySetHeaders()['Content-Type'])
    const keys = parseKeySet(await res.json(), site.url, res.url)
    expect(keys.map((k) => k.kid)).toEqual([site.publicKey.kid])
    const resolver = createStaticKeyResolver(keys)
    const page = await verifyTag(site.jws, { resolver, trust: [site.url], url: `${site.url}/tracks/1` })
    expect(page).toMatchObject({ state: 'trusted', binding: 'checked', issuer: site.url })
    const audio = await verifyTag(site.jws, { resolver, trust: [site.url], essence: site.tag.subject.essence![0]! })
    expect(audio.state).toBe('trusted')
    const elsewhere = await verifyTag(site.jws, { resolver, url: `${site.url}/press/kit.html` })
    expect(elsewhere.state).toBe('invalid')
    expect(elsewhere.codes).toContain('url-not-covered')
  })

  it('robots.txt, ai.txt, tdmrep.json and the policy say what the policy says, path by path', async () => {
    const robotsRes = await get('/robots.txt')
    expect(robotsRes.headers.get('content-type')).toBe(wellKnownHeaders('robots.txt')['Content-Type'])
    const robotsText = await robotsRes.text()
    expect(robotsText).toBe(robotsTxtFor(site.policy, { blockAiCrawlers: true }))
    const robots = parseRobotsTxt(robotsText, { url: robotsRes.url })
    const usage = (path: string, ua: string) => robotsSignals(robots, `${site.url}${path}`, { userAgent: ua, otherAgents: false }).map((s) => [s.signal, s.usage])
    expect(usage('/tracks/1', 'ExampleBot')).toEqual([
      ['aipref', { 'train-ai': 'denied', search: 'allowed' }],
      ['content-signals', { search: 'allowed' }],
    ])
    expect(usage('/press/kit.html', 'ExampleBot')[0]).toEqual(['aipref', { 'train-genai': 'allowed', search: 'allowed' }])
    // Known AI training crawlers are kept out where training is denied.
    expect(usage('/tracks/1', 'GPTBot')[0]).toEqual(['robots-txt', { all: 'denied' }])
    expect(usage('/press/kit.html', 'GPTBot')[0]?.[0]).toBe('aipref')

    const aiRes = await get('/ai.txt')
    const aiTxt = parseAiTxt(await aiRes.text(), { url: aiRes.url })
    expect(aiTxtSignals(aiTxt, `${site.url}/audio/1.mp3`, { userAgent: 'ExampleBot' })[0]?.usage).toEqual({ 'train-ai': 'denied' })
    expect(aiTxtSignals(aiTxt, `${site.url}/press/`, { userAgent: 'ExampleBot' })[0]?.usage).toEqual({ 'train-ai': 'allowed' })
    expect(aiTxtFor(site.policy)).toBeDefined()

    const tdmRes = await get('/.well-known/tdmrep.json')
    expect(tdmRes.headers.get('content-type')).toBe(wellKnownHeaders('tdmrep.json')['Content-Type'])
    const tdm = parseTdmrepJson(await tdmRes.text(), { url: tdmRes.url })
    expect(tdmrepSignals(tdm, `${site.url}/tracks/1`)[0]?.usage).toEqual({ tdm: 'denied' })
    expect(tdmrepSignals(tdm, `${site.url}/press/kit.html`)[0]?.usage).toEqual({ tdm: 'allowed' })
    expect(tdmrepSignals(tdm, `${site.url}/`)[0]?.usage).toEqual({ tdm: 'allowed' })

    const policyRes = await get('/.well-known/noai-tag/policy.json')
    expect(policyRes.headers.get('content-type')).toBe(wellKnownHeaders('policy')['Content-Type'])
    const policyText = await policyRes.text()
    expect(validatePolicy(JSON.parse(policyText)).ok).toBe(true)
    expect(parsePolicy(policyText)).toEqual(site.policy)
  })

  it('a crawler that verifies sees the signed tag as trusted, and the verdict per use', async () => {
    const opts = { userAgent: UA, cache: createCrawlCache(), verify: { allowHttpLoopback: true, trust: [site.url] } }
    const search = await checkUrl(`${site.url}/tracks/1`, { ...opts, use: 'search' })
    expect(search.verdict).toBe('allow')
    const signed = search.reasons.find((r) => r.signal === 'noai-tag' && r.verification !== undefined)
    expect(signed?.verification?.state).toBe('trusted')
    expect((await checkUrl(`${site.url}/audio/1.mp3`, { ...opts, use: 'train-genai' })).verdict).toBe('deny')
    expect((await checkUrl(`${site.url}/press/kit.html`, { ...opts, use: 'train-ai' })).verdict).toBe('allow')
  })
})
