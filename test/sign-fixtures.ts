/**
 * Shared fixtures of the signing tests: the TEST-ONLY keys of the signed conformance vectors
 * (schema/v1/vectors/signed/keys.json), a base tag, and a helper that crafts arbitrary tokens
 * (any header, any payload) the way an attacker would.
 */
import { readFileSync } from 'node:fs'
import type { NoaiTag } from '../src/index.js'
import type { IssuerKey } from '../src/sign.js'
import { encodeBase64url } from '../src/sign/_base64url.js'

export const SIGNED_DIR = new URL('../schema/v1/vectors/signed/', import.meta.url)

interface TestKey {
  readonly issuer: string
  readonly kid: string
  readonly alg: 'Ed25519' | 'ES256'
  readonly status: 'active' | 'retired' | 'revoked'
  readonly revokedAt?: string
  readonly publicJwk: JsonWebKey & { kid: string }
  readonly privateJwk?: JsonWebKey & { kid: string }
}

export const TEST_KEYS: readonly TestKey[] = (JSON.parse(readFileSync(new URL('keys.json', SIGNED_DIR), 'utf8')) as { keys: TestKey[] }).keys

export const ISSUER = 'https://issuer.example'
export const NOW = new Date('2026-06-01T00:00:00Z')
export const DIGEST_A = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
export const DIGEST_B = '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752'

export function testKey(kid: string): TestKey {
  const k = TEST_KEYS.find((t) => t.kid === kid)
  if (!k) throw new Error(`no test key ${kid}`)
  return k
}

/** Every test key as an IssuerKey given directly. */
export const ISSUER_KEYS: IssuerKey[] = TEST_KEYS.map((k) => ({
  issuer: k.issuer,
  kid: k.kid,
  jwk: k.publicJwk,
  status: k.status,
  ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}),
  source: 'options.keys',
}))

/** The private JWK of a test key. */
export const privateJwk = (kid: string): JsonWebKey & { kid: string } => testKey(kid).privateJwk!

/** A tag bound to an essence digest, a URL and a URL pattern, valid at NOW. */
export const TAG: NoaiTag = {
  version: 1,
  issuer: ISSUER,
  subject: {
    essence: [{ format: 'flac', sha256: DIGEST_A }],
    urls: ['https://issuer.example/track/1'],
    urlPatterns: ['https://issuer.example/album/*'],
  },
  rightsHolder: { name: 'Test Artist' },
  usage: { 'train-ai': 'denied', search: 'allowed' },
  issued: '2026-01-01T00:00:00Z',
  expires: '2036-01-01T00:00:00Z',
}

export const tagWith = (changes: Partial<NoaiTag>): NoaiTag => ({ ...TAG, ...changes })

const PARAMS = { Ed25519: { name: 'Ed25519' }, ES256: { name: 'ECDSA', namedCurve: 'P-256' } } as const
const SIGN = { Ed25519: { name: 'Ed25519' }, ES256: { name: 'ECDSA', hash: 'SHA-256' } } as const
const utf8 = new TextEncoder()

export const b64 = (data: string | Uint8Array): string => encodeBase64url(typeof data === 'string' ? utf8.encode(data) : data)
export const unb64 = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(text, 'base64url'))

/** Imports the private key of a test key for Web Crypto. */
export async function privateCryptoKey(kid: string): Promise<CryptoKey> {
  const k = testKey(kid)
  const { kty, crv, x, y, d } = k.privateJwk!
  return crypto.subtle.importKey('jwk', { kty, crv, x, y, d }, PARAMS[k.alg], false, ['sign'])
}

/** The protected header signTag writes, with changes. */
export const header = (kid: string, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  alg: testKey(kid).alg,
  typ: 'noai-tag+jws',
  kid,
  ...changes,
})

/**
 * A compact JWS with any header (object or raw text) and any payload (object or raw text), signed
 * with the private key of `signWith` under that key's own algorithm.
 */
export async function craft(hdr: Record<string, unknown> | string, payload: unknown, signWith: string): Promise<string> {
  const h = typeof hdr === 'string' ? hdr : JSON.stringify(hdr)
  const p = typeof payload === 'string' ? payload : JSON.stringify(payload)
  const input = `${b64(h)}.${b64(p)}`
  const sig = await crypto.subtle.sign(SIGN[testKey(signWith).alg], await privateCryptoKey(signWith), utf8.encode(input))
  return `${input}.${b64(new Uint8Array(sig))}`
}

/** The three parts of a token, decoded. */
export function parts(jws: string): { header: Uint8Array; payload: Uint8Array; signature: Uint8Array } {
  const [h, p, s] = jws.split('.')
  return { header: unb64(h!), payload: unb64(p!), signature: unb64(s!) }
}

/** Re-encodes decoded parts canonically. */
export const join = (h: Uint8Array, p: Uint8Array, s: Uint8Array): string => `${b64(h)}.${b64(p)}.${b64(s)}`
