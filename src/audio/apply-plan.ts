/**
 * Applying an edit plan in memory (docs/spec.md §10.3).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import { toSource, type AudioInput } from './_input.js'
import type { AudioReadOptions } from './read-audio-tag.js'
import type { EditPlan } from './types.js'

/**
 * Builds the new file from the old one and a plan, in memory.
 *
 * @throws InvalidArgumentError when the plan does not fit the input (it was planned on another file).
 * @example
 * ```ts
 * const out = await applyAudioPlan(bytes, await planAudioWrite(bytes, entries))
 * ```
 */
export async function applyAudioPlan(input: AudioInput, plan: EditPlan, options: AudioReadOptions = {}): Promise<Uint8Array> {
  const source = toSource(input)
  const opts = options.signal ? { signal: options.signal } : undefined
  const whole = async (offset: number, length: number): Promise<Uint8Array> => {
    const b = await source.read(offset, length, opts)
    if (b.length !== length) throw new InvalidArgumentError(`the plan reads ${length} bytes at ${offset}, past the end of the input (${source.size} bytes): it was made for another file`)
    return b
  }
  if (plan.kind === 'unchanged') return (await whole(0, source.size)).slice()
  if (plan.kind === 'in-place') {
    const out = (await whole(0, source.size)).slice()
    for (const p of plan.patches) out.set(p.bytes, p.offset)
    return out
  }
  let total = 0
  for (const s of plan.segments) total += 'bytes' in s ? s.bytes.length : s.length
  const out = new Uint8Array(total)
  let at = 0
  for (const s of plan.segments) {
    const b = 'bytes' in s ? s.bytes : await whole(s.copyFrom, s.length)
    out.set(b, at)
    at += b.length
  }
  return out
}
