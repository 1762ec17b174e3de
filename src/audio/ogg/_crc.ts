// The Ogg page CRC (RFC 3533 §6): CRC-32, polynomial 0x04C11DB7, initial value 0, not reflected,
// no final XOR, over the whole page with its CRC field set to zero. Check value: "123456789" →
// 0x89A1897F.

/**
 * Tables of the CRC by byte (`TABLES[0]`) and of the same CRC four bytes at a time (slicing by 4:
 * `TABLES[k][i]` is the CRC of byte `i` followed by `k` zero bytes), so that a page costs a quarter
 * of the table lookups: a scan checks the CRC of every header page it reads.
 */
const TABLES = /* @__PURE__ */ (() => {
  const t = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const
  for (let i = 0; i < 256; i++) {
    let c = i << 24
    for (let k = 0; k < 8; k++) c = c & 0x8000_0000 ? (c << 1) ^ 0x04c1_1db7 : c << 1
    t[0][i] = c >>> 0
  }
  for (let k = 1; k < 4; k++) {
    const prev = t[k - 1]!
    const next = t[k]!
    for (let i = 0; i < 256; i++) next[i] = ((prev[i]! << 8) ^ t[0][prev[i]! >>> 24]!) >>> 0
  }
  return t
})()

/** Continues the CRC `crc` over `bytes` (start with 0). */
export function oggCrc(bytes: Uint8Array, crc = 0): number {
  const [t0, t1, t2, t3] = TABLES
  const n = bytes.byteLength
  let c = crc
  let i = 0
  for (const end = n - (n & 3); i < end; i += 4) {
    c ^= (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!
    c = t3[c >>> 24]! ^ t2[(c >>> 16) & 0xff]! ^ t1[(c >>> 8) & 0xff]! ^ t0[c & 0xff]!
  }
  for (; i < n; i++) c = (c << 8) ^ t0[((c >>> 24) ^ bytes[i]!) & 0xff]!
  return c >>> 0
}

/** CRC of a page given as its header (CRC field ignored) and body. */
export function pageCrc(header: Uint8Array, body: Uint8Array): number {
  const h = header.slice()
  h.fill(0, 22, 26)
  return oggCrc(body, oggCrc(h))
}
