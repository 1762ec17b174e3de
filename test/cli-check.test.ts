// `noai check`, `noai headers`, `noai html` and `noai robots`, run as a user runs them: the built CLI
// in a child process (test/_cli.ts), against a local HTTP server for `check`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readHtmlSignalsSync } from '../src/html.js'
import { readHttpSignals } from '../src/http.js'
import { parseRobotsTxt, robotsSignals } from '../src/robots.js'
import { signTag } from '../src/sign.js'
import { runCli } from './_cli.js'
import { html, startServer, text, type TestServer } from './crawl-server.js'
import { privateJwk, TAG } from './sign-fixtures.js'

let s: TestServer
let dir: string
const EXAMPLE = path.join(path.dirname(new URL(import.meta.url).pathname), '../examples/search-yes-training-no.json')
const POLICY = {
  version: 1,
  issuer: 'https://music.example',
  updated: '2026-11-26T00:00:00Z',
  default: { usage: { 'train-ai': 'denied', search: 'allowed' } },
  rules: [{ path: '/press/', usage: { all: 'allowed' } }],
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'noai-cli-check-'))
  s = await startServer({
    '/robots.txt': text('User-agent: *\nAllow: /\nContent-Usage: /music/ train-ai=n\n\nUser-agent: GPTBot\nDisallow: /\n'),
    '/music/a': html('<title>a</title>'),
    '/open': html('<meta name="noai-tag" content="train-ai=y, search=y">'),
    '/quiet': html('<title>q</title>'),
    '/loop': { status: 302, headers: { location: '/loop2' } },
    '/loop2': { status: 302, headers: { location: '/loop' } },
  })
})

afterAll(async () => {
  await s?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('noai check', () => {
  it('exit 1 and the reasons for a deny', async () => {
    const r = await runCli(['check', s.url('/music/a'), '--use', 'train-genai', '--user-agent', 'ExampleBot/1.0'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^deny: train-genai for http:\/\/127\.0\.0\.1:\d+\/music\/a \(user agent ExampleBot\)/)
    expect(r.stdout).toContain('decided before fetching')
    expect(r.stdout).toMatch(/\* denied {2}aipref: train-ai=n\n {6}from robots\.txt http:\/\/127\.0\.0\.1:\d+\/robots\.txt Content-Usage line 3/)
    expect(s.count('/music/a')).toBe(0)
    expect(s.agents.every((a) => a === 'ExampleBot/1.0')).toBe(true)
  })

  it('exit 0 for an allow; --json prints one object with the verdict and the reasons', async () => {
    const r = await runCli(['check', s.url('/open'), '--use', 'ai-train', '--user-agent', 'ExampleBot', '--json'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const out = JSON.parse(lines[0]!) as { verdict: string; use: string; reasons: { signal: string; status: string; source: { kind: string; name: string; line: number }; decisive: boolean }[] }
    expect(out.verdict).toBe('allow')
    expect(out.use).toBe('train-ai')
    expect(out.reasons).toEqual([
      expect.objectContaining({ signal: 'robots-txt', status: 'other-agent', decisive: false }),
      expect.objectContaining({ signal: 'noai-tag', status: 'applied', decisive: true, source: expect.objectContaining({ kind: 'html', name: 'noai-tag', line: 1 }) }),
    ])
  })

  it('exit 3 for unknown; another agent\'s group is listed, not applied', async () => {
    const r = await runCli(['check', s.url('/quiet'), '--use', 'train-ai', '--user-agent', 'ExampleBot'])
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/^unknown: /)
    expect(r.stdout).toMatch(/denied {2}robots-txt \(to GPTBot\): all=n \[other-agent\]/)
    const gpt = await runCli(['check', s.url('/quiet'), '--use', 'train-ai', '--user-agent', 'GPTBot'])
    expect(gpt.code).toBe(1)
  })

  it('exit 2 when the URL cannot be read, and for usage errors', async () => {
    const loop = await runCli(['check', s.url('/loop'), '--use', 'train-ai', '--json'])
    expect(loop.code).toBe(2)
    expect(JSON.parse(loop.stdout)).toMatchObject({ verdict: 'unknown', error: { code: 'redirect-loop' } })
    const badUse = await runCli(['check', s.url('/open'), '--use', 'teleport'])
    expect(badUse.code).toBe(2)
    expect(badUse.stderr).toMatch(/noai check: unknown use "teleport"/)
    expect((await runCli(['check', s.url('/open')])).code).toBe(2)
    const ftp = await runCli(['check', 'ftp://example.com/', '--use', 'train-ai'])
    expect(ftp.code).toBe(2)
    expect(ftp.stderr).toMatch(/only http and https/)
  })
})

describe('noai headers, noai html, noai robots', () => {
  it('headers: the fields for a tag document, readable back as the same statement', async () => {
    const r = await runCli(['headers', EXAMPLE])
    expect(r.code).toBe(0)
    const fields = r.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)] as [string, string])
    expect(Object.fromEntries(fields)).toEqual({ 'NoAI-Tag': 'search=y, train-ai=n', 'Content-Usage': 'search=y, train-ai=n', 'tdm-reservation': '1', 'X-Robots-Tag': 'noai, noimageai' })
    const back = readHttpSignals(fields)
    expect(back.find((x) => x.signal === 'noai-tag')!.usage).toEqual({ search: 'allowed', 'train-ai': 'denied' })
  })

  it('headers: a signed tag (literal JWS, file or standard input) adds NoAI-Tag-JWS; --json', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'))
    const file = path.join(dir, 'tag.jws')
    await writeFile(file, `${jws}\n`)
    for (const [args, input] of [[[jws], undefined], [[file], undefined], [['-'], jws]] as const) {
      const r = await runCli(['headers', ...args, '--json'], input !== undefined ? { input } : {})
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ 'NoAI-Tag-JWS': `"${jws}"`, 'NoAI-Tag': 'search=y, train-ai=n' })
    }
  })

  it('headers: exit 1 for an invalid tag, 2 for a missing file', async () => {
    const bad = path.join(dir, 'bad.json')
    await writeFile(bad, '{"version":1}')
    const r = await runCli(['headers', bad])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/not a valid tag/)
    expect((await runCli(['headers', path.join(dir, 'missing.json')])).code).toBe(2)
  })

  it('html: the head elements, and a script about embedded media with --for', async () => {
    const r = await runCli(['html', EXAMPLE])
    expect(r.code).toBe(0)
    const signals = readHtmlSignalsSync(`<head>${r.stdout}</head>`).signals
    expect(signals.map((x) => x.signal).sort()).toEqual(['noai-tag', 'robots-meta', 'tdmrep'])
    const media = await runCli(['html', EXAMPLE, '--for', '/audio/a.mp3'])
    expect(media.stdout).toMatch(/^<script type="application\/noai-tag\+json" data-noai-for="\/audio\/a\.mp3">/)
    expect(media.stdout).not.toContain('<meta')
  })

  it('robots: robots.txt, tdmrep.json and ai.txt for a site policy', async () => {
    const file = path.join(dir, 'policy.json')
    await writeFile(file, JSON.stringify(POLICY))
    const robots = await runCli(['robots', file, '--sitemap', 'https://music.example/sitemap.xml'])
    expect(robots.code).toBe(0)
    const parsed = parseRobotsTxt(robots.stdout, { url: 'https://music.example/robots.txt' })
    expect(parsed.sitemaps.map((x) => x.value)).toEqual(['https://music.example/sitemap.xml'])
    const usage = (p: string) => robotsSignals(parsed, p, { userAgent: 'ExampleBot' }).find((x) => x.signal === 'aipref')?.usage
    expect(usage('/tracks/1')).toEqual({ 'train-ai': 'denied', search: 'allowed' })
    expect(usage('/press/kit')).toEqual({ 'train-genai': 'allowed', search: 'allowed' })
    const blocked = await runCli(['robots', file, '--block-ai-crawlers'])
    expect(blocked.stdout).toMatch(/User-agent: GPTBot/)
    const tdm = await runCli(['robots', file, '--file', 'tdmrep.json'])
    expect(JSON.parse(tdm.stdout)).toEqual([{ location: '/press/', 'tdm-reservation': 0 }, { location: '/', 'tdm-reservation': 1 }])
    const ai = await runCli(['robots', '-', '--file', 'ai.txt'], { input: JSON.stringify(POLICY) })
    expect(ai.stdout).toContain('Disallow: /\nAllow: /press/')
    const none = await runCli(['robots', '-', '--file', 'ai.txt'], { input: JSON.stringify({ ...POLICY, default: { usage: { search: 'allowed' } }, rules: undefined }) })
    expect(none).toMatchObject({ code: 0, stdout: '' })
    expect(none.stderr).toMatch(/serve no ai.txt/)
  })

  it('robots: exit 1 for an invalid policy, 2 for a bad --file', async () => {
    const r = await runCli(['robots', '-'], { input: '{"version": 2}' })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/invalid site policy/)
    expect((await runCli(['robots', '-', '--file', 'x.txt'], { input: JSON.stringify(POLICY) })).code).toBe(2)
  })
})
