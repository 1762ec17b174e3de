/**
 * Planning a write (or removal) of the NoAI Tag without doing it (docs/spec.md §10.3): for callers
 * that apply the plan themselves (noai-tag/node writes files atomically from it).
 *
 * @module
 */
import { toSource, type AudioInput } from './_input.js'
import type { AudioReadOptions } from './read-audio-tag.js'
import { resolveHandler } from './registry.js'
import type { EditPlan, TagEntries } from './types.js'

/**
 * Plans writing `entries` (from `audioTagEntries`) into a file, or removing ours with `null`:
 * `in-place` patches inside metadata when padding or free space allows, else a `rewrite` as
 * segments (new bytes and copied ranges of the old file), or `unchanged`.
 *
 * @example
 * ```ts
 * import { planAudioWrite, audioTagEntries } from 'noai-tag/audio'
 * const plan = await planAudioWrite(source, audioTagEntries({ jws }))
 * if (plan.kind === 'in-place') for (const p of plan.patches) await file.write(p.bytes, 0, p.bytes.length, p.offset)
 * ```
 */
export async function planAudioWrite(input: AudioInput, entries: TagEntries | null, options: AudioReadOptions = {}): Promise<EditPlan> {
  const source = toSource(input)
  const handler = await resolveHandler(source, options)
  return handler.planWrite(source, entries, options)
}
