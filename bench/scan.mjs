// `noai scan` end to end (the built CLI, spawned) against a plain loop that only reads each file,
// or only fetches each URL's head, without evaluating anything (bench/_scan-baseline.mjs, spawned
// the same way, so that both pay Node's start-up and write one JSON line per item to a file):
//
// - files: 10,000 small audio files (0.7 to 10 KB, six containers, half stamped with a tag) in
//   folders of 1,000, cached under .tmp/bench-scan/; 16 at a time on both sides (the scan's default);
//   the baseline walks the folder the same way and reads each file whole;
// - URLs: 10,000 pages on 100 local origins (100 HTTP servers on 127.0.0.1 in a child process),
//   interleaved; 64 at a time on both sides. The scan also fetches robots.txt and the site files of
//   each origin (every run starts with an empty cache), reads the head and decides.
//
// Rates are end to end: items / wall time of the command, Node's start-up, loading the code and
// the JIT's warm-up included on both sides. Goal: items per second of the scan >= 0.7 x the
// baseline's, for files and for URLs.
//
// Memory: the scan runs in a child with a heap limit (64 MB) over 10,000 and 100,000 files (hard
// links, so 100,000 items cost directory entries, not disk) and URLs; its peak resident set
// (VmHWM) at 100,000 must be at most 1.2 x the peak at 10,000: ratio peak(10k) / peak(100k) >=
// 0.833. BENCH_SMOKE=1: 1,000 files and 400 URLs for throughput; 1,000 and 5,000 files, 500 and
// 2,500 URLs for memory.
import { spawn, fork } from 'node:child_process'
import { once } from 'node:events'
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { baseFolder, isStamped, itemPath, linkedFolder, ROOT } from './_scan-files.mjs'
import { dist, fmt, finish, median, result, RUNS, SMOKE, table } from './_lib.mjs'

// A snapshot of the built CLI (dist/cli.js and its chunks in dist/_cli/; its dependencies resolve
// from the project's node_modules), so that a rebuild of dist/ during the run cannot pull it away.
await mkdir(ROOT, { recursive: true })
const CLI = path.join(ROOT, 'cli.js')
await rm(path.join(ROOT, '_cli'), { recursive: true, force: true })
await cp(path.join(path.dirname(dist('cli.js')), '_cli'), path.join(ROOT, '_cli'), { recursive: true })
await copyFile(dist('cli.js'), CLI)
const BASELINE = fileURLToPath(new URL('./_scan-baseline.mjs', import.meta.url))
const MEASURE = fileURLToPath(new URL('./_scan-measure.mjs', import.meta.url))
const N = SMOKE ? 1_000 : 10_000
const N_URLS = SMOKE ? 400 : 10_000
const MEMORY = SMOKE ? [1_000, 5_000] : [10_000, 100_000]
const MEMORY_URLS = SMOKE ? [500, 2_500] : [10_000, 100_000]
const ORIGINS = SMOKE ? 10 : 100
const FILE_CONCURRENCY = 16
// 64 in flight, as bench/check.mjs; never more than the scan's politeness allows (2 per origin).
const URL_CONCURRENCY = Math.min(64, 2 * ORIGINS)
const GOAL = 0.7
const MEMORY_GROWTH = 1.2
const MEMORY_GOAL = Number((1 / MEMORY_GROWTH).toFixed(3))
const HEAP_LIMIT_MB = 64
const UA = 'BenchBot/1.0 (+https://example.com/bot)'
const OUT = path.join(ROOT, 'out')
await mkdir(OUT, { recursive: true })

/** Runs `node ...args`, resolves with the wall time (ms) from spawn to exit; rejects on a non-zero exit. */
async function timed(args) {
  const start = performance.now()
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (d) => (output += d))
  child.stderr.setEncoding('utf8').on('data', (d) => (output += d))
  const [code] = await once(child, 'close')
  const ms = performance.now() - start
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}:\n${output}`)
  return { ms, output }
}

const lines = async (file) => (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '')

/** Checks a scan report: one line per item, each with the verdict it must have, and no errors. */
async function checkReport(file, count, verdictOf, keyOf) {
  const report = (await lines(file)).map((l) => JSON.parse(l))
  if (report.length !== count) throw new Error(`${file}: ${report.length} lines, expected ${count}`)
  report.forEach((line, i) => {
    if (keyOf(line) !== verdictOf.key(i) || line.verdict !== verdictOf.verdict(i) || line.error !== undefined) {
      throw new Error(`${file} line ${i + 1}: ${JSON.stringify(line).slice(0, 300)}; expected ${verdictOf.key(i)} → ${verdictOf.verdict(i)}`)
    }
  })
}

/**
 * A warm-up that checks both sides' answers, then RUNS rounds in alternating order; returns the
 * median items/s of each (items / wall time of the command) and the median per-round ratio
 * scan ÷ baseline.
 */
async function compare(name, count, input, scanArgs, baselineArgs, check) {
  const scanOut = path.join(OUT, `${name}-scan.jsonl`)
  const baseOut = path.join(OUT, `${name}-baseline.jsonl`)
  const run = {
    scan: () => timed([CLI, 'scan', input, ...scanArgs, '--out', scanOut, '--quiet']),
    baseline: () => timed([BASELINE, ...baselineArgs(input, baseOut)]),
  }
  await run.scan()
  await check(scanOut)
  await run.baseline()
  if ((await lines(baseOut)).length !== count) throw new Error(`the baseline wrote ${(await lines(baseOut)).length} lines, expected ${count}`)
  const samples = { scan: [], baseline: [] }
  for (let r = 0; r < RUNS; r++) {
    for (const side of r % 2 === 0 ? ['scan', 'baseline'] : ['baseline', 'scan']) samples[side].push((count * 1000) / (await run[side]()).ms)
  }
  return {
    scan: median(samples.scan),
    baseline: median(samples.baseline),
    ratio: median(samples.scan.map((x, i) => x / samples.baseline[i])),
  }
}

/** Peak memory of a scan in a child with a heap limit (median over rounds of VmHWM). */
async function peakMemory(args, rounds) {
  const rss = []
  const heap = []
  for (let r = 0; r < rounds; r++) {
    const { output } = await timed([`--max-old-space-size=${HEAP_LIMIT_MB}`, MEASURE, CLI, 'scan', ...args, '--quiet'])
    const m = JSON.parse(output.trim().split('\n').pop())
    if (m.code !== 0) throw new Error(`the scan exited ${m.code}`)
    rss.push(m.rssPeakKb)
    heap.push(m.heapPeakKb)
  }
  return { rssKb: median(rss), heapKb: median(heap) }
}

const oks = []
const rows = [['what', 'items', 'noai scan (items/s)', 'plain loop (items/s)', 'ratio']]
const row = (what, n, x) => [what, fmt(n), fmt(x.scan), fmt(x.baseline), x.ratio.toFixed(2)]

// ---- Files -------------------------------------------------------------------------------------
const filesDir = await baseFolder(N)
const fileVerdicts = { key: (i) => itemPath(filesDir, i), verdict: (i) => (isStamped(i) ? 'deny' : 'unknown') }
const files = await compare('files', N, filesDir, ['--concurrency', String(FILE_CONCURRENCY)], (input, out) => ['files', input, out, String(FILE_CONCURRENCY)], (out) =>
  checkReport(out, N, fileVerdicts, (l) => l.path),
)
rows.push(row('files', N, files))

// ---- URLs --------------------------------------------------------------------------------------
const servers = fork(new URL('./_scan-servers.mjs', import.meta.url), [String(ORIGINS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const [{ ports }] = await once(servers, 'message')
/** The list of `count` URLs, interleaved over the origins, as a crawler's frontier usually is. */
async function urlList(count) {
  const file = path.join(OUT, `urls-${count}.txt`)
  const urls = Array.from({ length: count }, (_, j) => `http://127.0.0.1:${ports[j % ports.length]}/p/${Math.floor(j / ports.length)}.html`)
  await writeFile(file, `${urls.join('\n')}\n`)
  return { file, urls }
}
let urls
try {
  const list = await urlList(N_URLS)
  const urlVerdicts = { key: (j) => list.urls[j], verdict: (j) => ((Math.floor(j / ports.length) + (j % ports.length)) % 2 === 1 ? 'deny' : 'unknown') }
  urls = await compare('urls', N_URLS, list.file, ['--concurrency', String(URL_CONCURRENCY), '--user-agent', UA], (input, out) => ['urls', input, out, String(URL_CONCURRENCY)], (out) =>
    checkReport(out, N_URLS, urlVerdicts, (l) => l.url),
  )
  rows.push(row('URLs (page heads)', N_URLS, urls))
  table(rows)
  oks.push(result('scan', 'files-items-per-second', files.ratio, GOAL))
  oks.push(result('scan', 'urls-items-per-second', urls.ratio, GOAL))

  // ---- Memory ----------------------------------------------------------------------------------
  // A peak is a maximum, not a rate, and moves less between runs than a throughput: files take the
  // median of 3 runs and URLs (100,000 requests each) one run, to keep the full run in minutes.
  const [small, large] = MEMORY
  const memOut = path.join(OUT, 'memory.jsonl')
  const filesSmall = await peakMemory([await linkedFolder(small, N), '--out', memOut], SMOKE ? 1 : 3)
  const filesLarge = await peakMemory([await linkedFolder(large, N), '--out', memOut], SMOKE ? 1 : 3)
  const urlsSmall = await peakMemory([(await urlList(MEMORY_URLS[0])).file, '--out', memOut, '--concurrency', String(URL_CONCURRENCY), '--user-agent', UA], 1)
  const urlsLarge = await peakMemory([(await urlList(MEMORY_URLS[1])).file, '--out', memOut, '--concurrency', String(URL_CONCURRENCY), '--user-agent', UA], 1)
  console.log('')
  table([
    ['peak memory (heap limit 64 MB)', `RSS at ${fmt(small)} (MB)`, `RSS at ${fmt(large)} (MB)`, 'growth', `heap at ${fmt(small)} (MB)`, `heap at ${fmt(large)} (MB)`],
    ['files (folder walk)', (filesSmall.rssKb / 1024).toFixed(1), (filesLarge.rssKb / 1024).toFixed(1), `${(filesLarge.rssKb / filesSmall.rssKb).toFixed(2)}x`, (filesSmall.heapKb / 1024).toFixed(1), (filesLarge.heapKb / 1024).toFixed(1)],
    [`URLs (list file; ${fmt(MEMORY_URLS[0])} and ${fmt(MEMORY_URLS[1])})`, (urlsSmall.rssKb / 1024).toFixed(1), (urlsLarge.rssKb / 1024).toFixed(1), `${(urlsLarge.rssKb / urlsSmall.rssKb).toFixed(2)}x`, (urlsSmall.heapKb / 1024).toFixed(1), (urlsLarge.heapKb / 1024).toFixed(1)],
  ])
  oks.push(result('scan', 'files-memory-peak-small-over-large', filesSmall.rssKb / filesLarge.rssKb, MEMORY_GOAL))
  oks.push(result('scan', 'urls-memory-peak-small-over-large', urlsSmall.rssKb / urlsLarge.rssKb, MEMORY_GOAL))
} finally {
  servers.send({ type: 'exit' })
  await rm(OUT, { recursive: true, force: true })
}
finish(oks)
