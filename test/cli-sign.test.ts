// `noai keygen`, `noai sign` and `noai verify`, run as a user runs them: the built CLI in a child
// process (see test/_cli.ts; `npm run build` first).
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './_cli.js'

const EXAMPLE = path.join(path.dirname(new URL(import.meta.url).pathname), '../examples/search-yes-training-no.json')
// The example is issued 2026-11-20T09:00:00Z; verify as of a fixed later time.
const NOW = ['--now', '2026-12-01T00:00:00Z']

let dir: string
const file = (...names: string[]): string => path.join(dir, ...names)

async function keygen(out: string, ...args: string[]): Promise<{ privateFile: string; jwksFile: string; kid: string }> {
  const r = await runCli(['keygen', '--out', out, ...args])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  const name = (await readdir(out)).find((f) => f.endsWith('.private.jwk'))!
  return { privateFile: path.join(out, name), jwksFile: path.join(out, 'jwks.json'), kid: name.replace(/\.private\.jwk$/, '') }
}

/** Changes one byte of the decoded payload ("The Quiet Hours" to "The quiet Hours", still a valid tag) and re-encodes it. */
function tamperPayload(jws: string): string {
  const [h, p, s] = jws.split('.')
  const bytes = Buffer.from(p!, 'base64url')
  const at = bytes.indexOf('Quiet')
  expect(at).toBeGreaterThan(0)
  bytes[at] = 'q'.charCodeAt(0)
  return `${h}.${bytes.toString('base64url')}.${s}`
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'noai-sign-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('noai keygen', () => {
  it('writes a private JWK (mode 0600, with kid and alg) and a public JWKS', async () => {
    const { privateFile, jwksFile, kid } = await keygen(file('ed'))
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/) // the RFC 7638 thumbprint
    expect((await stat(privateFile)).mode & 0o777).toBe(0o600)
    const priv = JSON.parse(await readFile(privateFile, 'utf8'))
    expect(priv).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid, alg: 'Ed25519' })
    expect(typeof priv.d).toBe('string')
    const jwks = JSON.parse(await readFile(jwksFile, 'utf8'))
    expect(jwks).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: priv.x, kid, alg: 'Ed25519', use: 'sig' }] })
  })

  it('makes ES256 keys with a chosen kid', async () => {
    const { privateFile, kid } = await keygen(file('es'), '--alg', 'ES256', '--kid', '2026-06')
    expect(kid).toBe('2026-06')
    expect(JSON.parse(await readFile(privateFile, 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: '2026-06' })
  })

  it('refuses to overwrite (exit 2) unless --force, which keeps mode 0600', async () => {
    const out = file('force')
    await keygen(out, '--kid', 'k1')
    const again = await runCli(['keygen', '--out', out, '--kid', 'k1'])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/exists; pass --force/)
    const before = await readFile(path.join(out, 'k1.private.jwk'), 'utf8')
    expect((await runCli(['keygen', '--out', out, '--kid', 'k1', '--force'])).code).toBe(0)
    expect(await readFile(path.join(out, 'k1.private.jwk'), 'utf8')).not.toBe(before)
    expect((await stat(path.join(out, 'k1.private.jwk'))).mode & 0o777).toBe(0o600)
  })

  it.each([
    ['an unknown algorithm', ['--alg', 'RS256']],
    ['a kid with a slash', ['--kid', '../evil']],
  ])('rejects %s with exit 2', async (_label, args) => {
    expect((await runCli(['keygen', '--out', file('bad'), ...args])).code).toBe(2)
  })
})

describe('keygen, sign, verify (issue 3 "done when")', () => {
  it('signs an example tag, verifies it valid, trusted with --trust and --url, and invalid once tampered', async () => {
    const { privateFile, jwksFile, kid } = await keygen(file('flow'))
    const signed = await runCli(['sign', EXAMPLE, '--key', privateFile])
    expect(signed.stderr).toBe('')
    expect(signed.code).toBe(0)
    const jws = signed.stdout.trim()
    expect(signed.stdout).toBe(`${jws}\n`)
    await writeFile(file('flow', 'tag.jws'), signed.stdout)

    const valid = await runCli(['verify', file('flow', 'tag.jws'), '--jwks', jwksFile, ...NOW])
    expect(valid.code).toBe(0)
    expect(valid.stdout).toContain('state: valid\n')
    expect(valid.stdout).toContain(`kid: ${kid}\n`)
    expect(valid.stdout).toContain('issuer-untrusted (information)')

    const trusted = await runCli(['verify', jws, '--jwks', jwksFile, '--trust', 'https://music.example', '--url', 'https://music.example/tracks/4711', ...NOW])
    expect(trusted.code).toBe(0)
    expect(trusted.stdout).toMatch(/^state: trusted\n/)
    expect(trusted.stdout).toContain('binding: checked\n')
    expect(trusted.stdout).toContain('codes: none\n')

    const tampered = await runCli(['verify', tamperPayload(jws), '--jwks', jwksFile, '--json', ...NOW])
    expect(tampered.code).toBe(1)
    const r = JSON.parse(tampered.stdout)
    expect(r).toMatchObject({ state: 'invalid', codes: ['signature-mismatch'], binding: 'not-checked', kid })
  })

  it('prints the result object with --json (the tag included) and reads the token from standard input', async () => {
    const { privateFile, jwksFile } = await keygen(file('json'))
    const jws = (await runCli(['sign', EXAMPLE, '--key', privateFile])).stdout
    const r = await runCli(['verify', '-', '--jwks', jwksFile, '--json', '--url', 'https://music.example/other', ...NOW], { input: jws })
    expect(r.code).toBe(1)
    const result = JSON.parse(r.stdout)
    expect(result).toMatchObject({ state: 'invalid', codes: ['url-not-covered', 'issuer-untrusted'], binding: 'checked', issuer: 'https://music.example' })
    expect(result.tag.usage).toEqual({ search: 'allowed', 'train-ai': 'denied' })
  })

  it('checks the essence binding given as FORMAT:SHA256', async () => {
    const { privateFile, jwksFile } = await keygen(file('essence'))
    const digest = 'ab'.repeat(32)
    const tag = { version: 1, issuer: 'https://music.example', subject: { essence: [{ format: 'flac', sha256: digest }] }, usage: { 'train-ai': 'denied' }, issued: '2026-01-01T00:00:00Z' }
    await writeFile(file('essence', 'tag.json'), JSON.stringify(tag))
    const jws = (await runCli(['sign', file('essence', 'tag.json'), '--key', privateFile])).stdout.trim()
    const ok = await runCli(['verify', jws, '--jwks', jwksFile, '--essence', `flac:${digest.toUpperCase()}`, '--trust', 'https://music.example', ...NOW])
    expect(ok.stdout).toMatch(/^state: trusted/)
    const other = await runCli(['verify', jws, '--jwks', jwksFile, '--essence', `flac:${'cd'.repeat(32)}`, ...NOW])
    expect(other.code).toBe(1)
    expect(other.stdout).toContain('content-hash-mismatch (invalid)')
  })
})

describe('noai sign: refusals', () => {
  let key: string
  let publicSet: string
  beforeAll(async () => {
    ;({ privateFile: key, jwksFile: publicSet } = await keygen(file('refuse')))
  })

  it('exits 1 with the issues for an invalid tag, and for a tag without issuer', async () => {
    await writeFile(file('refuse', 'bad.json'), JSON.stringify({ version: 1, issuer: 'https://a.example', subject: { self: true }, usage: { 'train-ai': 'maybe' }, issued: '2026-01-01T00:00:00Z' }))
    const bad = await runCli(['sign', file('refuse', 'bad.json'), '--key', key])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain('/usage/train-ai: must be one of "allowed", "denied" (enum)')
    await writeFile(file('refuse', 'noissuer.json'), JSON.stringify({ version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-01-01T00:00:00Z' }))
    const noIssuer = await runCli(['sign', file('refuse', 'noissuer.json'), '--key', key])
    expect(noIssuer.code).toBe(1)
    expect(noIssuer.stderr).toContain('/issuer: a signed tag must name its issuer')
  })

  it('exits 2 for a missing key file, a public key, or a missing --key', async () => {
    expect((await runCli(['sign', EXAMPLE, '--key', file('refuse', 'nope.jwk')])).code).toBe(2)
    const pub = JSON.parse(await readFile(publicSet, 'utf8')).keys[0]
    await writeFile(file('refuse', 'public.jwk'), JSON.stringify(pub))
    const r = await runCli(['sign', EXAMPLE, '--key', file('refuse', 'public.jwk')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('public key')
    expect((await runCli(['sign', EXAMPLE])).code).toBe(2)
  })
})

describe('noai verify: usage', () => {
  it('exits 2 without a key source, with both, or with a bad --url', async () => {
    const { privateFile, jwksFile } = await keygen(file('usage'))
    const jws = (await runCli(['sign', EXAMPLE, '--key', privateFile])).stdout.trim()
    expect((await runCli(['verify', jws])).code).toBe(2)
    expect((await runCli(['verify', jws, '--jwks', jwksFile, '--issuer-discovery'])).code).toBe(2)
    expect((await runCli(['verify', jws, '--jwks', jwksFile, '--url', 'not a url'])).code).toBe(2)
    expect((await runCli(['verify', file('usage', 'missing.jws'), '--jwks', jwksFile])).code).toBe(2)
  })

  it('exits 1 for garbage, naming the code', async () => {
    const { jwksFile } = await keygen(file('garbage'))
    const r = await runCli(['verify', 'a.b.c', '--jwks', jwksFile])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^state: invalid\n/)
  })
})

describe('noai verify --issuer-discovery', () => {
  let server: Server
  let origin: string
  let privateFile: string
  const requests: string[] = []

  beforeAll(async () => {
    const keys = await keygen(file('discovery'))
    privateFile = keys.privateFile
    const jwks = await readFile(keys.jwksFile, 'utf8')
    server = createServer((req, res) => {
      requests.push(req.url ?? '')
      if (req.url === '/.well-known/noai-tag/jwks.json') res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(jwks)
      else res.writeHead(404).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  it("fetches the issuer's well-known key set (loopback http only with --allow-http-loopback)", async () => {
    const tag = { version: 1, issuer: origin, subject: { urls: [`${origin}/track/1`] }, usage: { 'train-ai': 'denied' }, issued: '2026-01-01T00:00:00Z' }
    await writeFile(file('discovery', 'tag.json'), JSON.stringify(tag))
    const jws = (await runCli(['sign', file('discovery', 'tag.json'), '--key', privateFile])).stdout.trim()
    const r = await runCli(['verify', jws, '--issuer-discovery', '--allow-http-loopback', '--trust', origin, '--url', `${origin}/track/1`, '--json', ...NOW])
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'trusted', codes: [] })
    expect(r.code).toBe(0)
    expect(requests).toEqual(['/.well-known/noai-tag/jwks.json'])
    const refused = await runCli(['verify', jws, '--issuer-discovery', '--json', ...NOW])
    expect(refused.code).toBe(1)
    expect(JSON.parse(refused.stdout).codes).toEqual(['issuer-not-allowed'])
    expect(requests).toHaveLength(1)
  })
})
