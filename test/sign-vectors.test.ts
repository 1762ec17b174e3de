// The signed conformance vectors (schema/v1/vectors/signed/, docs/spec.md §12.3, §13.9), run
// against the sources with every test key given directly.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { INVALIDATING_CODES, VERIFY_CODES, verifyTag, type VerifyCode } from '../src/sign.js'
import { ISSUER_KEYS, SIGNED_DIR, TEST_KEYS } from './sign-fixtures.js'

interface SignedVector {
  readonly description: string
  readonly jws: string
  readonly options: { readonly now: string; readonly essence?: { format: string; sha256: string }; readonly url?: string; readonly trust?: string[] }
  readonly expected: { readonly state: 'invalid' | 'valid' | 'trusted'; readonly codes: VerifyCode[] }
}

const files = readdirSync(SIGNED_DIR)
  .filter((f) => f.endsWith('.json') && f !== 'keys.json')
  .sort()
const vectors = files.map((file) => [file, JSON.parse(readFileSync(new URL(file, SIGNED_DIR), 'utf8')) as SignedVector] as const)

// Only a resolver that fetches key sets can produce these; fixed tokens cannot (see the README).
const RESOLVER_ONLY: readonly VerifyCode[] = [VERIFY_CODES.keySetUnavailable, VERIFY_CODES.keySetInvalid, VERIFY_CODES.issuerNotAllowed]

describe('signed conformance vectors', () => {
  it('exist, and the keys are marked TEST ONLY', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(40)
    const doc = JSON.parse(readFileSync(new URL('keys.json', SIGNED_DIR), 'utf8')) as { description: string }
    expect(doc.description).toMatch(/^TEST ONLY\./)
    expect(TEST_KEYS.filter((k) => k.privateJwk !== undefined).map((k) => k.alg)).toEqual(expect.arrayContaining(['Ed25519', 'ES256']))
  })

  it.each(vectors)('%s', async (file, v) => {
    const kind = file.split('-')[0]
    expect(kind === 'invalid' ? 'invalid' : kind === 'trusted' ? 'trusted' : 'valid').toBe(v.expected.state)
    const r = await verifyTag(v.jws, { ...v.options, now: new Date(v.options.now), keys: ISSUER_KEYS })
    expect({ state: r.state, codes: r.codes }).toEqual(v.expected)
  })

  it('have an invalid vector for every invalidating code a fixed token can produce', () => {
    const covered = new Set(vectors.filter(([, v]) => v.expected.state === 'invalid').flatMap(([, v]) => v.expected.codes))
    const missing = [...INVALIDATING_CODES].filter((c) => !covered.has(c) && !RESOLVER_ONLY.includes(c))
    expect(missing).toEqual([])
  })

  it('have a valid or trusted vector for each information code', () => {
    const info = Object.values(VERIFY_CODES).filter((c) => !INVALIDATING_CODES.has(c))
    const seen = new Set(vectors.filter(([, v]) => v.expected.state !== 'invalid').flatMap(([, v]) => v.expected.codes))
    expect(info.filter((c) => !seen.has(c))).toEqual([])
  })
})
