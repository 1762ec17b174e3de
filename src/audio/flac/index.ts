/**
 * The FLAC container module (docs/spec.md §10.5): `NOAI`/`NOAI_TAG` in the VORBIS_COMMENT block.
 *
 * @module
 */
import type { ContainerHandler } from '../types.js'
import { flacEssence } from './essence.js'
import { planFlacWrite } from './plan-write.js'
import { readFlac } from './read.js'

/**
 * The FLAC {@link ContainerHandler}.
 *
 * @example
 * ```ts
 * const tags = await handler.read(fromBytes(bytes))
 * ```
 */
export const handler: ContainerHandler = {
  format: 'flac',
  read: readFlac,
  essence: flacEssence,
  planWrite: planFlacWrite,
}

export { FLAC_LIMITS } from './limits.js'
