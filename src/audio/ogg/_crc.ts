// The Ogg page CRC (RFC 3533 §6): CRC-32, polynomial 0x04C11DB7, initial value 0, not reflected,
// no final XOR, over the whole page with its CRC field set to zero. Check value: "123456789" →
// 0x89A1897F.

const TABLE = /* @__PURE__ */ (() => {
  const t = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let c = i << 24
    for (let k = 0; k < 8; k++) c = c & 0x8000_0000 ? (c << 1) ^ 0x04c1_1db7 : c << 1
    t[i] = c >>> 0
  }
  return t
})()

/** Continues the CRC `crc` over `bytes` (start with 0). */
export function oggCrc(bytes: Uint8Array, crc = 0): number {
  let c = crc
  for (let i = 0; i < bytes.byteLength; i++) c = (c << 8) ^ TABLE[((c >>> 24) ^ bytes[i]!) & 0xff]!
  return c >>> 0
}

/** CRC of a page given as its header (CRC field ignored) and body. */
export function pageCrc(header: Uint8Array, body: Uint8Array): number {
  const h = header.slice()
  h.fill(0, 22, 26)
  return oggCrc(body, oggCrc(h))
}
