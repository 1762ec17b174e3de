// A loopback web site for the web conformance vectors (schema/v1/vectors/web/) and the web
// examples: serves a vector's files, with their status and header fields, on 127.0.0.1 at a port
// the system picks, answers single byte-range requests for bodies (audio is read by Range), and
// records every request. Nothing here leaves the machine.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Socket } from 'node:net'

/** The placeholder a vector writes for the site's own origin (`http://127.0.0.1:PORT`). */
export const ORIGIN_PLACEHOLDER = '{{origin}}'

/** One file of a site, as a vector writes it (schema/v1/vectors/web/README.md). */
export interface SiteFile {
  /** HTTP status. @defaultValue 200 */
  readonly status?: number
  /** Header fields; an array value is sent as several field lines. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>
  /** The body as text, sent as UTF-8. */
  readonly body?: string
  /** The body as base64, for binary files. */
  readonly bodyBase64?: string
}

/** A site: paths (with the query, if any) to files. A path not listed answers 404. */
export type Site = Readonly<Record<string, SiteFile>>

/** A request the site received. */
export interface SiteRequest {
  readonly method: string
  readonly path: string
  readonly userAgent: string
  readonly range: string | undefined
}

/** A running site. */
export interface LoopbackSite {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /** The absolute URL of a path. */
  url(path: string): string
  /** Every request, in order. */
  readonly requests: readonly SiteRequest[]
  /** How many requests asked for a path. */
  count(path: string): number
  close(): Promise<void>
}

/** Replaces the origin placeholder in a text. */
export function withOrigin(text: string, origin: string): string {
  return text.split(ORIGIN_PLACEHOLDER).join(origin)
}

function bodyOf(file: SiteFile, origin: string): Buffer {
  if (file.bodyBase64 !== undefined) return Buffer.from(file.bodyBase64, 'base64')
  return Buffer.from(withOrigin(file.body ?? '', origin), 'utf8')
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` over a body of `size` bytes; undefined when not satisfiable or not one range. */
function rangeOf(header: string | undefined, size: number): [number, number] | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (m === null || (m[1] === '' && m[2] === '')) return undefined
  if (m[1] === '') {
    const n = Math.min(Number(m[2]), size)
    return n === 0 ? undefined : [size - n, size - 1]
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  return start < size && start <= end ? [start, end] : undefined
}

function answer(req: IncomingMessage, res: ServerResponse, file: SiteFile | undefined, origin: string): void {
  if (file === undefined) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('not found')
    return
  }
  const status = file.status ?? 200
  for (const [name, value] of Object.entries(file.headers ?? {})) {
    res.setHeader(name, typeof value === 'string' ? withOrigin(value, origin) : value.map((v) => withOrigin(v, origin)))
  }
  const body = bodyOf(file, origin)
  const range = status === 200 ? rangeOf(req.headers.range, body.length) : undefined
  if (status === 200 && body.length > 0) res.setHeader('accept-ranges', 'bytes')
  if (range !== undefined) {
    res.statusCode = 206
    res.setHeader('content-range', `bytes ${range[0]}-${range[1]}/${body.length}`)
    res.setHeader('content-length', range[1] - range[0] + 1)
    res.end(req.method === 'HEAD' ? undefined : body.subarray(range[0], range[1] + 1))
    return
  }
  res.statusCode = status
  res.setHeader('content-length', body.length)
  res.end(req.method === 'HEAD' ? undefined : body)
}

/**
 * Serves `site` on 127.0.0.1, port 0. `{{origin}}` in bodies and header values becomes the
 * site's origin.
 *
 * @example
 * ```ts
 * const site = await serveSite({ '/robots.txt': { body: 'User-agent: *\nDisallow: /private/\n' } })
 * await fetch(site.url('/robots.txt'))
 * await site.close()
 * ```
 */
export async function serveSite(site: Site): Promise<LoopbackSite> {
  const requests: SiteRequest[] = []
  const sockets = new Set<Socket>()
  let origin = ''
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    requests.push({ method: req.method ?? 'GET', path, userAgent: String(req.headers['user-agent'] ?? ''), range: req.headers.range })
    const file = Object.hasOwn(site, path) ? site[path] : Object.hasOwn(site, path.split('?')[0]!) ? site[path.split('?')[0]!] : undefined
    answer(req, res, file, origin)
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    url: (p) => `${origin}${p}`,
    requests,
    count: (p) => requests.filter((r) => r.path === p).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
