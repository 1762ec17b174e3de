/**
 * Example: a music site that serves every web carrier of the NoAI Tag from ONE tag and ONE site
 * policy, with Express 5:
 *
 * - a track page (`/tracks/1`) with the tag's head elements (`tagHtml`) and header fields
 *   (`tagHeaders`), signed with a throwaway key made at startup;
 * - its audio (`/audio/1.mp3`): a small MP3 stamped at startup with the signed tag (`writeAudioTag`),
 *   served with the same header fields and HTTP Range support;
 * - `robots.txt`, `ai.txt`, `/.well-known/tdmrep.json` and the site policy
 *   `/.well-known/noai-tag/policy.json`, all written from the policy (`robotsTxtFor`, `aiTxtFor`,
 *   `tdmrepJsonFor`) and served with `wellKnownHeaders`;
 * - the key set `/.well-known/noai-tag/jwks.json` (`keySetDocument`, `keySetHeaders`), so that
 *   crawlers can verify the signed tag (the issuer is this server's own origin; plain http is
 *   accepted by verifiers only for loopback, and only when they opt in);
 * - a home page and a press area that the policy leaves free to use.
 *
 * The policy denies AI training and allows search by default; the home page and /press/ allow
 * everything. The tag of track 1 states the policy's default.
 *
 * Run: npx tsx examples/server/server.ts --port 0     (prints its URL; Ctrl-C stops it)
 * Then: npx tsx examples/crawler/crawl.ts --start <URL> --use train-ai
 */
import { generateKeyPairSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import express, { type Request, type Response } from 'express'
import { WELL_KNOWN, type NoaiTag } from 'noai-tag'
import { audioEssence, writeAudioTag } from 'noai-tag/audio'
import { tagHtml } from 'noai-tag/html'
import { tagHeaders } from 'noai-tag/http'
import { SITE_PATHS, aiTxtFor, robotsTxtFor, tdmrepJsonFor, wellKnownHeaders, type NoaiPolicy } from 'noai-tag/robots'
import { keySetDocument, keySetHeaders, signTag, type JwkWithKid } from 'noai-tag/sign'

/** The recording served as /audio/1.mp3: a tiny MP3 without a tag, stamped at startup. */
const AUDIO_FIXTURE = new URL('../../test/fixtures/audio/mp3/bare.mp3', import.meta.url)

/** What {@link startServer} returns. */
export interface ExampleSite {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  /** The site policy every site-level file is written from. */
  readonly policy: NoaiPolicy
  /** The tag of track 1 (page and audio). */
  readonly tag: NoaiTag
  /** The tag, signed with the throwaway key. */
  readonly jws: string
  /** The public key, as served in the key set. */
  readonly publicKey: JwkWithKid
  /** The audio as served: the fixture with the signed tag embedded. */
  readonly audio: Uint8Array
  /** Stops the server. */
  close(): Promise<void>
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** @defaultValue 0 (a free port) */
  readonly port?: number
  /** @defaultValue '127.0.0.1' */
  readonly host?: string
  /** Called with every request, before it is answered (to log, or to count what a crawler fetched). */
  readonly onRequest?: (request: { readonly method: string; readonly path: string; readonly userAgent: string; readonly range?: string }) => void
}

/** The site policy: AI training denied and search allowed by default; the home page and /press/ free. */
function policyFor(origin: string): NoaiPolicy {
  return {
    version: 1,
    issuer: origin,
    default: { usage: { 'train-ai': 'denied', search: 'allowed' }, license: `${origin}/licensing` },
    rules: [
      { path: '/$', usage: { all: 'allowed' } },
      { path: '/press/', usage: { all: 'allowed' } },
    ],
    updated: '2026-11-26T12:00:00Z',
  }
}

const html = (title: string, head: string, body: string): string =>
  `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`

/** Serves bytes with single-range support (crawlers read an audio file's tag by Range requests). */
function sendBytes(req: Request, res: Response, bytes: Uint8Array, type: string, headers: Record<string, string>): void {
  setHeaders(res, { ...headers, 'Content-Type': type, 'Accept-Ranges': 'bytes' })
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.get('range') ?? '')
  if (m === null || (m[1] === '' && m[2] === '')) {
    res.send(Buffer.from(bytes))
    return
  }
  const size = bytes.length
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1])
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size || start > end) {
    res.status(416).set('Content-Range', `bytes */${size}`).end()
    return
  }
  res.status(206).set('Content-Range', `bytes ${start}-${end}/${size}`).send(Buffer.from(bytes.subarray(start, end + 1)))
}

/** Sets header fields as given (Express's `res.set` would add a charset to some content types). */
function setHeaders(res: Response, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
}

/** Sends text with exactly the given header fields. */
function sendText(res: Response, headers: Record<string, string>, text: string): void {
  setHeaders(res, headers)
  res.send(Buffer.from(text, 'utf8'))
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)))
  })
}

/**
 * Starts the example site. The tag is signed, and the audio stamped, once the port is known, since
 * the issuer and the tag's subject URLs name this server's origin.
 *
 * @example
 * ```ts
 * const site = await startServer({ port: 0 })
 * console.log(site.url)
 * await site.close()
 * ```
 */
export async function startServer(options: StartServerOptions = {}): Promise<ExampleSite> {
  const app = express()
  app.disable('x-powered-by')
  const onRequest = options.onRequest
  if (onRequest !== undefined) {
    app.use((req, _res, next) => {
      const range = req.get('range')
      onRequest({ method: req.method, path: req.originalUrl, userAgent: req.get('user-agent') ?? '', ...(range !== undefined ? { range } : {}) })
      next()
    })
  }
  const routes = express.Router()
  app.use(routes)
  const server = await listen(app, options.port ?? 0, options.host ?? '127.0.0.1')
  const { address, port } = server.address() as AddressInfo
  const origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`

  // One policy for the site, one tag for track 1 (its page and its audio), stating the policy's default.
  const policy = policyFor(origin)
  const bare = new Uint8Array(await readFile(AUDIO_FIXTURE))
  const essence = await audioEssence(bare)
  const tag: NoaiTag = {
    version: 1,
    issuer: origin,
    subject: { urls: [`${origin}/tracks/1`, `${origin}/audio/1.mp3`], essence: [essence] },
    usage: policy.default.usage,
    license: policy.default.license,
    issued: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  }

  // A throwaway Ed25519 key: its public half is served at the well-known key set path.
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const kid = `example-${Date.now().toString(36)}`
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid } as JwkWithKid
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid } as JwkWithKid
  const jws = await signTag(tag, privateJwk)
  const audio = await writeAudioTag(bare, { jws })

  const headers = tagHeaders(tag, { jws })
  const robotsTxt = robotsTxtFor(policy, { blockAiCrawlers: true })
  const aiTxt = aiTxtFor(policy)
  const tdmrep = tdmrepJsonFor(policy)
  const keySet = keySetDocument([publicJwk])

  routes.get('/', (_req, res) => {
    res.type('html').send(
      html(
        'Example Records',
        '',
        '<h1>Example Records</h1>\n<ul>\n<li><a href="/tracks/1">Track 1</a></li>\n<li><a href="/press/">Press</a></li>\n</ul>\n<p>Listen: <audio src="/audio/1.mp3" controls></audio></p>',
      ),
    )
  })
  routes.get('/tracks/1', (_req, res) => {
    setHeaders(res, headers)
    res.type('html').send(html('Track 1', tagHtml(tag, { jws }), '<h1>Track 1</h1>\n<audio src="/audio/1.mp3" controls></audio>\n<p><a href="/">Home</a></p>'))
  })
  routes.get('/audio/1.mp3', (req, res) => sendBytes(req, res, audio, 'audio/mpeg', headers))
  routes.get('/press/', (_req, res) => {
    res.type('html').send(html('Press', '', '<h1>Press</h1>\n<p><a href="/press/kit.html">Press kit</a></p>'))
  })
  routes.get('/press/kit.html', (_req, res) => {
    res.type('html').send(html('Press kit', '', '<h1>Press kit</h1>\n<p>Free to use.</p>'))
  })
  routes.get('/licensing', (_req, res) => {
    res.type('html').send(html('Licensing', '', '<h1>Licensing</h1>\n<p>Write to licensing@example.com.</p>'))
  })
  routes.get(SITE_PATHS.robotsTxt, (_req, res) => {
    sendText(res, wellKnownHeaders('robots.txt'), robotsTxt)
  })
  routes.get(SITE_PATHS.aiTxt, (_req, res) => {
    if (aiTxt === undefined) res.status(404).end()
    else sendText(res, wellKnownHeaders('ai.txt'), aiTxt)
  })
  routes.get(SITE_PATHS.tdmrep, (_req, res) => {
    sendText(res, wellKnownHeaders('tdmrep.json'), JSON.stringify(tdmrep, null, 2))
  })
  routes.get(SITE_PATHS.policy, (_req, res) => {
    sendText(res, wellKnownHeaders('policy'), JSON.stringify(policy, null, 2))
  })
  routes.get(WELL_KNOWN.keys, (_req, res) => {
    sendText(res, keySetHeaders(), JSON.stringify(keySet))
  })

  return {
    url: origin,
    policy,
    tag,
    jws,
    publicKey: publicJwk,
    audio,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((e) => (e ? reject(e) : resolve()))
      }),
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`)
  const site = await startServer({ port, host: values.host })
  console.log(site.url)
  const stop = (): void => void site.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  })
}
