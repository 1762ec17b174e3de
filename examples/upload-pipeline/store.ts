/**
 * The track store: each stamped track is two files in the store folder, the audio
 * (`<id>.<ext>`) and its record (`<id>.json`: the tag, the signed tag, the readable line). A record
 * is written to a temporary name and renamed, so that a reader sees a whole record or none.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { NoaiTag } from 'noai-tag'
import type { AudioFormat } from 'noai-tag/audio'

/** What the store keeps about a track. */
export interface TrackRecord {
  /** 16 characters of `[A-Za-z0-9_-]`. */
  readonly id: string
  /** The audio's file name in the store folder (`<id>.<ext>`). */
  readonly file: string
  readonly format: AudioFormat
  readonly codec?: string
  /** The `Content-Type` the audio is served with. */
  readonly contentType: string
  /** A title for the track page: the uploaded file's name without its extension. */
  readonly title: string
  /** The tag stamped into the file (also the payload of `jws`). */
  readonly tag: NoaiTag
  /** The signed tag (compact JWS) stamped into the file. */
  readonly jws: string
  /** The readable line stored in the file (`NOAI`), as read back after stamping. */
  readonly readable: string
  /** The size of the stamped file in bytes. */
  readonly bytes: number
}

/** Track ids: random, URL-safe, and checked on every lookup (no path ever comes from a request). */
const ID = /^[A-Za-z0-9_-]{16}$/

/** A new random track id (96 bits). */
export const newTrackId = (): string => randomBytes(12).toString('base64url')

/** Whether `id` has the form of a track id. */
export const isTrackId = (id: string): boolean => ID.test(id)

/**
 * Writes a track's record (atomically: temp file, then rename).
 *
 * @example
 * ```ts
 * await writeTrackRecord('/srv/tracks', record)
 * ```
 */
export async function writeTrackRecord(storeDir: string, record: TrackRecord): Promise<void> {
  const final = path.join(storeDir, `${record.id}.json`)
  const temp = `${final}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`)
  await rename(temp, final)
}

/**
 * Reads the record of track `id`; `undefined` when there is none (or `id` is not a track id).
 *
 * @example
 * ```ts
 * const record = await readTrackRecord('/srv/tracks', req.params.id)
 * ```
 */
export async function readTrackRecord(storeDir: string, id: string): Promise<TrackRecord | undefined> {
  if (!isTrackId(id)) return undefined
  try {
    return JSON.parse(await readFile(path.join(storeDir, `${id}.json`), 'utf8')) as TrackRecord
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
}
