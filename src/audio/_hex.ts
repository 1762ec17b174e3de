// Lowercase hex, apart from hash.ts so that what only encodes a digest does not load
// @noble/hashes. Internal.

/** Lowercase hex of bytes (the essence digest encoding, docs/spec.md §4.3.1). */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}
