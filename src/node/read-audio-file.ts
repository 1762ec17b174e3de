/**
 * Reading the NoAI Tag of an audio file on disk (docs/spec.md §10).
 *
 * @module
 */
import { readAudioTag, type AudioReadOptions, type AudioTagReport } from '../audio/read-audio-tag.js'
import { DETECT_LIMITS } from '../audio/registry.js'
import { fileSourceWithHead } from './file-source.js'
import { wrapIo } from './_io.js'

/**
 * Reads the NoAI Tag and the other AI-usage signals of a file, reading only its metadata regions.
 *
 * @throws AudioFileError (`ERR_NOAI_IO`) when the file cannot be read; the errors of `readAudioTag`.
 * @example
 * ```ts
 * import { readAudioFile } from 'noai-tag/node'
 * const report = await readAudioFile('song.mp3')
 * report.readable // 'train-ai=n, search=y'
 * ```
 */
export async function readAudioFile(path: string, options: AudioReadOptions = {}): Promise<AudioTagReport> {
  // Detection reads the head first: it is read while the size is asked for.
  const source = await fileSourceWithHead(path, DETECT_LIMITS.headBytes)
  try {
    return await wrapIo(path, () => readAudioTag(source, options))
  } finally {
    await source.close()
  }
}
