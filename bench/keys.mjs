// Benchmark: key discovery with a warm cache (issue 3, Performance: "Key discovery: with a warm
// cache, a verify makes zero network requests; count them"). A real HTTP server on 127.0.0.1
// serves the key set (keySetDocument + keySetHeaders); a counting fetch wraps globalThis.fetch.
//
// Measured, sequentially (one call in flight) and with 64 in flight:
//   verifyTag with createKeyResolver (warm)  vs  verifyTag with the same key in options.keys
// Goal: resolver ÷ keys >= 0.9 (a warm lookup costs next to nothing beside the signature check).
// Hard rule, in every mode: zero fetch calls and zero server requests during the timed runs.
// Also shown: bare lookups per second (warm remote resolver, static resolver).
// Run `npm run build` first; BENCH_SMOKE=1 for a short run (see bench/README.md).
import http from 'node:http'
import { pathToFileURL } from 'node:url'
import { SMOKE, RUNS, dist, finish, fmt, median, result, table } from './_lib.mjs'

const { signTag, verifyTag, createKeyResolver, createStaticKeyResolver, keySetDocument, keySetHeaders, WELL_KNOWN } = {
  ...(await import(pathToFileURL(dist('sign.js')).href)),
  ...(await import(pathToFileURL(dist('index.js')).href)),
}

const GOAL = 0.9
const IN_FLIGHT = 64
const MS = SMOKE ? 30 : 500
const NOW = new Date('2026-06-01T00:00:00Z')

const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
const { kty, crv, x } = await crypto.subtle.exportKey('jwk', pair.publicKey)
const jwk = { kty, crv, x, kid: 'bench-2026' }

let served = 0
const server = http.createServer((req, res) => {
  served++
  if (req.url !== WELL_KNOWN.keys) return void res.writeHead(404).end()
  res.writeHead(200, keySetHeaders()).end(JSON.stringify(keySetDocument([jwk])))
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const issuer = `http://127.0.0.1:${server.address().port}`

let fetches = 0
const resolver = createKeyResolver({ allowHttpLoopback: true, fetch: (url, init) => (fetches++, fetch(url, init)) })
const keys = [{ issuer, kid: jwk.kid, jwk: { kty, crv, x }, status: 'active', source: 'options.keys' }]
const staticResolver = createStaticKeyResolver(keys)

const tag = { version: 1, issuer, subject: { urls: [`${issuer}/track/1`] }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-01-01T00:00:00Z' }
const jws = await signTag(tag, pair.privateKey, { kid: jwk.kid })

// A fast wrong answer is not a result: both must verify, and a tampered token must not.
for (const options of [{ resolver }, { keys }]) {
  const r = await verifyTag(jws, { ...options, now: NOW })
  if (r.state !== 'valid') {
    console.error(`bench/keys: verifyTag says ${r.state} ${r.codes.join(',')} ${r.detail ?? ''}`)
    process.exit(2)
  }
}
const tampered = `${jws.slice(0, -3)}${jws.at(-3) === 'A' ? 'B' : 'A'}${jws.slice(-2)}`
if ((await verifyTag(tampered, { resolver, now: NOW })).state !== 'invalid') {
  console.error('bench/keys: a tampered token verifies')
  process.exit(2)
}
const warmFetches = fetches
const warmServed = served

async function opsPerSecond(fn, inFlight, ms) {
  let calls = 0
  const start = performance.now()
  const deadline = start + ms
  const worker = async () => {
    while (performance.now() < deadline) {
      await fn()
      calls++
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return (calls * 1000) / (performance.now() - start)
}

async function compare(candidates, inFlight) {
  const names = Object.keys(candidates)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  for (const n of names) await opsPerSecond(candidates[n], inFlight, SMOKE ? 30 : 300)
  for (let r = 0; r < RUNS; r++) {
    for (const n of r % 2 ? [...names].reverse() : names) samples[n].push(await opsPerSecond(candidates[n], inFlight, MS))
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]))
}

console.log(`keys: ${SMOKE ? 'smoke run' : 'full run'}, median of ${RUNS}, Node ${process.versions.node}`)
const rows = [['operation', 'in flight', 'warm resolver ops/s', 'given keys ops/s', 'ratio']]
const outcomes = []
for (const inFlight of [1, IN_FLIGHT]) {
  const m = await compare({ resolver: () => verifyTag(jws, { resolver, now: NOW }), keys: () => verifyTag(jws, { keys, now: NOW }) }, inFlight)
  const ratio = m.resolver / m.keys
  rows.push(['verifyTag', String(inFlight), fmt(m.resolver), fmt(m.keys), ratio.toFixed(2)])
  outcomes.push([`verify-warm-resolver-${inFlight === 1 ? 'sequential' : `${inFlight}-in-flight`}`, ratio])
}
const lookups = await compare({ remote: () => resolver.lookup(issuer, jwk.kid), static: () => staticResolver.lookup(issuer, jwk.kid) }, 1)
rows.push(['lookup only', '1', fmt(lookups.remote), fmt(lookups.static), (lookups.remote / lookups.static).toFixed(2)])
table(rows)
console.log('')

const requests = fetches - warmFetches + (served - warmServed)
console.log(`network requests during the timed runs: ${requests} (fetch calls ${fetches - warmFetches}, server requests ${served - warmServed}; warm-up made ${warmFetches})`)
const zero = requests === 0
console.log(`RESULT keys warm-cache-requests count=${requests} goal==0 ${zero ? 'PASS' : 'FAIL'}`)
server.close()
finish([zero, ...outcomes.map(([metric, ratio]) => result('keys', metric, ratio, GOAL))])
