import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WELL_KNOWN } from '../src/constants.js'
import { KeyResolutionError, createKeyResolver, type KeyResolverOptions } from '../src/sign/keys/index.js'
import { atWellKnown, countingFetch, ed25519Jwk, fakeClock, fakeKeyv, jwksAnswer, startServer, type TestServer } from './keys-fixtures.js'

let server: TestServer
let issuer: string
let keysUrl: string

beforeAll(async () => {
  server = await startServer()
  issuer = server.origin
  keysUrl = issuer + WELL_KNOWN.keys
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
})

const A = ed25519Jwk('a')
const B = ed25519Jwk('b')

function resolver(extra: KeyResolverOptions = {}) {
  const counter = countingFetch()
  const clock = fakeClock()
  const r = createKeyResolver({ allowHttpLoopback: true, fetch: counter.fetch, now: clock.now, ...extra })
  return { r, urls: counter.urls, clock }
}

describe('createKeyResolver', () => {
  it('finds a key at the well-known URL of the issuer and records where', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
    const { r, urls } = resolver({ userAgent: 'noai-test/1' })
    const res = await r.lookup(issuer, 'a')
    expect(res).toEqual({ found: true, key: { issuer, kid: 'a', jwk: { kty: 'OKP', crv: 'Ed25519', x: A.x }, status: 'active', source: keysUrl } })
    expect(urls).toEqual([keysUrl])
    expect(server.requests[0]!.headers['user-agent']).toBe('noai-test/1')
    expect(server.requests[0]!.headers['accept']).toContain('application/jwk-set+json')
    expect(server.requests[0]!.headers['cookie']).toBeUndefined()
  })

  it('accepts application/json with parameters', async () => {
    server.answer = atWellKnown({ status: 200, headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, body: { keys: [A] } })
    expect((await resolver().r.lookup(issuer, 'a')).found).toBe(true)
  })

  it('makes zero requests with a warm cache (performance: count them)', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A, B] }))
    const { r, urls, clock } = resolver()
    expect((await r.lookup(issuer, 'a')).found).toBe(true)
    expect(urls).toHaveLength(1)
    for (let i = 0; i < 200; i++) {
      clock.advance(2_000) // 400 s in all: still within the default 10 min freshness
      const res = await r.lookup(issuer, i % 2 ? 'a' : 'b')
      expect(res.found).toBe(true)
    }
    expect(urls).toHaveLength(1)
    expect(server.requests).toHaveLength(1)
  })

  it('shares one fetch among concurrent lookups', async () => {
    server.answer = atWellKnown({ ...jwksAnswer({ keys: [A, B] }), delayMs: 50 })
    const { r, urls } = resolver()
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => r.lookup(issuer, i % 2 ? 'a' : 'b')))
    expect(results.every((x) => x.found)).toBe(true)
    expect(urls).toHaveLength(1)
  })

  describe('Cache-Control', () => {
    async function fetchesAt(cacheControl: string | undefined, times: number[], extra: KeyResolverOptions = {}): Promise<number[]> {
      server.answer = atWellKnown(jwksAnswer({ keys: [A] }, cacheControl === undefined ? {} : { 'Cache-Control': cacheControl }))
      const { r, urls, clock } = resolver(extra)
      const counts: number[] = []
      let t = 0
      for (const at of times) {
        clock.advance(at - t)
        t = at
        expect((await r.lookup(issuer, 'a')).found).toBe(true)
        counts.push(urls.length)
      }
      return counts
    }

    it('honours max-age', async () => {
      expect(await fetchesAt('public, max-age=120', [0, 119_999, 120_000, 239_999, 240_000])).toEqual([1, 1, 2, 2, 3])
    })
    it('subtracts Age', async () => {
      server.answer = atWellKnown(jwksAnswer({ keys: [A] }, { 'Cache-Control': 'max-age=300', Age: '200' }))
      const { r, urls, clock } = resolver()
      await r.lookup(issuer, 'a')
      clock.advance(99_999)
      await r.lookup(issuer, 'a')
      expect(urls).toHaveLength(1)
      clock.advance(1)
      await r.lookup(issuer, 'a')
      expect(urls).toHaveLength(2)
    })
    it('clamps a short max-age to the lower bound', async () => {
      expect(await fetchesAt('max-age=5', [0, 59_999, 60_000])).toEqual([1, 1, 2])
      expect(await fetchesAt('max-age=5', [0, 9_999, 10_000], { minTtlMs: 10_000 })).toEqual([1, 1, 2])
    })
    it('clamps a long max-age to the upper bound', async () => {
      expect(await fetchesAt('max-age=31536000', [0, 86_399_999, 86_400_000])).toEqual([1, 1, 2])
      expect(await fetchesAt('max-age=31536000', [0, 3_599_999, 3_600_000], { maxTtlMs: 3_600_000 })).toEqual([1, 1, 2])
    })
    it('uses the default without max-age', async () => {
      expect(await fetchesAt(undefined, [0, 599_999, 600_000])).toEqual([1, 1, 2])
      expect(await fetchesAt('public', [0, 599_999, 600_000])).toEqual([1, 1, 2])
    })
    it('keeps no-store, no-cache, max-age=0 and malformed max-age for the lower bound', async () => {
      for (const cc of ['no-store', 'no-cache, max-age=3600', 'max-age=0', 'max-age=abc', 'max-age=100, max-age=200']) {
        expect(await fetchesAt(cc, [0, 59_999, 60_000])).toEqual([1, 1, 2])
      }
    })
  })

  it('refetches for an unknown kid at most once per cooldown', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
    const { r, urls, clock } = resolver()
    await r.lookup(issuer, 'a')
    expect(urls).toHaveLength(1)
    // Right after a fetch, an unknown kid does not refetch.
    expect(await r.lookup(issuer, 'x')).toMatchObject({ found: false, failure: 'key-not-found' })
    expect(urls).toHaveLength(1)
    clock.advance(30_000)
    expect(await r.lookup(issuer, 'x')).toMatchObject({ found: false, failure: 'key-not-found' })
    expect(urls).toHaveLength(2)
    for (const kid of ['y', 'z', 'x', 'w']) {
      clock.advance(5_000)
      expect((await r.lookup(issuer, kid)).found).toBe(false)
    }
    expect(urls).toHaveLength(2)
    clock.advance(10_000)
    await r.lookup(issuer, 'q')
    expect(urls).toHaveLength(3)
    expect(new Set(urls)).toEqual(new Set([keysUrl]))
  })

  it('picks up a rotation: new key found after a refetch, old key now retired', async () => {
    let set: object = { keys: [A] }
    server.answer = atWellKnown(() => jwksAnswer(set))
    const { r, urls, clock } = resolver()
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: true, key: { status: 'active' } })
    set = { keys: [{ ...A, noai_status: 'retired' }, B] }
    clock.advance(30_000)
    expect(await r.lookup(issuer, 'b')).toMatchObject({ found: true, key: { kid: 'b', status: 'active' } })
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: true, key: { kid: 'a', status: 'retired' } })
    expect(urls).toHaveLength(2)
  })

  it('returns retired and revoked keys with their status', async () => {
    server.answer = atWellKnown(
      jwksAnswer({ keys: [{ ...A, noai_status: 'retired' }, { ...B, noai_status: 'revoked', noai_revoked_at: '2026-05-01T00:00:00Z' }] }),
    )
    const { r } = resolver()
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: true, key: { status: 'retired' } })
    const b = await r.lookup(issuer, 'b')
    expect(b).toMatchObject({ found: true, key: { status: 'revoked', revokedAt: '2026-05-01T00:00:00Z' } })
  })

  it('sees a revocation once the cached set expires', async () => {
    let set: object = { keys: [A] }
    server.answer = atWellKnown(() => jwksAnswer(set, { 'Cache-Control': 'max-age=60' }))
    const { r, clock } = resolver()
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: true, key: { status: 'active' } })
    set = { keys: [{ ...A, noai_status: 'revoked', noai_revoked_at: '2026-05-01T00:00:00Z' }] }
    clock.advance(60_000)
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: true, key: { status: 'revoked' } })
  })

  it('reports HTTP errors as key-set-unavailable and retries only after the failure cooldown', async () => {
    server.answer = atWellKnown({ status: 500, body: 'oops' })
    const { r, urls, clock } = resolver()
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable', detail: expect.stringContaining('HTTP 500') })
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable' })
    expect(urls).toHaveLength(1)
    clock.advance(30_000)
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
    expect((await r.lookup(issuer, 'a')).found).toBe(true)
    expect(urls).toHaveLength(2)
  })

  it('reports 404 as key-set-unavailable', async () => {
    server.answer = () => ({ status: 404, body: 'no' })
    expect(await resolver().r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable' })
  })

  it('serves a stale set when a refetch fails, up to maxStaleMs', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }, { 'Cache-Control': 'max-age=60' }))
    const { r, urls, clock } = resolver({ maxStaleMs: 120_000, failureCooldownMs: 0 })
    await r.lookup(issuer, 'a')
    server.answer = atWellKnown({ status: 503, body: 'down' })
    clock.advance(60_000)
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: true, key: { kid: 'a' } })
    expect(urls).toHaveLength(2)
    clock.advance(119_999)
    expect((await r.lookup(issuer, 'a')).found).toBe(true)
    clock.advance(1)
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable' })
  })

  it('does not use a stale set with maxStaleMs 0', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }, { 'Cache-Control': 'max-age=60' }))
    const { r, clock } = resolver({ maxStaleMs: 0 })
    await r.lookup(issuer, 'a')
    server.answer = atWellKnown({ status: 503, body: 'down' })
    clock.advance(60_000)
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable' })
  })

  it('times out a server that never answers, within the timeout', async () => {
    server.answer = atWellKnown({ hang: true })
    const { r } = resolver({ timeoutMs: 300 })
    const started = performance.now()
    const res = await r.lookup(issuer, 'a')
    const took = performance.now() - started
    expect(res).toMatchObject({ found: false, failure: 'key-set-unavailable', detail: expect.stringContaining('within 300 ms') })
    expect(took).toBeGreaterThanOrEqual(290)
    expect(took).toBeLessThan(1500)
  })

  it('times out a body that stalls half-way', async () => {
    server.answer = atWellKnown({ ...jwksAnswer({ keys: [A] }), headers: { 'Content-Type': 'application/json', 'Content-Length': '100000' } })
    const { r } = resolver({ timeoutMs: 300, maxBytes: 200_000 })
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable' })
  })

  it('times out a fetch function that ignores its signal', async () => {
    const r = createKeyResolver({ allowHttpLoopback: true, timeoutMs: 100, fetch: () => new Promise<Response>(() => undefined) })
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable' })
  })

  it('reports network errors as key-set-unavailable', async () => {
    const closed = await startServer()
    await closed.close()
    const r = createKeyResolver({ allowHttpLoopback: true })
    expect(await r.lookup(closed.origin, 'a')).toMatchObject({ found: false, failure: 'key-set-unavailable' })
  })

  it('reports invalid JSON and invalid sets as key-set-invalid', async () => {
    for (const body of ['{"keys": [', '\uFEFF{"keys":[]}', '{"keys":[],"keys":[]}', JSON.stringify({ keys: [{ ...A, d: 'x' }] }), '[]']) {
      server.answer = atWellKnown({ status: 200, headers: { 'Content-Type': 'application/json' }, body })
      expect(await resolver().r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-invalid' })
    }
    server.answer = atWellKnown({ status: 200, headers: { 'Content-Type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0x7d]) })
    expect(await resolver().r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-invalid' })
  })

  it('reports a 2xx other than 200 as key-set-invalid', async () => {
    server.answer = atWellKnown({ status: 204 })
    expect(await resolver().r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-invalid' })
  })

  it('follows same-origin redirects, at most 3', async () => {
    server.answer = (path) => {
      const hop = /^\/hop(\d)$/.exec(path)
      if (path === WELL_KNOWN.keys) return { status: 302, headers: { Location: '/hop1' } }
      if (hop && Number(hop[1]) < 3) return { status: 307, headers: { Location: `${issuer}/hop${Number(hop[1]) + 1}` } }
      if (path === '/hop3') return jwksAnswer({ keys: [A] })
      return { status: 404 }
    }
    const { r, urls } = resolver()
    const res = await r.lookup(issuer, 'a')
    expect(res).toMatchObject({ found: true, key: { source: `${issuer}/hop3` } })
    expect(urls).toEqual([keysUrl, `${issuer}/hop1`, `${issuer}/hop2`, `${issuer}/hop3`])
  })

  it('bounds a redirect loop', async () => {
    server.answer = () => ({ status: 301, headers: { Location: WELL_KNOWN.keys } })
    const { r, urls } = resolver()
    expect(await r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-invalid', detail: expect.stringContaining('more than 3 redirects') })
    expect(urls).toHaveLength(4)
  })

  it('rejects a redirect without Location', async () => {
    server.answer = atWellKnown({ status: 302 })
    expect(await resolver().r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-invalid' })
  })

  it('rejects the lookup when the caller aborts, and the shared fetch still fills the cache', async () => {
    server.answer = atWellKnown({ ...jwksAnswer({ keys: [A] }), delayMs: 100 })
    const { r, urls } = resolver()
    const controller = new AbortController()
    const pending = r.lookup(issuer, 'a', { signal: controller.signal })
    const other = r.lookup(issuer, 'a')
    setTimeout(() => controller.abort(new Error('caller gave up')), 10)
    await expect(pending).rejects.toThrow('caller gave up')
    expect((await other).found).toBe(true)
    expect((await r.lookup(issuer, 'a')).found).toBe(true)
    expect(urls).toHaveLength(1)
    await expect(r.lookup(issuer, 'a', { signal: AbortSignal.abort() })).rejects.toThrow()
  })

  describe('pluggable store', () => {
    it('keeps plain JSON in the store and reuses it across resolvers (shared cache)', async () => {
      server.answer = atWellKnown(jwksAnswer({ keys: [A, { ...B, noai_status: 'retired' }] }, { 'Cache-Control': 'max-age=300' }))
      const keyv = fakeKeyv()
      const setValues: unknown[] = []
      const store = {
        get: keyv.store.get,
        delete: keyv.store.delete,
        set: (k: string, v: unknown, ttl?: number) => {
          setValues.push(v)
          return keyv.store.set(k, v, ttl)
        },
      }
      const clock = fakeClock()
      const one = countingFetch()
      const r1 = createKeyResolver({ allowHttpLoopback: true, store, fetch: one.fetch, now: clock.now, maxStaleMs: 1000 })
      expect((await r1.lookup(issuer, 'a')).found).toBe(true)
      expect(setValues).toHaveLength(1)
      expect(JSON.parse(JSON.stringify(setValues[0]))).toStrictEqual(setValues[0])
      expect([...keyv.map.keys()]).toEqual([`noai-tag:jwks:${issuer}`])
      expect(keyv.ttls.get(`noai-tag:jwks:${issuer}`)).toBe(301_000)
      // A second worker with the same store makes no request.
      const two = countingFetch()
      const r2 = createKeyResolver({ allowHttpLoopback: true, store, fetch: two.fetch, now: clock.now })
      expect(await r2.lookup(issuer, 'b')).toMatchObject({ found: true, key: { status: 'retired', source: keysUrl } })
      expect(two.urls).toHaveLength(0)
    })

    it('ignores a corrupt or foreign store entry and refetches', async () => {
      server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
      const keyv = fakeKeyv()
      const clock = fakeClock()
      const forged = { v: 1, source: 'https://evil.example/jwks.json', jwks: { keys: [A] }, fetchedAt: clock.now(), freshUntil: clock.now() + 1e9, staleUntil: clock.now() + 1e9 }
      await keyv.store.set(`noai-tag:jwks:${issuer}`, forged)
      const c = countingFetch()
      const r = createKeyResolver({ allowHttpLoopback: true, store: keyv.store, fetch: c.fetch, now: clock.now })
      expect(await r.lookup(issuer, 'a')).toMatchObject({ found: true, key: { source: keysUrl } })
      expect(c.urls).toHaveLength(1)
      await keyv.store.set(`noai-tag:jwks:${issuer}`, { v: 1, junk: true })
      clock.advance(1)
      expect((await r.lookup(issuer, 'a')).found).toBe(true)
    })

    it('rejects with KeyResolutionError when the store fails', async () => {
      server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
      const store = { get: () => Promise.reject(new Error('redis down')), set: () => true, delete: () => true }
      const r = createKeyResolver({ allowHttpLoopback: true, store })
      await expect(r.lookup(issuer, 'a')).rejects.toBeInstanceOf(KeyResolutionError)
    })

    it('uses a custom key prefix', async () => {
      server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
      const keyv = fakeKeyv()
      await createKeyResolver({ allowHttpLoopback: true, store: keyv.store, storeKeyPrefix: 'x:' }).lookup(issuer, 'a')
      expect([...keyv.map.keys()]).toEqual([`x:${issuer}`])
    })
  })

  it('checks its options', () => {
    expect(() => createKeyResolver({ timeoutMs: 0 })).toThrow()
    expect(() => createKeyResolver({ maxBytes: -1 })).toThrow()
    expect(() => createKeyResolver({ minTtlMs: 10, maxTtlMs: 5 })).toThrow()
    expect(() => createKeyResolver({ store: {} as never })).toThrow()
    expect(() => createKeyResolver({ unknownKidCooldownMs: Number.NaN })).toThrow()
    expect(() => createKeyResolver({ maxTtlMs: Infinity })).toThrow()
    expect(() => createKeyResolver({ minTtlMs: 0 })).toThrow()
  })
})
