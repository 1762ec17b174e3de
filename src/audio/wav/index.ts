/**
 * The WAV container module (docs/spec.md §10.8): WAV, BWF, RF64 and BW64. Our entries are TXXX
 * frames in an `id3 ` chunk, and the readable line again as the `LIST`/`INFO` sub-chunk `NOAI`; the
 * essence is the `fmt ` payload and the `data` payload. Loaded lazily by the audio registry.
 *
 * @module
 */
import type { ContainerHandler } from '../types.js'
import { wavEssence } from './essence.js'
import { planWavWrite } from './plan-write.js'
import { readWav } from './read.js'

/**
 * The WAV {@link ContainerHandler}.
 *
 * @example
 * ```ts
 * const { handler } = await import('./wav/index.js')
 * const tags = await handler.read(fromBytes(bytes))
 * ```
 */
export const handler: ContainerHandler = {
  format: 'wav',
  read: readWav,
  essence: wavEssence,
  planWrite: planWavWrite,
}

export { WAV_LIMITS } from './limits.js'
