// Generates the signed conformance vectors in schema/v1/vectors/signed/ (docs/spec.md §12.3,
// §13): fixed TEST-ONLY keys (keys.json, made once and then reused) and one file per vector,
// { description, jws, options: { now, essence?, url?, trust? }, expected: { state, codes } }.
//
// The expected results are written here by hand from the spec, not taken from verifyTag; the
// script then runs the built verifyTag on every vector and exits 1 if it disagrees.
//
//   npm run build && node scripts/make-signed-vectors.mjs             regenerate the vectors
//   node scripts/make-signed-vectors.mjs --new-keys                   also make new test keys
//
// Ed25519 signatures are deterministic, so regenerating gives the same Ed25519 vectors; ES256
// signatures are randomised, so ES256 vectors change on every run (both versions are correct).
import { createHmac } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const DIR = fileURLToPath(new URL('../schema/v1/vectors/signed/', import.meta.url))
const KEYS_FILE = `${DIR}keys.json`
const { signTag, verifyTag } = await import(new URL('../dist/sign.js', import.meta.url).href)

const ISSUER = 'https://issuer.example'
const OTHER = 'https://other.example'
const NOW = '2026-06-01T00:00:00Z'
const DIGEST_A = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
const DIGEST_B = '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752'
const TYP = 'noai-tag+jws'

const b64 = (data) => Buffer.from(data).toString('base64url')
const PARAMS = { Ed25519: { name: 'Ed25519' }, ES256: { name: 'ECDSA', namedCurve: 'P-256' } }
const SIGN = { Ed25519: { name: 'Ed25519' }, ES256: { name: 'ECDSA', hash: 'SHA-256' } }

// ---------------------------------------------------------------------------------------------
// Test keys
async function newKey(issuer, kid, alg, status, extra = {}) {
  const pair = await crypto.subtle.generateKey(PARAMS[alg], true, ['sign', 'verify'])
  const { kty, crv, x, y, d } = await crypto.subtle.exportKey('jwk', pair.privateKey)
  const pub = y === undefined ? { kty, crv, x } : { kty, crv, x, y }
  return { issuer, kid, alg, status, ...extra, publicJwk: { ...pub, kid, alg }, privateJwk: { ...pub, d, kid, alg } }
}

async function loadKeys() {
  if (existsSync(KEYS_FILE) && !process.argv.includes('--new-keys')) return JSON.parse(readFileSync(KEYS_FILE, 'utf8'))
  const doc = {
    description:
      'TEST ONLY. These private keys are published with the conformance vectors so that anyone can ' +
      'reproduce them. They are compromised by design: never use them to sign or trust real tags.',
    keys: [
      await newKey(ISSUER, 'test-ed25519', 'Ed25519', 'active'),
      await newKey(ISSUER, 'test-es256', 'ES256', 'active'),
      await newKey(ISSUER, 'test-ed25519-retired', 'Ed25519', 'retired'),
      await newKey(ISSUER, 'test-ed25519-revoked', 'Ed25519', 'revoked', { revokedAt: '2026-03-01T00:00:00Z' }),
      await newKey(OTHER, 'other-ed25519', 'Ed25519', 'active'),
      {
        issuer: ISSUER,
        kid: 'test-broken',
        alg: 'Ed25519',
        status: 'active',
        note: 'A public key with a 3-byte x: not a usable Ed25519 key. Tokens naming it give key-invalid.',
        publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'test-broken', alg: 'Ed25519' },
      },
    ],
  }
  mkdirSync(DIR, { recursive: true })
  writeFileSync(KEYS_FILE, `${JSON.stringify(doc, null, 2)}\n`)
  return doc
}

const keysDoc = await loadKeys()
const key = (kid) => keysDoc.keys.find((k) => k.kid === kid)
const issuerKeys = keysDoc.keys.map(({ issuer, kid, status, revokedAt, publicJwk }) => ({
  issuer,
  kid,
  jwk: publicJwk,
  status,
  ...(revokedAt ? { revokedAt } : {}),
  source: 'options.keys',
}))

async function privateKey(kid) {
  const k = key(kid)
  const { kid: _k, alg: _a, ...jwk } = k.privateJwk
  return crypto.subtle.importKey('jwk', jwk, PARAMS[k.alg], false, ['sign'])
}

/** A compact JWS with any header and payload, signed by `kid`'s key with `alg`'s Web Crypto parameters. */
async function craft(header, payload, kid, alg = key(kid).alg) {
  const input = `${b64(JSON.stringify(header))}.${b64(typeof payload === 'string' ? payload : JSON.stringify(payload))}`
  const sig = new Uint8Array(await crypto.subtle.sign(SIGN[alg], await privateKey(kid), new TextEncoder().encode(input)))
  return `${input}.${b64(sig)}`
}

// ---------------------------------------------------------------------------------------------
// Tags
const TAG = {
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
const tag = (changes) => ({ ...TAG, ...changes })
const sign = (t, kid, alg) => signTag(t, key(kid).privateJwk, alg ? { alg } : {})
const hdr = (kid, extra = {}, alg = key(kid).alg) => ({ alg, typ: TYP, kid, ...extra })
const UNCHECKED = ['binding-not-checked', 'issuer-untrusted']
const trust = [ISSUER]

/** Changes one byte of the decoded payload (at a fixed offset) and re-encodes it canonically. */
function tamperPayload(jws, offset, from, to) {
  const [h, p, s] = jws.split('.')
  const bytes = Buffer.from(p, 'base64url')
  if (String.fromCharCode(bytes[offset]) !== from) throw new Error(`payload byte ${offset} is not ${from}`)
  bytes[offset] = to.charCodeAt(0)
  return `${h}.${b64(bytes)}.${s}`
}

/** Sets non-zero trailing bits in the last character of the signature (same bytes, other spelling). */
function nonCanonicalSignature(jws) {
  const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = ALPHA.indexOf(jws[jws.length - 1])
  return jws.slice(0, -1) + ALPHA[last | 0x03]
}

const V = {}
const add = (name, description, jws, options, state, codes) => (V[name] = { description, jws, options: { now: NOW, ...options }, expected: { state, codes } })

// ---- valid and trusted
add('valid-ed25519', 'Ed25519 (alg "Ed25519"), no binding asked, no trust list: valid.', await sign(TAG, 'test-ed25519'), {}, 'valid', UNCHECKED)
add('valid-es256', 'ES256, no binding asked, no trust list: valid.', await sign(TAG, 'test-es256'), {}, 'valid', UNCHECKED)
add('valid-eddsa-alg-name', 'Ed25519 under the alg name "EdDSA": accepted like "Ed25519".', await sign(TAG, 'test-ed25519', 'EdDSA'), {}, 'valid', UNCHECKED)
add('trusted-essence', 'Issuer trusted and the audio essence digest matches: trusted.', await sign(TAG, 'test-ed25519'), { essence: { format: 'flac', sha256: DIGEST_A }, trust }, 'trusted', [])
add('trusted-url', 'Issuer trusted and the URL is in subject.urls: trusted.', await sign(TAG, 'test-es256'), { url: 'https://issuer.example/track/1', trust }, 'trusted', [])
add('trusted-url-pattern', 'Issuer trusted and the URL matches subject.urlPatterns: trusted.', await sign(TAG, 'test-ed25519'), { url: 'https://issuer.example/album/7/track-2', trust }, 'trusted', [])
add('valid-trusted-issuer-unbound', 'Issuer trusted but no binding asked: at most valid.', await sign(TAG, 'test-ed25519'), { trust }, 'valid', ['binding-not-checked'])
add('valid-bound-untrusted', 'Binding checked but the issuer is not trusted: valid.', await sign(TAG, 'test-ed25519'), { essence: { format: 'flac', sha256: DIGEST_A } }, 'valid', ['issuer-untrusted'])
add('valid-retired-key', 'Signed by a retired key: still valid, with key-retired.', await sign(TAG, 'test-ed25519-retired'), {}, 'valid', ['key-retired', ...UNCHECKED])
add('valid-typ-media-type', 'typ "application/noai-tag+jws" (the full media type) is accepted.', await craft(hdr('test-ed25519', { typ: `application/${TYP}` }), TAG, 'test-ed25519'), {}, 'valid', UNCHECKED)
add('valid-typ-case', 'typ compared without regard to case (RFC 7515 §4.1.9).', await craft(hdr('test-ed25519', { typ: 'NoAI-Tag+JWS' }), TAG, 'test-ed25519'), {}, 'valid', UNCHECKED)
add('valid-utf8-payload', 'A payload with raw (unescaped) UTF-8: signTag escapes non-ASCII, but verifiers accept any UTF-8.', await craft(hdr('test-ed25519'), tag({ rightsHolder: { name: 'Zoë Ångström' } }), 'test-ed25519'), {}, 'valid', UNCHECKED)
add('valid-unknown-header-member', 'An unknown header member that is not crit is ignored (RFC 7515 §4).', await craft(hdr('test-ed25519', { 'x-note': 'hello' }), TAG, 'test-ed25519'), {}, 'valid', UNCHECKED)
add('valid-issued-within-tolerance', 'issued 4 minutes after now: within the default 300 s tolerance.', await sign(tag({ issued: '2026-06-01T00:04:00Z' }), 'test-ed25519'), {}, 'valid', UNCHECKED)
add('valid-self-only', 'A self-only subject cannot be bound: binding not checked, state at most valid.', await sign(tag({ subject: { self: true } }), 'test-ed25519'), { trust }, 'valid', ['binding-not-checked'])

// ---- invalid: the token
const big = await craft(hdr('test-ed25519', { 'x-padding': 'x'.repeat(2100) }), TAG, 'test-ed25519')
add('invalid-token-too-large', 'A protected header over SIGN_LIMITS.maxHeaderLength (2048 characters).', big, {}, 'invalid', ['token-too-large'])
const good = await sign(TAG, 'test-ed25519')
add('invalid-token-malformed', 'Only two parts.', good.split('.').slice(0, 2).join('.'), {}, 'invalid', ['token-malformed'])
add('invalid-encoding-non-canonical', 'The signature spelled with non-zero trailing bits (same bytes).', nonCanonicalSignature(good), {}, 'invalid', ['encoding-non-canonical'])
add('invalid-encoding-padding', 'The signature with "=" padding.', `${good}==`, {}, 'invalid', ['encoding-non-canonical'])
{
  const input = `${b64('{"alg":"Ed25519",')}.${b64(JSON.stringify(TAG))}`
  const sig = new Uint8Array(await crypto.subtle.sign(SIGN.Ed25519, await privateKey('test-ed25519'), new TextEncoder().encode(input)))
  add('invalid-header-malformed', 'The protected header is not JSON.', `${input}.${b64(sig)}`, {}, 'invalid', ['header-malformed'])
}
add('invalid-header-typ', 'typ "JWT".', await craft(hdr('test-ed25519', { typ: 'JWT' }), TAG, 'test-ed25519'), {}, 'invalid', ['header-typ-invalid'])
add('invalid-header-typ-missing', 'No typ.', await craft({ alg: 'Ed25519', kid: 'test-ed25519' }, TAG, 'test-ed25519'), {}, 'invalid', ['header-typ-invalid'])
add('invalid-kid-path', 'A kid with path characters.', await craft(hdr('test-ed25519', { kid: '../keys/test-ed25519' }), TAG, 'test-ed25519'), {}, 'invalid', ['kid-invalid'])
add('invalid-kid-missing', 'No kid.', await craft({ alg: 'Ed25519', typ: TYP }, TAG, 'test-ed25519'), {}, 'invalid', ['kid-invalid'])
{
  const h = b64(JSON.stringify(hdr('test-ed25519', {}, 'HS256')))
  const input = `${h}.${b64(JSON.stringify(TAG))}`
  // The classic confusion attack: HMAC keyed with the bytes of the issuer's public key.
  const sig = createHmac('sha256', JSON.stringify(key('test-ed25519').publicJwk)).update(input).digest()
  add('invalid-alg-hs256', 'HS256 keyed with the public key: alg not allowed.', `${input}.${b64(sig)}`, {}, 'invalid', ['alg-not-allowed'])
}
add('invalid-alg-none', 'alg "none" with an empty signature.', `${b64(JSON.stringify(hdr('test-ed25519', {}, 'none')))}.${b64(JSON.stringify(TAG))}.`, {}, 'invalid', ['alg-not-allowed'])
add('invalid-header-crit', 'A crit member (no critical extensions are defined).', await craft(hdr('test-ed25519', { crit: ['x-ext'], 'x-ext': 1 }), TAG, 'test-ed25519'), {}, 'invalid', ['header-crit-unsupported'])
add('invalid-header-b64', 'A b64 member (unencoded payloads are not allowed), even b64: true.', await craft(hdr('test-ed25519', { b64: true }), TAG, 'test-ed25519'), {}, 'invalid', ['header-b64-not-allowed'])
{
  const { kid: _k, alg: _a, ...attackerJwk } = key('other-ed25519').publicJwk
  add('invalid-header-jwk', 'An embedded jwk (a self-signed token).', await craft(hdr('other-ed25519', { kid: 'test-ed25519', jwk: attackerJwk }), TAG, 'other-ed25519'), {}, 'invalid', ['header-key-material-not-allowed'])
}
add('invalid-header-jku', 'A jku pointing at another key set.', await craft(hdr('test-ed25519', { jku: 'https://attacker.example/jwks.json' }), TAG, 'test-ed25519'), {}, 'invalid', ['header-key-material-not-allowed'])

// ---- invalid: the payload
add('invalid-payload-not-json', 'The payload is not JSON.', await craft(hdr('test-ed25519'), 'train-ai=n', 'test-ed25519'), {}, 'invalid', ['payload-not-json'])
add(
  'invalid-payload-duplicate-member',
  'Duplicate member names in the payload (JSON.parse would keep the last).',
  await craft(hdr('test-ed25519'), JSON.stringify(TAG).replace('"usage":{', '"usage":{"train-ai":"allowed",'), 'test-ed25519'),
  {},
  'invalid',
  ['payload-not-json'],
)
add('invalid-payload-schema', 'Valid JSON, not a valid tag.', await craft(hdr('test-ed25519'), tag({ usage: { 'train-ai': 'maybe' } }), 'test-ed25519'), {}, 'invalid', ['payload-schema-invalid'])
{
  const { issuer: _i, ...noIssuer } = TAG
  add('invalid-issuer-missing', 'A valid tag without issuer.', await craft(hdr('test-ed25519'), noIssuer, 'test-ed25519'), {}, 'invalid', ['issuer-missing'])
}

// ---- invalid: the key
add('invalid-key-not-found', 'A kid the verifier has no key for.', await craft(hdr('test-ed25519', { kid: 'unknown-key' }), TAG, 'test-ed25519'), {}, 'invalid', ['key-not-found'])
add('invalid-issuer-key-mismatch', 'Signed by a key of https://other.example for a tag naming https://issuer.example.', await craft(hdr('other-ed25519'), TAG, 'other-ed25519'), {}, 'invalid', ['issuer-key-mismatch'])
add('invalid-alg-key-mismatch', 'alg ES256 with the kid of an Ed25519 key.', await craft(hdr('test-ed25519', {}, 'ES256'), TAG, 'test-es256'), {}, 'invalid', ['alg-key-mismatch'])
add('invalid-key-invalid', 'The key named by kid is not a usable public key.', await craft(hdr('test-broken', {}, 'Ed25519'), TAG, 'test-ed25519'), {}, 'invalid', ['key-invalid'])
// Payload byte 285 is the "A" of "Test Artist"; "a" keeps the payload a valid tag.
add('invalid-signature-payload-byte', 'One payload byte changed (byte 285: "Test Artist" becomes "Test artist").', tamperPayload(good, 285, 'A', 'a'), {}, 'invalid', ['signature-mismatch'])
add('invalid-signature-es256', 'An ES256 signature of another message.', (await sign(TAG, 'test-es256')).split('.').slice(0, 2).join('.') + '.' + (await sign(tag({ issued: '2026-01-02T00:00:00Z' }), 'test-es256')).split('.')[2], {}, 'invalid', ['signature-mismatch'])
add('invalid-key-revoked', 'Signed by a revoked key (revoked after the tag was issued: still invalid).', await sign(TAG, 'test-ed25519-revoked'), {}, 'invalid', ['key-revoked', ...UNCHECKED])

// ---- invalid: time and binding
add('invalid-tag-expired', 'expires is before now minus the tolerance.', await sign(tag({ issued: '2025-01-01T00:00:00Z', expires: '2026-01-01T00:00:00Z' }), 'test-ed25519'), {}, 'invalid', ['tag-expired', ...UNCHECKED])
add('invalid-tag-not-yet-valid', 'issued is after now plus the tolerance.', await sign(tag({ issued: '2026-07-01T00:00:00Z' }), 'test-ed25519'), {}, 'invalid', ['tag-not-yet-valid', ...UNCHECKED])
add('invalid-content-hash-mismatch', 'The tag is bound to file A; the digest is of file B.', good, { essence: { format: 'flac', sha256: DIGEST_B }, trust }, 'invalid', ['content-hash-mismatch'])
add('invalid-url-not-covered', 'A URL the tag neither lists nor matches.', good, { url: 'https://issuer.example/other/1', trust }, 'invalid', ['url-not-covered'])
add('invalid-url-other-host', 'A URL pattern never matches another host.', good, { url: 'https://issuer.example.attacker.example/album/1', trust }, 'invalid', ['url-not-covered'])
add('invalid-binding-not-possible', 'A digest was given but the tag has no subject.essence.', await sign(tag({ subject: { urls: ['https://issuer.example/track/1'] } }), 'test-ed25519'), { essence: { format: 'flac', sha256: DIGEST_A }, trust }, 'invalid', ['binding-not-possible'])

// ---------------------------------------------------------------------------------------------
// Write, then check with the built verifyTag.
for (const f of readdirSync(DIR)) if (f !== 'keys.json' && f !== 'README.md' && f.endsWith('.json')) rmSync(`${DIR}${f}`)
let bad = 0
for (const [name, v] of Object.entries(V)) {
  writeFileSync(`${DIR}${name}.json`, `${JSON.stringify(v, null, 2)}\n`)
  const r = await verifyTag(v.jws, { ...v.options, now: new Date(v.options.now), keys: issuerKeys })
  if (r.state !== v.expected.state || JSON.stringify(r.codes) !== JSON.stringify(v.expected.codes)) {
    console.error(`${name}: expected ${v.expected.state} ${v.expected.codes.join(',')}; verifyTag gave ${r.state} ${r.codes.join(',')}`)
    bad++
  }
}
console.log(`wrote ${Object.keys(V).length} signed vectors to schema/v1/vectors/signed/${bad ? `; ${bad} disagree with verifyTag` : ''}`)
process.exitCode = bad ? 1 : 0
