/**
 * Typed errors of the file operations of noai-tag/node (docs/spec.md §10.3).
 *
 * @module
 */
import { NoaiTagError } from '../errors.js'

/**
 * Another writer holds the file (its lock file `<file>.noai-lock` exists and is not stale), or the
 * file changed between reading it and writing it (size, modification or change time, or inode
 * differ). Nothing was written. A lock left by a writer that died (on this host) is not an error:
 * it is taken over (docs/spec.md §10.3.3).
 *
 * @example
 * ```ts
 * import { writeAudioFile, ConcurrentModificationError } from 'noai-tag/node'
 * try { await writeAudioFile('a.mp3', { jws }) } catch (e) {
 *   if (e instanceof ConcurrentModificationError) console.error(e.reason) // 'locked' | 'changed'
 * }
 * ```
 */
export class ConcurrentModificationError extends NoaiTagError {
  override name = 'ConcurrentModificationError' as const
  /** The file concerned. */
  readonly path: string
  /** `locked`: a lock file exists; `changed`: the file changed since it was read. */
  readonly reason: 'locked' | 'changed'
  constructor(path: string, reason: 'locked' | 'changed', options?: { cause?: unknown }) {
    super(
      'ERR_NOAI_CONCURRENT_MODIFICATION',
      reason === 'locked'
        ? `${path} is being written by another process (lock file ${path}.noai-lock exists and its owner is running, on another host, or unknown; delete it if no writer is running)`
        : `${path} changed while it was being tagged; nothing was written`,
      options,
    )
    this.path = path
    this.reason = reason
  }
}

/** Why a file operation failed. */
export type AudioFileErrorReason =
  /** The file has several hard links and the write needs a rewrite, which would break them. */
  | 'hard-links'
  /** `inPlace: true` was asked and the tag does not fit the file's padding. */
  | 'not-in-place'
  /** The written file did not read back with the expected entries and essence. */
  | 'verification-failed'
  /** The path is not a regular file. */
  | 'not-a-file'
  /** The file system refused (the `cause` is the Node error). */
  | 'io'

/**
 * A file operation of noai-tag/node failed; the original file is untouched (code `ERR_NOAI_IO`).
 *
 * @example
 * ```ts
 * try { await writeAudioFile('linked.flac', { tag }) } catch (e) {
 *   if (e instanceof AudioFileError && e.reason === 'hard-links') await writeAudioFile('linked.flac', { tag }, { breakHardLinks: true })
 * }
 * ```
 */
export class AudioFileError extends NoaiTagError {
  override name = 'AudioFileError' as const
  /** The file concerned. */
  readonly path: string
  /** Why. */
  readonly reason: AudioFileErrorReason
  constructor(path: string, reason: AudioFileErrorReason, message: string, options?: { cause?: unknown }) {
    super('ERR_NOAI_IO', `${path}: ${message}`, options)
    this.path = path
    this.reason = reason
  }
}
