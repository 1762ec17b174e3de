// The demo's throwaway signing key: a fresh Ed25519 pair made with Web Crypto, its `kid` the
// RFC 7638 thumbprint, the private JWK written (mode 0600) into the demo's temp dir only, so that
// it is deleted with it.
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'

/** RFC 7638 §3: SHA-256 of the required members in lexicographic order, base64url. */
function thumbprint({ crv, kty, x }) {
  return createHash('sha256').update(JSON.stringify({ crv, kty, x })).digest('base64url')
}

/**
 * Makes the key and writes `<dir>/<kid>.private.jwk`.
 * @returns {{ privateJwk: JsonWebKey & { kid: string }, publicJwk: JsonWebKey & { kid: string }, kid: string, file: string }}
 */
export async function makeThrowawayKey(dir) {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
  const { kty, crv, x, d } = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)
  const kid = `demo-${thumbprint({ crv, kty, x }).slice(0, 16)}`
  const publicJwk = { kty, crv, x, kid, alg: 'Ed25519' }
  const privateJwk = { ...publicJwk, d }
  const file = path.join(dir, `${kid}.private.jwk`)
  await writeFile(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 })
  return { privateJwk, publicJwk, kid, file }
}
