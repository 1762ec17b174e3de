// verifyTag (docs/spec.md §13.6-§13.9): states, codes, options, binding, key sources.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError } from '../src/index.js'
import { CODE_DESCRIPTIONS, INVALIDATING_CODES, SIGN_LIMITS, VERIFY_CODES, createStaticKeyResolver, signTag, verifyTag, type KeyResolver } from '../src/sign.js'
import { DIGEST_A, ISSUER, ISSUER_KEYS, NOW, TAG, b64, craft, header, parts, join, privateJwk, tagWith } from './sign-fixtures.js'

const sign = (tag = TAG, kid = 'test-ed25519') => signTag(tag, privateJwk(kid))
const verify = (jws: string, extra: Parameters<typeof verifyTag>[1] = {}) => verifyTag(jws, { keys: ISSUER_KEYS, now: NOW, ...extra })

describe('codes', () => {
  it('are kebab-case, unique, described, and split into invalidating and information', () => {
    const codes = Object.values(VERIFY_CODES)
    expect(new Set(codes).size).toBe(codes.length)
    for (const c of codes) expect(c).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    expect(Object.keys(CODE_DESCRIPTIONS).sort()).toEqual([...codes].sort())
    expect(codes.filter((c) => !INVALIDATING_CODES.has(c)).sort()).toEqual(['binding-not-checked', 'issuer-untrusted', 'key-retired'])
  })
})

describe('the spec table of codes (docs/spec.md §13.9)', () => {
  // The draft until the lead merges it into docs/spec.md; then the spec itself.
  const spec = new URL('../docs/spec.md', import.meta.url)
  const draft = new URL('../docs/drafts/spec-13-signing.md', import.meta.url)
  const specText = readFileSync(spec, 'utf8')
  const text = specText.includes('### 13.9.') || !existsSync(draft) ? specText : readFileSync(draft, 'utf8')
  const section = text.slice(text.indexOf('### 13.9.'))

  it('lists every code once, with the effect the code has', () => {
    const rows = [...section.matchAll(/^\| `([a-z0-9-]+)` \| (invalidating|information) \|/gm)].map((m) => [m[1], m[2]])
    expect(rows.map(([c]) => c).sort()).toEqual(Object.values(VERIFY_CODES).sort())
    for (const [code, effect] of rows) expect(effect).toBe(INVALIDATING_CODES.has(code as never) ? 'invalidating' : 'information')
  })
})

describe('states', () => {
  it('valid: signature holds, no trust list, no binding asked; the result names issuer, kid, alg and the tag', async () => {
    const r = await verify(await sign())
    expect(r).toEqual({ state: 'valid', codes: ['binding-not-checked', 'issuer-untrusted'], binding: 'not-checked', issuer: ISSUER, kid: 'test-ed25519', alg: 'Ed25519', tag: TAG })
  })

  it('trusted needs both a trusted issuer and a checked binding', async () => {
    const jws = await sign()
    expect((await verify(jws, { trust: [ISSUER] })).state).toBe('valid')
    expect((await verify(jws, { url: 'https://issuer.example/track/1' })).state).toBe('valid')
    expect((await verify(jws, { trust: [ISSUER], url: 'https://issuer.example/track/1' })).state).toBe('trusted')
  })

  it('trust entries are compared as origins', async () => {
    const r = await verify(await sign(), { trust: ['https://ISSUER.example:443/some/path'], essence: { format: 'flac', sha256: DIGEST_A.toUpperCase() } })
    expect(r).toMatchObject({ state: 'trusted', codes: [], binding: 'checked' })
  })

  it('a retired key gives valid (or trusted) with key-retired', async () => {
    const r = await verify(await sign(TAG, 'test-ed25519-retired'), { trust: [ISSUER], url: 'https://issuer.example/track/1' })
    expect(r).toMatchObject({ state: 'trusted', codes: ['key-retired'] })
  })

  it('returns the tag only once the signature holds', async () => {
    const { header: h, payload: p, signature: s } = parts(await sign())
    s[0] = s[0]! ^ 1
    expect((await verify(join(h, p, s))).tag).toBeUndefined()
    expect((await verify(await sign(tagWith({ issued: '2025-01-01T00:00:00Z', expires: '2025-06-01T00:00:00Z' })))).tag).toBeDefined()
  })
})

describe('time', () => {
  it('applies the clock tolerance (default 300 s) to issued and expires', async () => {
    const soon = await sign(tagWith({ issued: '2026-06-01T00:04:00Z' }))
    expect((await verify(soon)).state).toBe('valid')
    expect((await verify(soon, { clockTolerance: 0 })).codes).toContain('tag-not-yet-valid')
    const ended = await sign(tagWith({ issued: '2025-01-01T00:00:00Z', expires: '2026-05-31T23:57:00Z' }))
    expect((await verify(ended)).state).toBe('valid')
    expect((await verify(ended, { clockTolerance: 60 })).codes).toContain('tag-expired')
  })

  it('reads a leap second in expires (which Date.parse cannot)', async () => {
    const jws = await sign(tagWith({ issued: '2016-01-01T00:00:00Z', expires: '2016-12-31T23:59:60Z' }))
    expect((await verify(jws)).codes[0]).toBe('tag-expired')
  })
})

describe('binding', () => {
  const check = async (url: string, subject: Record<string, unknown>) =>
    (await verify(await sign(tagWith({ subject })), { url, trust: [ISSUER] })).codes

  it('matches subject.urls after URL normalisation, ignoring fragments', async () => {
    expect(await check('HTTPS://Issuer.Example:443/track/1#intro', { urls: ['https://issuer.example/track/1'] })).toEqual([])
    expect(await check('https://issuer.example/track/1?x=1', { urls: ['https://issuer.example/track/1'] })).toEqual(['url-not-covered'])
    expect(await check('https://issuer.example/a%2fb/./c', { urls: ['https://issuer.example/a%2Fb/c'] })).toEqual([])
    expect(await check('https://issuer.example/a%2fb/x', { urlPatterns: ['https://issuer.example/a%2Fb/'] })).toEqual([])
  })

  it('matches subject.urlPatterns robots.txt-style: prefix, * and a final $', async () => {
    const patterns = { urlPatterns: ['https://issuer.example/album/*/track-*.mp3$', 'https://issuer.example/free/'] }
    expect(await check('https://issuer.example/album/7/track-2.mp3', patterns)).toEqual([])
    expect(await check('https://issuer.example/album/7/track-2.mp3?dl=1', patterns)).toEqual(['url-not-covered'])
    expect(await check('https://issuer.example/free/anything/below', patterns)).toEqual([])
    expect(await check('https://issuer.example/freedom', patterns)).toEqual(['url-not-covered'])
  })

  it('never lets a pattern reach another host or port', async () => {
    const patterns = { urlPatterns: ['https://issuer.example'] }
    expect(await check('https://issuer.example/x', patterns)).toEqual([])
    expect(await check('https://issuer.example.attacker.example/x', patterns)).toEqual(['url-not-covered'])
    expect(await check('https://issuer.example:8443/x', patterns)).toEqual(['url-not-covered'])
    expect(await check('http://issuer.example/x', patterns)).toEqual(['url-not-covered'])
  })

  it('is not possible when the tag names no content of the kind checked (a copied self-only tag)', async () => {
    const jws = await sign(tagWith({ subject: { self: true } }))
    expect((await verify(jws, { url: 'https://issuer.example/track/1' })).codes).toEqual(['binding-not-possible', 'issuer-untrusted'])
    expect((await verify(jws, { essence: { format: 'flac', sha256: DIGEST_A } })).codes).toEqual(['binding-not-possible', 'issuer-untrusted'])
    expect((await verify(jws, { trust: [ISSUER] })).codes).toEqual(['binding-not-checked'])
  })

  it('requires the essence format to match too', async () => {
    expect((await verify(await sign(), { essence: { format: 'mp3', sha256: DIGEST_A } })).codes).toEqual(['content-hash-mismatch', 'issuer-untrusted'])
  })

  it('handles a hostile pattern in linear time', async () => {
    const pattern = `https://issuer.example/${'*a'.repeat(900)}b`
    const url = `https://issuer.example/${'a'.repeat(1900)}`
    const start = performance.now()
    expect(await check(url, { urlPatterns: [pattern] })).toEqual(['url-not-covered'])
    expect(performance.now() - start).toBeLessThan(2000)
  })
})

describe('key sources', () => {
  it('finds keys through a resolver (here the static one from key discovery)', async () => {
    const resolver = createStaticKeyResolver(ISSUER_KEYS)
    expect((await verifyTag(await sign(TAG, 'test-es256'), { resolver, now: NOW })).state).toBe('valid')
  })

  it('searches the given keys before the resolver', async () => {
    let calls = 0
    const resolver: KeyResolver = { lookup: async () => (calls++, { found: false, failure: 'key-not-found', detail: '' }) }
    expect((await verifyTag(await sign(), { keys: ISSUER_KEYS, resolver, now: NOW })).state).toBe('valid')
    expect(calls).toBe(0)
  })

  it.each([
    ['key-set-unavailable', 'key-set-unavailable'],
    ['key-set-invalid', 'key-set-invalid'],
    ['issuer-not-allowed', 'issuer-not-allowed'],
    ['key-not-found', 'key-not-found'],
  ] as const)('maps the resolver failure %s to the code %s, with its detail', async (failure, code) => {
    const resolver: KeyResolver = { lookup: async () => ({ found: false, failure, detail: 'why' }) }
    expect(await verifyTag(await sign(), { resolver, now: NOW })).toMatchObject({ state: 'invalid', codes: [code], detail: 'why' })
  })

  it('treats a resolver that throws as key-set-unavailable, but propagates an abort', async () => {
    const throwing: KeyResolver = { lookup: async () => Promise.reject(new Error('store down')) }
    expect((await verifyTag(await sign(), { resolver: throwing, now: NOW })).codes).toEqual(['key-set-unavailable'])
    const controller = new AbortController()
    const aborting: KeyResolver = {
      lookup: async (_i, _k, o) => {
        controller.abort()
        o?.signal?.throwIfAborted()
        return { found: false, failure: 'key-not-found', detail: '' }
      },
    }
    await expect(verifyTag(await sign(), { resolver: aborting, signal: controller.signal, now: NOW })).rejects.toThrow()
  })

  it('reports a key without a JWK object as key-invalid', async () => {
    const keys = ISSUER_KEYS.map((k) => (k.kid === 'test-ed25519' ? { ...k, jwk: null as unknown as JsonWebKey } : k))
    expect((await verifyTag(await sign(), { keys, now: NOW })).codes).toEqual(['key-invalid'])
  })

  it('rejects a key whose own alg, use or key_ops do not fit', async () => {
    const jws = await sign()
    for (const extra of [{ alg: 'ES256' }, { use: 'enc' }, { key_ops: ['sign'] }]) {
      const keys = ISSUER_KEYS.map((k) => (k.kid === 'test-ed25519' ? { ...k, jwk: { ...k.jwk, ...extra } } : k))
      expect((await verifyTag(jws, { keys, now: NOW })).codes).toEqual(['alg-key-mismatch'])
    }
  })
})

describe('malformed tokens', () => {
  it.each([
    ['one part', 'abc', 'token-malformed'],
    ['four parts', 'a.b.c.d', 'token-malformed'],
    ['an empty payload', 'eyJ9..sig', 'token-malformed'],
    ['whitespace', 'eyJh bGc.e30.AA', 'encoding-non-canonical'],
    ['a header that is an array', `${b64('[1]')}.${b64('{}')}.AA`, 'header-malformed'],
    ['a header that is not UTF-8', `${b64(new Uint8Array([0xff, 0xfe]))}.${b64('{}')}.AA`, 'header-malformed'],
    ['a header with duplicate names', `${b64('{"alg":"none","alg":"Ed25519","typ":"noai-tag+jws","kid":"k"}')}.${b64('{}')}.AA`, 'header-malformed'],
    ['a header over 2048 characters', `${b64(JSON.stringify({ ...header('test-ed25519'), p: 'x'.repeat(1600) }))}.${b64('{}')}.AA`, 'token-too-large'],
  ])('%s gives %s', async (_label, jws, code) => {
    expect((await verify(jws)).codes).toEqual([code])
  })

  it('rejects a payload that is not UTF-8, or is nested deeper than 32', async () => {
    expect((await verify(await craft(header('test-ed25519'), '\u00ff', 'test-ed25519'))).codes).toEqual(['payload-not-json'])
    const bad = `${b64(JSON.stringify(header('test-ed25519')))}.${b64(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]))}.AA`
    expect((await verify(bad)).codes).toEqual(['payload-not-json'])
    const deep = `${'['.repeat(33)}${']'.repeat(33)}`
    expect((await verify(await craft(header('test-ed25519'), deep, 'test-ed25519'))).codes).toEqual(['payload-not-json'])
  })

  it('rejects a payload over SIGN_LIMITS.maxPayloadBytes', async () => {
    const jws = await craft(header('test-ed25519'), ' '.repeat(SIGN_LIMITS.maxPayloadBytes + 3), 'test-ed25519')
    expect((await verify(jws)).codes).toEqual(['token-too-large'])
  })

  it('rejects an ES256 signature of the wrong length', async () => {
    const [h, p] = (await sign(TAG, 'test-es256')).split('.')
    expect((await verify(`${h}.${p}.${b64(new Uint8Array(72))}`)).codes).toEqual(['signature-mismatch'])
  })

  it('reports every header finding at once', async () => {
    const jws = await craft({ alg: 'HS256', typ: 'JWT', kid: 'a/b', crit: ['b64'], b64: false, jku: 'https://x.example' }, TAG, 'test-ed25519')
    expect((await verify(jws)).codes).toEqual(['alg-not-allowed', 'header-typ-invalid', 'kid-invalid', 'header-crit-unsupported', 'header-b64-not-allowed', 'header-key-material-not-allowed'])
  })
})

describe('options', () => {
  it.each([
    ['no keys and no resolver', { keys: undefined }],
    ['a negative clock tolerance', { clockTolerance: -1 }],
    ['an invalid date', { now: new Date('x') }],
    ['a digest that is not hex', { essence: { format: 'flac', sha256: 'xyz' } }],
    ['a relative URL', { url: '/track/1' }],
    ['a trust entry that is not an origin', { trust: ['issuer.example'] }],
  ])('throws InvalidArgumentError for %s', async (_label, extra) => {
    await expect(verifyTag(await sign(), { keys: ISSUER_KEYS, now: NOW, ...extra })).rejects.toThrow(InvalidArgumentError)
  })

  it('throws for a jws that is not a string, never for a bad string', async () => {
    await expect(verifyTag(42 as unknown as string, { keys: ISSUER_KEYS })).rejects.toThrow(InvalidArgumentError)
    for (const junk of ['', '.', '..', '...', '\u0000', 'x'.repeat(100_000), '🎵.🎵.🎵']) {
      expect((await verify(junk)).state).toBe('invalid')
    }
  })
})
