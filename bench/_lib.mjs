// Shared helpers for the benchmarks in bench/ (see bench/README.md for the conventions).
// Plain ESM for Node; benchmarks import the BUILT library from ../dist, never from src/.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** BENCH_SMOKE=1: a short run (a few hundred ms per benchmark) for CI. */
export const SMOKE = process.env.BENCH_SMOKE === '1'

/** Number of measured runs whose median is reported, in both modes. */
export const RUNS = 5

/**
 * In smoke mode a goal is only enforced down to this fraction of it: a smoke run is too short and
 * the CI machine too noisy to hold a ratio to a few per cent, but a ratio below half its goal is a
 * real regression (for example a validator compiled at run time again), not noise.
 */
export const SMOKE_FLOOR = 0.5

/** Absolute path of a file of the built package, e.g. `dist('index.js')`; exits 2 when not built. */
export function dist(file) {
  const path = fileURLToPath(new URL(`../dist/${file}`, import.meta.url))
  if (!existsSync(path)) {
    console.error(`bench: ${path} is missing: run \`npm run build\` first`)
    process.exit(2)
  }
  return path
}

/** Median of a non-empty list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Calls `fn(input)` over `inputs`, round robin, for about `ms` milliseconds and returns calls per
 * second. The results are folded into a sink so the JIT cannot drop the calls.
 */
export function opsPerSecond(fn, inputs, ms) {
  const batch = inputs.length * 16
  let sink = 0
  let calls = 0
  const start = performance.now()
  let now = start
  do {
    for (let i = 0; i < batch; i++) if (fn(inputs[i % inputs.length])) sink++
    calls += batch
    now = performance.now()
  } while (now - start < ms)
  globalThis.__benchSink = sink
  return (calls * 1000) / (now - start)
}

/**
 * Throughput of several candidates on the same inputs: one warm-up, then RUNS rounds in which
 * every candidate runs once, interleaved and in alternating order (A B C, then C B A, ...) so that
 * machine noise and drift hit them alike. Returns the median ops/s per candidate, and
 * `ratio(a, b)`: the median over the rounds of a's ops/s ÷ b's ops/s in the same round (pairing
 * by round cancels most of the noise of a shared machine).
 */
export function compareThroughput(candidates, inputs, { ms = SMOKE ? 30 : 500 } = {}) {
  const names = Object.keys(candidates)
  const samples = Object.fromEntries(names.map((k) => [k, []]))
  for (const name of names) opsPerSecond(candidates[name], inputs, SMOKE ? 30 : 300)
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse()
    for (const name of order) samples[name].push(opsPerSecond(candidates[name], inputs, ms))
  }
  return {
    ops: Object.fromEntries(names.map((k) => [k, median(samples[k])])),
    ratio: (a, b) => median(samples[a].map((x, i) => x / samples[b][i])),
  }
}

/**
 * Runs `node <script> <variant>` in fresh child processes: one warm-up each (fills the file
 * cache), then RUNS rounds of every variant, in alternating order. Each child prints one JSON line
 * `{"ms": <number>}` with the time it measured itself (so Node's own start-up is excluded).
 * Returns the median ms per variant and `ratio(a, b)`: the median over the rounds of a's ms ÷ b's.
 */
export function compareColdStart(script, variants) {
  const samples = Object.fromEntries(variants.map((v) => [v, []]))
  const once = (variant) => {
    const r = spawnSync(process.execPath, [script, variant], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${script} ${variant} exited ${r.status}:\n${r.stderr}`)
    return JSON.parse(r.stdout.trim().split('\n').pop()).ms
  }
  for (const v of variants) once(v)
  for (let r = 0; r < RUNS; r++) {
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) samples[v].push(once(v))
  }
  return {
    ms: Object.fromEntries(variants.map((v) => [v, median(samples[v])])),
    ratio: (a, b) => median(samples[a].map((x, i) => x / samples[b][i])),
  }
}

/** Prints rows (arrays of cells) as an aligned table; the first row is the header. */
export function table(rows) {
  const cells = rows.map((r) => r.map(String))
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  console.log(line(cells[0]))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of cells.slice(1)) console.log(line(r))
}

/** Formats a number with thousands separators and `digits` decimals. */
export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/**
 * Checks a ratio against its goal and prints the machine-readable line
 * `RESULT <bench> <metric> ratio=<x> goal>=<y> PASS|FAIL`. Returns whether the run should count
 * as passed: in full mode the goal itself, in smoke mode SMOKE_FLOOR × goal (the line then says
 * so). Call {@link finish} with the returned values.
 */
export function result(bench, metric, ratio, goal) {
  const pass = ratio >= goal
  let note = ''
  let ok = pass
  if (SMOKE) {
    ok = ratio >= goal * SMOKE_FLOOR
    note = ok ? ' (smoke: goal not enforced)' : ` (smoke: below ${SMOKE_FLOOR} x goal)`
  }
  console.log(`RESULT ${bench} ${metric} ratio=${ratio.toFixed(2)} goal>=${goal} ${pass ? 'PASS' : 'FAIL'}${note}`)
  return ok
}

/** Exits 1 when any of the results returned by {@link result} failed. */
export function finish(oks) {
  if (!oks.every(Boolean)) process.exitCode = 1
}
