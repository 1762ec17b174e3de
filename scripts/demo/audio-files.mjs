// The demo's audio, made from code where that is simple: a WAV (RIFF, 16-bit PCM) and a FLAC
// (RFC 9639) holding a short sine tone. The FLAC encoder is the smallest correct one: every frame
// stores its samples VERBATIM (RFC 9639 §9.2.4), so no prediction or Rice coding is needed; the
// file is no smaller than the WAV, but any FLAC decoder (`flac -t`, ffmpeg) accepts it, MD5 included.
import { createHash } from 'node:crypto'

/** The tone: 1 s of 440 Hz at 8 kHz, mono, 16-bit: 16 KB of samples, small and quick to hash. */
export const TONE = { seconds: 1, rate: 8000, frequency: 440, amplitude: 0.4 }

/** FLAC block size of every frame but the last (RFC 9639 §9.1.1: 4096 is a common choice). */
const FLAC_BLOCK = 4096

/** The tone's samples, signed 16-bit. */
export function sineSamples(tone = TONE) {
  const n = Math.round(tone.seconds * tone.rate)
  const out = new Int16Array(n)
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin((2 * Math.PI * tone.frequency * i) / tone.rate) * tone.amplitude * 32767)
  return out
}

/** A canonical WAV file: `RIFF`/`WAVE` with a `fmt ` chunk (PCM) and a `data` chunk. */
export function sineWav(tone = TONE) {
  const samples = sineSamples(tone)
  const dataBytes = samples.length * 2
  const buf = new ArrayBuffer(44 + dataBytes)
  const v = new DataView(buf)
  const ascii = (at, s) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)))
  ascii(0, 'RIFF')
  v.setUint32(4, 36 + dataBytes, true)
  ascii(8, 'WAVE')
  ascii(12, 'fmt ')
  v.setUint32(16, 16, true) // fmt chunk size
  v.setUint16(20, 1, true) // PCM
  v.setUint16(22, 1, true) // mono
  v.setUint32(24, tone.rate, true)
  v.setUint32(28, tone.rate * 2, true) // byte rate
  v.setUint16(32, 2, true) // block align
  v.setUint16(34, 16, true) // bits per sample
  ascii(36, 'data')
  v.setUint32(40, dataBytes, true)
  samples.forEach((s, i) => v.setInt16(44 + i * 2, s, true))
  return new Uint8Array(buf)
}

/** CRC-8 of a FLAC frame header: polynomial x^8 + x^2 + x + 1, initial 0 (RFC 9639 §9.1.8). */
function crc8(bytes) {
  let crc = 0
  for (const b of bytes) {
    crc ^= b
    for (let k = 0; k < 8; k++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff
  }
  return crc
}

/** CRC-16 of a FLAC frame: polynomial x^16 + x^15 + x^2 + 1, initial 0 (RFC 9639 §9.3). */
function crc16(bytes) {
  let crc = 0
  for (const b of bytes) {
    crc ^= b << 8
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff
  }
  return crc
}

/** STREAMINFO (RFC 9639 §8.2), as the only metadata block (last-block flag set). */
function streamInfo(tone, total, md5) {
  const b = new Uint8Array(4 + 34)
  b.set([0x80, 0, 0, 34]) // last block, type 0, length 34
  const v = new DataView(b.buffer)
  v.setUint16(4, FLAC_BLOCK) // minimum block size (the last block may be shorter)
  v.setUint16(6, FLAC_BLOCK) // maximum block size
  // Minimum and maximum frame size: 0 = unknown (bytes 8-13 stay 0).
  // Sample rate (20 bits), channels - 1 (3 bits), bits per sample - 1 (5 bits), total samples (36 bits).
  const packed = (BigInt(tone.rate) << 44n) | (0n << 41n) | (15n << 36n) | BigInt(total)
  v.setBigUint64(14, packed)
  b.set(md5, 22)
  return b
}

/** One frame: header (fixed blocking, size from the header's 16-bit field), a VERBATIM subframe, CRC-16. */
function frame(samples, index) {
  const n = samples.length
  // 0xFFF8: sync code + fixed block size; 0x74: block size from a 16-bit field, 8 kHz;
  // 0x08: mono, 16 bits per sample; frame number (< 128, one byte of the UTF-8-like coding).
  const header = [0xff, 0xf8, 0x74, 0x08, index, (n - 1) >> 8, (n - 1) & 0xff]
  const bytes = new Uint8Array(header.length + 1 + 1 + n * 2 + 2)
  bytes.set(header)
  bytes[header.length] = crc8(header)
  bytes[header.length + 1] = 0x02 // subframe: VERBATIM, no wasted bits
  const v = new DataView(bytes.buffer)
  samples.forEach((s, i) => v.setInt16(header.length + 2 + i * 2, s))
  v.setUint16(bytes.length - 2, crc16(bytes.subarray(0, bytes.length - 2)))
  return bytes
}

/** A FLAC file of the tone (8 kHz only: the frame header's sample-rate code is fixed above). */
export function sineFlac(tone = TONE) {
  if (tone.rate !== 8000) throw new RangeError(`sineFlac writes 8 kHz only, not ${tone.rate} Hz`)
  const samples = sineSamples(tone)
  // STREAMINFO's MD5 is of the samples as signed little-endian bytes (RFC 9639 §8.2).
  const le = new Uint8Array(samples.length * 2)
  samples.forEach((s, i) => new DataView(le.buffer).setInt16(i * 2, s, true))
  const md5 = createHash('md5').update(le).digest()
  const frames = []
  for (let at = 0, i = 0; at < samples.length; at += FLAC_BLOCK, i++) frames.push(frame(samples.subarray(at, at + FLAC_BLOCK), i))
  const parts = [new TextEncoder().encode('fLaC'), streamInfo(tone, samples.length, md5), ...frames]
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
