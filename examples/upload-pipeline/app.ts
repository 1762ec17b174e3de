/**
 * The upload service's routes (Express 5):
 *
 * - `POST /upload`: multipart, field `track` (the audio) and optional `usage` (compact form).
 *   multer's disk storage spools the file to disk as it arrives, up to `maxUploadBytes`; then it is
 *   stamped (stamp.ts) and stored. 201 with `{ id, url, page, jws, readable, format, usage }`.
 * - `GET /tracks/:id`: the track page, with the tag in its head (`tagHtml`) and its header fields.
 * - `GET /media/:file`: the stamped audio, streamed from disk with the tag's header fields
 *   (`tagHeaders`) and single-range support (crawlers read an audio file's tag by Range requests).
 * - `GET /robots.txt` and `GET /.well-known/noai-tag/policy.json`, written from the site policy;
 *   `GET /.well-known/noai-tag/jwks.json`, the public key set (`keySetDocument`, `keySetHeaders`).
 */
import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import express, { type NextFunction, type Request, type Response } from 'express'
import multer from 'multer'
import { WELL_KNOWN } from 'noai-tag'
import { tagHeaders } from 'noai-tag/http'
import { SITE_PATHS, robotsTxtFor, wellKnownHeaders, type NoaiPolicy } from 'noai-tag/robots'
import { keySetDocument, keySetHeaders } from 'noai-tag/sign'
import { homePage, trackPage, uploadUsage, type Usage } from './site.js'
import type { SigningKey } from './signing-key.js'
import { UploadError, stampUpload } from './stamp.js'
import { readTrackRecord, type TrackRecord } from './store.js'

/** Everything the routes need. */
export interface UploadService {
  /** The issuer and the base of every public URL. */
  readonly origin: string
  /** Where uploads are spooled while they arrive (same file system as `storeDir`). */
  readonly spoolDir: string
  /** Where stamped tracks and their records are kept. */
  readonly storeDir: string
  readonly key: SigningKey
  /** The site's usage: the site policy's default, and the usage of uploads that state none. */
  readonly siteUsage: Usage
  readonly policy: NoaiPolicy
  /** The largest upload accepted; larger ones get 413 (and nothing of them is kept). */
  readonly maxUploadBytes: number
}

/** Form fields other than the file: `usage`, and room for a client's extras. */
const MAX_FIELDS = 8
/** The longest form field value: a compact form is at most 4096 characters (LIMITS.maxCompactLength). */
const MAX_FIELD_BYTES = 4096

const title = (name: string): string => path.parse(name).name.slice(0, 200) || 'Untitled'

/** Sends text as bytes, so that Express keeps the `Content-Type` exactly as given. */
const sendText = (res: Response, headers: Record<string, string>, text: string): void => void res.set(headers).send(Buffer.from(text, 'utf8'))

/** A single `bytes=` range (RFC 9110 §14.1.2); `undefined` for none, or several (the whole file is sent). */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '')
  if (m === null || (m[1] === '' && m[2] === '')) return undefined
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1])
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  return start >= size || start > end ? 'unsatisfiable' : { start, end }
}

async function sendMedia(req: Request, res: Response, service: UploadService, record: TrackRecord): Promise<void> {
  const file = path.join(service.storeDir, record.file)
  const { size } = await stat(file)
  res.set({ ...tagHeaders(record.tag, { jws: record.jws }), 'Content-Type': record.contentType, 'Accept-Ranges': 'bytes', 'X-Content-Type-Options': 'nosniff' })
  const range = byteRange(req.get('range'), size)
  if (range === 'unsatisfiable') {
    res.status(416).set('Content-Range', `bytes */${size}`).end()
    return
  }
  if (range !== undefined) res.status(206).set('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
  res.set('Content-Length', String(range === undefined ? size : range.end - range.start + 1))
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  // Streamed from disk in small chunks: memory does not grow with the file.
  await pipeline(createReadStream(file, range ?? {}), res).catch(() => res.destroy())
}

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } })
}

/** multer's refusals: a file over the bound is 413; every other limit or a stray file field is 400. */
function errorHandler(maxUploadBytes: number) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err)
    if (err instanceof multer.MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') return sendError(res, 413, 'too-large', `uploads are limited to ${maxUploadBytes} bytes`)
      return sendError(res, 400, 'bad-form', `${err.message}${err.field === undefined ? '' : ` (field ${err.field})`}; send the audio as the multipart field "track"`)
    }
    if (err instanceof UploadError) return sendError(res, err.status, err.code, err.message)
    console.error(err)
    sendError(res, 500, 'internal', 'the upload could not be stored')
  }
}

/**
 * The Express application of an upload service.
 *
 * @example
 * ```ts
 * const server = http.createServer(createUploadApp(service)).listen(8080)
 * ```
 */
export function createUploadApp(service: UploadService): express.Express {
  const app = express()
  app.disable('x-powered-by')
  const upload = multer({
    // Spooled straight to disk as the body arrives, under a name of ours (never the client's).
    storage: multer.diskStorage({ destination: service.spoolDir, filename: (_req, _file, cb) => cb(null, `${randomUUID()}.part`) }),
    limits: { fileSize: service.maxUploadBytes, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 },
    defParamCharset: 'utf8',
  })

  app.get('/', (_req, res) => void res.type('html').send(homePage(service.siteUsage, service.maxUploadBytes)))

  app.post('/upload', upload.single('track'), async (req, res) => {
    const file = req.file
    if (file === undefined) throw new UploadError(400, 'no-file', 'send the audio as the multipart field "track"')
    try {
      const usage = uploadUsage((req.body as Record<string, unknown> | undefined)?.usage, service.siteUsage)
      const record = await stampUpload(file.path, { usage, title: title(file.originalname) }, service)
      const page = `${service.origin}/tracks/${record.id}`
      const url = `${service.origin}/media/${record.file}`
      res
        .status(201)
        .location(page)
        .json({ id: record.id, url, page, jws: record.jws, readable: record.readable, format: record.format, usage: record.tag.usage })
    } finally {
      // Gone already when the track was stored; deleted here when anything failed.
      await rm(file.path, { force: true })
    }
  })

  app.get('/tracks/:id', async (req, res) => {
    const record = await readTrackRecord(service.storeDir, req.params.id)
    if (record === undefined) return sendError(res, 404, 'not-found', 'no such track')
    res.set(tagHeaders(record.tag, { jws: record.jws })).type('html').send(trackPage(record))
  })

  app.get('/media/:file', async (req, res) => {
    const [id = '', ...rest] = req.params.file.split('.')
    const record = await readTrackRecord(service.storeDir, id)
    if (record === undefined || record.file !== `${id}.${rest.join('.')}`) return sendError(res, 404, 'not-found', 'no such file')
    await sendMedia(req, res, service, record)
  })

  const robotsTxt = robotsTxtFor(service.policy, { blockAiCrawlers: true })
  app.get(SITE_PATHS.robotsTxt, (_req, res) => sendText(res, wellKnownHeaders('robots.txt'), robotsTxt))
  app.get(WELL_KNOWN.policy, (_req, res) => sendText(res, wellKnownHeaders('policy'), JSON.stringify(service.policy, null, 2)))
  // Public members only: keySetDocument drops `d`. Keep retired keys listed here after a rotation.
  const keySet = JSON.stringify(keySetDocument([service.key.privateJwk]), null, 2)
  app.get(WELL_KNOWN.keys, (_req, res) => sendText(res, keySetHeaders(), keySet))

  app.use(errorHandler(service.maxUploadBytes))
  return app
}
