/**
 * Writing the NoAI Tag into an audio file in memory (docs/spec.md §10.3).
 *
 * @module
 */
import { applyAudioPlan } from './apply-plan.js'
import { toSource, type AudioInput } from './_input.js'
import { planAudioWrite } from './plan-audio-write.js'
import type { AudioReadOptions } from './read-audio-tag.js'
import { audioTagEntries, type AudioTagInput } from './tag-entries.js'

/**
 * Writes (or replaces) the NoAI Tag of an audio file and returns the new file's bytes. Stores two
 * entries: the readable line and the document (a given JWS as is, else the tag as ASCII JSON).
 * Nothing else changes: the audio essence and every other tag stay byte for byte. For files on
 * disk use `writeAudioFile` of noai-tag/node (in place or atomic rewrite, bounded memory).
 *
 * @throws UnsupportedFormatError, MalformedAudioError; InvalidArgumentError or TagValidationError for
 *   an unusable tag or JWS.
 * @example
 * ```ts
 * import { writeAudioTag } from 'noai-tag/audio'
 * import { signTag } from 'noai-tag/sign'
 * const jws = await signTag(tag, { key, kid: 'k1' })
 * const stamped = await writeAudioTag(bytes, { jws })
 * ```
 */
export async function writeAudioTag(input: AudioInput, tag: AudioTagInput, options: AudioReadOptions = {}): Promise<Uint8Array> {
  const entries = audioTagEntries(tag)
  const source = toSource(input)
  return applyAudioPlan(source, await planAudioWrite(source, entries, options), options)
}
