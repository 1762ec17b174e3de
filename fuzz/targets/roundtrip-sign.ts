// Fuzz target roundtrip-sign: generated valid tags, issued by the test issuer, signed with each
// TEST-ONLY key that can sign (Ed25519 under both alg names, ES256; active and retired keys).
// Properties: signTag succeeds (or refuses a tag over the size limit); verifyTag at the issue time
// reports a valid state (trusted when the issuer is trusted and a URL of the subject binds it) with
// no invalidating code, the tag exactly as signed, the alg and kid used; the audio entries of the
// signed tag hold the token and the tag's readable line.
import fc from 'fast-check'
import { audioTagEntries } from '../../src/audio.js'
import { formatCompact, type NoaiTag } from '../../src/index.js'
import { INVALIDATING_CODES, signTag, verifyTag } from '../../src/sign.js'
import { tagArb } from '../_arbitraries.js'
import { issuerKeys, testKeys } from '../_seeds.js'
import { call, callAsync, deepEqual, defineTarget, fail, jsonCodec, show } from '../_target.js'

interface SignCase {
  readonly tag: NoaiTag
  readonly kid: string
  readonly alg?: 'EdDSA' | 'Ed25519' | 'ES256'
  readonly trust: boolean
}

const ISSUER = 'https://issuer.example'
const SIGNERS = ['test-ed25519', 'test-es256', 'test-ed25519-retired']

export const instantOf = (dateTime: string): Date => new Date(Date.parse(dateTime.toUpperCase()))

export default defineTarget<SignCase>({
  name: 'roundtrip-sign',
  about: 'generated tags: signTag → verifyTag with the test keys, and the audio entries of the token',
  codec: jsonCodec<SignCase>(),
  ext: '.json',
  shrink: 'none',
  async load() {
    const keys = issuerKeys()
    const secrets = new Map(testKeys().map((k) => [k.kid, k]))
    const check = async (c: SignCase): Promise<void> => {
      const key = secrets.get(c.kid)!
      const signed = await callAsync('signTag', () => signTag(c.tag, key.privateJwk!, c.alg !== undefined ? { alg: c.alg } : {}))
      if (!signed.ok) {
        if (signed.error.code === 'ERR_NOAI_LIMIT_EXCEEDED') return
        fail('signTag', `a valid tag with an issuer does not sign: ${signed.error.code}: ${signed.error.message}`)
      }
      const jws = signed.value
      const url = c.tag.subject.urls?.[0]
      const v = await callAsync('verifyTag', () => verifyTag(jws, { keys, now: instantOf(c.tag.issued), ...(c.trust ? { trust: [ISSUER] } : {}), ...(url !== undefined ? { url } : {}) }))
      if (!v.ok) fail('verifyTag', `threw ${v.error.code}: ${v.error.message}`)
      const r = v.value
      const bad = r.codes.filter((x) => INVALIDATING_CODES.has(x))
      if (r.state === 'invalid' || bad.length > 0) fail('verifyTag', `a fresh signature is ${r.state}: ${show(r.codes)}`)
      const expected = c.trust && url !== undefined ? 'trusted' : 'valid'
      if (r.state !== expected) fail('verifyTag', `state ${r.state}, expected ${expected} (codes ${show(r.codes)})`)
      if (!deepEqual(r.tag, c.tag)) fail('verifyTag', `verified tag ${show(r.tag)} is not the tag signed ${show(c.tag)}`)
      if (r.kid !== c.kid || r.issuer !== ISSUER) fail('verifyTag', `kid ${show(r.kid)} / issuer ${show(r.issuer)} are not those signed with`)
      if (c.alg !== undefined && r.alg !== c.alg) fail('verifyTag', `alg ${show(r.alg)}, signed with ${c.alg}`)
      const entries = call('audioTagEntries', () => audioTagEntries({ jws }))
      if (!entries.ok) fail('audioTagEntries', `${entries.error.code}: ${entries.error.message}`)
      if (entries.value.document !== jws || entries.value.readable !== formatCompact(c.tag.usage)) fail('audioTagEntries', `entries ${show(entries.value)} do not hold the token and the readable line`)
    }
    const arbitrary: fc.Arbitrary<SignCase> = fc
      .tuple(tagArb(ISSUER), fc.constantFrom(...SIGNERS), fc.boolean(), fc.boolean())
      .map(([tag, kid, altName, trust]) => ({ tag, kid, ...(kid === 'test-es256' ? {} : altName ? { alg: 'EdDSA' as const } : { alg: 'Ed25519' as const }), trust }))
    const seeds = fc.sample(arbitrary, { numRuns: 6, seed: 17 })
    return { seeds, arbitrary, check }
  },
})
