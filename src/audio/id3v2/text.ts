// ID3v2 text encodings (ID3v2.4 structure §4; ID3v2.3 §4.2): 0 ISO-8859-1, 1 UTF-16 with BOM,
// 2 UTF-16BE (v2.4), 3 UTF-8 (v2.4). Internal.

/** A text encoding byte of ID3v2. */
export type Id3TextEncoding = 0 | 1 | 2 | 3

const utf8 = new TextDecoder('utf-8')
const utf16le = new TextDecoder('utf-16le')
const utf16be = new TextDecoder('utf-16be')
/** For ASCII bytes only (any decoder would do; this one does not check for UTF-8 sequences). */
const asciiDecoder = new TextDecoder('latin1')

/** ISO-8859-1 (not windows-1252, which the WHATWG label `latin1` means). */
export function decodeLatin1(bytes: Uint8Array): string {
  // ASCII (our entries, most tags) in one decoder call: for bytes below 0x80 every decoder agrees.
  // The WHATWG 'latin1' label is windows-1252, which differs from ISO-8859-1 at 0x80 to 0x9F, so
  // other text is decoded by code point.
  let ascii = true
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! > 0x7f) {
      ascii = false
      break
    }
  }
  if (ascii) return asciiDecoder.decode(bytes)
  let s = ''
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[])
  return s
}

/** Decodes one string (no terminator) in the given encoding. */
export function decodeText(encoding: Id3TextEncoding, bytes: Uint8Array): string {
  switch (encoding) {
    case 0:
      return decodeLatin1(bytes)
    case 3:
      return utf8.decode(bytes)
    case 2:
      return utf16be.decode(bytes)
    case 1: {
      // Each UTF-16 string carries its own BOM; without one, little-endian is what writers use.
      if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16be.decode(bytes.subarray(2))
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16le.decode(bytes.subarray(2))
      return utf16le.decode(bytes)
    }
  }
}

/** Width of the terminator of an encoding: 2 for UTF-16, else 1. */
export function terminatorWidth(encoding: Id3TextEncoding): 1 | 2 {
  return encoding === 1 || encoding === 2 ? 2 : 1
}

/** Index of the first terminator at or after `from` (aligned to the unit width from `from`), or -1. */
export function findTerminator(bytes: Uint8Array, from: number, encoding: Id3TextEncoding): number {
  if (terminatorWidth(encoding) === 1) return bytes.indexOf(0, from)
  for (let i = from; i + 1 < bytes.length; i += 2) if (bytes[i] === 0 && bytes[i + 1] === 0) return i
  return -1
}

/** Splits `bytes` (from `from`) into strings at terminators; a trailing terminator adds no empty string. */
export function splitStrings(bytes: Uint8Array, from: number, encoding: Id3TextEncoding): string[] {
  const out: string[] = []
  const w = terminatorWidth(encoding)
  let at = from
  while (at < bytes.length) {
    const t = findTerminator(bytes, at, encoding)
    const end = t < 0 ? bytes.length : t
    out.push(decodeText(encoding, bytes.subarray(at, end)))
    if (t < 0) break
    at = t + w
  }
  return out
}

/** ISO-8859-1 bytes of an ASCII string (callers check that it is ASCII). */
export function encodeAscii(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i)
  return out
}

/** Tells whether every character is ASCII without NUL (what our entries are). */
export function isPrintableAscii(text: string): boolean {
  return /^[\x01-\x7f]*$/.test(text)
}
