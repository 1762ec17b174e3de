/**
 * Example: the static server of the browser demo (examples/browser/index.html).
 *
 * It plays two parties on two loopback origins:
 * - the issuer (a platform that signs tags): a fresh Ed25519 key, its key set served at
 *   `/.well-known/noai-tag/jwks.json` with `keySetHeaders()`, whose `Access-Control-Allow-Origin: *`
 *   lets pages on other origins fetch it (docs/spec.md §14.7);
 * - the site: the page, its script (examples/browser/main.ts bundled by esbuild into one classic
 *   script), and two sample files: `sample.flac`, stamped with a tag the issuer signed for its
 *   audio essence, and `forged.mp3`, another recording carrying that same tag.
 *
 * The page runs entirely in the browser: drop any audio file on it and it reads the tag, hashes the
 * essence and verifies the signature with Web Crypto, fetching the issuer's keys cross-origin.
 *
 * Run: `npm run build && npx tsx examples/browser/server.ts` (then open the URL it prints).
 * The page must be opened from a loopback address (127.0.0.1 or localhost) or over https: Web
 * Crypto exists only in secure contexts.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as esbuild from 'esbuild'
import { WELL_KNOWN, type NoaiTag } from 'noai-tag'
import { audioEssence, writeAudioTag } from 'noai-tag/audio'
import { keySetDocument, keySetHeaders, signTag } from 'noai-tag/sign'

const HERE = new URL('./', import.meta.url)
/** The untagged recordings the samples are made from (the package's audio conformance vectors). */
const VECTORS = new URL('../../schema/v1/vectors/audio/', import.meta.url)

/** Options of {@link startExample}. */
export interface ExampleOptions {
  /** The loopback address to listen on. @defaultValue `127.0.0.1` */
  readonly host?: string
  /** The site's port (0: any free port). @defaultValue 8080 */
  readonly port?: number
  /** The issuer's port (0: any free port). @defaultValue 8081 */
  readonly issuerPort?: number
}

/** A running example. */
export interface RunningExample {
  /** The page: `http://127.0.0.1:8080/`. */
  readonly siteUrl: string
  /** The issuer origin the sample tags name: `http://127.0.0.1:8081`. */
  readonly issuer: string
  /** Requests for the key set, with the `Origin` header each came with (a cross-origin fetch sends one). */
  readonly keySetRequests: readonly { readonly origin: string | undefined }[]
  /** Stops both servers. */
  close(): Promise<void>
}

/** Bundles main.ts (and the noai-tag subpaths it imports) into one classic script (an IIFE). */
export async function buildPageScript(): Promise<Uint8Array> {
  const r = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('main.ts', HERE))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'error',
  })
  return r.outputFiles[0]!.contents
}

const listen = (server: Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
  })

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections() // browsers keep connections open
  })

/** Serves fixed files only: nothing from the request path ever reaches the file system. */
function staticHandler(files: ReadonlyMap<string, { readonly type: string; readonly body: Uint8Array | string }>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const file = req.method === 'GET' || req.method === 'HEAD' ? files.get(path) : undefined
    if (file === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }
}

/** Starts the issuer and the site. */
export async function startExample(options: ExampleOptions = {}): Promise<RunningExample> {
  const host = options.host ?? '127.0.0.1'
  const keySetRequests: { origin: string | undefined }[] = []

  // The issuer: a key pair made with Web Crypto, its public half served as a key set.
  let keySetBody = '{"keys":[]}'
  const issuerServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (req.method !== 'GET' || path !== WELL_KNOWN.keys) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found')
      return
    }
    keySetRequests.push({ origin: req.headers.origin })
    res.writeHead(200, keySetHeaders({ maxAgeSeconds: 60 })).end(keySetBody)
  })
  const issuerPort = await listen(issuerServer, options.issuerPort ?? 8081, host)
  const issuer = `http://${host}:${issuerPort}`
  const kid = 'demo-ed25519'
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair
  const publicJwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid }
  keySetBody = JSON.stringify(keySetDocument([publicJwk]))

  // The samples: a FLAC stamped with a tag signed for its essence, and an MP3 carrying the same tag.
  const flac = new Uint8Array(await readFile(new URL('flac-untagged.flac', VECTORS)))
  const mp3 = new Uint8Array(await readFile(new URL('mp3-id3v24-untagged.mp3', VECTORS)))
  const tag: NoaiTag = {
    version: 1,
    issuer,
    subject: { essence: [await audioEssence(flac)] },
    rightsHolder: { name: 'Demo Artist' },
    usage: { search: 'allowed', 'train-ai': 'denied' },
    issued: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  }
  const jws = await signTag(tag, pair.privateKey, { kid })
  const files = new Map<string, { type: string; body: Uint8Array | string }>([
    ['/', { type: 'text/html; charset=utf-8', body: (await readFile(new URL('index.html', HERE), 'utf8')).replace('{{TRUSTED_ISSUER}}', issuer) }],
    ['/main.js', { type: 'text/javascript; charset=utf-8', body: await buildPageScript() }],
    ['/sample.flac', { type: 'audio/flac', body: await writeAudioTag(flac, { jws }) }],
    ['/forged.mp3', { type: 'audio/mpeg', body: await writeAudioTag(mp3, { jws }) }],
  ])

  const siteServer = createServer(staticHandler(files))
  let sitePort: number
  try {
    sitePort = await listen(siteServer, options.port ?? 8080, host)
  } catch (e) {
    await closeServer(issuerServer)
    throw e
  }
  return {
    siteUrl: `http://${host}:${sitePort}/`,
    issuer,
    keySetRequests,
    close: async () => {
      await Promise.all([closeServer(siteServer), closeServer(issuerServer)])
    },
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startExample().then(
    (example) => {
      console.log(`Open ${example.siteUrl} and drop an audio file on the page (or try its samples).`)
      console.log(`The issuer ${example.issuer} serves its key set at ${example.issuer}${WELL_KNOWN.keys}. Ctrl-C stops.`)
    },
    (e: unknown) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
