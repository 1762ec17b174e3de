/** Byte helpers shared by every carrier. @module */

/** A Uint8Array, also from another realm (iframes, vm contexts, jsdom), and Node Buffers. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array')
}

/**
 * Concatenates byte arrays into a new one.
 *
 * @example
 * ```ts
 * concatBytes([header, payload])
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.byteLength
  const out = new Uint8Array(n)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}
