/**
 * Removing the NoAI Tag from an audio file on disk, safely (docs/spec.md §10.3).
 *
 * @module
 */
import { applyToFile } from './_apply.js'
import { wrapIo } from './_io.js'
import type { AudioFileWriteResult, WriteAudioFileOptions } from './write-audio-file.js'

/**
 * Removes our two entries from a file (in place: the freed bytes become padding). Other metadata
 * and the audio stay byte for byte. `method` is `unchanged` when there was no tag.
 *
 * @example
 * ```ts
 * import { removeAudioTagFromFile } from 'noai-tag/node'
 * await removeAudioTagFromFile('song.m4a')
 * ```
 */
export async function removeAudioTagFromFile(path: string, options: WriteAudioFileOptions = {}): Promise<AudioFileWriteResult> {
  return wrapIo(path, () => applyToFile(path, null, options))
}
