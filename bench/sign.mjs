// Benchmark: signTag / verifyTag against jose's CompactSign / compactVerify with the same key and
// the same payload bytes (issue 3, Performance), for Ed25519 and ES256, sequentially (one call in
// flight) and with 64 calls in flight. Goal for each of the 8 ratios: ours ÷ jose >= 0.9.
//
// What each side does per call:
//   signTag     validate the tag, serialise it (ASCII-only JSON), build the header, sign
//   CompactSign encode the given payload bytes and header, sign
//   verifyTag   size and canonical-encoding checks, strict header, strict JSON payload, schema
//               validation, key lookup (options.keys), signature, time and trust checks
//   compactVerify  header checks, signature (the key is passed in directly)
// Both get a pre-imported key: ours caches the import of a JWK, jose is given the CryptoKey.
// Run `npm run build` first; BENCH_SMOKE=1 for a short run (see bench/README.md).
import { pathToFileURL } from 'node:url'
import { CompactSign, compactVerify } from 'jose'
import { SMOKE, RUNS, dist, finish, fmt, median, result, table } from './_lib.mjs'

const { signTag, verifyTag } = await import(pathToFileURL(dist('sign.js')).href)

const GOAL = 0.9
const IN_FLIGHT = 64
const MS = SMOKE ? 30 : 500
const ISSUER = 'https://label.example'
const NOW = new Date('2026-06-01T00:00:00Z')

// A typical tag: about 300 bytes of payload.
const TAG = {
  version: 1,
  issuer: ISSUER,
  subject: {
    essence: [{ format: 'flac', sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }],
    urls: ['https://label.example/track/1234'],
  },
  rightsHolder: { name: 'Zoë Example' },
  usage: { 'train-ai': 'denied', 'ai-input': 'denied', search: 'allowed' },
  issued: '2026-01-01T00:00:00Z',
}

const PARAMS = { Ed25519: { name: 'Ed25519' }, ES256: { name: 'ECDSA', namedCurve: 'P-256' } }

async function setup(alg) {
  const pair = await crypto.subtle.generateKey(PARAMS[alg], true, ['sign', 'verify'])
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  const jwk = y === undefined ? { kty, crv, x } : { kty, crv, x, y }
  const kid = `bench-${alg.toLowerCase()}`
  const keys = [{ issuer: ISSUER, kid, jwk, status: 'active', source: 'options.keys' }]
  const header = { alg, typ: 'noai-tag+jws', kid }
  const ours = await signTag(TAG, pair.privateKey, { kid, alg })
  // jose signs exactly the payload bytes signTag produced.
  const payload = new Uint8Array(Buffer.from(ours.split('.')[1], 'base64url'))
  const theirs = await new CompactSign(payload).setProtectedHeader(header).sign(pair.privateKey)
  const c = {
    alg,
    sign: {
      ours: () => signTag(TAG, pair.privateKey, { kid, alg }),
      jose: () => new CompactSign(payload).setProtectedHeader(header).sign(pair.privateKey),
    },
    verify: {
      ours: () => verifyTag(ours, { keys, now: NOW }),
      jose: () => compactVerify(ours, pair.publicKey, { algorithms: [alg] }),
    },
  }
  await sameAnswers(c, ours, theirs, keys, pair.publicKey)
  return c
}

// A fast wrong answer is not a result: both sides must accept each other's tokens and see the same payload.
async function sameAnswers(c, ours, theirs, keys, publicKey) {
  const fail = (what) => {
    console.error(`bench/sign ${c.alg}: ${what}`)
    process.exit(2)
  }
  if (ours !== theirs && c.alg === 'Ed25519') fail('Ed25519 is deterministic, yet the tokens differ')
  for (const token of [ours, theirs]) {
    const r = await verifyTag(token, { keys, now: NOW })
    if (r.state !== 'valid') fail(`verifyTag says ${r.state} ${r.codes.join(',')}`)
    const j = await compactVerify(token, publicKey, { algorithms: [c.alg] })
    if (JSON.stringify(JSON.parse(new TextDecoder().decode(j.payload))) !== JSON.stringify(r.tag)) fail('payloads differ')
  }
  const tampered = `${ours.slice(0, 10)}${ours[10] === 'A' ? 'B' : 'A'}${ours.slice(11)}`
  if ((await verifyTag(tampered, { keys, now: NOW })).state !== 'invalid') fail('verifyTag accepts a tampered token')
}

/**
 * Calls of `fn` completed in about `ms`, with `inFlight` calls kept running at once, the time
 * taken, and the CPU time the process used meanwhile (all threads, Web Crypto's pool included).
 */
async function slice(fn, inFlight, ms) {
  let calls = 0
  const cpu = process.cpuUsage()
  const start = performance.now()
  const deadline = start + ms
  const worker = async () => {
    while (performance.now() < deadline) {
      await fn()
      calls++
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  const used = process.cpuUsage(cpu)
  return { calls, ms: performance.now() - start, cpuUs: used.user + used.system }
}

/**
 * Ours against jose over RUNS runs, after a warm-up. Each run interleaves SLICES pairs of short
 * slices (the order alternating), so that load from other processes on a shared machine hits
 * both alike. The ratio is the median over all pairs of ours ÷ jose within the pair: load that
 * drifts between pairs cancels out. Throughput and CPU per call are medians over the runs.
 */
const SLICES = SMOKE ? 2 : 10
async function compare(pair, inFlight) {
  const runs = { ours: [], jose: [] }
  const cpu = { ours: [], jose: [] }
  const ratios = []
  await slice(pair.ours, inFlight, SMOKE ? 30 : 300)
  await slice(pair.jose, inFlight, SMOKE ? 30 : 300)
  for (let r = 0; r < RUNS; r++) {
    const total = { ours: { calls: 0, ms: 0, cpuUs: 0 }, jose: { calls: 0, ms: 0, cpuUs: 0 } }
    for (let i = 0; i < SLICES; i++) {
      const opsPerMs = {}
      for (const name of (r + i) % 2 === 0 ? ['ours', 'jose'] : ['jose', 'ours']) {
        const t = await slice(pair[name], inFlight, MS / SLICES)
        total[name].calls += t.calls
        total[name].ms += t.ms
        total[name].cpuUs += t.cpuUs
        opsPerMs[name] = t.calls / t.ms
      }
      ratios.push(opsPerMs.ours / opsPerMs.jose)
    }
    for (const name of ['ours', 'jose']) {
      runs[name].push((total[name].calls * 1000) / total[name].ms)
      cpu[name].push(total[name].cpuUs / total[name].calls)
    }
  }
  return { ours: median(runs.ours), jose: median(runs.jose), ratio: median(ratios), oursCpu: median(cpu.ours), joseCpu: median(cpu.jose) }
}

console.log(`sign: ${SMOKE ? 'smoke run' : 'full run'}, median of ${RUNS}, Node ${process.versions.node}`)
// CPU µs per call (process-wide) is shown for information: on a shared machine it varies less
// than throughput. The goals are on throughput.
const rows = [['operation', 'in flight', 'ours ops/s', 'jose ops/s', 'ours/jose', 'ours cpu µs/op', 'jose cpu µs/op']]
const outcomes = []
for (const alg of ['Ed25519', 'ES256']) {
  const c = await setup(alg)
  for (const op of ['sign', 'verify']) {
    for (const inFlight of [1, IN_FLIGHT]) {
      const m = await compare(c[op], inFlight)
      const ratio = m.ratio
      rows.push([`${alg} ${op}`, String(inFlight), fmt(m.ours), fmt(m.jose), ratio.toFixed(2), fmt(m.oursCpu, 1), fmt(m.joseCpu, 1)])
      outcomes.push([`${alg.toLowerCase()}-${op}-${inFlight === 1 ? 'sequential' : `${inFlight}-in-flight`}`, ratio])
    }
  }
}
table(rows)
console.log('')
finish(outcomes.map(([metric, ratio]) => result('sign', metric, ratio, GOAL)))
