/**
 * Example: a platform's upload pipeline. An HTTP service (Express 5, multer) that takes audio
 * uploads, stamps each track with a signed NoAI Tag bound to its audio essence, stores it, and
 * serves it back with the matching header fields, a track page with the tag in its head, robots.txt,
 * the site policy and the key set. Memory stays bounded whatever the upload's size: the body is
 * spooled to disk as it arrives, hashed and stamped in chunks, and served as a stream.
 *
 * Run:  npx tsx examples/upload-pipeline/server.ts --port 0        (prints its URL; Ctrl-C stops it)
 * Then: curl -F track=@song.flac -F 'usage=train-ai=n, search=y' http://127.0.0.1:PORT/upload
 *
 * Options (each also an environment variable):
 *   --port N                 (PORT)                 default 0: a free port
 *   --host H                 (HOST)                 default 127.0.0.1
 *   --data-dir DIR           (NOAI_DATA_DIR)        spool/ and tracks/ go here; default a temp dir, deleted on exit
 *   --key FILE               (NOAI_SIGNING_KEY)     the private JWK to sign with (noai keygen); default a throwaway key
 *   --public-origin ORIGIN   (NOAI_PUBLIC_ORIGIN)   the https origin clients reach the service at (behind a proxy);
 *                                                   default this server's own http://127.0.0.1:PORT
 *   --max-upload-mib N       (NOAI_MAX_UPLOAD_MIB)  default 200
 *
 * The issuer of the tags is the public origin, whose /.well-known/noai-tag/jwks.json this service
 * serves. Verifiers accept plain http issuers only for loopback and only when they opt in
 * (`allowHttpLoopback`): in production, set --public-origin to your https origin.
 */
import { createServer, type Server } from 'node:http'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { sitePolicy, type Usage } from './site.js'
import { createUploadApp } from './app.js'
import { loadSigningKey, type SigningKey } from './signing-key.js'

/** Default bound on an upload: 200 MiB, a long lossless track. */
export const DEFAULT_MAX_UPLOAD_BYTES = 200 * 2 ** 20

/** The site's usage unless told otherwise: search allowed, AI training denied. */
export const DEFAULT_SITE_USAGE: Usage = { search: 'allowed', 'train-ai': 'denied' }

/** Options of {@link startUploadServer}. */
export interface UploadServerOptions {
  /** @defaultValue 0 (a free port) */
  readonly port?: number
  /** @defaultValue '127.0.0.1' */
  readonly host?: string
  /** Where spool/ and tracks/ live. @defaultValue a new temp dir, deleted by `close()` */
  readonly dataDir?: string
  /** A private JWK file to sign with. @defaultValue a throwaway Ed25519 key */
  readonly keyFile?: string
  /** The origin clients reach the service at. @defaultValue `http://HOST:PORT` */
  readonly publicOrigin?: string
  /** @defaultValue {@link DEFAULT_MAX_UPLOAD_BYTES} */
  readonly maxUploadBytes?: number
  /** @defaultValue {@link DEFAULT_SITE_USAGE} */
  readonly siteUsage?: Usage
}

/** A running upload service. */
export interface UploadServer {
  /** The URL the server listens at (`http://127.0.0.1:PORT`). */
  readonly url: string
  /** The issuer origin, and base of the public URLs. */
  readonly origin: string
  readonly dataDir: string
  readonly key: SigningKey
  /** Stops the server (and deletes the data dir when it was a temp dir of its own). */
  close(): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function originOf(value: string): string {
  const url = new URL(value)
  if (url.origin !== value.replace(/\/$/, '')) throw new Error(`the public origin must be an origin such as https://music.example, not ${value}`)
  return url.origin
}

/**
 * Starts an upload service.
 *
 * @example
 * ```ts
 * const service = await startUploadServer({ port: 0 })
 * const form = new FormData()
 * form.append('track', new Blob([bytes]), 'song.flac')
 * const res = await fetch(`${service.url}/upload`, { method: 'POST', body: form })
 * await service.close()
 * ```
 */
export async function startUploadServer(options: UploadServerOptions = {}): Promise<UploadServer> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'noai-upload-')))
  const spoolDir = path.join(dataDir, 'spool')
  const storeDir = path.join(dataDir, 'tracks')
  await mkdir(spoolDir, { recursive: true })
  await mkdir(storeDir, { recursive: true })
  const key = await loadSigningKey(options.keyFile)

  // Listen first: the issuer and the public URLs name the port when no public origin is given.
  const server = createServer()
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1')
  const { address, port } = server.address() as AddressInfo
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  const origin = options.publicOrigin === undefined ? url : originOf(options.publicOrigin)
  const siteUsage = options.siteUsage ?? DEFAULT_SITE_USAGE
  const updated = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const app = createUploadApp({
    origin,
    spoolDir,
    storeDir,
    key,
    siteUsage,
    policy: sitePolicy(origin, siteUsage, updated),
    maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
  })
  server.on('request', app)

  return {
    url,
    origin,
    dataDir,
    key,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((e) => (e ? reject(e) : resolve()))
      })
      if (ownDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function main(): Promise<void> {
  const env = process.env
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: env.PORT ?? '0' },
      host: { type: 'string', default: env.HOST ?? '127.0.0.1' },
      'data-dir': { type: 'string', default: env.NOAI_DATA_DIR },
      key: { type: 'string', default: env.NOAI_SIGNING_KEY },
      'public-origin': { type: 'string', default: env.NOAI_PUBLIC_ORIGIN },
      'max-upload-mib': { type: 'string', default: env.NOAI_MAX_UPLOAD_MIB ?? '200' },
    },
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`)
  const mib = Number(values['max-upload-mib'])
  if (!(mib > 0)) throw new Error(`--max-upload-mib must be a positive number, not ${values['max-upload-mib']}`)
  const service = await startUploadServer({
    port,
    host: values.host,
    dataDir: values['data-dir'],
    keyFile: values.key,
    publicOrigin: values['public-origin'],
    maxUploadBytes: Math.floor(mib * 2 ** 20),
  })
  console.log(service.url)
  console.error(`issuer ${service.origin}, key ${service.key.privateJwk.kid} (${service.key.origin === 'generated' ? 'throwaway, made at startup' : 'from file'}), data in ${service.dataDir}`)
  const stop = (): void => void service.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  })
}
