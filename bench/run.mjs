// Runs every benchmark: each bench/<name>.mjs except this file and files starting with `_`, one
// after another, each in its own child process (so that one benchmark's JIT state, caches and
// garbage do not bias the next). Forwards their output; exits 1 when any of them failed.
// `npm run bench` (full) or `BENCH_SMOKE=1 npm run bench` (short, for CI). See bench/README.md.
import { readdirSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .sort()

const failed = []
for (const file of benches) {
  console.log(`\n--- bench/${file}${process.env.BENCH_SMOKE === '1' ? ' (smoke)' : ''}`)
  const started = performance.now()
  const r = spawnSync(process.execPath, [`${here}${file}`], { stdio: 'inherit', env: process.env })
  const code = r.status ?? 1
  console.log(`--- bench/${file}: exit ${code}${r.signal ? ` (${r.signal})` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  if (code !== 0) failed.push(file)
}
console.log(`\nbenchmarks: ${benches.length - failed.length} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}`)
if (failed.length > 0 || benches.length === 0) process.exitCode = 1
