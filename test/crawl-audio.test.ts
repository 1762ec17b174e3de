// checkUrl() on audio: the header fields first, then the embedded tag read by HTTP Range requests
// (only the metadata regions transferred); a signed embedded tag verified, its binding to the
// essence checked only when asked (docs/spec.md §10, §11.6).
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { audioEssence, writeAudioTag } from '../src/audio.js'
import { checkUrl, createCrawlCache, type CheckUrlOptions } from '../src/crawl.js'
import type { NoaiTag } from '../src/index.js'
import { signTag } from '../src/sign.js'
import { startServer, text, type TestServer } from './crawl-server.js'
import { ISSUER_KEYS, NOW, privateJwk } from './sign-fixtures.js'

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const BARE = new Uint8Array(readFileSync(new URL('./fixtures/audio/mp3/bare.mp3', import.meta.url)))
/** The bare MP3 stamped with an unsigned tag. */
const stamp = (usage: NoaiTag['usage']): Promise<Uint8Array> =>
  writeAudioTag(BARE, { tag: { version: 1, subject: { self: true }, usage, issued: '2026-01-01T00:00:00Z' } })

/** Serves bytes with Range support (RFC 9110 §14), counting the bytes sent. */
function ranged(bytes: Uint8Array, type: string, extra: Record<string, string> = {}, counter = { bytes: 0 }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const m = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''))
    const headers = { 'content-type': type, 'accept-ranges': 'bytes', etag: '"v1"', ...extra }
    if (!m) {
      res.writeHead(200, { ...headers, 'content-length': String(bytes.length) })
      counter.bytes += bytes.length
      return void res.end(bytes)
    }
    const start = Number(m[1])
    const end = Math.min(bytes.length - 1, m[2] === '' ? bytes.length - 1 : Number(m[2]))
    const part = bytes.subarray(start, end + 1)
    counter.bytes += part.length
    res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': String(part.length) })
    res.end(part)
  }
}

const check = (url: string, options: Partial<CheckUrlOptions> = {}) => checkUrl(url, { use: 'train-ai', userAgent: 'ExampleBot', cache: createCrawlCache(), ...options })

describe('checkUrl: audio', () => {
  it('reads the embedded tag with Range requests, after the header fields', async () => {
    const tagged = await stamp({ 'train-ai': 'denied', search: 'allowed' })
    const s = await startServer({ '/robots.txt': text('User-agent: *\nAllow: /\n'), '/a.mp3': ranged(tagged, 'audio/mpeg', { 'content-usage': 'search=y' }) })
    servers.push(s)
    const r = await check(s.url('/a.mp3'))
    expect(r.verdict).toBe('deny')
    expect(r.contentType).toBe('audio/mpeg')
    const embedded = r.reasons.find((x) => x.source.kind === 'audio')!
    expect(embedded).toMatchObject({ signal: 'noai-tag', decisive: true, source: { url: s.url('/a.mp3') } })
    const search = await check(s.url('/a.mp3'), { use: 'search' })
    expect(search.verdict).toBe('allow')
    expect(search.reasons.map((x) => x.source.kind).sort()).toEqual(['audio', 'http-header'])
    expect(s.agents.every((a) => a === 'ExampleBot')).toBe(true)
  })

  it('transfers only the metadata of a large file', async () => {
    const tagged = await stamp({ 'train-ai': 'denied' })
    // A large file: the tag and the first frames, then 8 MB the reader must not fetch.
    const big = new Uint8Array(tagged.length + 8_000_000)
    big.set(tagged)
    const counter = { bytes: 0 }
    const s = await startServer({ '/robots.txt': text('User-agent: *\nAllow: /\n'), '/big.mp3': ranged(big, 'audio/mpeg', {}, counter) })
    servers.push(s)
    const r = await check(s.url('/big.mp3'))
    expect(r.verdict).toBe('deny')
    expect(counter.bytes).toBeLessThan(1_000_000)
  })

  it('detects audio by extension when the type is generic; readAudio: false keeps the headers\' answer', async () => {
    const tagged = await stamp({ 'train-ai': 'denied' })
    const s = await startServer({ '/robots.txt': text('User-agent: *\nAllow: /\n'), '/t.mp3': ranged(tagged, 'application/octet-stream', { 'content-usage': 'train-ai=y' }) })
    servers.push(s)
    expect((await check(s.url('/t.mp3'), { use: 'train-genai' })).verdict).toBe('deny')
    const off = await check(s.url('/t.mp3'), { use: 'train-genai', readAudio: false })
    expect(off.verdict).toBe('allow')
    expect(off.notes.join('\n')).toMatch(/embedded tag not read \(readAudio: false\)/)
  })

  it('a file that is not audio after all: the tag is not read, the header fields still decide', async () => {
    const s = await startServer({ '/robots.txt': text('User-agent: *\nAllow: /\n'), '/fake.mp3': ranged(new TextEncoder().encode('not audio at all'), 'audio/mpeg', { 'content-usage': 'train-ai=n' }) })
    servers.push(s)
    const r = await check(s.url('/fake.mp3'))
    expect(r.verdict).toBe('deny')
    expect(r.notes.join('\n')).toMatch(/embedded tag not read: /)
  })

  it('a signed embedded tag is verified; its essence binding is checked with verifyAudioBinding', async () => {
    const digest = await audioEssence(BARE)
    const tag: NoaiTag = { version: 1, issuer: 'https://issuer.example', subject: { essence: [digest] }, usage: { 'train-ai': 'allowed' }, issued: '2026-01-01T00:00:00Z' }
    const jws = await signTag(tag, privateJwk('test-ed25519'))
    const tagged = await writeAudioTag(BARE, { jws })
    const s = await startServer({ '/robots.txt': text('User-agent: *\nAllow: /\n'), '/s.mp3': ranged(tagged, 'audio/mpeg') })
    servers.push(s)
    const verify = { keys: ISSUER_KEYS, trust: ['https://issuer.example'] }
    const plain = await check(s.url('/s.mp3'), { now: NOW, verify })
    expect(plain.verdict).toBe('allow')
    expect(plain.reasons[0]!.verification).toMatchObject({ state: 'valid', binding: 'not-checked' })
    const bound = await check(s.url('/s.mp3'), { now: NOW, verify, verifyAudioBinding: true })
    expect(bound.verdict).toBe('allow')
    expect(bound.reasons[0]!.verification).toMatchObject({ state: 'trusted', binding: 'checked' })
    // The same signed tag copied onto other audio: its allow is dropped.
    const other = new Uint8Array(BARE)
    other[other.length - 10] = other[other.length - 10]! ^ 0xff
    const copied = await writeAudioTag(other, { jws })
    s.route('/copy.mp3', ranged(copied, 'audio/mpeg'))
    const c = await check(s.url('/copy.mp3'), { now: NOW, verify, verifyAudioBinding: true })
    expect(c.verdict).toBe('unknown')
    expect(c.reasons[0]!.verification!.codes).toContain('content-hash-mismatch')
  })
})
