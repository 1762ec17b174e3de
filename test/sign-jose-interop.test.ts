// Cross-check against an independent JWS implementation (jose): tokens made by signTag verify with
// jose, and tokens made by jose in our profile verify with verifyTag. Any disagreement on encoding,
// signature format or header handling shows up here.
import { CompactSign, compactVerify, importJWK } from 'jose'
import { describe, expect, it } from 'vitest'
import { signTag, verifyTag } from '../src/sign.js'
import { JWS_TYP } from '../src/index.js'
import { ISSUER, ISSUER_KEYS, NOW, TAG, TEST_KEYS, privateJwk } from './sign-fixtures.js'

const signing = TEST_KEYS.filter((k) => k.status === 'active' && k.privateJwk && k.issuer === ISSUER)

describe.each(signing.map((k) => [k.alg, k.kid] as const))('jose interop (%s, %s)', (alg, kid) => {
  it('jose verifies what signTag signs', async () => {
    const jws = await signTag(TAG, privateJwk(kid), { alg, kid })
    const key = await importJWK(TEST_KEYS.find((k) => k.kid === kid)!.publicJwk, alg)
    const { payload, protectedHeader } = await compactVerify(jws, key, { algorithms: [alg] })
    expect(protectedHeader).toMatchObject({ alg, typ: JWS_TYP, kid })
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(TAG)
  })
  it('verifyTag verifies what jose signs in our profile', async () => {
    const key = await importJWK(privateJwk(kid), alg)
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(TAG))).setProtectedHeader({ alg, typ: JWS_TYP, kid }).sign(key)
    const r = await verifyTag(jws, { keys: ISSUER_KEYS, now: NOW })
    expect(r.state).toBe('valid')
    expect(r.tag).toEqual(TAG)
  })
  it('verifyTag rejects what jose signs outside our profile', async () => {
    const key = await importJWK(privateJwk(kid), alg)
    const payload = new TextEncoder().encode(JSON.stringify(TAG))
    const noTyp = await new CompactSign(payload).setProtectedHeader({ alg, kid }).sign(key)
    expect((await verifyTag(noTyp, { keys: ISSUER_KEYS, now: NOW })).state).toBe('invalid')
    const withCrit = await new CompactSign(payload).setProtectedHeader({ alg, typ: JWS_TYP, kid, crit: ['exp'], exp: 1 } as never).sign(key).catch(() => undefined)
    if (withCrit) expect((await verifyTag(withCrit, { keys: ISSUER_KEYS, now: NOW })).state).toBe('invalid')
  })
})
