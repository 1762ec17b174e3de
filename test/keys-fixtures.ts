// Shared helpers of the keys-*.test.ts files: a real HTTP server on 127.0.0.1 whose answers each
// test sets, real public keys, a counting fetch and a fake clock.
import { generateKeyPairSync } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WELL_KNOWN } from '../src/constants.js'

/** What the server answers to one request. */
export interface Answer {
  readonly status?: number
  readonly headers?: Record<string, string>
  /** The body; a JSON value is serialised. */
  readonly body?: string | Uint8Array | object
  /** Send the body in pieces without Content-Length (chunked transfer coding). */
  readonly chunked?: boolean
  /** Wait this long before answering. */
  readonly delayMs?: number
  /** Never answer. */
  readonly hang?: boolean
}

export interface TestServer {
  readonly origin: string
  readonly port: number
  /** Every request received (path and headers). */
  readonly requests: { path: string; headers: http.IncomingHttpHeaders }[]
  /** The answer function; the default answers 404. */
  answer: (path: string) => Answer
  close(): Promise<void>
}

export async function startServer(host = '127.0.0.1'): Promise<TestServer> {
  const requests: TestServer['requests'] = []
  const state = { answer: (_path: string): Answer => ({ status: 404, body: 'not found' }) }
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers })
    const a = state.answer(req.url ?? '')
    if (a.hang) return
    const send = (): void => {
      const body = a.body === undefined ? '' : typeof a.body === 'string' || a.body instanceof Uint8Array ? a.body : JSON.stringify(a.body)
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body)
      const headers: Record<string, string> = { ...(a.headers ?? {}) }
      if (!a.chunked && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['Content-Length'] = String(bytes.length)
      res.writeHead(a.status ?? 200, headers)
      if (!a.chunked) return void res.end(bytes)
      for (let i = 0; i < bytes.length; i += 4096) res.write(bytes.subarray(i, i + 4096))
      res.end()
    }
    if (a.delayMs) setTimeout(send, a.delayMs)
    else send()
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const port = (server.address() as AddressInfo).port
  return {
    origin: `http://${host}:${port}`,
    port,
    requests,
    get answer() {
      return state.answer
    },
    set answer(f) {
      state.answer = f
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A JSON key set answer (200, application/jwk-set+json). */
export function jwksAnswer(jwks: object, headers: Record<string, string> = {}): Answer {
  return { status: 200, headers: { 'Content-Type': 'application/jwk-set+json', ...headers }, body: jwks }
}

/** Answers `answer` on the well-known path and 404 elsewhere. */
export function atWellKnown(answer: Answer | (() => Answer)): (path: string) => Answer {
  return (path) => (path === WELL_KNOWN.keys ? (typeof answer === 'function' ? answer() : answer) : { status: 404, body: 'nope' })
}

/** A fresh public Ed25519 JWK with this kid. */
export function ed25519Jwk(kid: string): JsonWebKey & { kid: string } {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as JsonWebKey
  return { ...jwk, kid }
}

/** A fresh P-256 key pair as JWKs (private has `d`). */
export function p256Jwks(kid: string): { publicJwk: JsonWebKey & { kid: string }; privateJwk: JsonWebKey & { kid: string } } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    publicJwk: { ...(pair.publicKey.export({ format: 'jwk' }) as JsonWebKey), kid },
    privateJwk: { ...(pair.privateKey.export({ format: 'jwk' }) as JsonWebKey), kid },
  }
}

/** A fetch that records every URL it is called with. */
export function countingFetch(): { fetch: (url: string, init: RequestInit) => Promise<Response>; urls: string[] } {
  const urls: string[] = []
  return {
    urls,
    fetch: (url, init) => {
      urls.push(url)
      return globalThis.fetch(url, init)
    },
  }
}

/** A fake clock. */
export function fakeClock(start = 1_800_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms) }
}

/** A fake Keyv: a Map with async get/set/delete that stores JSON text, so that only plain JSON survives. */
export function fakeKeyv(): { store: { get(k: string): Promise<unknown>; set(k: string, v: unknown, ttl?: number): Promise<boolean>; delete(k: string): Promise<boolean> }; map: Map<string, string>; ttls: Map<string, number | undefined> } {
  const map = new Map<string, string>()
  const ttls = new Map<string, number | undefined>()
  return {
    map,
    ttls,
    store: {
      get: async (k) => (map.has(k) ? JSON.parse(map.get(k)!) : undefined),
      set: async (k, v, ttl) => {
        map.set(k, JSON.stringify(v))
        ttls.set(k, ttl)
        return true
      },
      delete: async (k) => map.delete(k),
    },
  }
}
