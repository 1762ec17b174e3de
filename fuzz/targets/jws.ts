// Fuzz target jws: verifyTag on mutated compact JWS tokens. Seeds: the signed conformance vectors
// and a pool of tokens signed here with the TEST-ONLY keys of schema/v1/vectors/signed/keys.json
// (generated tags, header variants: typ spellings, EdDSA, extra members, crit, b64, jwk, jku;
// payloads that are not tags). Mutations work per part: the header or the payload is decoded,
// edited as JSON and re-encoded; the signature is flipped, cut or swapped; or the token is edited as
// text. The options (trust, URL, essence, time) come from the vectors, chosen by the token.
// Properties:
//   - verifyTag never throws for a string token (a bad token is a result), in bounded time;
//   - an invalid state has an invalidating code, a valid or trusted state none;
//   - a reported tag is exactly the token's payload;
//   - a token not reported invalid verifies with jose (compactVerify) under the key its kid names,
//     whose issuer is the tag's: nothing the library accepts is rejected by an independent verifier.
import fc from 'fast-check'
import { CompactSign, compactVerify, importJWK } from 'jose'
import { INVALIDATING_CODES, verifyTag, type IssuerKey, type VerifyTagOptions } from '../../src/sign.js'
import { tagArb } from '../_arbitraries.js'
import { hashSeed, mutateJson, mutateText, type Rng } from '../_mutate.js'
import { issuerKeys, signedVectors, testKeys } from '../_seeds.js'
import { b64urlJson, callAsync, deepEqual, defineTarget, fail, show, textCodec } from '../_target.js'

const ISSUER = 'https://issuer.example'
const HEADER_KEYS = ['alg', 'typ', 'kid', 'crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'cty', 'zip', 'enc']
const HEADER_VALUES = ['EdDSA', 'Ed25519', 'ES256', 'HS256', 'none', 'RS256', 'noai-tag+jws', 'application/noai-tag+jws', 'NOAI-TAG+JWS', 'JWT', 'test-ed25519', 'test-es256', 'test-ed25519-revoked', 'test-ed25519-retired', 'other-ed25519', 'test-broken', '../x', 'https://evil.example/jwks.json', ['b64'], false]
const TAG_KEYS = ['issuer', 'issued', 'expires', 'usage', 'subject', 'essence', 'urls', 'urlPatterns', 'version', 'train-ai', 'sha256', 'format']
const TAG_VALUES = [ISSUER, 'https://other.example', 'https://issuer.example.attacker.example', '2026-06-01T00:05:01Z', '2030-01-01T00:00:00Z', '2020-01-01T00:00:00Z', 'https://issuer.example/track/1', 'https://issuer.example/album/*', 'flac', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08']

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url')

/** The options of a case: those of one signed vector, picked by the token. */
function optionsFor(token: string, all: readonly VerifyTagOptions[]): VerifyTagOptions {
  return all[hashSeed(token.length, token.charCodeAt(token.length >> 1) || 0, token.charCodeAt(token.length - 1) || 0) % all.length]!
}

export default defineTarget<string>({
  name: 'jws',
  about: 'verifyTag on mutated signed tags (header, payload, signature), checked against jose',
  codec: textCodec,
  ext: '.jws',
  shrink: 'text',
  async load() {
    const keys: IssuerKey[] = issuerKeys()
    const vectors = signedVectors()
    const options: VerifyTagOptions[] = [...new Map(vectors.map((v) => [JSON.stringify(v.options), v.options])).values()].map((o) => ({ ...o, now: new Date(o.now), keys }))
    // Tokens signed here: generated tags and header variants, with every test key that can sign.
    const signers = testKeys().filter((k) => k.privateJwk !== undefined)
    const tags = fc.sample(tagArb(ISSUER), { numRuns: 24, seed: 11 }).map((t) => JSON.stringify(t))
    const payloads = [...tags, '{"version":1,"issuer":"https://issuer.example"}', '{"a":1,"a":2}', '\ufeff{}', 'not json', JSON.stringify({ version: 1, issuer: ISSUER, subject: { self: true }, usage: { all: 'denied' }, issued: '2026-01-01T00:00:00Z' })]
    const pool: string[] = vectors.map((v) => v.jws)
    let i = 0
    for (const payload of payloads) {
      const k = signers[i++ % signers.length]!
      const alg = k.alg === 'ES256' ? 'ES256' : i % 3 === 0 ? 'EdDSA' : 'Ed25519'
      const variants: Record<string, unknown>[] = [
        { alg, typ: 'noai-tag+jws', kid: k.kid },
        { alg, typ: 'application/noai-tag+jws', kid: k.kid, x: 1 },
        { alg, typ: 'NoAI-Tag+JWS', kid: k.kid, crit: ['x'], x: 1 },
        { alg, kid: k.kid },
        { alg, typ: 'noai-tag+jws', kid: k.kid, jwk: k.publicJwk },
      ]
      const key = await importJWK(k.privateJwk!, alg === 'ES256' ? 'ES256' : 'EdDSA')
      for (const header of variants.slice(0, i % 7 === 0 ? variants.length : 2)) {
        try {
          pool.push(await new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header as { alg: string }).sign(key))
        } catch {
          // jose refuses some headers (crit it does not know): keep the others.
        }
      }
    }
    const publicKeys = new Map<string, { issuer: string; alg: string; key: Promise<CryptoKey | Uint8Array> }>()
    for (const k of testKeys()) if (k.kid !== 'test-broken') publicKeys.set(k.kid, { issuer: k.issuer, alg: k.alg, key: importJWK(k.publicJwk, k.alg === 'ES256' ? 'ES256' : 'EdDSA') })

    const mutate = (r: Rng): string => {
      const token = r.pick(pool)
      const parts = token.split('.')
      const op = r.int(6)
      if (op === 0 && parts.length === 3) parts[0] = b64(mutateJson(Buffer.from(parts[0]!, 'base64url').toString('utf8'), r, HEADER_KEYS, HEADER_VALUES))
      else if (op === 1 && parts.length === 3) parts[1] = b64(mutateJson(Buffer.from(parts[1]!, 'base64url').toString('utf8'), r, TAG_KEYS, TAG_VALUES))
      else if (op === 2 && parts.length === 3) {
        const sig = Buffer.from(parts[2]!, 'base64url')
        const kind = r.int(4)
        if (kind === 0 && sig.length > 0) {
          const at = r.int(sig.length)
          sig[at] = sig[at]! ^ (1 << r.int(8))
        }
        parts[2] = kind === 1 ? (r.pick(pool).split('.')[2] ?? '') : kind === 2 ? sig.subarray(0, r.int(sig.length + 1)).toString('base64url') : sig.toString('base64url')
      } else if (op === 3) {
        // A part from another token (header of one, payload of another: a valid signature elsewhere).
        const other = r.pick(pool).split('.')
        const at = r.int(3)
        parts[at] = other[at] ?? ''
      } else return mutateText(token, r, ['.', '=', '+', '/', '-', '_', ' ', 'A', 'AA', '..', 'eyJ', '\n'], pool)
      return parts.join('.')
    }

    const check = async (token: string): Promise<void> => {
      const o = optionsFor(token, options)
      const r = await callAsync('verifyTag', () => verifyTag(token, o))
      if (!r.ok) fail('verifyTag', `threw ${r.error.code} for a token (a bad token must be a result): ${r.error.message}`)
      const v = r.value
      const invalidating = v.codes.filter((c) => INVALIDATING_CODES.has(c))
      if ((v.state === 'invalid') !== invalidating.length > 0) fail('verifyTag', `state ${v.state} with codes ${show(v.codes)}`)
      const parts = token.split('.')
      if (v.tag !== undefined && !deepEqual(b64urlJson(parts[1] ?? ''), v.tag)) fail('verifyTag', `reported tag ${show(v.tag)} is not the token's payload`)
      if (v.state === 'invalid') return
      const header = b64urlJson(parts[0] ?? '') as { kid?: string; alg?: string } | undefined
      const k = publicKeys.get(header?.kid ?? '')
      if (!k) fail('verifyTag', `state ${v.state} for a token whose kid ${show(header?.kid)} names no test key`)
      if (v.tag?.issuer !== k.issuer) fail('verifyTag', `state ${v.state}, but the tag's issuer ${show(v.tag?.issuer)} does not own key ${header?.kid}`)
      try {
        await compactVerify(token, await k.key, { algorithms: ['EdDSA', 'Ed25519', 'ES256'] })
      } catch (e) {
        fail('verifyTag', `state ${v.state}, but jose rejects the token: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
    return { seeds: pool, mutate, check }
  },
})
