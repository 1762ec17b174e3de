import { describe, expect, it } from 'vitest'
import { isNoaiTagError } from '../src/errors.js'
import {
  KEY_SET_LIMITS,
  KeyResolutionError,
  createMemoryKeySetStore,
  createStaticKeyResolver,
  keySetDocument,
  keySetHeaders,
  parseKeySet,
} from '../src/sign/keys/index.js'
import { ed25519Jwk, fakeClock, p256Jwks } from './keys-fixtures.js'

const ISSUER = 'https://music.example'
const SOURCE = 'https://music.example/.well-known/noai-tag/jwks.json'

function parseError(json: unknown): KeyResolutionError {
  try {
    parseKeySet(json, ISSUER, SOURCE)
  } catch (e) {
    expect(e).toBeInstanceOf(KeyResolutionError)
    expect(isNoaiTagError(e) && e.code).toBe('ERR_NOAI_KEY_RESOLUTION')
    return e as KeyResolutionError
  }
  throw new Error('parseKeySet accepted the set')
}

describe('parseKeySet', () => {
  it('reads Ed25519 and P-256 keys with their states', () => {
    const a = ed25519Jwk('a')
    const b = p256Jwks('b').publicJwk
    const keys = parseKeySet(
      {
        keys: [
          { ...a, alg: 'EdDSA', use: 'sig' },
          { ...b, alg: 'ES256', noai_status: 'retired' },
          { ...ed25519Jwk('c'), noai_status: 'revoked', noai_revoked_at: '2026-03-01T00:00:00Z' },
        ],
      },
      ISSUER,
      SOURCE,
    )
    expect(keys.map((k) => [k.kid, k.status, k.revokedAt])).toEqual([
      ['a', 'active', undefined],
      ['b', 'retired', undefined],
      ['c', 'revoked', '2026-03-01T00:00:00Z'],
    ])
    expect(keys[0]).toEqual({ issuer: ISSUER, kid: 'a', jwk: { kty: 'OKP', crv: 'Ed25519', x: a.x, alg: 'EdDSA' }, status: 'active', source: SOURCE })
    expect(keys[1]!.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: b.x, y: b.y, alg: 'ES256' })
    expect(Object.isFrozen(keys[0])).toBe(true)
    expect(Object.isFrozen(keys[0]!.jwk)).toBe(true)
  })

  it('treats a revocation time as revocation whatever noai_status says (revocation wins)', () => {
    const [k] = parseKeySet({ keys: [{ ...ed25519Jwk('a'), noai_status: 'retired', noai_revoked_at: '2026-03-01T00:00:00Z' }] }, ISSUER, SOURCE)
    expect(k!.status).toBe('revoked')
    // The time is informational: a revoked key without a usable time stays revoked.
    const [m] = parseKeySet({ keys: [{ ...ed25519Jwk('m'), noai_status: 'revoked', noai_revoked_at: 'yesterday' }] }, ISSUER, SOURCE)
    expect(m!.status).toBe('revoked')
    expect(m!.revokedAt).toBeUndefined()
    const [n] = parseKeySet({ keys: [{ ...ed25519Jwk('n'), noai_status: 'revoked' }] }, ISSUER, SOURCE)
    expect(n!.status).toBe('revoked')
  })

  it('skips keys that are not signature keys or have an unknown state', () => {
    const keys = parseKeySet(
      {
        keys: [
          { ...ed25519Jwk('enc'), use: 'enc' },
          { ...ed25519Jwk('ops'), key_ops: ['encrypt'] },
          { ...ed25519Jwk('future'), noai_status: 'suspended' },
          { ...ed25519Jwk('ok'), key_ops: ['verify'] },
        ],
      },
      ISSUER,
      SOURCE,
    )
    expect(keys.map((k) => k.kid)).toEqual(['ok'])
  })

  it.each([
    ['d', { d: 'AAAA' }],
    ['p', { p: 'AAAA' }],
    ['q', { q: 'AAAA' }],
    ['dp', { dp: 'AAAA' }],
    ['dq', { dq: 'AAAA' }],
    ['qi', { qi: 'AAAA' }],
    ['k', { k: 'AAAA' }],
  ])('rejects a key with the private member %s', (name, extra) => {
    expect(parseError({ keys: [{ ...ed25519Jwk('a'), ...extra }] }).message).toContain(`private key member "${name}"`)
  })

  it('rejects a real private P-256 JWK', () => {
    expect(parseError({ keys: [p256Jwks('a').privateJwk] }).message).toContain('"d"')
  })

  it('rejects duplicate kids', () => {
    expect(parseError({ keys: [ed25519Jwk('a'), ed25519Jwk('a')] }).message).toContain('repeats the kid "a"')
    // Even when one of them would be skipped.
    expect(() => parseKeySet({ keys: [{ ...ed25519Jwk('a'), use: 'enc' }, ed25519Jwk('a')] }, ISSUER, SOURCE)).toThrow(KeyResolutionError)
  })

  it.each([
    ['RSA', { kty: 'RSA', n: 'AQAB', e: 'AQAB' }],
    ['oct', { kty: 'oct' }],
    ['X25519', { kty: 'OKP', crv: 'X25519', x: ed25519Jwk('x').x }],
    ['Ed448', { kty: 'OKP', crv: 'Ed448', x: ed25519Jwk('x').x }],
    ['P-384', { kty: 'EC', crv: 'P-384', x: ed25519Jwk('x').x, y: ed25519Jwk('x').x }],
    ['secp256k1', { kty: 'EC', crv: 'secp256k1', x: ed25519Jwk('x').x, y: ed25519Jwk('x').x }],
  ])('rejects unsupported key type %s', (_name, jwk) => {
    expect(() => parseKeySet({ keys: [{ ...jwk, kid: 'a' }] }, ISSUER, SOURCE)).toThrow(KeyResolutionError)
  })

  it('rejects malformed key material and an alg that does not fit', () => {
    const a = ed25519Jwk('a')
    parseError({ keys: [{ ...a, x: undefined }] })
    parseError({ keys: [{ ...a, x: a.x + 'A' }] })
    parseError({ keys: [{ ...a, x: a.x!.slice(0, 42) + '=' }] })
    parseError({ keys: [{ ...a, x: a.x!.slice(0, 42) + 'B' }] }) // not canonical: low bits set
    parseError({ keys: [{ ...p256Jwks('b').publicJwk, y: undefined }] })
    expect(parseError({ keys: [{ ...a, alg: 'ES256' }] }).message).toContain('"alg"')
    expect(parseError({ keys: [{ ...a, alg: 'RS256' }] }).message).toContain('"alg"')
  })

  it('rejects a missing or malformed kid', () => {
    for (const kid of [undefined, '', 7, 'a b', 'a/b', '../a', 'https://x', 'é', 'a'.repeat(129)]) {
      expect(() => parseKeySet({ keys: [{ ...ed25519Jwk('a'), kid }] }, ISSUER, SOURCE)).toThrow(KeyResolutionError)
    }
    expect(parseKeySet({ keys: [ed25519Jwk('A-z_0.9'), ed25519Jwk('k'.repeat(128))] }, ISSUER, SOURCE)).toHaveLength(2)
  })

  it('rejects too many keys and non-sets', () => {
    const many = Array.from({ length: KEY_SET_LIMITS.maxKeys + 1 }, (_, i) => ed25519Jwk(`k${i}`))
    expect(parseError({ keys: many }).message).toContain('maxKeys = 64')
    expect(parseKeySet({ keys: many.slice(0, KEY_SET_LIMITS.maxKeys) }, ISSUER, SOURCE)).toHaveLength(64)
    parseError([])
    parseError(null)
    parseError({})
    parseError({ keys: {} })
    parseError({ keys: ['x'] })
    expect(parseKeySet({ keys: [] }, ISSUER, SOURCE)).toEqual([])
  })

  it('requires the issuer to be an origin', () => {
    for (const issuer of ['https://music.example/', 'https://music.example/path', 'music.example', 'https://MUSIC.example', 'https://music.example:443', 'ftp://x.example']) {
      expect(() => parseKeySet({ keys: [] }, issuer, SOURCE)).toThrow(/origin/)
    }
  })
})

describe('createStaticKeyResolver', () => {
  it('finds keys by issuer and kid', async () => {
    const keys = parseKeySet({ keys: [ed25519Jwk('a'), { ...ed25519Jwk('b'), noai_status: 'retired' }] }, ISSUER, 'options.keys')
    const r = createStaticKeyResolver(keys)
    const a = await r.lookup(ISSUER, 'a')
    expect(a.found && a.key.kid).toBe('a')
    const b = await r.lookup(ISSUER, 'b')
    expect(b.found && b.key.status).toBe('retired')
    expect(await r.lookup(ISSUER, 'c')).toMatchObject({ found: false, failure: 'key-not-found' })
  })

  it('rejects malformed keys and duplicates', () => {
    const [k] = parseKeySet({ keys: [ed25519Jwk('a')] }, ISSUER, 'options.keys')
    expect(() => createStaticKeyResolver([k!, k!])).toThrow(/repeats kid/)
    expect(() => createStaticKeyResolver([{ ...k!, status: 'expired' as never }])).toThrow(/status/)
    expect(() => createStaticKeyResolver('x' as never)).toThrow()
    // The same kid under two issuers is fine.
    expect(() => createStaticKeyResolver([k!, { ...k!, issuer: 'https://other.example' }])).not.toThrow()
  })

  it('honours an aborted signal', async () => {
    const r = createStaticKeyResolver([])
    await expect(r.lookup(ISSUER, 'a', { signal: AbortSignal.abort(new Error('stop')) })).rejects.toThrow('stop')
  })
})

describe('keySetDocument', () => {
  it('emits public members only, with states, and parses back', () => {
    const active = p256Jwks('new')
    const old = p256Jwks('old')
    const gone = ed25519Jwk('gone')
    const doc = keySetDocument([active.privateJwk, { ...old.privateJwk, key_ops: ['sign'] }, gone], {
      retired: ['old'],
      revoked: { gone: '2026-04-01T12:00:00Z' },
    })
    expect(doc).toEqual({
      keys: [
        { kty: 'EC', crv: 'P-256', x: active.publicJwk.x, y: active.publicJwk.y, kid: 'new', use: 'sig' },
        { kty: 'EC', crv: 'P-256', x: old.publicJwk.x, y: old.publicJwk.y, kid: 'old', use: 'sig', noai_status: 'retired' },
        { kty: 'OKP', crv: 'Ed25519', x: gone.x, kid: 'gone', use: 'sig', noai_status: 'revoked', noai_revoked_at: '2026-04-01T12:00:00Z' },
      ],
    })
    const text = JSON.stringify(doc)
    expect(text).not.toMatch(/"d"|key_ops/)
    const back = parseKeySet(JSON.parse(text), ISSUER, SOURCE)
    expect(back.map((k) => k.status)).toEqual(['active', 'retired', 'revoked'])
  })

  it('takes IssuerKeys with their status', () => {
    const keys = parseKeySet(
      { keys: [ed25519Jwk('a'), { ...ed25519Jwk('b'), noai_status: 'revoked', noai_revoked_at: '2026-01-01T00:00:00Z' }] },
      ISSUER,
      SOURCE,
    )
    const doc = keySetDocument(keys)
    expect(doc.keys.map((k) => [k.kid, k.noai_status, k.noai_revoked_at])).toEqual([
      ['a', undefined, undefined],
      ['b', 'revoked', '2026-01-01T00:00:00Z'],
    ])
    expect(parseKeySet(JSON.parse(JSON.stringify(doc)), ISSUER, SOURCE)).toEqual(keys)
  })

  it('refuses keys that would make an invalid set', () => {
    expect(() => keySetDocument([{ kty: 'oct', k: 'AAAA', kid: 'a' } as never])).toThrow(/kty/)
    expect(() => keySetDocument([ed25519Jwk('a/b')])).toThrow(/kid/)
    expect(() => keySetDocument([ed25519Jwk('a'), ed25519Jwk('a')])).toThrow(/repeats/)
    expect(() => keySetDocument([ed25519Jwk('a')], { revoked: { a: 'soon' } })).toThrow(/RFC 3339/)
    expect(() => keySetDocument(Array.from({ length: 65 }, (_, i) => ed25519Jwk(`k${i}`)))).toThrow(/maxKeys/)
  })
})

describe('keySetHeaders', () => {
  it('gives content type, caching, CORS and nosniff', () => {
    expect(keySetHeaders()).toEqual({
      'Content-Type': 'application/jwk-set+json',
      'Cache-Control': 'public, max-age=600',
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
    })
    expect(keySetHeaders({ maxAgeSeconds: 60, cors: false })).toEqual({
      'Content-Type': 'application/jwk-set+json',
      'Cache-Control': 'public, max-age=60',
      'X-Content-Type-Options': 'nosniff',
    })
    expect(() => keySetHeaders({ maxAgeSeconds: -1 })).toThrow()
    expect(() => keySetHeaders({ maxAgeSeconds: 1.5 })).toThrow()
  })
})

describe('createMemoryKeySetStore', () => {
  it('expires entries and evicts the least recently used', async () => {
    const clock = fakeClock()
    const store = createMemoryKeySetStore({ maxEntries: 2, now: clock.now })
    store.set('a', 1, 1000)
    store.set('b', 2)
    clock.advance(999)
    expect(store.get('a')).toBe(1)
    clock.advance(1)
    expect(store.get('a')).toBeUndefined()
    store.set('a', 1)
    store.get('b')
    store.set('c', 3) // evicts a (least recently used)
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual([undefined, 2, 3])
    store.delete('b')
    expect(store.get('b')).toBeUndefined()
    expect(() => createMemoryKeySetStore({ maxEntries: 0 })).toThrow()
  })
})
