/**
 * The stamping pipeline for one upload, already spooled to disk by multer: detect the container
 * by its magic bytes, hash the audio essence, build and sign the tag, write it into the file, and
 * move the file into the store. Every step reads or writes the file in bounded chunks, so memory
 * does not grow with the file's size.
 */
import { copyFile, rename, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { isNoaiTagError, type NoaiTag, type StatedPreference } from 'noai-tag'
import { detectAudioFormat, type AudioFormat } from 'noai-tag/audio'
import { audioFileEssence, fileSource, readAudioFile, writeAudioFile } from 'noai-tag/node'
import { signTag } from 'noai-tag/sign'
import type { SigningKey } from './signing-key.js'
import { newTrackId, writeTrackRecord, type TrackRecord } from './store.js'

/** A request the service refuses, with the HTTP status and a stable code for the client. */
export class UploadError extends Error {
  override name = 'UploadError'
  /** The HTTP status to answer with. */
  readonly status: number
  /** A stable code for clients (`unsupported-media-type`, `malformed-audio`, ...). */
  readonly code: string
  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.status = status
    this.code = code
  }
}

/** Where the service lives and how it signs. */
export interface StampContext {
  /** The issuer: the origin the service (and its key set) is served from. */
  readonly origin: string
  /** The folder tracks are moved into; on the same file system as the spool folder, so that a move is a rename. */
  readonly storeDir: string
  readonly key: SigningKey
}

/** What the client said about the upload. */
export interface UploadInput {
  /** The tag's usage: the client's, already checked against the site policy, or the service default. */
  readonly usage: Readonly<Record<string, StatedPreference>>
  readonly title: string
}

const CONTENT_TYPES: Readonly<Record<AudioFormat, string>> = {
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  mp4: 'audio/mp4',
  wav: 'audio/wav',
  aiff: 'audio/aiff',
}

/** File extensions by container (an Ogg Opus file is `.ogg` too: its codec is known only once it is read). */
const EXTENSIONS: Readonly<Record<AudioFormat, string>> = { mp3: 'mp3', flac: 'flac', ogg: 'ogg', mp4: 'm4a', wav: 'wav', aiff: 'aiff' }

/** RFC 3339 without fractions of a second. */
const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z')

/** The container, told by the file's first bytes (never by its name or the client's Content-Type). */
async function detect(spooled: string): Promise<AudioFormat> {
  const source = await fileSource(spooled)
  try {
    return await detectAudioFormat(source)
  } catch (e) {
    if (isNoaiTagError(e) && e.code === 'ERR_NOAI_UNSUPPORTED_FORMAT') {
      throw new UploadError(415, 'unsupported-media-type', `not an audio file this service takes (MP3, FLAC, Ogg, M4A, WAV, AIFF): ${e.message}`, { cause: e })
    }
    throw e
  } finally {
    await source.close()
  }
}

/** Damaged audio is the client's problem (422), not the service's (500). */
function audioError(e: unknown): unknown {
  if (isNoaiTagError(e) && e.code === 'ERR_NOAI_MALFORMED_INPUT') return new UploadError(422, 'malformed-audio', e.message, { cause: e })
  if (isNoaiTagError(e) && e.code === 'ERR_NOAI_UNSUPPORTED_FORMAT') return new UploadError(415, 'unsupported-media-type', e.message, { cause: e })
  return e
}

/** Moves a file: a rename on one file system; a copy and delete across file systems. */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e
    await copyFile(from, to)
    await unlink(from)
  }
}

/**
 * Stamps the spooled upload at `spooled` and stores it. The spooled file is moved into the store
 * on success and left where it is on failure (the caller deletes it).
 *
 * @throws UploadError 415 (not audio, or a container v1 does not cover), 422 (damaged audio).
 * @example
 * ```ts
 * const record = await stampUpload(req.file.path, { usage: { 'train-ai': 'denied' }, title: 'Song' }, ctx)
 * ```
 */
export async function stampUpload(spooled: string, input: UploadInput, ctx: StampContext): Promise<TrackRecord> {
  const format = await detect(spooled)
  // The digest a signed tag binds to (docs/spec.md §4.3.1): SHA-256 over the audio only, streamed.
  const essence = await audioFileEssence(spooled).catch((e: unknown) => Promise.reject(audioError(e)))
  const id = newTrackId()
  const file = `${id}.${EXTENSIONS[format]}`
  const tag: NoaiTag = {
    version: 1,
    issuer: ctx.origin,
    // Bound to the audio (wherever a copy goes) and to the track's page and media URLs (docs/spec.md §4.3).
    subject: { essence: [essence], urls: [`${ctx.origin}/tracks/${id}`, `${ctx.origin}/media/${file}`] },
    usage: input.usage,
    issued: now(),
  }
  const jws = await signTag(tag, ctx.key.privateJwk)
  // In place when the file's padding allows, else a checked temp file renamed over it: never
  // half-written, and the audio essence (so the digest above) is unchanged either way.
  await writeAudioFile(spooled, { jws }).catch((e: unknown) => Promise.reject(audioError(e)))
  const report = await readAudioFile(spooled)
  if (report.jws !== jws || report.readable === undefined) throw new Error('the stamped file does not read back the signed tag')
  const target = path.join(ctx.storeDir, file)
  await move(spooled, target)
  const record: TrackRecord = {
    id,
    file,
    format,
    ...(report.codec === undefined ? {} : { codec: report.codec }),
    contentType: CONTENT_TYPES[format],
    title: input.title,
    tag,
    jws,
    readable: report.readable,
    bytes: (await stat(target)).size,
  }
  await writeTrackRecord(ctx.storeDir, record)
  return record
}
