// Security tests of key discovery (docs/spec.md §14, §15). Each check is also proven to bite: the
// test is run again with that check switched off through a test-only hook, and must then fail.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WELL_KNOWN } from '../src/constants.js'
import { KEYS_TEST_HOOKS } from '../src/sign/keys/_hooks.js'
import { createKeyResolver, createStaticKeyResolver, parseKeySet, type KeyResolverOptions } from '../src/sign/keys/index.js'
import { atWellKnown, countingFetch, ed25519Jwk, jwksAnswer, p256Jwks, startServer, type TestServer } from './keys-fixtures.js'

type Hook = keyof typeof KEYS_TEST_HOOKS

/** Runs `check` with `hooks` switched on and asserts that it then fails. */
async function bites(hooks: Hook | Hook[], check: () => Promise<void> | void): Promise<void> {
  const names = Array.isArray(hooks) ? hooks : [hooks]
  for (const h of names) KEYS_TEST_HOOKS[h] = true
  try {
    await expect((async () => check())()).rejects.toThrow()
  } finally {
    for (const h of names) KEYS_TEST_HOOKS[h] = false
  }
}

let server: TestServer
let other: TestServer // another origin: same host, another port
let otherHost: TestServer // another host name for the same machine
let issuer: string
let keysUrl: string
const A = ed25519Jwk('a')

beforeAll(async () => {
  ;[server, other, otherHost] = await Promise.all([startServer(), startServer(), startServer('localhost')])
  issuer = server.origin
  keysUrl = issuer + WELL_KNOWN.keys
  other.answer = () => jwksAnswer({ keys: [A] })
  otherHost.answer = () => jwksAnswer({ keys: [A] })
})
afterAll(() => Promise.all([server.close(), other.close(), otherHost.close()]))
beforeEach(() => {
  server.requests.length = 0
  other.requests.length = 0
  otherHost.requests.length = 0
})

function resolver(extra: KeyResolverOptions = {}) {
  const counter = countingFetch()
  return { r: createKeyResolver({ allowHttpLoopback: true, fetch: counter.fetch, ...extra }), urls: counter.urls }
}

it('ships with every hook off', () => {
  expect(Object.values(KEYS_TEST_HOOKS).every((v) => v === false)).toBe(true)
})

describe('a key set behind a redirect to another origin', () => {
  const cases = [
    ['another port', () => other],
    ['another host', () => otherHost],
  ] as const
  for (const [what, target] of cases) {
    const check = async (): Promise<void> => {
      server.answer = atWellKnown({ status: 302, headers: { Location: target().origin + WELL_KNOWN.keys } })
      const { r, urls } = resolver()
      const res = await r.lookup(issuer, 'a')
      expect(res).toMatchObject({ found: false, failure: 'key-set-invalid', detail: expect.stringContaining('another origin') })
      expect(urls).toEqual([keysUrl])
      expect(target().requests).toHaveLength(0)
    }
    it(`is refused (${what})`, check)
    it(`is refused (${what}): the check bites`, () => bites('allowCrossOriginRedirect', check))
  }

  const downgrade = async (): Promise<void> => {
    // An https issuer redirected to http on the same host is another origin too.
    const fetch = async (url: string): Promise<Response> =>
      url.startsWith('https://')
        ? new Response(null, { status: 301, headers: { Location: `http://keys.example${WELL_KNOWN.keys}` } })
        : new Response(JSON.stringify({ keys: [A] }), { headers: { 'Content-Type': 'application/json' } })
    const res = await createKeyResolver({ fetch }).lookup('https://keys.example', 'a')
    expect(res).toMatchObject({ found: false, failure: 'key-set-invalid' })
  }
  it('is refused for an https to http downgrade', downgrade)
  it('is refused for an https to http downgrade: the check bites', () => bites('allowCrossOriginRedirect', downgrade))
})

describe('an issuer whose origin differs from where its keys were found', () => {
  // A fetch function that follows redirects itself (ignoring redirect: 'manual') ends on another origin.
  const check = async (): Promise<void> => {
    server.answer = atWellKnown({ status: 302, headers: { Location: other.origin + WELL_KNOWN.keys } })
    const following = (url: string, init: RequestInit): Promise<Response> => globalThis.fetch(url, { ...init, redirect: 'follow' })
    const res = await createKeyResolver({ allowHttpLoopback: true, fetch: following }).lookup(issuer, 'a')
    expect(res).toMatchObject({ found: false, failure: 'key-set-invalid', detail: expect.stringContaining('another origin') })
  }
  it('is refused when the fetch function followed a redirect', check)
  it('is refused when the fetch function followed a redirect: the check bites', () => bites('skipResponseOriginCheck', check))

  it('never attributes keys to another issuer than the one asked', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
    const res = await resolver().r.lookup(issuer, 'a')
    expect(res.found && [res.key.issuer, new URL(res.key.source).origin]).toEqual([issuer, issuer])
  })

  const staticCheck = async (): Promise<void> => {
    const keys = parseKeySet({ keys: [A] }, 'https://a.example', 'options.keys')
    const r = createStaticKeyResolver(keys)
    expect(await r.lookup('https://b.example', 'a')).toMatchObject({ found: false, failure: 'key-not-found' })
    expect((await r.lookup('https://a.example', 'a')).found).toBe(true)
  }
  it('static keys are found only under their own issuer', staticCheck)
  it('static keys are found only under their own issuer: the check bites', () => bites('skipStaticIssuerMatch', staticCheck))
})

describe('a key set response over the size limit', () => {
  // A valid key set padded past the limit, so that only the size check can refuse it.
  const padded = JSON.stringify({ keys: [A], padding: 'x'.repeat(70_000) })
  for (const chunked of [false, true]) {
    const check = async (): Promise<void> => {
      server.answer = atWellKnown({ status: 200, headers: { 'Content-Type': 'application/json' }, body: padded, chunked })
      const res = await resolver().r.lookup(issuer, 'a')
      expect(res).toMatchObject({ found: false, failure: 'key-set-invalid', detail: expect.stringContaining('maxBytes = 65536') })
    }
    const how = chunked ? 'without Content-Length (chunked)' : 'with Content-Length'
    it(`is refused ${how}`, check)
    it(`is refused ${how}: the check bites`, () => bites('skipSizeLimit', check))
  }

  it('a Content-Length that understates the body does not help', async () => {
    const body = new TextEncoder().encode(padded)
    const fetch = async (): Promise<Response> => new Response(body, { headers: { 'Content-Type': 'application/json', 'Content-Length': '10' } })
    const res = await createKeyResolver({ fetch }).lookup('https://keys.example', 'a')
    expect(res).toMatchObject({ found: false, failure: 'key-set-invalid', detail: expect.stringContaining('maxBytes') })
  })

  it('honours a lower maxBytes', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
    expect(await resolver({ maxBytes: 50 }).r.lookup(issuer, 'a')).toMatchObject({ failure: 'key-set-invalid' })
  })
})

describe('a key set response with the wrong content type', () => {
  for (const type of ['text/html', 'text/plain', 'application/octet-stream', 'application/jwk+json', undefined]) {
    const check = async (): Promise<void> => {
      server.answer = atWellKnown({ status: 200, headers: type === undefined ? {} : { 'Content-Type': type }, body: { keys: [A] } })
      const res = await resolver().r.lookup(issuer, 'a')
      expect(res).toMatchObject({ found: false, failure: 'key-set-invalid', detail: expect.stringContaining('Content-Type') })
    }
    it(`is refused (${type ?? 'none'})`, check)
    it(`is refused (${type ?? 'none'}): the check bites`, () => bites('skipContentTypeCheck', check))
  }
})

describe('a kid with path or URL characters', () => {
  const hostile = ['../a', 'a/b', '/.well-known/x', 'https://evil.example/jwks.json', '%2e%2e%2fa', 'a?b=c', 'a#b', 'a\\b', '', 'a'.repeat(129), 'é']
  const check = async (): Promise<void> => {
    server.answer = atWellKnown(jwksAnswer({ keys: [A] }))
    const { r, urls } = resolver()
    for (const kid of hostile) {
      expect(await r.lookup(issuer, kid)).toMatchObject({ found: false, failure: 'key-not-found' })
    }
    // No request was built from any of them; none was made at all.
    expect(urls).toEqual([])
    expect(server.requests).toHaveLength(0)
    // The only URL ever requested is the well-known one, whatever the kid.
    await r.lookup(issuer, 'a')
    await r.lookup(issuer, 'unknown')
    expect(new Set(urls)).toEqual(new Set([keysUrl]))
    expect(server.requests.map((q) => q.path)).toEqual([WELL_KNOWN.keys])
  }
  it('is never found and never causes a request', check)
  it('is never found and never causes a request: the check bites', () => bites('skipKidSyntaxCheck', check))

  const inSet = (): void => {
    for (const kid of ['../a', 'https://evil.example/k', 'a/b']) {
      expect(() => parseKeySet({ keys: [{ ...A, kid }] }, issuer, keysUrl)).toThrow(/kid/)
    }
  }
  it('makes a key set invalid', inSet)
  it('makes a key set invalid: the check bites', () => bites('skipKidSyntaxCheck', inSet))
})

describe('issuers keys may not be fetched from', () => {
  const check = async (): Promise<void> => {
    const strict = countingFetch()
    const r = createKeyResolver({ fetch: strict.fetch }) // no loopback opt-in
    const loose = countingFetch()
    const withOptIn = createKeyResolver({ fetch: loose.fetch, allowHttpLoopback: true, timeoutMs: 200 })
    const refused = [
      [r, issuer], // http loopback without opt-in
      [r, 'http://localhost:1'],
      [r, 'http://[::1]:1'],
      [withOptIn, 'http://keys.example'], // http, not loopback
      [withOptIn, 'http://10.0.0.1'],
      [withOptIn, `${issuer}/`], // not exactly an origin
      [withOptIn, `${issuer}/tenant`],
      [withOptIn, 'https://keys.example/path'],
      [withOptIn, 'https://keys.example?x=1'],
      [withOptIn, 'https://user@keys.example'],
      [withOptIn, 'https://KEYS.example'],
      [withOptIn, 'https://keys.example:443'],
      [withOptIn, 'ftp://keys.example'],
      [withOptIn, 'file:///etc/passwd'],
      [withOptIn, 'keys.example'],
    ] as const
    for (const [res, iss] of refused) {
      expect(await res.lookup(iss, 'a'), iss).toMatchObject({ found: false, failure: 'issuer-not-allowed' })
    }
    expect([...strict.urls, ...loose.urls]).toEqual([])
  }
  it('are refused without any request', check)
  it('are refused without any request: the check bites', () => bites('skipIssuerCheck', check))
})

describe('private keys in a key set', () => {
  const check = (): void => {
    expect(() => parseKeySet({ keys: [p256Jwks('a').privateJwk] }, issuer, keysUrl)).toThrow(/private/)
  }
  it('make it invalid', check)
  it('make it invalid: the check bites', () => bites('skipPrivateMemberCheck', check))

  it('make a fetched set key-set-invalid', async () => {
    server.answer = atWellKnown(jwksAnswer({ keys: [p256Jwks('a').privateJwk] }))
    expect(await resolver().r.lookup(issuer, 'a')).toMatchObject({ found: false, failure: 'key-set-invalid', detail: expect.stringContaining('private') })
  })
})
