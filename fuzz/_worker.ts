// One fuzz target, run in a worker thread with a heap limit (started by fuzz/run.ts through
// fuzz/_boot.mjs). Before each input it writes the input to shared memory and bumps a sequence
// number, so that the runner's watchdog can save the input when this thread hangs in a synchronous
// loop or runs out of memory. Phases: the seeds, then mutants, then generated inputs (the budget is
// split between the last two when the target has both). The first failure is minimised and sent
// back; the target then stops.
import fc from 'fast-check'
import { parentPort, workerData } from 'node:worker_threads'
import { caseRng, hashSeed } from './_mutate.js'
import { knownIssue } from './_known.js'
import { shrink } from './_shrink.js'
import { PHASES, type Phase, type WorkerData, type WorkerMessage } from './_protocol.js'
import { Violation, type Loaded, type Target } from './_target.js'
import { loadTarget } from './targets/index.js'

const data = workerData as WorkerData
const port = parentPort!
const post = (m: WorkerMessage): void => port.postMessage(m)

const ctrl = new Int32Array(data.ctrl)
const shared = new Uint8Array(data.input)

let heapPeak = 0
let rssPeak = 0
function sampleMemory(): void {
  const m = process.memoryUsage()
  heapPeak = Math.max(heapPeak, m.heapUsed)
  rssPeak = Math.max(rssPeak, m.rss)
}

async function main(): Promise<void> {
  const target = (await loadTarget(data.target)) as Target<unknown>
  const t0 = performance.now()
  const loaded: Loaded<unknown> = await target.load()
  const extOf = (x: unknown): string => (typeof target.ext === 'string' ? target.ext : target.ext(x))
  let seq = 0

  /** Checks one input under the watchdog. Throws a Violation. */
  const guarded = async (input: unknown, phase: Phase, index: number): Promise<void> => {
    const bytes = target.codec.encode(input)
    if (bytes.length <= shared.length) shared.set(bytes)
    Atomics.store(ctrl, 2, bytes.length <= shared.length ? bytes.length : -1)
    Atomics.store(ctrl, 3, PHASES.indexOf(phase))
    Atomics.store(ctrl, 4, index)
    Atomics.store(ctrl, 1, ++seq)
    Atomics.store(ctrl, 0, 1)
    try {
      await loaded.check(input)
    } catch (e) {
      if (e instanceof Violation) throw e
      // A throw the target did not classify: a harness bug or a library call not wrapped.
      throw new Violation('crash', 'check', e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e))
    } finally {
      Atomics.store(ctrl, 0, 0)
    }
  }

  if (data.replay !== undefined) {
    const input = target.codec.decode(data.replay)
    try {
      await guarded(input, 'replay', 0)
      post({ type: 'replayed', ok: true })
    } catch (e) {
      const v = e as Violation
      post({ type: 'failure', kind: v.kind, op: v.op, detail: v.detail, phase: 'replay', index: 0, input: data.replay, ext: extOf(input), originalLength: data.replay.length, shrinkNote: 'replayed, not minimised' })
    }
    return
  }

  post({ type: 'loaded', seeds: loaded.seeds.length, loadMs: performance.now() - t0, mutate: loaded.mutate !== undefined, generate: loaded.arbitrary !== undefined })
  const start = performance.now()
  let inputs = 0
  let lastProgress = start
  const tick = (): void => {
    inputs++
    if ((inputs & 63) === 0) {
      sampleMemory()
      const now = performance.now()
      if (now - lastProgress > 2_000) {
        lastProgress = now
        post({ type: 'progress', inputs, ms: now - start })
      }
    }
  }

  /** Counts a violation that is a known issue (unless --strict); returns whether it was one. */
  const known: Record<string, number> = {}
  const isKnown = async (input: unknown, e: unknown): Promise<boolean> => {
    if (data.strict || !(e instanceof Violation)) return false
    const k = await knownIssue(target.name, input, e)
    if (!k) return false
    known[k.id] = (known[k.id] ?? 0) + 1
    return true
  }

  /** Reports a failure after minimising it, and ends the target. */
  const report = async (input: unknown, v: Violation, phase: Phase, index: number, minimise: boolean): Promise<void> => {
    let best = input
    let shrinkNote = phase === 'generated' ? 'shrunk by fast-check' : 'not minimised'
    if (minimise && target.shrink !== 'none' && v.kind !== 'hang') {
      const same = (e: unknown): boolean => e instanceof Violation && e.kind === v.kind && e.op === v.op && (v.kind !== 'crash' || e.detail.split(':')[0] === v.detail.split(':')[0])
      const fails = async (candidate: unknown): Promise<boolean> => {
        try {
          await guarded(candidate, phase, index)
          return false
        } catch (e) {
          return same(e)
        }
      }
      if (target.shrink === 'text') {
        const r = await shrink(input as string, (s) => fails(s), data.minimiseMs)
        best = r.input
        shrinkNote = `minimised from ${(input as string).length} to ${r.input.length} characters in ${r.tries} tries${r.timedOut ? ' (time ran out)' : ''}`
      } else {
        const encoded = target.codec.encode(input)
        const r = await shrink(encoded, (b) => fails(target.codec.decode(b)), data.minimiseMs)
        best = target.codec.decode(r.input)
        shrinkNote = `minimised from ${encoded.length} to ${r.input.length} bytes in ${r.tries} tries${r.timedOut ? ' (time ran out)' : ''}`
      }
    }
    // The violation of the minimised input (the same kind and call, maybe a different detail).
    let final = v
    try {
      await guarded(best, phase, index)
    } catch (e) {
      if (e instanceof Violation) final = e
    }
    const encoded = target.codec.encode(best)
    post({ type: 'failure', kind: final.kind, op: final.op, detail: final.detail, phase, index, input: encoded, ext: extOf(best), originalLength: target.codec.encode(input).length, shrinkNote })
  }

  // 1. The seeds: every one must pass.
  for (let i = 0; i < loaded.seeds.length; i++) {
    try {
      await guarded(loaded.seeds[i], 'seed', i)
    } catch (e) {
      if (!(await isKnown(loaded.seeds[i], e))) {
        await report(loaded.seeds[i], e as Violation, 'seed', i, true)
        return
      }
    }
    tick()
  }
  const seedMs = performance.now() - start

  // 2. Mutants and 3. generated inputs share the budget left.
  const both = loaded.mutate !== undefined && loaded.arbitrary !== undefined
  const timeLeft = data.timeMs === undefined ? undefined : Math.max(0, data.timeMs - seedMs)
  const share = (x: number | undefined): number | undefined => (x === undefined ? undefined : both ? Math.floor(x / 2) : x)
  const countLeft = data.count === undefined ? undefined : Math.max(0, data.count - loaded.seeds.length)
  let mutants = 0
  if (loaded.mutate !== undefined) {
    const until = timeLeft === undefined ? Infinity : performance.now() + share(timeLeft)!
    const max = share(countLeft) ?? Infinity
    for (let n = 0; n < max && performance.now() < until; n++) {
      const input = loaded.mutate(caseRng(data.seed, target.name, n), n)
      try {
        await guarded(input, 'mutant', n)
      } catch (e) {
        if (!(await isKnown(input, e))) {
          await report(input, e as Violation, 'mutant', n, true)
          return
        }
      }
      mutants++
      tick()
    }
  }
  let generated = 0
  if (loaded.arbitrary !== undefined) {
    const timeMs = timeLeft === undefined ? undefined : Math.max(1, Math.floor(timeLeft - (performance.now() - start - seedMs)))
    const numRuns = countLeft === undefined ? 1e12 : Math.max(1, countLeft - mutants)
    let failedAt = -1
    let failure: Violation | undefined
    const property = fc.asyncProperty(loaded.arbitrary, async (x) => {
      const index = generated
      try {
        await guarded(x, 'generated', index)
      } catch (e) {
        if (await isKnown(x, e)) {
          generated++
          tick()
          return
        }
        if (failedAt < 0) failedAt = index
        failure = e as Violation
        throw e
      }
      generated++
      tick()
    })
    const result = await fc.check(property, {
      seed: hashSeed(data.seed, target.name, 'fast-check') | 0,
      numRuns,
      ...(timeMs !== undefined ? { interruptAfterTimeLimit: timeMs } : {}),
      markInterruptAsFailure: false,
    })
    if (result.failed && result.counterexample) {
      await report(result.counterexample[0], failure ?? new Violation('crash', 'fast-check', String(result.errorInstance)), 'generated', failedAt, false)
      return
    }
  }
  sampleMemory()
  post({ type: 'done', stats: { seeds: loaded.seeds.length, mutants, generated, ms: performance.now() - start, heapPeakMb: heapPeak / 2 ** 20, rssPeakMb: rssPeak / 2 ** 20, known } })
}

// An error here (a harness bug, or an unhandled rejection) ends the worker with an 'error' event.
void main()
