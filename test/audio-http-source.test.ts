// fromUrl (src/audio/http-source.ts): a byte source over HTTP Range requests, against real loopback
// servers that answer Range and that ignore it, counting the bytes they serve.
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag, writeAudioTag } from '../src/audio.js'
import { fromUrl, UrlFetchError, URL_SOURCE_LIMITS } from '../src/audio/http-source.js'
import { LimitExceededError } from '../src/errors.js'

const TAG = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-01-01T00:00:00Z' } as const

interface Served {
  bytes: number
  requests: number
  ranges: string[]
}

type Mode = 'range' | 'no-range' | 'unknown-size' | 'changing'

let file: Uint8Array
let server: Server
let base: string
const served: Served = { bytes: 0, requests: 0, ranges: [] }
let version = 0

function handle(req: IncomingMessage, res: ServerResponse): void {
  const [, mode, name] = (req.url ?? '').split('/') as [string, Mode | 'missing', string]
  served.requests++
  if (mode === 'missing' || name === undefined) {
    res.writeHead(404).end('not found')
    return
  }
  const body = name === 'empty' ? new Uint8Array(0) : file
  const send = (status: number, headers: Record<string, string>, bytes: Uint8Array): void => {
    served.bytes += bytes.length
    res.writeHead(status, { 'content-length': String(bytes.length), ...headers }).end(bytes)
  }
  const etag = mode === 'changing' ? `"v${version++}"` : '"v1"'
  const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''))
  if (mode === 'no-range' || !range) return send(200, { etag }, body)
  served.ranges.push(String(req.headers.range))
  // A changing resource: an If-Range validator of an older version gets the whole new version.
  if (mode === 'changing' && req.headers['if-range'] !== undefined && req.headers['if-range'] !== etag) return send(200, { etag }, body)
  const start = Number(range[1])
  if (start >= body.length) {
    res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end()
    return
  }
  const end = Math.min(Number(range[2]), body.length - 1)
  const total = mode === 'unknown-size' ? '*' : String(body.length)
  send(206, { etag, 'content-range': `bytes ${start}-${end}/${total}`, 'accept-ranges': 'bytes' }, body.subarray(start, end + 1))
}

beforeAll(async () => {
  // A tagged FLAC followed by 3 MiB of audio frames' worth of bytes: big enough that reading the
  // tag from the start is a small part of it.
  const flac = new Uint8Array(readFileSync(new URL('fixtures/audio/flac/reference.flac', import.meta.url)))
  const big = new Uint8Array(flac.length + 3 * 1024 * 1024)
  big.set(flac)
  for (let i = flac.length; i < big.length; i++) big[i] = (i * 7919) & 0xff
  file = await writeAudioTag(big, { tag: TAG })
  server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function reset(): void {
  served.bytes = 0
  served.requests = 0
  served.ranges = []
}

describe('fromUrl', () => {
  it('reads the tag with Range requests, transferring a small part of the file', async () => {
    reset()
    const source = await fromUrl(`${base}/range/a.flac`)
    expect(source.ranged).toBe(true)
    expect(source.size).toBe(file.length)
    const report = await readAudioTag(source)
    expect(report.readable).toBe('train-ai=n')
    expect(report.tag?.usage).toEqual(TAG.usage)
    expect(served.bytes).toBe(source.bytesFetched)
    expect(served.bytes).toBeLessThan(4 * URL_SOURCE_LIMITS.blockBytes)
    expect(served.bytes).toBeLessThan(file.length / 10)
    expect(served.ranges[0]).toBe(`bytes=0-${URL_SOURCE_LIMITS.blockBytes - 1}`)
  })

  it('computes the same essence digest over Range requests as from the bytes', async () => {
    reset()
    const source = await fromUrl(`${base}/range/a.flac`)
    expect(await audioEssence(source)).toEqual(await audioEssence(file))
    expect(served.bytes).toBeLessThan(file.length + 2 * URL_SOURCE_LIMITS.blockBytes)
  })

  it('downloads the file once when the server ignores Range', async () => {
    reset()
    const source = await fromUrl(`${base}/no-range/a.flac`)
    expect(source.ranged).toBe(false)
    const report = await readAudioTag(source)
    expect(report.readable).toBe('train-ai=n')
    await audioEssence(source)
    expect(served.requests).toBe(1)
    expect(served.bytes).toBe(file.length)
    expect(source.bytesFetched).toBe(file.length)
  })

  it('refuses a download over maxBytes when the server ignores Range, without reading it', async () => {
    reset()
    const e = await fromUrl(`${base}/no-range/a.flac`, { maxBytes: 1024 * 1024 }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(LimitExceededError)
    expect((e as LimitExceededError).limit).toBe('maxBytes')
  })

  it('stops a Range reader at maxBytes', async () => {
    const source = await fromUrl(`${base}/range/a.flac`, { maxBytes: 512 * 1024 })
    expect((await readAudioTag(source)).readable).toBe('train-ai=n')
    await expect(audioEssence(source)).rejects.toBeInstanceOf(LimitExceededError)
    expect(source.bytesFetched).toBeLessThanOrEqual(512 * 1024)
  })

  it('falls back to one download when the size is unknown (Content-Range */*)', async () => {
    reset()
    const source = await fromUrl(`${base}/unknown-size/a.flac`)
    expect(source.ranged).toBe(false)
    expect((await readAudioTag(source)).readable).toBe('train-ai=n')
    expect(source.size).toBe(file.length)
  })

  it('detects a resource that changes between Range requests (If-Range)', async () => {
    const source = await fromUrl(`${base}/changing/a.flac`)
    const e = await audioEssence(source).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UrlFetchError)
    expect((e as UrlFetchError).message).toMatch(/changed/)
  })

  it('reports HTTP errors and empty resources', async () => {
    const e = await fromUrl(`${base}/missing/a.flac`).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UrlFetchError)
    expect((e as UrlFetchError).status).toBe(404)
    expect((await fromUrl(`${base}/range/empty`)).size).toBe(0)
    await expect(fromUrl('ftp://127.0.0.1/a.flac')).rejects.toThrow(/http and https/)
  })

  it('caches small reads in blocks: reading the same header twice costs one request', async () => {
    const source = await fromUrl(`${base}/range/a.flac`)
    const before = source.requests
    const a = await source.read(200_000, 100)
    const b = await source.read(200_050, 100)
    expect(source.requests).toBe(before + 1)
    expect(a).toEqual(file.subarray(200_000, 200_100))
    expect(b).toEqual(file.subarray(200_050, 200_150))
    // A read that spans two blocks, one cached and one not, fetches only the missing one.
    const c = await source.read(URL_SOURCE_LIMITS.blockBytes * 4 - 10, 20)
    expect(c).toEqual(file.subarray(URL_SOURCE_LIMITS.blockBytes * 4 - 10, URL_SOURCE_LIMITS.blockBytes * 4 + 10))
    expect(source.requests).toBe(before + 2)
  })
})
