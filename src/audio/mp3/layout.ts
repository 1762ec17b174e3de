// Where things are in an MP3 file (docs/spec.md §10.4): the leading ID3v2 tags, the first MPEG
// frame (a Xing/Info/VBRI header frame is skipped by the essence), and the trailing tags. Internal.
import { LimitExceededError } from '../../errors.js'
import { peekExact, peekUpTo, readExact, readUpTo } from '../_read.js'
import { ID3V2_LIMITS, parseId3v2, parseId3v2Header, type Id3v2Tag } from '../id3v2/index.js'
import type { ByteSource } from '../types.js'
import { MP3_LIMITS } from './limits.js'
import { codecOfLayer, isVbrHeaderFrame, parseMpegHeader, VBR_PROBE_BYTES } from './mpeg.js'
import { findTrailers, type TrailingTag } from './trailers.js'

/** A leading ID3v2 tag: its place, and (when parsed) its frames and stored bytes. */
export interface LeadingTag {
  readonly offset: number
  readonly totalBytes: number
  readonly major: number
  readonly tag?: Id3v2Tag
  readonly bytes?: Uint8Array
}

/** The layout of an MP3 file. */
export interface Mp3Layout {
  readonly tags: readonly LeadingTag[]
  /** End of the leading tags. */
  readonly audioStart: number
  /** Start of the essence: `audioStart`, or after a Xing/Info/VBRI header frame. */
  readonly essenceStart: number
  /** End of the audio: start of the trailing tags. */
  readonly audioEnd: number
  readonly trailers: readonly TrailingTag[]
  readonly codec: string | undefined
  readonly warnings: readonly string[]
}

/**
 * Reads the leading ID3v2 tags (headers only, or whole and parsed with `parse`).
 *
 * @throws LimitExceededError for more than `MP3_LIMITS.maxLeadingTags` tags, or a tag over
 *   `ID3V2_LIMITS.maxTagBytes` when parsing; MalformedAudioError for a tag cut short.
 */
export async function leadingTags(source: ByteSource, parse: boolean, signal?: AbortSignal): Promise<LeadingTag[]> {
  const tags: LeadingTag[] = []
  let at = 0
  for (;;) {
    const head = peekUpTo(source, at, ID3V2_LIMITS.headerBytes, signal) ?? (await readUpTo(source, at, ID3V2_LIMITS.headerBytes, signal))
    const h = parseId3v2Header(head, 0, at, 'mp3')
    if (!h) return tags
    if (tags.length >= MP3_LIMITS.maxLeadingTags) throw new LimitExceededError('maxLeadingTags', MP3_LIMITS.maxLeadingTags, undefined, 'leading ID3v2 tags')
    if (!parse) {
      if (at + h.totalBytes > source.size) await readExact(source, at, h.totalBytes, 'mp3', `ID3v2 tag of ${h.totalBytes} bytes`, signal)
      tags.push({ offset: at, totalBytes: h.totalBytes, major: h.major })
    } else {
      if (h.totalBytes > ID3V2_LIMITS.maxTagBytes) throw new LimitExceededError('maxTagBytes', ID3V2_LIMITS.maxTagBytes, h.totalBytes, 'ID3v2 tag size')
      const bytes = peekExact(source, at, h.totalBytes, signal) ?? (await readExact(source, at, h.totalBytes, 'mp3', `ID3v2 tag of ${h.totalBytes} bytes`, signal))
      tags.push({ offset: at, totalBytes: h.totalBytes, major: h.major, tag: parseId3v2(bytes, { offset: at, format: 'mp3' }), bytes })
    }
    at += h.totalBytes
  }
}

async function firstFrame(source: ByteSource, start: number, end: number, signal: AbortSignal | undefined): Promise<{ skip: number; codec: string | undefined; warning?: string }> {
  const probe = peekUpTo(source, start, Math.min(end - start, VBR_PROBE_BYTES), signal) ?? (await readUpTo(source, start, Math.min(end - start, VBR_PROBE_BYTES), signal))
  const h = parseMpegHeader(probe)
  if (h) {
    const skip = isVbrHeaderFrame(h, probe) && h.frameBytes! <= end - start ? h.frameBytes! : 0
    return { skip, codec: codecOfLayer(h.layer) }
  }
  // Not a frame right after the tags: look a little further, for the codec only.
  const window = peekUpTo(source, start, Math.min(end - start, MP3_LIMITS.syncSearchBytes), signal) ?? (await readUpTo(source, start, Math.min(end - start, MP3_LIMITS.syncSearchBytes), signal))
  for (let i = 1; i + 4 <= window.length; i++) {
    const g = window[i] === 0xff ? parseMpegHeader(window, i) : undefined
    if (g && g.frameBytes !== undefined && parseMpegHeader(window, i + g.frameBytes)) {
      return { skip: 0, codec: codecOfLayer(g.layer), warning: `MP3: ${i} bytes before the first MPEG frame` }
    }
  }
  return { skip: 0, codec: undefined, warning: end > start ? 'MP3: no MPEG audio frame found after the ID3v2 tags' : undefined }
}

/**
 * The layout of an MP3 file.
 *
 * @example
 * ```ts
 * const l = await mp3Layout(source, { parse: true }); l.essenceStart
 * ```
 */
export async function mp3Layout(source: ByteSource, options: { readonly parse: boolean; readonly signal?: AbortSignal | undefined }): Promise<Mp3Layout> {
  const tags = await leadingTags(source, options.parse, options.signal)
  const last = tags[tags.length - 1]
  const audioStart = last ? last.offset + last.totalBytes : 0
  const { end, trailers } = await findTrailers(source, audioStart, options.signal)
  const f = await firstFrame(source, audioStart, end, options.signal)
  const warnings: string[] = []
  if (tags.length > 1) warnings.push(`MP3: ${tags.length} consecutive ID3v2 tags at the start`)
  if (f.warning) warnings.push(f.warning)
  for (const t of tags) if (t.tag) warnings.push(...t.tag.warnings)
  return { tags, audioStart, essenceStart: audioStart + f.skip, audioEnd: end, trailers, codec: f.codec, warnings }
}
