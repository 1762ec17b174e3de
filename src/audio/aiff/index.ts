/**
 * The AIFF container module (docs/spec.md §10.9): AIFF and AIFF-C. Our entries are TXXX frames in
 * an `ID3 ` chunk; the essence is the `COMM` payload and the `SSND` payload. Loaded lazily by the
 * audio registry.
 *
 * @module
 */
import type { ContainerHandler } from '../types.js'
import { aiffEssence } from './essence.js'
import { planAiffWrite } from './plan-write.js'
import { readAiff } from './read.js'

/**
 * The AIFF {@link ContainerHandler}.
 *
 * @example
 * ```ts
 * const { handler } = await import('./aiff/index.js')
 * const tags = await handler.read(fromBytes(bytes))
 * ```
 */
export const handler: ContainerHandler = {
  format: 'aiff',
  read: readAiff,
  essence: aiffEssence,
  planWrite: planAiffWrite,
}

export { AIFF_LIMITS } from './limits.js'
