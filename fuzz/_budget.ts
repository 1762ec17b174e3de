// Budgets: how long or how many inputs each target runs, and the total a CI run may take.

/** Parses a duration: `500ms`, `15s`, `30m`, `2h`, or a bare number of seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!m) throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 500ms, 15s, 30m, 2h)`)
  const n = Number(m[1])
  const unit = m[2] ?? 's'
  return n * (unit === 'ms' ? 1 : unit === 's' ? 1_000 : unit === 'm' ? 60_000 : 3_600_000)
}

/** Parses a count: `1000`, `1e6`, `1_000_000`, `250k`, `1M`. */
export function parseCount(text: string): number {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM])?$/.exec(text.trim().replace(/_/g, ''))
  if (!m) throw new Error(`not a count: ${JSON.stringify(text)} (use e.g. 1000, 1e6, 250k, 1M)`)
  const n = Number(m[1]) * (m[2] === undefined ? 1 : m[2].toLowerCase() === 'k' ? 1_000 : 1_000_000)
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`count must be a positive integer, not ${text}`)
  return n
}

export const formatMs = (ms: number): string => (ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`)

/**
 * The time the next target may take: its own budget, cut so that the targets still to run fit in
 * what is left of the total (each also needs `overheadMs` to start and load its corpus).
 */
export function nextTargetMs(perTargetMs: number, totalMs: number | undefined, elapsedMs: number, remainingTargets: number, overheadMs: number): number {
  if (totalMs === undefined) return perTargetMs
  const left = totalMs - elapsedMs - remainingTargets * overheadMs
  return Math.max(1_000, Math.min(perTargetMs, Math.floor(left / Math.max(1, remainingTargets))))
}
