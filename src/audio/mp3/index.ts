/**
 * The MP3 container module (docs/spec.md §10.4): our entries are ID3v2 `TXXX` frames in the
 * leading tag; the essence is the MPEG audio between the leading and trailing tags, without a
 * Xing/Info/VBRI header frame. Loaded lazily by the audio registry.
 *
 * @module
 */
import type { ContainerHandler } from '../types.js'
import { mp3Essence } from './essence.js'
import { planMp3 } from './plan.js'
import { readMp3 } from './read.js'

/**
 * The MP3 handler.
 *
 * @example
 * ```ts
 * const { handler } = await import('./mp3/index.js')
 * const tags = await handler.read(fromBytes(bytes))
 * ```
 */
export const handler: ContainerHandler = {
  format: 'mp3',
  read: readMp3,
  essence: mp3Essence,
  planWrite: planMp3,
}
