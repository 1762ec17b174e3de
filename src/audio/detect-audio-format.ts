/**
 * Detecting the container of an audio file by its magic bytes (docs/spec.md §10).
 *
 * @module
 */
import { toSource, type AudioInput } from './_input.js'
import type { AudioReadOptions } from './read-audio-tag.js'
import { detectFormat } from './registry.js'
import type { AudioFormat } from './types.js'

/**
 * Tells which container a file is, from its first bytes (after any ID3v2 prefix): `mp3`, `flac`,
 * `ogg`, `mp4`, `wav` or `aiff`.
 *
 * @throws UnsupportedFormatError with `format` `matroska`, `hls`, `dash`, `fragmented-mp4` or
 *   `unknown` for what v1 does not cover.
 * @example
 * ```ts
 * import { detectAudioFormat } from 'noai-tag/audio'
 * await detectAudioFormat(new Blob([bytes])) // 'flac'
 * ```
 */
export async function detectAudioFormat(input: AudioInput, options: AudioReadOptions = {}): Promise<AudioFormat> {
  return detectFormat(toSource(input), options)
}
