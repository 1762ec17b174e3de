// Normalising the inputs of the audio API: a ByteSource, bytes in memory or a Blob. Internal.
import { InvalidArgumentError } from '../errors.js'
import { isBytes } from '../_internal/bytes.js'
import { fromBlob, fromBytes } from './source.js'
import type { ByteSource } from './types.js'

/** What the audio operations accept. */
export type AudioInput = ByteSource | Uint8Array | Blob

function isByteSource(x: unknown): x is ByteSource {
  return typeof x === 'object' && x !== null && typeof (x as ByteSource).read === 'function' && Number.isSafeInteger((x as ByteSource).size)
}

/** The byte source of an input. */
export function toSource(input: AudioInput): ByteSource {
  if (isBytes(input)) return fromBytes(input)
  if (typeof Blob !== 'undefined' && input instanceof Blob) return fromBlob(input)
  if (isByteSource(input)) return input
  throw new InvalidArgumentError('audio input must be a Uint8Array, a Blob or a ByteSource ({ size, read(offset, length) })')
}
