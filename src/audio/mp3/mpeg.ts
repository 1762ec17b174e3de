// MPEG audio frame headers (ISO/IEC 11172-3 §2.4.2.3, ISO/IEC 13818-3) and the Xing/Info/VBRI
// first frame that the MP3 essence skips (docs/spec.md §10.4). Internal.

/** A decoded MPEG audio frame header. */
export interface MpegFrameHeader {
  /** 1 (MPEG-1), 2 (MPEG-2) or 2.5. */
  readonly version: 1 | 2 | 2.5
  /** Layer 1, 2 or 3. */
  readonly layer: 1 | 2 | 3
  /** Channel mode 3 is single channel. */
  readonly mono: boolean
  /** Frame length in bytes (header included), or `undefined` for free-format bitrate. */
  readonly frameBytes: number | undefined
}

const BITRATES: Record<string, readonly number[]> = {
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
const SAMPLE_RATES = { 1: [44100, 48000, 32000], 2: [22050, 24000, 16000], 2.5: [11025, 12000, 8000] } as const

/** Parses the 4-byte frame header at `at`, or returns `undefined` when it is not a valid one. */
export function parseMpegHeader(b: Uint8Array, at = 0): MpegFrameHeader | undefined {
  if (b.length < at + 4 || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return undefined
  const v = (b[at + 1]! >> 3) & 3
  const l = (b[at + 1]! >> 1) & 3
  const bri = b[at + 2]! >> 4
  const sri = (b[at + 2]! >> 2) & 3
  // Version 1 and layer 0 are reserved (layer 0 is also what AAC ADTS headers carry).
  if (v === 1 || l === 0 || bri === 15 || sri === 3) return undefined
  const version = v === 3 ? 1 : v === 2 ? 2 : 2.5
  const layer = (4 - l) as 1 | 2 | 3
  const pad = (b[at + 2]! >> 1) & 1
  const mono = b[at + 3]! >> 6 === 3
  const table = BITRATES[`${version === 1 ? 1 : 2}-${version === 1 ? layer : layer === 1 ? 1 : 2}`]!
  const kbps = table[bri]!
  const sr = SAMPLE_RATES[version][sri]!
  let frameBytes: number | undefined
  if (kbps > 0) {
    if (layer === 1) frameBytes = (Math.floor((12 * kbps * 1000) / sr) + pad) * 4
    else if (layer === 3 && version !== 1) frameBytes = Math.floor((72 * kbps * 1000) / sr) + pad
    else frameBytes = Math.floor((144 * kbps * 1000) / sr) + pad
  }
  return { version, layer, mono, frameBytes }
}

/** Bytes of a first frame to read to tell whether it is a Xing/Info/VBRI header. */
export const VBR_PROBE_BYTES = 40

/**
 * Tells whether the frame at the start of `b` is a Xing/Info (at 4 + side info: MPEG-1 17/32,
 * MPEG-2/2.5 9/17 bytes for mono/other) or VBRI (at 36) header frame of Layer III.
 */
export function isVbrHeaderFrame(h: MpegFrameHeader, b: Uint8Array): boolean {
  if (h.layer !== 3 || h.frameBytes === undefined) return false
  const side = h.version === 1 ? (h.mono ? 17 : 32) : h.mono ? 9 : 17
  const tag = (at: number): string => String.fromCharCode(...b.subarray(at, at + 4))
  const x = tag(4 + side)
  return x === 'Xing' || x === 'Info' || tag(36) === 'VBRI'
}

/** The codec name of a layer. */
export function codecOfLayer(layer: 1 | 2 | 3): 'mp1' | 'mp2' | 'mp3' {
  return layer === 3 ? 'mp3' : layer === 2 ? 'mp2' : 'mp1'
}

/**
 * Tells whether `b` starts with MPEG audio: a valid frame header, and, when the bytes reach that
 * far, a second valid header right after the first frame (this rules out chance matches).
 */
export function looksLikeMpegAudio(b: Uint8Array): boolean {
  const h = parseMpegHeader(b, 0)
  if (!h) return false
  if (h.frameBytes === undefined || b.length < h.frameBytes + 4) return true
  return parseMpegHeader(b, h.frameBytes) !== undefined
}
