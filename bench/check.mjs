// checkUrl over many origins against a baseline that only fetches the pages: 100 origins (100 HTTP
// servers on 127.0.0.1, in a child process) and 10,000 URLs (100 per origin, interleaved), 64 in
// flight overall. The baseline uses the same fetch to GET each URL, with the same User-Agent and
// the same per-request deadline (a crawler without one hangs on the first slow server: checkUrl's
// default, CRAWL_LIMITS.timeoutMs, as an AbortSignal), reads its body to </head> and cancels it:
// the least any crawler that looks at pages does. checkUrl does that too, plus the site
// files of each origin (once per origin: each round starts with an empty cache), the header fields,
// the head scan and the decision. Goal: at least 0.8 × the baseline's URLs per second, with every
// site file fetched exactly once per origin per round. BENCH_SMOKE=1: 10 origins x 20 URLs.
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { dist, fmt, finish, median, result, RUNS, SMOKE, table } from './_lib.mjs'

const { checkUrl, createCrawlCache, CRAWL_LIMITS } = await import(dist('crawl.js'))

const ORIGINS = SMOKE ? 10 : 100
const PER_ORIGIN = SMOKE ? 20 : 100
const CONCURRENCY = 64
const GOAL = 0.8
const UA = 'BenchBot/1.0 (+https://example.com/bot)'
const SITE_FILES = ['/robots.txt', '/.well-known/tdmrep.json', '/.well-known/noai-tag/policy.json', '/ai.txt']

const child = fork(new URL('./_check-servers.mjs', import.meta.url), [String(ORIGINS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const [{ ports }] = await once(child, 'message')
const counts = async () => {
  child.send({ type: 'counts' })
  const [msg] = await once(child, 'message')
  return msg.counts
}

// Interleaved, as a crawler's frontier usually is: consecutive URLs are on different origins.
const urls = []
for (let i = 0; i < PER_ORIGIN; i++) for (const port of ports) urls.push(`http://127.0.0.1:${port}/p/${i}.html`)
const expected = (url) => {
  const k = ports.indexOf(Number(new URL(url).port))
  return (Number(/\/p\/(\d+)/.exec(url)[1]) + k) % 2 === 1 ? 'deny' : 'unknown'
}

async function pool(items, fn) {
  let next = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await fn(items[next++])
  }))
}

const HEAD_END = new TextEncoder().encode('</head>')
function indexOfBytes(hay, needle, from) {
  outer: for (let i = Math.max(0, from); i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j] && hay[i + j] !== (needle[j] ^ 0x20) * (needle[j] >= 0x61 ? 1 : 0)) continue outer
    return i
  }
  return -1
}

/** The baseline: GET with a deadline, read to </head>, cancel. */
async function baseline(url) {
  const res = await fetch(url, { headers: { 'User-Agent': UA }, signal: AbortSignal.timeout(CRAWL_LIMITS.timeoutMs) })
  const reader = res.body.getReader()
  let tail = new Uint8Array(0)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const buf = new Uint8Array(tail.length + value.length)
    buf.set(tail)
    buf.set(value, tail.length)
    if (indexOfBytes(buf, HEAD_END, 0) >= 0) break
    tail = buf.subarray(Math.max(0, buf.length - HEAD_END.length))
  }
  await reader.cancel().catch(() => undefined)
  return res.status
}

const ours = (cache) => (url) => checkUrl(url, { use: 'train-ai', userAgent: UA, cache, fetch: globalThis.fetch })

// Check the answers first: a fast wrong answer is not a result.
{
  const cache = createCrawlCache()
  const sample = urls.slice(0, Math.min(urls.length, 4 * ORIGINS))
  const wrong = []
  await pool(sample, async (url) => {
    const r = await ours(cache)(url)
    if (r.verdict !== expected(url) || r.decidedBeforeFetching) wrong.push(`${url}: ${r.verdict} (expected ${expected(url)})`)
  })
  if (wrong.length > 0) {
    console.error(`bench/check: checkUrl gives wrong answers:\n${wrong.slice(0, 5).join('\n')}`)
    child.send({ type: 'exit' })
    process.exit(2)
  }
}

async function timed(fn) {
  const started = performance.now()
  await pool(urls, fn)
  return (urls.length * 1000) / (performance.now() - started)
}

// Warm-up of both, then RUNS interleaved rounds in alternating order.
await timed(baseline)
await timed(ours(createCrawlCache()))
const samples = { baseline: [], checkUrl: [] }
let siteFilesOk = true
let siteFetches = 0
for (let r = 0; r < RUNS; r++) {
  const order = r % 2 === 0 ? ['baseline', 'checkUrl'] : ['checkUrl', 'baseline']
  for (const name of order) {
    if (name === 'baseline') {
      samples.baseline.push(await timed(baseline))
      continue
    }
    const before = await counts()
    samples.checkUrl.push(await timed(ours(createCrawlCache())))
    const after = await counts()
    // Each site file once per origin in this round (an empty cache at its start).
    for (let k = 0; k < ORIGINS; k++) {
      for (const p of SITE_FILES) {
        const n = (after[k][p] ?? 0) - (before[k][p] ?? 0)
        siteFetches += n
        if (n !== 1) siteFilesOk = false
      }
    }
  }
}
child.send({ type: 'exit' })

const ratios = samples.checkUrl.map((x, i) => x / samples.baseline[i])
const ratio = median(ratios)
console.log(`${ORIGINS} origins x ${PER_ORIGIN} URLs = ${urls.length} URLs per round, ${CONCURRENCY} in flight; median of ${RUNS} rounds`)
table([
  ['candidate', 'URLs/s', 'requests per round'],
  ['baseline: GET (deadline), read to </head>, cancel', fmt(median(samples.baseline)), fmt(urls.length)],
  ['checkUrl (fresh cache each round)', fmt(median(samples.checkUrl)), fmt(urls.length + siteFetches / RUNS)],
])
console.log(`site files fetched once per origin per round: ${siteFilesOk ? 'yes' : 'NO'} (${fmt(siteFetches / RUNS)} per round for ${ORIGINS} origins)`)
const ok = result('check', 'checkUrl-vs-fetch-to-head', ratio, GOAL)
if (!siteFilesOk) console.log('RESULT check site-files-once-per-origin FAIL')
finish([ok, siteFilesOk])
