// Other people's XMP and C2PA data in MP4 (docs/spec.md §10.7.7), reported and
// never rewritten: top-level `uuid` boxes with the XMP UUID (ISO/IEC 16684 / XMP Part 3) or the
// C2PA UUID (C2PA 2.2 §A.5), and QuickTime's moov/udta/XMP_. Internal.
import { AUDIO_LIMITS } from '../limits.js'
import type { ForeignMetadata } from '../types.js'
import { payloadOf, type Box } from './_box.js'
import type { BoxIO } from './_io.js'

/** Extended type of the XMP `uuid` box. */
export const XMP_UUID = 'be7acfcb-97a9-42e8-9c71-999491e3afac'
/** Extended type of the C2PA manifest store `uuid` box. */
export const C2PA_UUID = 'd8fec3d6-1b0e-483c-9297-5828877ec481'

const UUID_BYTES = 16

function uuidText(bytes: Uint8Array): string {
  let hex = ''
  for (const b of bytes) hex += b.toString(16).padStart(2, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

async function xmp(io: BoxIO, location: string, offset: number, end: number): Promise<ForeignMetadata> {
  const length = end - offset
  if (length > AUDIO_LIMITS.maxXmpBytes) return { kind: 'xmp', location, offset, length }
  return { kind: 'xmp', location, offset, length, bytes: (io.peek(offset, length) ?? (await io.bytes(offset, length, 'XMP packet'))).slice() }
}

/** XMP and C2PA found in top-level `uuid` boxes and in moov/udta/XMP_, in file order. */
export async function readForeign(io: BoxIO, top: readonly Box[], udtaChildren: readonly Box[]): Promise<ForeignMetadata[]> {
  const out: ForeignMetadata[] = []
  for (const b of top) {
    if (b.type !== 'uuid' || b.end - payloadOf(b) < UUID_BYTES) continue
    const uuid = uuidText(io.peek(payloadOf(b), UUID_BYTES) ?? (await io.bytes(payloadOf(b), UUID_BYTES, 'uuid box')))
    const offset = payloadOf(b) + UUID_BYTES
    if (uuid === C2PA_UUID) out.push({ kind: 'c2pa', location: `MP4 uuid ${uuid}`, offset, length: b.end - offset })
    else if (uuid === XMP_UUID) out.push(await xmp(io, `MP4 uuid ${uuid}`, offset, b.end))
  }
  for (const b of udtaChildren) if (b.type === 'XMP_') out.push(await xmp(io, 'MP4 moov/udta/XMP_', payloadOf(b), b.end))
  return out
}
