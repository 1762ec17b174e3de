// Known issues: failures the fuzzer found that are reported to their owners but not fixed yet
// (docs/fuzzing.md, "Known issues"). Each has a precise predicate, so that only that failure is
// counted and let through; anything else still fails the run. `--strict` fails on these too.
// Each issue's minimised input is kept in test/fixtures/fuzz-regressions/ and listed here: its test
// asserts that the issue still reproduces, so the test fails (and must be moved out of this list)
// once the issue is fixed.
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

export const KNOWN_ISSUES: readonly KnownIssue[] = [
  // None open. Fixed since: mp4-samples-outside-mdat (docs/spec.md §10.7.4 case 6) and
  // html-max-tag-length-by-chunk (src/html/_scanner.ts); docs/fuzzing.md lists them.
]

/** The known issue this violation is, if any. */
export async function knownIssue(target: string, input: unknown, v: Violation): Promise<KnownIssue | undefined> {
  for (const k of KNOWN_ISSUES) if (k.target === target && (await k.matches(input, v))) return k
  return undefined
}
