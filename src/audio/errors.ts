/**
 * Typed errors of the audio carriers (docs/spec.md §10): a container that is damaged, and a
 * container the standard does not cover.
 *
 * @module
 */
import { NoaiTagError } from '../errors.js'
import type { AudioFormat } from './types.js'

/**
 * The format codes an {@link UnsupportedFormatError} carries: an audio format of v1 (for an
 * operation or variant that is not supported, such as an ID3v2.2 tag to rewrite), or a container
 * that v1 refuses: fragmented MP4, Matroska/WebM, streaming manifests (HLS, DASH), or bytes that are
 * no known container.
 */
export type UnsupportedFormatCode = AudioFormat | 'fragmented-mp4' | 'matroska' | 'hls' | 'dash' | 'unknown'

/**
 * A container is damaged or truncated: a size points past the end, a structure is cut short, a
 * required magic is missing. Thrown in bounded time and memory whatever the input.
 *
 * @example
 * ```ts
 * import { readAudioTag, MalformedAudioError } from 'noai-tag/audio'
 * try {
 *   await readAudioTag(bytes)
 * } catch (e) {
 *   if (e instanceof MalformedAudioError) console.error(e.code, e.format, e.offset) // ERR_NOAI_MALFORMED_INPUT
 * }
 * ```
 */
export class MalformedAudioError extends NoaiTagError {
  override name = 'MalformedAudioError' as const
  /** The container being read (`mp3`, `flac`, ..., or `id3v2` for an ID3v2 tag inside WAV/AIFF). */
  readonly format: AudioFormat | 'id3v2'
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined

  constructor(format: AudioFormat | 'id3v2', message: string, offset?: number, options?: { cause?: unknown }) {
    super('ERR_NOAI_MALFORMED_INPUT', `malformed ${format}: ${message}${offset === undefined ? '' : ` at offset ${offset}`}`, options)
    this.format = format
    this.offset = offset
  }
}

/**
 * The input is a container v1 does not cover (fragmented MP4, Matroska/WebM, an HLS or DASH
 * manifest, unknown bytes), or a variant of a covered one that cannot be handled (the `format` then
 * names the covered format and the message says what is missing).
 *
 * @example
 * ```ts
 * import { detectAudioFormat, UnsupportedFormatError } from 'noai-tag/audio'
 * try {
 *   await detectAudioFormat(webmBytes)
 * } catch (e) {
 *   if (e instanceof UnsupportedFormatError) console.error(e.format) // 'matroska'
 * }
 * ```
 */
export class UnsupportedFormatError extends NoaiTagError {
  override name = 'UnsupportedFormatError' as const
  /** What was met. */
  readonly format: UnsupportedFormatCode

  constructor(format: UnsupportedFormatCode, message?: string, options?: { cause?: unknown }) {
    super('ERR_NOAI_UNSUPPORTED_FORMAT', message ?? `unsupported audio format: ${format}`, options)
    this.format = format
  }
}
