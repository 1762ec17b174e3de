// The fuzz runner: `npm run fuzz -- [options]` (node --import tsx fuzz/run.ts). Runs each target in
// its own worker thread with a heap limit, for a time or a count of inputs, and watches it: a
// worker stuck in one input for --hang-ms is killed and the input saved; a worker that runs out of
// heap is reported with the input it was on. A failing input is minimised by the worker and saved
// as a regression fixture (test/fixtures/fuzz-regressions/<target>--<kind>-<seed>-<case>.<ext>),
// which test/fuzz-regressions.test.ts runs through the target's properties ever after.
//
// Options:
//   --target a,b     run only these targets (repeatable); --list prints them
//   --time 30s|30m   time per target (default 30s)       --count N|1M   inputs per target
//   --max-total 6m   total wall time: per-target times shrink so that the run fits
//   --seed N|random  the run's seed (default 0x5eed2026; printed; every case derives from it)
//   --jobs N         targets run at once (default 1)
//   --heap MB        heap limit of each worker (default 256)   --hang-ms MS (default 15000)
//   --minimise 30s   time to minimise a failing input           --out DIR  where failures go
//   --report FILE    also write the per-target statistics as JSON
//   --strict         fail on the known issues of fuzz/_known.ts too (they are counted, not failed, by default)
//   --replay FILE..  run saved inputs (the target is the file name's prefix before `--`)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { formatMs, nextTargetMs, parseCount, parseDuration } from './_budget.js'
import { PHASES, type FailureMessage, type Phase, type Stats, type WorkerData, type WorkerMessage } from './_protocol.js'
import { isTargetName, loadTarget, SELF_TESTS, TARGETS } from './targets/index.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = join(HERE, '..')
const DEFAULT_SEED = 0x5eed2026
const MAX_SHARED_INPUT = 16 * 1024 * 1024
/** Time to start a worker and load a target's corpus, assumed when fitting targets into --max-total. */
const OVERHEAD_MS = 2_500

interface Options {
  targets: string[]
  timeMs: number | undefined
  count: number | undefined
  maxTotalMs: number | undefined
  seed: number
  jobs: number
  heapMb: number
  hangMs: number
  minimiseMs: number
  out: string
  report: string | undefined
  replay: string[]
  list: boolean
  strict: boolean
}

function usage(message?: string): never {
  if (message) console.error(`fuzz: ${message}`)
  console.error('usage: npm run fuzz -- [--target a,b] [--time 30s | --count 1M] [--max-total 6m] [--seed N|random] [--jobs N] [--heap MB] [--hang-ms MS] [--minimise 30s] [--out DIR] [--report FILE] [--replay FILE...] [--strict] [--list]')
  process.exit(2)
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    targets: [],
    timeMs: undefined,
    count: undefined,
    maxTotalMs: undefined,
    seed: DEFAULT_SEED,
    jobs: 1,
    heapMb: 256,
    hangMs: 15_000,
    minimiseMs: 30_000,
    out: join(ROOT, 'test', 'fixtures', 'fuzz-regressions'),
    report: undefined,
    replay: [],
    list: false,
    strict: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined]
    const value = (): string => inline ?? argv[++i] ?? usage(`${flag} needs a value`)
    try {
      switch (flag) {
        case '--target':
        case '-t':
          o.targets.push(...value().split(',').filter(Boolean))
          break
        case '--time':
          o.timeMs = parseDuration(value())
          break
        case '--count':
          o.count = parseCount(value())
          break
        case '--max-total':
          o.maxTotalMs = parseDuration(value())
          break
        case '--seed': {
          const v = value()
          o.seed = v === 'random' ? (Math.random() * 2 ** 32) >>> 0 : Number(v) >>> 0
          if (v !== 'random' && !/^(0x[0-9a-f]+|\d+)$/i.test(v)) usage(`--seed takes a number or "random", not ${v}`)
          break
        }
        case '--jobs':
          o.jobs = Math.max(1, parseCount(value()))
          break
        case '--heap':
          o.heapMb = parseCount(value())
          break
        case '--hang-ms':
          o.hangMs = parseCount(value())
          break
        case '--minimise':
        case '--minimize':
          o.minimiseMs = parseDuration(value())
          break
        case '--out':
          o.out = value()
          break
        case '--report':
          o.report = value()
          break
        case '--replay':
          while (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) o.replay.push(argv[++i]!)
          if (inline !== undefined) o.replay.push(inline)
          break
        case '--list':
          o.list = true
          break
        case '--strict':
          o.strict = true
          break
        case '--help':
        case '-h':
          usage()
          break
        default:
          usage(`unknown option ${a}`)
      }
    } catch (e) {
      usage((e as Error).message)
    }
  }
  for (const t of o.targets) if (!isTargetName(t)) usage(`no target ${t}; targets: ${TARGETS.join(', ')}`)
  if (o.targets.length === 0) o.targets = [...TARGETS]
  if (o.timeMs === undefined && o.count === undefined) o.timeMs = 30_000
  return o
}

interface Outcome {
  readonly target: string
  readonly stats?: Stats
  readonly loadMs?: number
  readonly failure?: { kind: string; op: string; detail: string; file: string; phase: Phase; index: number; note: string }
  readonly wallMs: number
}

const hex = (n: number): string => n.toString(16).padStart(8, '0')

function saveFailure(o: Options, target: string, kind: string, phase: Phase, index: number, ext: string, bytes: Uint8Array): string {
  mkdirSync(o.out, { recursive: true })
  const file = join(o.out, `${target}--${kind}-${hex(o.seed)}-${phase[0]}${index}${ext}`)
  writeFileSync(file, bytes)
  return relative(process.cwd(), file)
}

/** Runs one target (or replays one input) in a worker; resolves when it ends, however it ends. */
function runWorker(o: Options, target: string, budget: { timeMs?: number; count?: number }, replay?: Uint8Array, log: (s: string) => void = console.log): Promise<Outcome> {
  const started = performance.now()
  const ctrl = new SharedArrayBuffer(5 * 4)
  const input = new SharedArrayBuffer(MAX_SHARED_INPUT)
  const state = new Int32Array(ctrl)
  const data: WorkerData & { file: string } = {
    file: new URL('./_worker.ts', import.meta.url).href,
    target,
    seed: o.seed,
    ...budget,
    minimiseMs: o.minimiseMs,
    strict: o.strict,
    ctrl,
    input,
    ...(replay ? { replay } : {}),
  }
  const worker = new Worker(new URL('./_boot.mjs', import.meta.url), {
    workerData: data,
    resourceLimits: { maxOldGenerationSizeMb: o.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
  })
  return new Promise((resolve) => {
    let settled = false
    let stats: Stats | undefined
    let loadMs: number | undefined
    let failure: Outcome['failure']
    let lastSeq = -1
    let since = performance.now()
    let lastLog = performance.now()
    let inputsSoFar = 0

    /** The input in shared memory: the one the worker was on. */
    const current = async (kind: string): Promise<string | undefined> => {
      const length = Atomics.load(state, 2)
      const phase = PHASES[Atomics.load(state, 3)] ?? 'seed'
      const index = Atomics.load(state, 4)
      if (length < 0) return undefined
      const bytes = new Uint8Array(input, 0, length).slice()
      let ext = '.bin'
      try {
        const t = await loadTarget(target)
        ext = typeof t.ext === 'string' ? t.ext : t.ext(t.codec.decode(bytes))
      } catch {
        // Keep .bin.
      }
      return saveFailure(o, target, kind, phase, index, ext, bytes)
    }

    const finish = (): void => {
      if (settled) return
      settled = true
      clearInterval(watchdog)
      resolve({ target, ...(stats ? { stats } : {}), ...(loadMs !== undefined ? { loadMs } : {}), ...(failure ? { failure } : {}), wallMs: performance.now() - started })
    }

    const watchdog = setInterval(() => {
      const seq = Atomics.load(state, 1)
      const busy = Atomics.load(state, 0) === 1
      if (!busy || seq !== lastSeq) {
        lastSeq = seq
        since = performance.now()
        return
      }
      if (performance.now() - since < o.hangMs) return
      clearInterval(watchdog)
      const phase = PHASES[Atomics.load(state, 3)] ?? 'seed'
      const index = Atomics.load(state, 4)
      void current('hang').then(async (file) => {
        failure = { kind: 'hang', op: 'check', detail: `one input still running after ${o.hangMs} ms (a synchronous hang); the worker was killed`, file: file ?? '(input too large to keep)', phase, index, note: 'not minimised' }
        await worker.terminate()
        finish()
      })
    }, 250)

    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'loaded') {
        loadMs = m.loadMs
      } else if (m.type === 'progress') {
        inputsSoFar = m.inputs
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now()
          log(`  ${target}: ${m.inputs} inputs in ${formatMs(m.ms)} (${((1000 * m.inputs) / m.ms).toFixed(0)}/s)`)
        }
      } else if (m.type === 'failure') {
        const f = m as FailureMessage
        const file = saveFailure(o, target, f.kind, f.phase, f.index, f.ext, f.input)
        failure = { kind: f.kind, op: f.op, detail: f.detail, file, phase: f.phase, index: f.index, note: f.shrinkNote }
      } else if (m.type === 'done') {
        stats = m.stats
      }
    })
    worker.on('error', (e: Error & { code?: string }) => {
      if (failure) return
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY'
      const phase = PHASES[Atomics.load(state, 3)] ?? 'seed'
      const index = Atomics.load(state, 4)
      const busy = Atomics.load(state, 0) === 1
      void (busy ? current(oom ? 'oom' : 'crash') : Promise.resolve(undefined)).then((file) => {
        failure = {
          kind: oom ? 'oom' : 'crash',
          op: oom ? 'heap' : 'worker',
          detail: oom ? `the worker ran out of its ${o.heapMb} MB heap` : `the worker died: ${e.stack ?? e.message}`,
          file: file ?? `(no input in progress: the harness itself failed while making ${phase} #${index + 1}; replay with --seed ${o.seed} --target ${target})`,
          phase,
          index,
          note: 'not minimised',
        }
        finish()
      })
    })
    worker.on('exit', () => {
      // Give an error handler that is saving the input a moment to finish.
      setTimeout(() => {
        if (!stats && !failure && !replay) failure = { kind: 'crash', op: 'worker', detail: `the worker exited after ${inputsSoFar} inputs without reporting`, file: '(none)', phase: 'seed', index: 0, note: '' }
        finish()
      }, 200)
    })
  })
}

function line(r: Outcome): string {
  if (r.failure) return `${r.target}: FAILED (${r.failure.kind} in ${r.failure.op}, ${r.failure.phase} #${r.failure.index})`
  const s = r.stats!
  const n = s.seeds + s.mutants + s.generated
  const known = Object.entries(s.known)
    .map(([id, k]) => `; known issue ${id}: ${k} input(s)`)
    .join('')
  return `${r.target}: ${n} inputs (${s.seeds} seeds, ${s.mutants} mutants, ${s.generated} generated) in ${formatMs(s.ms)}: ${((1000 * n) / s.ms).toFixed(0)} inputs/s; heap peak ${s.heapPeakMb.toFixed(0)} MB, rss peak ${s.rssPeakMb.toFixed(0)} MB${known}`
}

async function replayFiles(o: Options): Promise<number> {
  let failed = 0
  for (const file of o.replay) {
    const target = basename(file).split('--')[0]!
    if (!isTargetName(target)) {
      console.log(`${file}: no target ${target} (the file name must start with <target>--)`)
      failed++
      continue
    }
    const r = await runWorker({ ...o, out: join(ROOT, '.tmp', 'fuzz-replay') }, target, { count: 1 }, new Uint8Array(readFileSync(file)))
    if (r.failure) {
      failed++
      console.log(`${file}: ${target}: ${r.failure.kind} in ${r.failure.op}\n  ${r.failure.detail.split('\n').join('\n  ')}`)
    } else console.log(`${file}: ${target}: ok`)
  }
  return failed === 0 ? 0 : 1
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2))
  if (o.list) {
    for (const t of TARGETS) console.log(`${t}: ${(await loadTarget(t)).about}`)
    console.log(`self-tests (not in a full run): ${SELF_TESTS.join(', ')}`)
    return 0
  }
  if (o.replay.length > 0) return replayFiles(o)
  const started = performance.now()
  const per = o.count !== undefined ? `${o.count} inputs${o.timeMs !== undefined ? ` or ${formatMs(o.timeMs)}` : ''}` : formatMs(o.timeMs!)
  console.log(
    `fuzz: ${o.targets.length} target(s), ${per} each${o.maxTotalMs !== undefined ? `, at most ${formatMs(o.maxTotalMs)} in all` : ''}; seed ${o.seed} (0x${hex(o.seed)}; --seed ${o.seed} reproduces); ` +
      `heap limit ${o.heapMb} MB per worker; an input may take ${process.env.NOAI_FUZZ_SLOW_MS ?? 2000} ms (hang after ${o.hangMs} ms); jobs ${o.jobs}`,
  )
  const results: Outcome[] = []
  const queue = [...o.targets]
  let done = 0
  const runNext = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const remaining = queue.length + 1
      const timeMs = o.timeMs === undefined ? undefined : nextTargetMs(o.timeMs, o.maxTotalMs, performance.now() - started, Math.ceil(remaining / o.jobs), OVERHEAD_MS)
      const r = await runWorker(o, name, { ...(timeMs !== undefined ? { timeMs } : {}), ...(o.count !== undefined ? { count: o.count } : {}) })
      results.push(r)
      done++
      console.log(`[${done}/${o.targets.length}] ${line(r)} (wall ${formatMs(r.wallMs)})`)
      if (r.failure) console.log(`  ${r.failure.detail.split('\n').join('\n  ')}\n  input saved as ${r.failure.file} (${r.failure.note}); reproduce with: npm run fuzz -- --replay ${r.failure.file}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(o.jobs, o.targets.length) }, runNext))
  const totalMs = performance.now() - started
  const failures = results.filter((r) => r.failure)
  const ordered = o.targets.map((t) => results.find((r) => r.target === t)!)
  console.log(`\nfuzz summary (seed ${o.seed}):`)
  for (const r of ordered) console.log(`  ${line(r)}`)
  const inputs = ordered.reduce((n, r) => n + (r.stats ? r.stats.seeds + r.stats.mutants + r.stats.generated : 0), 0)
  console.log(`fuzz: ${ordered.length} target(s), ${inputs} inputs, ${failures.length} failure(s), ${formatMs(totalMs)} in all`)
  if (o.report) {
    mkdirSync(dirname(o.report), { recursive: true })
    writeFileSync(o.report, `${JSON.stringify({ seed: o.seed, timeMs: o.timeMs, count: o.count, totalMs, targets: ordered }, null, 2)}\n`)
  }
  return failures.length === 0 ? 0 : 1
}

void main().then((code) => {
  process.exitCode = code
})
