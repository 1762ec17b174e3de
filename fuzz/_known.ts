// Known issues: failures the fuzzer found that are reported to their owners but not fixed yet
// (docs/fuzzing.md, "Known issues"). Each has a precise predicate, so that only that failure is
// counted and let through; anything else still fails the run. `--strict` fails on these too.
// Each issue's minimised input is kept in test/fixtures/fuzz-regressions/ and listed here: its test
// asserts that the issue still reproduces, so the test fails (and must be moved out of this list)
// once the issue is fixed.
import { payloadOf } from '../src/audio/mp4/_box.js'
import { BoxIO } from '../src/audio/mp4/_io.js'
import { audioTracks, readLayout, readTracks } from '../src/audio/mp4/_layout.js'
import { loadTables } from '../src/audio/mp4/_tables.js'
import { fromBytes } from '../src/audio/source.js'
import type { Violation } from './_target.js'

export interface KnownIssue {
  readonly id: string
  readonly target: string
  /** What is wrong, who owns it, what the fix is. */
  readonly summary: string
  /** Regression fixtures (file names in test/fixtures/fuzz-regressions/) that show it. */
  readonly fixtures: readonly string[]
  /** Whether this violation of this input is the known issue. */
  matches(input: unknown, v: Violation): Promise<boolean>
}

/**
 * The byte ranges of the audio samples of an MP4 file, chunk by chunk, as the essence computes
 * them (src/audio/mp4/essence.ts), or undefined when the file does not get that far.
 */
async function mp4SampleRanges(bytes: Uint8Array): Promise<{ ranges: [number, number][]; moov: [number, number]; mdats: [number, number][] } | undefined> {
  try {
    const io = new BoxIO(fromBytes(bytes))
    const layout = await readLayout(io)
    const ranges: [number, number][] = []
    for (const track of audioTracks(await readTracks(io, layout))) {
      const t = await loadTables(io, track)
      let sample = 0
      let entry = 0
      for (let chunk = 1; chunk <= t.chunkCount; chunk++) {
        while (entry + 1 < t.stscCount && t.firstChunk(entry + 1) <= chunk) entry++
        const n = t.samplesPerChunk(entry)
        let size = 0
        for (let i = sample; i < sample + n && i < t.sampleCount; i++) size += t.constantSize !== 0 ? t.constantSize : t.sizeOf(i)
        sample += n
        if (size > 0) ranges.push([t.chunkOffset(chunk - 1), t.chunkOffset(chunk - 1) + size])
      }
    }
    const mdats = layout.top.filter((b) => b.type === 'mdat').map((b): [number, number] => [payloadOf(b), b.end])
    return { ranges, moov: [layout.moov.start, layout.moov.end], mdats }
  } catch {
    return undefined
  }
}

export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    id: 'mp4-samples-outside-mdat',
    target: 'audio-mp4',
    summary:
      'MP4 essence (docs/spec.md §10.7.4, src/audio/mp4/essence.ts): a sample table whose chunks run outside the mdat payload, into moov, ' +
      'is accepted, so the essence hashes box bytes that a tag write then changes ("writing never changes the essence" breaks). ' +
      'Fix: add to the malformed cases of §10.7.4 "a chunk lies outside the payload of every top-level mdat" (or at least overlaps moov) and check it in hashTrack.',
    fixtures: ['audio-mp4--property-5eed2026-m369.m4a'],
    async matches(input, v) {
      if (!(input instanceof Uint8Array) || v.kind !== 'property' || !v.op.startsWith('audioEssence(')) return false
      const layout = await mp4SampleRanges(input)
      if (!layout) return false
      return layout.ranges.some(([from, to]) => !layout.mdats.some(([a, b]) => from >= a && to <= b))
    },
  },
]

/** The known issue this violation is, if any. */
export async function knownIssue(target: string, input: unknown, v: Violation): Promise<KnownIssue | undefined> {
  for (const k of KNOWN_ISSUES) if (k.target === target && (await k.matches(input, v))) return k
  return undefined
}
