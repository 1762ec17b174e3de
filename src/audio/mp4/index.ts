/**
 * The MP4/M4A carrier (docs/spec.md §10.7): ISO BMFF files with AAC, ALAC or other audio, `moov`
 * before or after `mdat`, 32- or 64-bit chunk offsets. Our entries are iTunes freeform items in
 * moov/udta/meta/ilst; the essence is the audio tracks' samples. Fragmented files are refused.
 *
 * @module
 */
import type { ContainerHandler } from '../types.js'
import { mp4Essence } from './essence.js'
import { planMp4Write } from './plan-write.js'
import { readMp4 } from './read.js'

/**
 * The MP4 container handler: read, essence and write planning (the audio registry loads it lazily
 * for files whose first box is `ftyp`).
 *
 * @example
 * ```ts
 * import { handler } from './mp4/index.js'
 * const tags = await handler.read(fromBytes(bytes)) // { format: 'mp4', codec: 'aac', readable: 'train-ai=n', ... }
 * ```
 */
export const handler: ContainerHandler = {
  format: 'mp4',
  read: readMp4,
  essence: mp4Essence,
  planWrite: planMp4Write,
}
