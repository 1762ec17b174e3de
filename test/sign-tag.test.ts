// signTag (docs/spec.md §13.1-§13.5): the token it writes, the signers it takes, what it refuses.
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, LimitExceededError, TagValidationError, isNoaiTagError } from '../src/index.js'
import { SigningError, signTag, verifyTag } from '../src/sign.js'
import { ISSUER_KEYS, NOW, TAG, parts, privateCryptoKey, privateJwk, tagWith, testKey } from './sign-fixtures.js'

const text = (b: Uint8Array): string => new TextDecoder().decode(b)
const verify = (jws: string) => verifyTag(jws, { keys: ISSUER_KEYS, now: NOW })

describe('signTag: the token', () => {
  it('writes the protected header {alg, typ, kid} and Ed25519 for an Ed25519 key', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'))
    expect(text(parts(jws).header)).toBe('{"alg":"Ed25519","typ":"noai-tag+jws","kid":"test-ed25519"}')
    expect((await verify(jws)).state).toBe('valid')
  })

  it('emits EdDSA only when asked, and ES256 for a P-256 key', async () => {
    expect(JSON.parse(text(parts(await signTag(TAG, privateJwk('test-ed25519'), { alg: 'EdDSA' })).header)).alg).toBe('EdDSA')
    const es = await signTag(TAG, privateJwk('test-es256'))
    expect(JSON.parse(text(parts(es).header)).alg).toBe('ES256')
    expect(parts(es).signature).toHaveLength(64)
    expect((await verify(es)).state).toBe('valid')
  })

  it('uses the payload bytes of JSON.stringify with non-ASCII escaped, and they parse back to the tag', async () => {
    const tag = tagWith({ rightsHolder: { name: 'Zoë Ångström 🎵' } })
    const payload = text(parts(await signTag(tag, privateJwk('test-ed25519'))).payload)
    expect(payload).toMatch(/^[\x20-\x7e]*$/)
    expect(payload).toContain('Zo\\u00eb \\u00c5ngstr\\u00f6m \\ud83c\\udfb5')
    expect(JSON.parse(payload)).toEqual(tag)
  })

  it('is deterministic for Ed25519 (same key, same tag, same token)', async () => {
    expect(await signTag(TAG, privateJwk('test-ed25519'))).toBe(await signTag(TAG, privateJwk('test-ed25519')))
  })

  it('uses options.kid over the JWK kid', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'), { kid: 'other-name' })
    expect(JSON.parse(text(parts(jws).header)).kid).toBe('other-name')
  })
})

describe('signTag: signers', () => {
  it('signs with a non-extractable CryptoKey', async () => {
    const key = await privateCryptoKey('test-es256')
    expect(key.extractable).toBe(false)
    expect((await verify(await signTag(TAG, key, { kid: 'test-es256' }))).state).toBe('valid')
  })

  it('signs with a callback (an external key service) given the exact signing input', async () => {
    const key = await privateCryptoKey('test-ed25519')
    let seen = ''
    const external = async (input: Uint8Array): Promise<Uint8Array> => {
      seen = text(input)
      return new Uint8Array(await crypto.subtle.sign('Ed25519', key, input as Uint8Array<ArrayBuffer>))
    }
    const jws = await signTag(TAG, external, { kid: 'test-ed25519' })
    expect(seen).toBe(jws.slice(0, jws.lastIndexOf('.')))
    expect((await verify(jws)).state).toBe('valid')
  })

  it('rejects a callback that returns a DER (not raw) ES256 signature, or fails', async () => {
    const der = async (): Promise<Uint8Array> => new Uint8Array(71).fill(0x30)
    await expect(signTag(TAG, der, { kid: 'test-es256', alg: 'ES256' })).rejects.toThrow(SigningError)
    const boom = new Error('KMS unavailable')
    const failing = async (): Promise<Uint8Array> => {
      throw boom
    }
    const e = await signTag(TAG, failing, { kid: 'k' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(SigningError)
    expect((e as SigningError).code).toBe('ERR_NOAI_SIGNING_FAILED')
    expect((e as SigningError).cause).toBe(boom)
  })
})

describe('signTag: refusals', () => {
  it('validates first: an invalid tag throws TagValidationError with the issues', async () => {
    const e = await signTag(tagWith({ usage: { 'train-ai': 'maybe' as 'denied' } }), privateJwk('test-ed25519')).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(TagValidationError)
    expect((e as TagValidationError).issues[0]).toMatchObject({ path: '/usage/train-ai', keyword: 'enum' })
  })

  it('requires an issuer', async () => {
    const { issuer: _i, ...noIssuer } = TAG
    const e = await signTag(noIssuer, privateJwk('test-ed25519')).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(TagValidationError)
    expect((e as TagValidationError).issues).toEqual([expect.objectContaining({ path: '/issuer', keyword: 'required' })])
  })

  it('refuses a payload over the size limit', async () => {
    const urls = Array.from({ length: 40 }, (_, i) => `https://issuer.example/${i}/${'x'.repeat(1900)}`)
    await expect(signTag(tagWith({ subject: { urls } }), privateJwk('test-ed25519'))).rejects.toThrow(LimitExceededError)
  })

  it.each([
    ['a public JWK', () => testKey('test-ed25519').publicJwk, {}],
    ['an RSA JWK', () => ({ kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }), { kid: 'k' }],
    ['an Ed448 JWK', () => ({ kty: 'OKP', crv: 'Ed448', x: 'AA', d: 'AA' }), { kid: 'k' }],
    ['ES256 asked of an Ed25519 key', () => privateJwk('test-ed25519'), { alg: 'ES256' }],
    ['Ed25519 asked of a P-256 key', () => privateJwk('test-es256'), { alg: 'Ed25519' }],
    ['HS256', () => privateJwk('test-ed25519'), { alg: 'HS256' }],
    ['a kid with a slash', () => privateJwk('test-ed25519'), { kid: 'keys/1' }],
    ['a kid of 129 characters', () => privateJwk('test-ed25519'), { kid: 'k'.repeat(129) }],
    ['a JWK without kid and no options.kid', () => ({ ...privateJwk('test-ed25519'), kid: undefined }), {}],
    ['a string', () => 'secret', { kid: 'k' }],
  ])('throws InvalidArgumentError for %s', async (_label, signer, options) => {
    const e = await signTag(TAG, signer() as JsonWebKey, options as never).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(InvalidArgumentError)
    expect(isNoaiTagError(e) && e.code).toBe('ERR_NOAI_INVALID_ARGUMENT')
  })

  it('refuses a public CryptoKey', async () => {
    const { publicKey } = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair
    await expect(signTag(TAG, publicKey, { kid: 'k' })).rejects.toThrow(InvalidArgumentError)
  })
})
