// Syncsafe integers and unsynchronisation (ID3v2.4 structure §6.1-6.2; ID3v2.3 §5). Internal.

/** Reads a 4-byte syncsafe integer, or `undefined` when a byte has its top bit set. */
export function readSyncsafe(bytes: Uint8Array, at: number): number | undefined {
  let v = 0
  for (let i = 0; i < 4; i++) {
    const b = bytes[at + i]!
    if (b & 0x80) return undefined
    v = v * 128 + b
  }
  return v
}

/** Reads 4 bytes as a syncsafe integer ignoring the top bits (mutagen's BitPaddedInt). */
export function readSyncsafeLoose(bytes: Uint8Array, at: number): number {
  let v = 0
  for (let i = 0; i < 4; i++) v = v * 128 + (bytes[at + i]! & 0x7f)
  return v
}

/** Writes a 28-bit syncsafe integer. */
export function writeSyncsafe(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 21) & 0x7f
  out[at + 1] = (value >>> 14) & 0x7f
  out[at + 2] = (value >>> 7) & 0x7f
  out[at + 3] = value & 0x7f
}

/** Writes a big-endian unsigned 32-bit integer. */
export function writeU32(out: Uint8Array, at: number, value: number): void {
  out[at] = (value >>> 24) & 0xff
  out[at + 1] = (value >>> 16) & 0xff
  out[at + 2] = (value >>> 8) & 0xff
  out[at + 3] = value & 0xff
}

/** Removes unsynchronisation: every `FF 00` becomes `FF`. Returns the input when there is nothing to remove. */
export function removeUnsync(bytes: Uint8Array): Uint8Array {
  let n = 0
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0x00) n++
  if (n === 0) return bytes
  const out = new Uint8Array(bytes.length - n)
  let o = 0
  for (let i = 0; i < bytes.length; i++) {
    out[o++] = bytes[i]!
    if (bytes[i] === 0xff && bytes[i + 1] === 0x00) i++
  }
  return out
}

/**
 * Applies unsynchronisation: a `00` after every `FF` followed by `111xxxxx` or `00`, and after a
 * final `FF` when `followed` (padding or audio comes next). Used only to keep the encoding of an
 * existing ID3v2.3 tag whose header says the whole tag is unsynchronised.
 */
export function applyUnsync(bytes: Uint8Array, followed: boolean): Uint8Array {
  let n = 0
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0xff) continue
    const next = bytes[i + 1]
    if (next === undefined ? followed : next === 0x00 || (next & 0xe0) === 0xe0) n++
  }
  if (n === 0) return bytes
  const out = new Uint8Array(bytes.length + n)
  let o = 0
  for (let i = 0; i < bytes.length; i++) {
    out[o++] = bytes[i]!
    if (bytes[i] !== 0xff) continue
    const next = bytes[i + 1]
    if (next === undefined ? followed : next === 0x00 || (next & 0xe0) === 0xe0) out[o++] = 0
  }
  return out
}
