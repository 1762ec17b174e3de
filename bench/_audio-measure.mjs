// Measuring helpers of bench/audio.mjs: bytes read and written through node:fs/promises file
// handles, and interleaved timing of async candidates (the async counterpart of
// compareThroughput in _lib.mjs).
import { open } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { RUNS, SMOKE, median } from './_lib.mjs'

/** The prototype of node:fs/promises FileHandle (not exported by Node: taken from an open handle). */
async function fileHandlePrototype() {
  const h = await open(fileURLToPath(import.meta.url), 'r')
  try {
    return Object.getPrototypeOf(h)
  } finally {
    await h.close()
  }
}
const PROTO = await fileHandlePrototype()

/**
 * Runs `fn` with FileHandle.prototype.read wrapped to sum the bytes every positional read returns,
 * whoever calls it (music-metadata's strtok3 `fromFile` tokenizer and our `fileSource` both read
 * through FileHandle.read). A peek followed by a read of the same bytes counts twice: both are
 * reads from the file. Not used while timing.
 */
export async function countReads(fn) {
  const read = PROTO.read
  let bytes = 0
  let calls = 0
  PROTO.read = async function (...args) {
    const r = await read.apply(this, args)
    bytes += r.bytesRead
    calls++
    return r
  }
  try {
    const result = await fn()
    return { result, bytes, calls }
  } finally {
    PROTO.read = read
  }
}

/**
 * Runs `fn` with FileHandle.prototype.write, writev and writeFile wrapped to sum the bytes written
 * to any file (the file itself and the lock file next to it). Not used while timing.
 */
export async function countWrites(fn) {
  const saved = { write: PROTO.write, writev: PROTO.writev, writeFile: PROTO.writeFile }
  let bytes = 0
  let calls = 0
  PROTO.write = async function (...args) {
    const r = await saved.write.apply(this, args)
    bytes += r.bytesWritten
    calls++
    return r
  }
  PROTO.writev = async function (...args) {
    const r = await saved.writev.apply(this, args)
    bytes += r.bytesWritten
    calls++
    return r
  }
  PROTO.writeFile = async function (data, ...rest) {
    await saved.writeFile.call(this, data, ...rest)
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength
    calls++
  }
  try {
    const result = await fn()
    return { result, bytes, calls }
  } finally {
    Object.assign(PROTO, saved)
  }
}

/** Runs the async `fn` one call at a time for about `ms` (at least `minCalls` calls): calls and time taken. */
async function slice(fn, ms, minCalls) {
  let calls = 0
  const start = performance.now()
  let now = start
  do {
    await fn()
    calls++
    now = performance.now()
  } while (now - start < ms || calls < minCalls)
  return { calls, ms: now - start }
}

/**
 * Async candidates compared on the same work: a warm-up, then RUNS runs, each of `slices` short
 * slices per candidate (about `ms` ÷ `slices` each, at least `minCalls` calls; `ms` may be given
 * per candidate, `{ name: ms }`), interleaved in
 * alternating order, as bench/sign.mjs does: load from other processes on a shared machine drifts
 * over seconds, and two slices next to each other see about the same. Returns the median ops/s
 * and ms per call of each candidate over the runs, and `ratio(a, b)`: the median over all slice
 * pairs of a's ops/s ÷ b's (= b's time ÷ a's time).
 */
export async function compareAsync(candidates, { ms = SMOKE ? 40 : 400, minCalls = 1, slices = SMOKE ? 2 : 10 } = {}) {
  const names = Object.keys(candidates)
  const runs = Object.fromEntries(names.map((k) => [k, []]))
  const pairs = []
  const msOf = (name) => (typeof ms === 'number' ? ms : ms[name])
  for (const name of names) await slice(candidates[name], msOf(name) / 2, 1)
  for (let r = 0; r < RUNS; r++) {
    const total = Object.fromEntries(names.map((k) => [k, { calls: 0, ms: 0 }]))
    for (let i = 0; i < slices; i++) {
      const rate = {}
      for (const name of (r + i) % 2 === 0 ? names : [...names].reverse()) {
        const t = await slice(candidates[name], msOf(name) / slices, minCalls)
        total[name].calls += t.calls
        total[name].ms += t.ms
        rate[name] = t.calls / t.ms
      }
      pairs.push(rate)
    }
    for (const name of names) runs[name].push((total[name].calls * 1000) / total[name].ms)
  }
  const ops = Object.fromEntries(names.map((k) => [k, median(runs[k])]))
  return {
    ops,
    msPerCall: Object.fromEntries(names.map((k) => [k, 1000 / ops[k]])),
    ratio: (a, b) => median(pairs.map((p) => p[a] / p[b])),
  }
}
