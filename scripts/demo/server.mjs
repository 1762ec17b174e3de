// The demo's web server: node:http on 127.0.0.1 (a port the system picks), serving a table of
// routes built later (the site needs the server's origin first: it is the tags' issuer). Media
// answer Range requests (RFC 9110 §14), as a real media host does, so the crawler reads only the
// metadata of audio files. Counts requests and bytes, for the summary.
import { createServer } from 'node:http'

/** @typedef {{ headers: Record<string, string>, body: string | Uint8Array, ranged?: boolean }} Route */

const RANGE = /^bytes=(\d+)-(\d*)$/

/** Writes a route's answer, honouring a single `bytes=a-b` range on ranged routes. */
function answer(req, res, route) {
  const body = typeof route.body === 'string' ? new TextEncoder().encode(route.body) : route.body
  const headers = { ...route.headers, ...(route.ranged ? { 'Accept-Ranges': 'bytes' } : {}) }
  const m = route.ranged ? RANGE.exec(String(req.headers.range ?? '')) : null
  let status = 200
  let part = body
  if (m !== null) {
    const start = Number(m[1])
    if (start >= body.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` })
      return void res.end()
    }
    const end = Math.min(body.length - 1, m[2] === '' ? body.length - 1 : Number(m[2]))
    part = body.subarray(start, end + 1)
    status = 206
    headers['Content-Range'] = `bytes ${start}-${end}/${body.length}`
  }
  headers['Content-Length'] = String(part.length)
  res.writeHead(status, headers)
  res.end(req.method === 'HEAD' ? undefined : part)
  return part.length
}

/**
 * Starts the server. `setRoutes` installs the site; until then every path is 404.
 * @returns {Promise<{ origin: string, setRoutes(routes: Map<string, Route>): void, stats: { requests: number, bytes: number, byPath: Map<string, number> }, close(): Promise<void> }>}
 */
export async function startDemoServer() {
  /** @type {Map<string, Route>} */
  let routes = new Map()
  const stats = { requests: 0, bytes: 0, byPath: new Map() }
  const sockets = new Set()
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname
    stats.requests++
    stats.byPath.set(path, (stats.byPath.get(path) ?? 0) + 1)
    const route = routes.get(path)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' })
      return void res.end()
    }
    if (route === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      return void res.end('not found\n')
    }
    stats.bytes += answer(req, res, route) ?? 0
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()
  return {
    origin: `http://127.0.0.1:${port}`,
    setRoutes: (r) => (routes = r),
    stats,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
