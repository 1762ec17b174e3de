/** Byte helpers shared by every carrier. @module */

/** A Uint8Array, also from another realm (iframes, vm contexts, jsdom), and Node Buffers. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array')
}
