// Child process of bench/scan.mjs: runs the built CLI (`node _scan-measure.mjs CLI ARGS...`) in this
// process, sampling its memory, and prints one JSON line at exit: the peak resident set size from
// /proc/self/status (VmHWM, exact) and the peak heap used (sampled every 20 ms). The parent starts
// it with a heap limit (--max-old-space-size), so a scan whose memory grew with the number of
// items would also fail outright.
import { readFileSync, writeSync } from 'node:fs'

const [cli, ...args] = process.argv.slice(2)
let heap = 0
const sample = () => {
  heap = Math.max(heap, process.memoryUsage().heapUsed)
}
setInterval(sample, 20).unref()
process.on('exit', (code) => {
  sample()
  const status = readFileSync('/proc/self/status', 'utf8')
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN)
  writeSync(1, `${JSON.stringify({ code, rssPeakKb: kb('VmHWM'), heapPeakKb: Math.round(heap / 1024) })}\n`)
})
process.argv = [process.argv[0], cli, ...args]
await import(cli)
