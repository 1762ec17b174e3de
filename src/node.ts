/**
 * `noai-tag/node`: audio files on disk (Node only). Random-access file sources that read only
 * metadata, node:crypto hashing, and safe writes: in place when padding allows, else a checked
 * temp file renamed over the original, with a lock file against concurrent writers
 * (docs/spec.md §10.3).
 *
 * @example
 * ```ts
 * import { readAudioFile, writeAudioFile, audioFileEssence } from 'noai-tag/node'
 * const digest = await audioFileEssence('song.mp3')
 * await writeAudioFile('song.mp3', { tag: { version: 1, subject: { essence: [digest] }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' } })
 * (await readAudioFile('song.mp3')).readable // 'train-ai=n'
 * ```
 *
 * @module noai-tag/node
 */
export { fileSource, type FileByteSource } from './node/file-source.js'
export { createNodeSha256 } from './node/node-sha256.js'
export { readAudioFile } from './node/read-audio-file.js'
export { audioFileEssence } from './node/audio-file-essence.js'
export { writeAudioFile, type WriteAudioFileOptions, type AudioFileWriteResult } from './node/write-audio-file.js'
export { removeAudioTagFromFile } from './node/remove-audio-tag-from-file.js'
export { ConcurrentModificationError, AudioFileError, type AudioFileErrorReason } from './node/errors.js'
export { FILE_WRITE_LIMITS } from './node/limits.js'
