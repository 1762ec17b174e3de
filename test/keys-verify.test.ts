// Key discovery end to end: a platform serves its key set with keySetDocument/keySetHeaders on a
// real loopback server; verifyTag finds keys through createKeyResolver. Rotation, retirement and
// revocation as a verifier sees them, and the performance rule "with a warm cache, a verify makes
// zero network requests" (counted).
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WELL_KNOWN } from '../src/constants.js'
import type { NoaiTag } from '../src/model/tag.js'
import { createKeyResolver, keySetDocument, keySetHeaders, signTag, verifyTag, type KeySetDocumentOptions } from '../src/sign.js'
import { countingFetch, startServer, type TestServer } from './keys-fixtures.js'

function keyPair(kid: string): { priv: JsonWebKey & { kid: string }; pub: JsonWebKey & { kid: string } } {
  const pair = generateKeyPairSync('ed25519')
  return {
    priv: { ...(pair.privateKey.export({ format: 'jwk' }) as JsonWebKey), kid },
    pub: { ...(pair.publicKey.export({ format: 'jwk' }) as JsonWebKey), kid },
  }
}

let server: TestServer
let issuer: string
let published: { keys: (JsonWebKey & { kid: string })[]; options: KeySetDocumentOptions } = { keys: [], options: {} }
const old = keyPair('2025-01')
const current = keyPair('2026-01')

function publish(keys: (JsonWebKey & { kid: string })[], options: KeySetDocumentOptions = {}): void {
  published = { keys, options }
}

beforeAll(async () => {
  server = await startServer()
  issuer = server.origin
  server.answer = (path) =>
    path === WELL_KNOWN.keys
      ? { status: 200, headers: keySetHeaders({ maxAgeSeconds: 600 }), body: keySetDocument(published.keys, published.options) }
      : { status: 404 }
})
afterAll(() => server.close())

function tag(issued: string): NoaiTag {
  return { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issuer, issued } as NoaiTag
}

describe('verifying through key discovery', () => {
  it('serves headers a browser verifier can use', async () => {
    publish([current.pub])
    const res = await fetch(issuer + WELL_KNOWN.keys)
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('cache-control')).toBe('public, max-age=600')
    expect(JSON.stringify(await res.json())).not.toContain('"d"')
  })

  it('with a warm cache, a verify makes zero network requests (counted)', async () => {
    publish([current.pub])
    const counter = countingFetch()
    const resolver = createKeyResolver({ allowHttpLoopback: true, fetch: counter.fetch })
    const jws = await signTag(tag('2026-02-01T00:00:00Z'), current.priv)
    const first = await verifyTag(jws, { resolver })
    expect(first.state).toBe('valid')
    expect(counter.urls).toEqual([issuer + WELL_KNOWN.keys])
    const before = server.requests.length
    for (let i = 0; i < 50; i++) expect((await verifyTag(jws, { resolver })).state).toBe('valid')
    expect(counter.urls).toHaveLength(1)
    expect(server.requests.length).toBe(before)
  })

  it('rotation: old tags verify with key-retired, new tags with the new key', async () => {
    publish([old.pub])
    const oldTag = await signTag(tag('2025-06-01T00:00:00Z'), old.priv)
    // Rotate: publish the new key, sign with it, mark the old one retired (never delete it).
    publish([current.pub, old.pub], { retired: [old.pub.kid] })
    const resolver = createKeyResolver({ allowHttpLoopback: true })
    const newTag = await signTag(tag('2026-02-01T00:00:00Z'), current.priv)
    const n = await verifyTag(newTag, { resolver })
    expect(n.state).toBe('valid')
    expect(n.codes).not.toContain('key-retired')
    const o = await verifyTag(oldTag, { resolver })
    expect(o.state).toBe('valid')
    expect(o.codes).toContain('key-retired')
  })

  it('revocation: every tag signed by the key is invalid, whatever its issued time', async () => {
    const stolen = keyPair('stolen')
    publish([stolen.pub])
    const before = await signTag(tag('2024-01-01T00:00:00Z'), stolen.priv) // issued long before the revocation
    const backdated = await signTag(tag('2023-01-01T00:00:00Z'), stolen.priv) // an attacker backdating
    publish([current.pub, stolen.pub], { revoked: { stolen: '2026-03-01T00:00:00Z' } })
    const resolver = createKeyResolver({ allowHttpLoopback: true })
    for (const jws of [before, backdated]) {
      const r = await verifyTag(jws, { resolver })
      expect(r.state).toBe('invalid')
      expect(r.codes).toContain('key-revoked')
    }
  })

  it('a removed key gives key-not-found', async () => {
    const gone = keyPair('gone')
    const jws = await signTag(tag('2026-01-01T00:00:00Z'), gone.priv)
    publish([current.pub])
    const r = await verifyTag(jws, { resolver: createKeyResolver({ allowHttpLoopback: true }) })
    expect(r.state).toBe('invalid')
    expect(r.codes).toContain('key-not-found')
  })
})
