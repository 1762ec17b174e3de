/**
 * The Ogg container module (docs/spec.md §10.6): `NOAI`/`NOAI_TAG` in the comment header of the
 * first Vorbis or Opus stream.
 *
 * @module
 */
import type { ContainerHandler } from '../types.js'
import { oggEssence } from './essence.js'
import { planOggWrite } from './plan-write.js'
import { readOgg } from './read.js'

/**
 * The Ogg (Vorbis, Opus) {@link ContainerHandler}.
 *
 * @example
 * ```ts
 * const tags = await handler.read(fromBytes(bytes))
 * ```
 */
export const handler: ContainerHandler = {
  format: 'ogg',
  read: readOgg,
  essence: oggEssence,
  planWrite: planOggWrite,
}

export { OGG_LIMITS } from './limits.js'
