// Foreign data in ID3v2 frames that the audio API reports (docs/spec.md §10.1): XMP in `PRIV`
// owner `XMP` (Adobe XMP SDK MP3 handler) and C2PA manifest stores in `GEOB` with MIME
// `application/c2pa` (C2PA 2.2 §A.3.4; the deprecated `application/x-c2pa-manifest-store` is
// still read by c2pa-rs). Internal.
import { AUDIO_LIMITS } from '../limits.js'
import type { ForeignMetadata } from '../types.js'
import type { Id3v2Frame } from './frames.js'
import { decodeLatin1, findTerminator, terminatorWidth, type Id3TextEncoding } from './text.js'

const C2PA_MIMES = new Set(['application/c2pa', 'application/x-c2pa-manifest-store'])

function located(frame: Id3v2Frame, tagOffset: number, at: number, length: number, kind: 'xmp' | 'c2pa', location: string, withBytes: boolean): ForeignMetadata {
  const offset = frame.dataFileOffset === undefined ? (frame.fileOffset ?? tagOffset) : frame.dataFileOffset + at
  const bytes = withBytes && length <= AUDIO_LIMITS.maxXmpBytes ? frame.data!.subarray(at, at + length) : undefined
  return bytes ? { kind, location, offset, length, bytes } : { kind, location, offset, length }
}

function geobPayload(data: Uint8Array): { mime: string; at: number } | undefined {
  const enc = data[0]
  if (enc === undefined || enc > 3) return undefined
  const m = data.indexOf(0, 1)
  if (m < 0) return undefined
  const mime = decodeLatin1(data.subarray(1, m)).toLowerCase()
  const f = findTerminator(data, m + 1, enc as Id3TextEncoding)
  if (f < 0) return undefined
  const d = findTerminator(data, f + terminatorWidth(enc as Id3TextEncoding), enc as Id3TextEncoding)
  if (d < 0) return undefined
  return { mime, at: d + terminatorWidth(enc as Id3TextEncoding) }
}

/**
 * The XMP packets and C2PA manifest stores in a tag's frames. `prefix` names the carrier
 * (`ID3v2`, or e.g. `WAV id3 chunk ID3v2`).
 */
export function foreignOfFrames(frames: readonly Id3v2Frame[], tagOffset: number, prefix = 'ID3v2'): ForeignMetadata[] {
  const out: ForeignMetadata[] = []
  for (const f of frames) {
    if (f.data === undefined) continue
    if (f.id === 'PRIV') {
      const t = f.data.indexOf(0)
      if (t === 3 && decodeLatin1(f.data.subarray(0, 3)) === 'XMP') out.push(located(f, tagOffset, 4, f.data.length - 4, 'xmp', `${prefix} PRIV XMP`, true))
    } else if (f.id === 'GEOB') {
      const g = geobPayload(f.data)
      if (g && C2PA_MIMES.has(g.mime)) out.push(located(f, tagOffset, g.at, f.data.length - g.at, 'c2pa', `${prefix} GEOB ${g.mime}`, false))
    }
  }
  return out
}
