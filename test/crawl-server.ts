// A local HTTP server for the crawl tests: routes by path, counts requests per path and the
// requests in flight, and records the User-Agent and Range headers seen. Listens on 127.0.0.1, port 0.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { vi } from 'vitest'

/**
 * Freezes `Date` until `vi.useRealTimers()` (timers and sockets stay real), so that a cache's
 * lifetimes end when the test moves the clock, not when a busy machine is slow between two checks.
 */
export function frozenDate(): { advance(ms: number): void } {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.UTC(2026, 0, 1))
  return { advance: (ms) => vi.setSystemTime(Date.now() + ms) }
}

/**
 * Waits until `condition()` holds, checking every 10 ms, for at most `ms`: for what the server
 * sees a moment after the client is done (a closed socket), however busy the machine is.
 */
export async function eventually(condition: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10))
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

/** A simple route: status, headers and body. */
export interface Reply {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
}

export interface TestServer {
  readonly origin: string
  url(path: string): string
  /** Sets what a path answers (a Reply or a handler). Paths include the query. */
  route(path: string, reply: Reply | Handler): void
  /** Requests seen per path. */
  readonly hits: Map<string, number>
  count(path: string): number
  total(): number
  /** Most requests in flight at once. */
  readonly peak: () => number
  /** User-Agent header of every request, in order. */
  readonly agents: string[]
  /** [path, time in ms] of every request, in order. */
  readonly times: [string, number][]
  /** Connections closed by the client before the response ended, per path. */
  readonly aborted: Map<string, number>
  close(): Promise<void>
}

export function reply(r: Reply): Handler {
  return (_req, res) => {
    res.writeHead(r.status ?? 200, { ...(r.headers ?? {}) })
    res.end(r.body ?? '')
  }
}

export const html = (head: string, body = '<p>hello</p>'): Reply => ({
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><html><head>${head}</head><body>${body}</body></html>`,
})

export const text = (body: string, headers: Record<string, string> = {}): Reply => ({ headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body })

export const json = (value: unknown, headers: Record<string, string> = {}): Reply => ({ headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) })

export async function startServer(routes: Record<string, Reply | Handler> = {}): Promise<TestServer> {
  const table = new Map<string, Handler>()
  const set = (path: string, r: Reply | Handler): void => {
    table.set(path, typeof r === 'function' ? r : reply(r))
  }
  for (const [p, r] of Object.entries(routes)) set(p, r)
  const hits = new Map<string, number>()
  const aborted = new Map<string, number>()
  const agents: string[] = []
  const times: [string, number][] = []
  let inFlight = 0
  let peak = 0
  const sockets = new Set<import('node:net').Socket>()
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/'
    hits.set(path, (hits.get(path) ?? 0) + 1)
    agents.push(String(req.headers['user-agent'] ?? ''))
    times.push([path, Date.now()])
    inFlight++
    peak = Math.max(peak, inFlight)
    let ended = false
    res.on('finish', () => (ended = true))
    res.on('close', () => {
      inFlight--
      if (!ended) aborted.set(path, (aborted.get(path) ?? 0) + 1)
    })
    const h = table.get(path) ?? table.get(path.split('?')[0]!) ?? reply({ status: 404, body: 'not found' })
    Promise.resolve(h(req, res)).catch(() => res.destroy())
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    url: (p) => `${origin}${p}`,
    route: set,
    hits,
    count: (p) => hits.get(p) ?? 0,
    total: () => [...hits.values()].reduce((a, b) => a + b, 0),
    peak: () => peak,
    agents,
    times,
    aborted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
