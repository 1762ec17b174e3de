/**
 * Joining byte arrays, shared by the read cache and the container writers. Internal.
 * @module
 */

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
