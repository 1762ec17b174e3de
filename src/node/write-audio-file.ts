/**
 * Writing the NoAI Tag into an audio file on disk, safely (docs/spec.md §10.3).
 *
 * @module
 */
import { audioTagEntries, type AudioTagInput } from '../audio/tag-entries.js'
import type { AudioFormat } from '../audio/types.js'
import { applyToFile } from './_apply.js'
import { wrapIo } from './_io.js'

/** Options of {@link writeAudioFile} and `removeAudioTagFromFile`. */
export interface WriteAudioFileOptions {
  /** Write the result to this path instead of changing the file (temp file + rename there); the file is only read. */
  readonly out?: string
  /**
   * `true`: fail (AudioFileError `not-in-place`) unless the change fits the file's padding;
   * `false`: always write a whole new file (temp file + rename).
   * @defaultValue in place when the change fits, else a rewrite
   */
  readonly inPlace?: boolean
  /**
   * Allow a rewrite to replace a file that has several hard links (the other links keep the old content).
   * @defaultValue false
   */
  readonly breakHardLinks?: boolean
  /** Aborts between reads and chunks. */
  readonly signal?: AbortSignal
}

/** What a file write did. */
export interface AudioFileWriteResult {
  /** The file written (a symlink's target, or `out`). */
  readonly path: string
  /** The container. */
  readonly format: AudioFormat
  /**
   * `in-place`: one range of the file was overwritten (the planned metadata patches and the unchanged
   * bytes between them), the file keeps its size, inode and audio; `rewrite`: a new file replaced
   * the old one; `unchanged`: nothing to do.
   */
  readonly method: 'in-place' | 'rewrite' | 'unchanged'
  /** Bytes written to the file (in place: the length of the range; not counting the lock file's journal). */
  readonly bytesWritten: number
}

/**
 * Writes (or replaces) the NoAI Tag of a file. In place when the file's padding or free space
 * absorbs it: the changed metadata is written as one range with one write, journaled first in the
 * lock file (a range over `FILE_WRITE_LIMITS.maxInPlaceSpanBytes` is rewritten instead); otherwise a
 * new file is written next to it, checked (entries and essence digest read back), and renamed over
 * it. The audio and every other tag stay byte for byte; a failure, or the process being killed at
 * any point, leaves the original or the complete new file (docs/spec.md §10.3.3). Memory stays
 * bounded whatever the file size.
 *
 * @throws ConcurrentModificationError when another writer holds the file or it changed meanwhile;
 *   AudioFileError (hard links, `inPlace: true` not possible, verification, I/O); the errors of
 *   `writeAudioTag`.
 * @example
 * ```ts
 * import { writeAudioFile } from 'noai-tag/node'
 * const r = await writeAudioFile('song.mp3', { jws })
 * r.method // 'in-place' | 'rewrite'
 * await writeAudioFile('song.mp3', { tag }, { out: 'stamped.mp3' })
 * ```
 */
export async function writeAudioFile(path: string, tag: AudioTagInput, options: WriteAudioFileOptions = {}): Promise<AudioFileWriteResult> {
  const entries = audioTagEntries(tag)
  return wrapIo(path, () => applyToFile(path, entries, options))
}
