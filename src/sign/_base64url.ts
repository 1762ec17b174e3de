// base64url without padding (RFC 7515 §2, RFC 4648 §5), decoded canonically (docs/spec.md §13.1):
// every part of a signed tag has exactly one accepted spelling, so a token cannot be altered
// without changing its bytes. Internal; not part of the published API.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const DECODE = new Int8Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

/** Encodes bytes as base64url without padding. */
export function encodeBase64url(bytes: Uint8Array): string {
  let out = ''
  const n = bytes.length
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!
  }
  if (n - i === 1) {
    const v = bytes[i]! << 16
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]!
  } else if (n - i === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]!
  }
  return out
}

/** Encodes an ASCII-only string (every code unit < 0x80) as base64url without padding. */
export function encodeAsciiBase64url(text: string): string {
  // btoa is native: for ASCII text it is the byte string already.
  const b = btoa(text)
  const n = b.endsWith('==') ? b.length - 2 : b.endsWith('=') ? b.length - 1 : b.length
  const unpadded = n === b.length ? b : b.slice(0, n)
  return unpadded.includes('+') || unpadded.includes('/') ? unpadded.replace(PLUS, '-').replace(SLASH, '_') : unpadded
}

const PLUS = /\+/g
const SLASH = /\//g
const DASH = /-/g
const UNDERSCORE = /_/g
const ALPHABET_ONLY = /^[A-Za-z0-9_-]*$/
const TRAILING_PAD = /=+$/

/**
 * Decodes base64url to a byte string (one char per byte, as `atob` returns). Canonical mode
 * rejects `=` padding, characters outside the alphabet, a length of 1 mod 4, and non-zero trailing
 * bits; lenient mode (only for the test hooks that prove the canonical check bites) strips
 * trailing `=` and ignores trailing bits.
 *
 * @returns the byte string, or `undefined` when the text is not accepted.
 */
export function decodeBase64urlBinary(text: string, canonical: boolean): string | undefined {
  const t = canonical ? text : text.replace(TRAILING_PAD, '')
  if (!ALPHABET_ONLY.test(t)) return undefined
  const rem = t.length & 3
  if (rem === 1) return undefined
  // The bits left over must be zero: otherwise several spellings would decode to the same bytes.
  if (canonical && rem !== 0) {
    const last = DECODE[t.charCodeAt(t.length - 1)]!
    if ((last & (rem === 2 ? 0x0f : 0x03)) !== 0) return undefined
  }
  // atob is native and fast; the checks above leave it nothing to forgive.
  return atob(t.includes('-') || t.includes('_') ? t.replace(DASH, '+').replace(UNDERSCORE, '/') : t)
}

/** The bytes of a byte string. */
export function binaryToBytes(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** Decodes base64url to bytes (see {@link decodeBase64urlBinary}). */
export function decodeBase64url(text: string, canonical: boolean): Uint8Array | undefined {
  const binary = decodeBase64urlBinary(text, canonical)
  return binary === undefined ? undefined : binaryToBytes(binary)
}

const NON_ASCII_BYTE = /[\x80-\xff]/
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The text of a byte string read as UTF-8. ASCII (what signTag writes) is already its own text.
 *
 * @throws TypeError when the bytes are not valid UTF-8.
 */
export function utf8OfBinary(binary: string): string {
  return NON_ASCII_BYTE.test(binary) ? utf8.decode(binaryToBytes(binary)) : binary
}
