// Writing box headers and small boxes (ISO/IEC 14496-12 §4.2). Internal.
import { concatBytes } from '../../_internal/bytes.js'

/** Bytes of a four-character code (one byte per character, so `©` stays 0xA9). */
export function fourcc(type: string): Uint8Array {
  const out = new Uint8Array(4)
  for (let i = 0; i < 4; i++) out[i] = type.charCodeAt(i) & 0xff
  return out
}

/** Writes a big-endian u32 at `at`. */
export function putU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 24) & 0xff
  bytes[at + 1] = (value >>> 16) & 0xff
  bytes[at + 2] = (value >>> 8) & 0xff
  bytes[at + 3] = value & 0xff
}

/** Writes a big-endian u64 (a safe integer) at `at`. */
export function putU64(bytes: Uint8Array, at: number, value: number): void {
  putU32(bytes, at, Math.floor(value / 0x1_0000_0000))
  putU32(bytes, at + 4, value % 0x1_0000_0000)
}

/** Header length for a box whose total size is `size` when the header is `kind`. */
export function headerLength(payloadLength: number, kind: 'u32' | 'u64' | 'eof'): number {
  return kind === 'u64' || payloadLength + 8 > 0xffff_ffff ? 16 : 8
}

/** A box header: 8 bytes, or 16 with a 64-bit largesize when asked for or when the size needs it. */
export function boxHeader(type: string, payloadLength: number, kind: 'u32' | 'u64' | 'eof' = 'u32'): Uint8Array {
  const length = headerLength(payloadLength, kind)
  const out = new Uint8Array(length)
  const size = payloadLength + length
  if (length === 16) {
    putU32(out, 0, 1)
    putU64(out, 8, size)
  } else {
    putU32(out, 0, size)
  }
  out.set(fourcc(type), 4)
  return out
}

/** Concatenates byte arrays. */
export const concat = concatBytes

/** A whole box with a 32-bit header. */
export function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(payload)
  return concat([boxHeader(type, body.byteLength), body])
}

/** A `free` box of exactly `size` bytes (8 or more), zero-filled. */
export function freeBox(size: number): Uint8Array {
  const out = new Uint8Array(size)
  putU32(out, 0, size)
  out.set(fourcc('free'), 4)
  return out
}
