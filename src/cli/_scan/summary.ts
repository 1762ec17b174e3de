/**
 * The summary `noai scan` prints on standard error at the end: counts by verdict and by error
 * code, the rate, and what resuming and walking left out.
 *
 * @module
 */
import type { ScanLine } from './types.js'

/** Counts kept while the lines are written. */
export interface ScanCounts {
  written: number
  readonly verdicts: { allow: number; deny: number; unknown: number }
  errors: number
  readonly errorCodes: Map<string, number>
}

/**
 * Empty counts.
 *
 * @example
 * ```ts
 * const counts = newCounts()
 * ```
 */
export function newCounts(): ScanCounts {
  return { written: 0, verdicts: { allow: 0, deny: 0, unknown: 0 }, errors: 0, errorCodes: new Map() }
}

/**
 * Counts one written line.
 *
 * @example
 * ```ts
 * countLine(counts, line)
 * ```
 */
export function countLine(c: ScanCounts, line: ScanLine): void {
  c.written++
  c.verdicts[line.verdict]++
  if (line.error !== undefined) {
    c.errors++
    c.errorCodes.set(line.error.code, (c.errorCodes.get(line.error.code) ?? 0) + 1)
  }
}

/** What else the summary reports. */
export interface SummaryExtras {
  readonly elapsedMs: number
  /** Lines already in the report when resuming. */
  readonly kept?: number
  /** Bytes of a partial last line dropped when resuming. */
  readonly dropped?: number
  readonly loops?: number
  readonly skipped?: number
  /** The scan stopped early (the reader of standard output went away). */
  readonly stopped?: boolean
}

const int = (n: number): string => n.toLocaleString('en-US')

/**
 * The summary line.
 *
 * @example
 * ```ts
 * formatSummary(counts, { elapsedMs: 4100 })
 * // 'noai scan: 10,000 items in 4.1 s (2,439/s): 5,000 deny, 0 allow, 5,000 unknown; 12 errors (12 ERR_NOAI_MALFORMED_INPUT)'
 * ```
 */
export function formatSummary(c: ScanCounts, x: SummaryExtras): string {
  const seconds = x.elapsedMs / 1000
  const rate = seconds > 0 ? Math.round(c.written / seconds) : 0
  let s = `noai scan: ${int(c.written)} item${c.written === 1 ? '' : 's'} in ${seconds.toFixed(1)} s (${int(rate)}/s): ${int(c.verdicts.deny)} deny, ${int(c.verdicts.allow)} allow, ${int(c.verdicts.unknown)} unknown`
  if (c.errors > 0) {
    const codes = [...c.errorCodes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code, n]) => `${int(n)} ${code}`)
    s += `; ${int(c.errors)} error${c.errors === 1 ? '' : 's'} (${codes.join(', ')})`
  } else s += '; no errors'
  if (x.kept !== undefined) s += `; resumed after ${int(x.kept)} line${x.kept === 1 ? '' : 's'} already written${x.dropped ? ` (a partial last line of ${int(x.dropped)} bytes dropped and redone)` : ''}`
  if (x.loops) s += `; ${int(x.loops)} symbolic link loop${x.loops === 1 ? '' : 's'} not followed`
  if (x.skipped) s += `; ${int(x.skipped)} special file${x.skipped === 1 ? '' : 's'} (FIFOs, sockets, devices) skipped`
  if (x.stopped) s += '; STOPPED early: the reader of the output went away'
  return s
}
