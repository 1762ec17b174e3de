/**
 * The progress line of `noai scan` on a terminal: a bar with the percentage, the count, the rate
 * and the time left when the total is known, else the count and the rate. Redrawn at most
 * {@link PROGRESS_REDRAWS_PER_SECOND} times a second on standard error, and only when standard
 * error is a terminal: a piped or redirected run prints no progress at all.
 *
 * @module
 */

/** Redraws per second at most. */
export const PROGRESS_REDRAWS_PER_SECOND = 10

/** Width of the bar itself, in characters. */
const BAR_WIDTH = 24

/** What the progress line shows. */
export interface ProgressState {
  /** Items whose line is written (this run). */
  readonly done: number
  /** Items this run will write, when known. */
  readonly total?: number
  /** Items with an error so far. */
  readonly errors: number
  /** Time since this run started, in milliseconds. */
  readonly elapsedMs: number
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US')

/**
 * A duration as `M:SS` or `H:MM:SS`.
 *
 * @example
 * ```ts
 * formatDuration(3725_000) // '1:02:05'
 * ```
 */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/**
 * The progress line (without control characters), cut to `columns - 1` characters.
 *
 * @example
 * ```ts
 * formatProgress({ done: 2500, total: 10000, errors: 0, elapsedMs: 2000 })
 * // '[######··················]   25.0%  2,500/10,000  1,250/s  ETA 0:06'
 * ```
 */
export function formatProgress(s: ProgressState, columns = 80): string {
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0
  const parts: string[] = []
  if (s.total !== undefined) {
    const fraction = s.total === 0 ? 1 : Math.min(1, s.done / s.total)
    const filled = Math.round(fraction * BAR_WIDTH)
    parts.push(`[${'#'.repeat(filled)}${'·'.repeat(BAR_WIDTH - filled)}]`, `${(fraction * 100).toFixed(1).padStart(5)}%`, `${int(s.done)}/${int(s.total)}`)
  } else parts.push(`${int(s.done)} items`)
  parts.push(`${int(rate)}/s`)
  if (s.total !== undefined) parts.push(rate > 0 ? `ETA ${formatDuration(((s.total - s.done) / rate) * 1000)}` : 'ETA -:--')
  if (s.errors > 0) parts.push(`${int(s.errors)} error${s.errors === 1 ? '' : 's'}`)
  const line = parts.join('  ')
  return line.length < columns ? line : line.slice(0, Math.max(0, columns - 1))
}

/** Where the progress line is drawn (standard error of a terminal). */
export interface ProgressTarget {
  write(text: string): unknown
  readonly columns?: number
}

/**
 * A progress line redrawn on a timer (at most {@link PROGRESS_REDRAWS_PER_SECOND} times a second)
 * while a scan runs.
 *
 * @example
 * ```ts
 * const p = startProgress(process.stderr, () => ({ done, errors, elapsedMs: Date.now() - t0 }))
 * // ... scan ...
 * p.stop()
 * ```
 */
export function startProgress(target: ProgressTarget, state: () => ProgressState): { stop(): void } {
  let last = ''
  const draw = (): void => {
    // A pseudo-terminal may report 0 columns (script(1) without a size): take 80.
    const line = formatProgress(state(), target.columns || 80)
    if (line === last) return
    last = line
    target.write(`\r${line}\x1b[K`)
  }
  const timer = setInterval(draw, 1000 / PROGRESS_REDRAWS_PER_SECOND)
  timer.unref()
  draw()
  return {
    stop() {
      clearInterval(timer)
      target.write('\r\x1b[K')
    },
  }
}
