// Security tests of signed-tag verification (docs/spec.md §13.8, §15). Each test is proven to
// bite: `bites(check, scenario)` runs the scenario's assertions with every check on (they must
// pass), then again with that one check switched off through the test-only hook (they must
// fail). A test that still passed with its check off would be testing nothing.
import { afterEach, describe, expect, it } from 'vitest'
import { signTag, verifyTag, type IssuerKey, type KeyResolver, type VerifyResult } from '../src/sign.js'
import { __testHooks, type CheckName } from '../src/sign/_jws.js'
import { DIGEST_A, DIGEST_B, ISSUER, ISSUER_KEYS, NOW, TAG, b64, craft, header, join, parts, privateJwk, tagWith, testKey, unb64 } from './sign-fixtures.js'

afterEach(() => __testHooks.disabled.clear())

async function bites(check: CheckName, scenario: () => Promise<void>): Promise<void> {
  await scenario()
  __testHooks.disabled.add(check)
  try {
    let held = true
    try {
      await scenario()
    } catch {
      held = false
    }
    expect(held, `the test still passes with the "${check}" check switched off: it does not test that check`).toBe(false)
  } finally {
    __testHooks.disabled.delete(check)
  }
}

const verify = (jws: string, extra: Parameters<typeof verifyTag>[1] = {}): Promise<VerifyResult> => verifyTag(jws, { keys: ISSUER_KEYS, now: NOW, ...extra })

/** Invalid with `code`; before the signature holds, the result carries no tag. */
function expectInvalid(r: VerifyResult, code: string, signatureHeld = false): void {
  expect(r.state).toBe('invalid')
  expect(r.codes).toContain(code)
  if (!signatureHeld) expect(r.tag).toBeUndefined()
}

/** A resolver that records every lookup and finds the test keys. */
function spyResolver(): KeyResolver & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    async lookup(issuer, kid) {
      calls.push(`${issuer} ${kid}`)
      const key = ISSUER_KEYS.find((k) => k.issuer === issuer && k.kid === kid)
      return key ? { found: true, key } : { found: false, failure: 'key-not-found', detail: 'none' }
    },
  }
}

describe('algorithm confusion', () => {
  it('rejects alg "none" with an empty signature', async () => {
    const jws = `${b64(JSON.stringify(header('test-ed25519', { alg: 'none' })))}.${b64(JSON.stringify(TAG))}.`
    await bites('alg-allowlist', async () => expectInvalid(await verify(jws), 'alg-not-allowed'))
  })

  it('rejects HS256 signed with the bytes of the public key as the HMAC secret', async () => {
    const input = `${b64(JSON.stringify(header('test-ed25519', { alg: 'HS256' })))}.${b64(JSON.stringify(TAG))}`
    const secret = await crypto.subtle.importKey('raw', unb64(testKey('test-ed25519').publicJwk.x!), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', secret, new TextEncoder().encode(input)))
    const jws = `${input}.${b64(mac)}`
    await bites('alg-allowlist', async () => expectInvalid(await verify(jws), 'alg-not-allowed'))
  })

  it('rejects an Ed448 (or any other) algorithm name', async () => {
    const jws = await craft(header('test-ed25519', { alg: 'Ed448' }), TAG, 'test-ed25519')
    await bites('alg-allowlist', async () => expectInvalid(await verify(jws), 'alg-not-allowed'))
  })
})

describe('key material in the token is never trusted', () => {
  it('rejects an embedded jwk (a token self-signed by an attacker under the real kid)', async () => {
    const { kty, crv, x } = testKey('other-ed25519').publicJwk
    const jws = await craft(header('test-ed25519', { jwk: { kty, crv, x } }), tagWith({ usage: { 'train-ai': 'allowed' } }), 'other-ed25519')
    await bites('key-material-headers', async () => {
      const r = await verify(jws)
      expect(r.codes).toEqual(['header-key-material-not-allowed'])
      expectInvalid(r, 'header-key-material-not-allowed')
    })
  })

  it('rejects jku pointing at an attacker key set, and looks nothing up', async () => {
    const jws = await craft(header('test-ed25519', { jku: 'https://attacker.example/jwks.json' }), TAG, 'test-ed25519')
    await bites('key-material-headers', async () => {
      const resolver = spyResolver()
      const r = await verifyTag(jws, { resolver, now: NOW })
      expectInvalid(r, 'header-key-material-not-allowed')
      expect(resolver.calls).toEqual([])
    })
  })

  it.each(['x5u', 'x5c', 'x5t', 'x5t#S256'])('rejects a %s header', async (name) => {
    const jws = await craft(header('test-ed25519', { [name]: name === 'x5c' ? ['MIIB'] : 'https://attacker.example/cert' }), TAG, 'test-ed25519')
    await bites('key-material-headers', async () => expectInvalid(await verify(jws), 'header-key-material-not-allowed'))
  })

  it.each([
    ['a path', '../../keys/test-ed25519'],
    ['a URL', 'https://attacker.example/key.json'],
    ['percent-encoding', 'test%2Fed25519'],
    ['a colon', 'urn:key:1'],
    ['a query', 'k?x=1'],
    ['an empty kid', ''],
    ['129 characters', 'k'.repeat(129)],
  ])('rejects a kid with %s before any lookup', async (_label, kid) => {
    const jws = await craft(header('test-ed25519', { kid }), TAG, 'test-ed25519')
    await bites('kid-syntax', async () => {
      const resolver = spyResolver()
      expectInvalid(await verifyTag(jws, { resolver, now: NOW }), 'kid-invalid')
      expect(resolver.calls).toEqual([])
    })
  })

  it('rejects crit (no critical extensions are defined)', async () => {
    const jws = await craft(header('test-ed25519', { crit: ['exp'], exp: 1 }), TAG, 'test-ed25519')
    await bites('crit', async () => expectInvalid(await verify(jws), 'header-crit-unsupported'))
  })

  it('rejects b64 (unencoded payloads)', async () => {
    const jws = await craft(header('test-ed25519', { b64: false }), TAG, 'test-ed25519')
    await bites('b64', async () => expectInvalid(await verify(jws), 'header-b64-not-allowed'))
  })

  it('rejects a token whose typ is not noai-tag+jws (a JWT signed by the same key)', async () => {
    const jws = await craft(header('test-ed25519', { typ: 'JWT' }), TAG, 'test-ed25519')
    await bites('typ', async () => expectInvalid(await verify(jws), 'header-typ-invalid'))
  })
})

describe('keys', () => {
  it('rejects a token signed by a key not in the set (under the real kid, and under its own)', async () => {
    const forged = await craft(header('test-ed25519'), tagWith({ usage: { 'train-ai': 'allowed' } }), 'other-ed25519')
    const unknown = await craft(header('test-ed25519', { kid: 'attacker-1' }), TAG, 'other-ed25519')
    await bites('signature', async () => {
      expectInvalid(await verify(forged), 'signature-mismatch')
      expect((await verify(unknown)).codes).toEqual(['key-not-found'])
    })
  })

  it('rejects a tag signed by a revoked key, even one issued before the revocation', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519-revoked'))
    expect(Date.parse(TAG.issued)).toBeLessThan(Date.parse(testKey('test-ed25519-revoked').revokedAt!))
    await bites('key-status', async () => {
      const r = await verify(jws)
      expect(r.state).toBe('invalid')
      expect(r.codes[0]).toBe('key-revoked')
    })
  })

  it("rejects a key of another issuer given directly under the tag's kid (issuer/key origin mismatch)", async () => {
    const keys: IssuerKey[] = [{ ...ISSUER_KEYS.find((k) => k.kid === 'other-ed25519')!, kid: 'test-ed25519' }]
    const jws = await craft(header('test-ed25519'), TAG, 'other-ed25519')
    await bites('issuer-key', async () => expectInvalid(await verifyTag(jws, { keys, now: NOW }), 'issuer-key-mismatch'))
  })

  it('rejects a key a resolver found at another origin than the issuer', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'))
    const real = ISSUER_KEYS.find((k) => k.kid === 'test-ed25519')!
    const elsewhere: KeyResolver = { lookup: async () => ({ found: true, key: { ...real, source: 'https://cdn.attacker.example/jwks.json' } }) }
    const otherIssuer: KeyResolver = { lookup: async () => ({ found: true, key: { ...real, issuer: 'https://other.example' } }) }
    await bites('issuer-key', async () => {
      expectInvalid(await verifyTag(jws, { resolver: elsewhere, now: NOW }), 'issuer-key-mismatch')
      expectInvalid(await verifyTag(jws, { resolver: otherIssuer, now: NOW }), 'issuer-key-mismatch')
    })
  })
})

describe('tampering (bytes changed at fixed positions, each re-encoded canonically)', () => {
  const good = (): Promise<string> => signTag(TAG, privateJwk('test-ed25519'))

  it('detects a changed payload byte (byte 285: "Test Artist" to "Test artist", still a valid tag)', async () => {
    const { header: h, payload: p, signature: s } = parts(await good())
    expect(String.fromCharCode(p[285]!)).toBe('A')
    p[285] = 'a'.charCodeAt(0)
    const jws = join(h, p, s)
    await bites('signature', async () => expectInvalid(await verify(jws), 'signature-mismatch'))
  })

  it('detects a changed header byte (byte 24: typ "noai-tag+jws" to "Noai-tag+jws", still acceptable)', async () => {
    const { header: h, payload: p, signature: s } = parts(await good())
    expect(String.fromCharCode(h[24]!)).toBe('n')
    h[24] = 'N'.charCodeAt(0)
    const jws = join(h, p, s)
    await bites('signature', async () => expectInvalid(await verify(jws), 'signature-mismatch'))
  })

  it('detects a changed signature byte (byte 10)', async () => {
    const { header: h, payload: p, signature: s } = parts(await good())
    s[10] = s[10]! ^ 0x01
    const jws = join(h, p, s)
    await bites('signature', async () => expectInvalid(await verify(jws), 'signature-mismatch'))
  })

  it('detects a changed ES256 signature byte (byte 40)', async () => {
    const { header: h, payload: p, signature: s } = parts(await signTag(TAG, privateJwk('test-es256')))
    s[40] = s[40]! ^ 0x80
    const jws = join(h, p, s)
    await bites('signature', async () => expectInvalid(await verify(jws), 'signature-mismatch'))
  })
})

describe('encoding and parsing', () => {
  it('rejects non-canonical base64url: non-zero trailing bits (same bytes, another spelling)', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'))
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    // 64 signature bytes: 86 characters, the last one carrying 4 unused bits.
    const last = alphabet.indexOf(jws[jws.length - 1]!)
    const variant = jws.slice(0, -1) + alphabet[last | 0x0f]
    expect(variant).not.toBe(jws)
    expect(parts(variant).signature).toEqual(parts(jws).signature)
    await bites('canonical-base64', async () => expectInvalid(await verify(variant), 'encoding-non-canonical'))
  })

  it('rejects non-canonical base64url: padding', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'))
    const variant = `${jws}==`
    await bites('canonical-base64', async () => expectInvalid(await verify(variant), 'encoding-non-canonical'))
  })

  it('rejects a payload that is valid JSON but not a valid tag', async () => {
    const jws = await craft(header('test-ed25519'), tagWith({ usage: { 'train-ai': 'maybe' as 'denied' } }), 'test-ed25519')
    await bites('schema', async () => {
      const r = await verify(jws)
      expectInvalid(r, 'payload-schema-invalid')
      expect(r.issues).toEqual([expect.objectContaining({ path: '/usage/train-ai', keyword: 'enum' })])
    })
  })

  it('rejects duplicate member names in the payload (a parser keeping the last would read "allowed")', async () => {
    const text = JSON.stringify(TAG).replace('"usage":{"train-ai":"denied"', '"usage":{"train-ai":"denied","train-ai":"allowed"')
    expect(JSON.parse(text).usage['train-ai']).toBe('allowed')
    const jws = await craft(header('test-ed25519'), text, 'test-ed25519')
    await bites('strict-json', async () => expectInvalid(await verify(jws), 'payload-not-json'))
  })

  it('rejects a token over SIGN_LIMITS.maxTokenLength before decoding it', async () => {
    const jws = await craft(header('test-ed25519', { 'x-pad': 'x'.repeat(95_000) }), TAG, 'test-ed25519')
    expect(jws.length).toBeGreaterThan(90_000)
    await bites('size-limits', async () => expect((await verify(jws)).codes).toEqual(['token-too-large']))
  })
})

describe('binding and time', () => {
  it('rejects a tag bound to file A checked against the digest of file B', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'))
    await bites('binding', async () => {
      expect((await verify(jws, { essence: { format: 'flac', sha256: DIGEST_A }, trust: [ISSUER] })).state).toBe('trusted')
      expectInvalid(await verify(jws, { essence: { format: 'flac', sha256: DIGEST_B }, trust: [ISSUER] }), 'content-hash-mismatch', true)
    })
  })

  it('rejects an expired tag', async () => {
    const jws = await signTag(tagWith({ issued: '2025-01-01T00:00:00Z', expires: '2026-05-31T23:54:59Z' }), privateJwk('test-ed25519'))
    await bites('time', async () => expect((await verify(jws)).codes[0]).toBe('tag-expired'))
  })

  it('rejects a tag issued in the future beyond the clock tolerance', async () => {
    const jws = await signTag(tagWith({ issued: '2026-06-01T00:05:01Z' }), privateJwk('test-ed25519'))
    await bites('time', async () => expect((await verify(jws)).codes[0]).toBe('tag-not-yet-valid'))
  })
})
