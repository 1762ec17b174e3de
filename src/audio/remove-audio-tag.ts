/**
 * Removing the NoAI Tag from an audio file in memory (docs/spec.md §10.3).
 *
 * @module
 */
import { applyAudioPlan } from './apply-plan.js'
import { toSource, type AudioInput } from './_input.js'
import { planAudioWrite } from './plan-audio-write.js'
import type { AudioReadOptions } from './read-audio-tag.js'

/**
 * Removes our two entries from an audio file and returns the new file's bytes (a copy of the input
 * when there was no tag). Other metadata and the audio stay byte for byte.
 *
 * @example
 * ```ts
 * import { removeAudioTag } from 'noai-tag/audio'
 * const clean = await removeAudioTag(bytes)
 * ```
 */
export async function removeAudioTag(input: AudioInput, options: AudioReadOptions = {}): Promise<Uint8Array> {
  const source = toSource(input)
  return applyAudioPlan(source, await planAudioWrite(source, null, options), options)
}
