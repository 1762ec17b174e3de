/**
 * The essence digest of an audio file (docs/spec.md §4.3.1, §10): SHA-256 over the audio payload
 * without any metadata, as each container defines it.
 *
 * @module
 */
import type { EssenceDigest } from '../model/tag.js'
import { cachedSource } from './_cache.js'
import { toSource, type AudioInput } from './_input.js'
import { toHex } from './_hex.js'
import { resolveHandler } from './registry.js'
import type { HasherFactory } from './types.js'

/** Options of {@link audioEssence}. */
export interface AudioEssenceOptions {
  /** Makes the SHA-256 hasher. @defaultValue `createSha256` (@noble/hashes); noai-tag/node passes node:crypto. */
  readonly createHasher?: HasherFactory
  /** Aborts between chunks. */
  readonly signal?: AbortSignal
}

/**
 * Computes the essence digest of an audio file, for `subject.essence` of a tag. The digest does not
 * change when tags are added, edited or removed, padding changes, or the file is remuxed with
 * `ffmpeg -c copy`. Reads the whole audio payload in chunks (bounded memory).
 *
 * @throws UnsupportedFormatError, MalformedAudioError (see {@link readAudioTag}).
 * @example
 * ```ts
 * import { audioEssence } from 'noai-tag/audio'
 * const digest = await audioEssence(bytes) // { format: 'mp3', sha256: '9f86d0…' }
 * const tag = { version: 1, subject: { essence: [digest] }, usage: { 'train-ai': 'denied' }, issued: new Date().toISOString() }
 * ```
 */
export async function audioEssence(input: AudioInput, options: AudioEssenceOptions = {}): Promise<EssenceDigest> {
  // Detection and the container's metadata reads share a read cache; the audio passes through it.
  const source = cachedSource(toSource(input))
  const handler = await resolveHandler(source, options)
  // @noble/hashes is loaded only when no hasher is given (noai-tag/node gives node:crypto's).
  const createHasher = options.createHasher ?? (await import('./hash.js')).createSha256
  const hasher = createHasher()
  await handler.essence(source, hasher, { ...options, createHasher })
  return { format: handler.format, sha256: toHex(hasher.digest()) }
}
