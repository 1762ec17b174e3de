// Fuzzing every audio reader (issue 5, Bad input): mutated committed fixtures of every registered
// container go through readAudioTag, audioEssence and planAudioWrite (in memory, fromBytes), within
// a fixed time budget. The property, for every mutant and every operation:
//   - it returns a value or throws a NoaiTagError (isNoaiTagError): never another error type;
//   - it ends within PER_INPUT_MS (measured; a promise still pending then counts as a hang);
//   - a document (NOAI_TAG) it reports occurs in the input bytes: a reader never invents a tag.
// Mutations are structure-aware: the offsets of box, chunk, page, block and frame headers are
// found by scanning for their magic (`moov`, `RIFF`, `OggS`, `TXXX`...) and the FLAC block chain,
// and their size fields are overwritten with 0, 1, 0xFFFFFFFF, huge and small values; bytes are
// flipped; the file is truncated; ranges are duplicated, deleted or filled with junk; headers are
// repeated (deep nesting); Ogg lacing is set to 255s.
// The seed is fixed unless NOAI_FUZZ_SEED is set (a number, or `random`), and is printed; every mutant derives from
// (seed, format, index) alone, so a failure names what reproduces it. A failing input is written to
// test/fixtures/audio/fuzz-regressions/ and is read again by the regression test below ever after.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioEssence, audioTagEntries, fromBytes, planAudioWrite, readAudioTag, writeAudioTag } from '../src/audio.js'
import { handlerFor } from '../src/audio/registry.js'
import type { AudioFormat, TagEntries } from '../src/audio/types.js'
import { isNoaiTagError } from '../src/errors.js'
import type { NoaiTag } from '../src/index.js'
import { concat } from '../fuzz/_mutate.js'
import { occursInBytes } from '../fuzz/_target.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const FIXTURES = join(HERE, 'fixtures', 'audio')
const REGRESSIONS = join(FIXTURES, 'fuzz-regressions')

/** Total time spent fuzzing, shared equally by the registered containers. */
const BUDGET_MS = Number(process.env.NOAI_FUZZ_MS ?? 12_000)
/** Longest time one operation on one mutant may take. */
const PER_INPUT_MS = 2_000
// A fixed default seed keeps `npm test` deterministic; NOAI_FUZZ_SEED=random explores new inputs.
const DEFAULT_SEED = 0x5eed2026
const SEED =
  process.env.NOAI_FUZZ_SEED === undefined
    ? DEFAULT_SEED
    : process.env.NOAI_FUZZ_SEED === 'random'
      ? (Math.random() * 2 ** 32) >>> 0
      : Number(process.env.NOAI_FUZZ_SEED) >>> 0

const FORMATS: readonly AudioFormat[] = ['mp3', 'flac', 'ogg', 'mp4', 'wav', 'aiff']
const SKIP_EXT = new Set(['.md', '.txt', '.json', '.sh', '.py'])

const TAG: NoaiTag = {
  version: 1,
  subject: { self: true },
  usage: { 'train-ai': 'denied', 'ai-input': 'denied', search: 'allowed' },
  issued: '2026-11-26T00:00:00Z',
  issuer: 'https://label.example',
  rightsHolder: { name: 'Zo\u00eb Example' },
}
const ENTRIES: TagEntries = audioTagEntries({ tag: TAG })

// --- PRNG -----------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}
/** The seed of one mutant, from the run's seed, the container and the mutant's index. */
const caseSeed = (format: AudioFormat, index: number): number => {
  let h = SEED ^ 0x9e3779b9
  for (const c of `${format}:${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
  return h
}

// --- Structure-aware mutations --------------------------------------------------------------------

const MARKERS = [
  'ID3', 'TAG', 'APETAGEX', 'Xing', 'Info', 'TXXX', 'PRIV', 'GEOB', 'APIC', 'COMM',
  'fLaC', 'OggS', '\x01vorbis', '\x03vorbis', '\x05vorbis', 'OpusHead', 'OpusTags',
  'ftyp', 'moov', 'mdat', 'free', 'skip', 'udta', 'meta', 'ilst', 'trak', 'mdia', 'minf', 'stbl', 'stco', 'co64', 'stsz', 'stsc', 'stts', 'mvhd', 'hdlr', '----', 'mean', 'name', 'data', 'uuid', 'chpl',
  'RIFF', 'RF64', 'BW64', 'ds64', 'WAVE', 'fmt ', 'LIST', 'INFO', 'id3 ', 'ID3 ', 'bext', '_PMX', 'C2PA', 'junk', 'JUNK',
  'FORM', 'AIFF', 'AIFC', 'COMT', 'SSND', 'APPL', 'NOAI',
].map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0)))

/** Offsets of every marker occurrence, and of the FLAC metadata block headers and MPEG frame syncs. */
function landmarks(b: Uint8Array): number[] {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength)
  const out: number[] = []
  for (const m of MARKERS) {
    for (let at = buf.indexOf(m); at >= 0 && out.length < 4096; at = buf.indexOf(m, at + 1)) out.push(at)
  }
  // FLAC: the block chain after `fLaC` (4-byte headers: last flag + type, 24-bit length).
  for (let at = buf.indexOf('fLaC'); at >= 0 && at + 8 <= b.length; ) {
    let p = at + 4
    for (let n = 0; n < 64 && p + 4 <= b.length; n++) {
      out.push(p)
      const last = (b[p]! & 0x80) !== 0
      p += 4 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
      if (last) break
    }
    break
  }
  // MPEG audio frame syncs (a few).
  for (let i = 0, n = 0; i + 1 < b.length && n < 32; i++) {
    if (b[i] === 0xff && (b[i + 1]! & 0xe0) === 0xe0) {
      out.push(i)
      n++
    }
  }
  return out
}

const SPECIAL = [0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 255, 256, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x10000000]

interface Mutation {
  readonly name: string
  apply(b: Uint8Array, r: () => number, marks: readonly number[]): Uint8Array
}

const int = (r: () => number, n: number): number => Math.floor(r() * n)
const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[int(r, xs.length)]!
const near = (r: () => number, b: Uint8Array, marks: readonly number[]): number =>
  marks.length > 0 && r() < 0.8 ? Math.min(b.length, Math.max(0, pick(r, marks) + pick(r, [-8, -4, 0, 4, 6, 8, 12, 16, 26, 27]))) : int(r, b.length + 1)

function writeInt(b: Uint8Array, at: number, value: number, width: number, le: boolean): void {
  for (let i = 0; i < width && at + i < b.length; i++) {
    const shift = 8 * (le ? i : width - 1 - i)
    if (at + i >= 0) b[at + i] = Math.floor(value / 2 ** shift) & 0xff
  }
}

const MUTATIONS: readonly Mutation[] = [
  {
    name: 'flip',
    apply(b, r) {
      const out = b.slice()
      for (let n = 1 + int(r, 8); n > 0 && out.length > 0; n--) {
        const at = int(r, out.length)
        out[at] = r() < 0.5 ? out[at]! ^ (1 << int(r, 8)) : int(r, 256)
      }
      return out
    },
  },
  {
    name: 'size-field',
    apply(b, r, marks) {
      const out = b.slice()
      const at = near(r, b, marks)
      const width = pick(r, [1, 2, 3, 4, 4, 4, 8])
      const special = r() < 0.7
      let value = special ? pick(r, SPECIAL) : int(r, 2 ** 32)
      if (!special && r() < 0.5) value = Math.max(0, b.length - at + pick(r, [-9, -8, -1, 0, 1, 8, 1000]))
      writeInt(out, at, width === 8 ? value : value % 2 ** (8 * width), width, r() < 0.5)
      return out
    },
  },
  {
    name: 'truncate',
    apply(b, r, marks) {
      return b.slice(0, r() < 0.5 ? near(r, b, marks) : int(r, b.length + 1))
    },
  },
  {
    name: 'duplicate',
    apply(b, r, marks) {
      const from = near(r, b, marks)
      const len = Math.min(b.length - from, 1 + int(r, r() < 0.5 ? 64 : 4096))
      const to = near(r, b, marks)
      return concat(b.subarray(0, to), b.subarray(from, from + len), b.subarray(to))
    },
  },
  {
    name: 'delete',
    apply(b, r, marks) {
      const from = near(r, b, marks)
      return concat(b.subarray(0, from), b.subarray(Math.min(b.length, from + 1 + int(r, 512))))
    },
  },
  {
    name: 'junk',
    apply(b, r, marks) {
      const at = near(r, b, marks)
      const kind = int(r, 3)
      const n = 1 + int(r, 256)
      const junk = kind === 0 ? Uint8Array.from({ length: n }, () => int(r, 256)) : new Uint8Array(n).fill(kind === 1 ? 0 : 0xff)
      return concat(b.subarray(0, at), junk, b.subarray(at))
    },
  },
  {
    name: 'repeat-header',
    apply(b, r, marks) {
      // A header (the 8 bytes around a marker) repeated many times: deep nesting or many siblings.
      if (marks.length === 0) return b.slice()
      const m = pick(r, marks)
      const start = Math.max(0, m - 4)
      const header = b.slice(start, Math.min(b.length, start + 8 + int(r, 8)))
      const times = pick(r, [2, 16, 256, 2000, 10_000])
      const rep = new Uint8Array(header.length * times)
      for (let i = 0; i < times; i++) rep.set(header, i * header.length)
      return concat(b.subarray(0, start), rep, b.subarray(start))
    },
  },
  {
    name: 'ogg-lacing',
    apply(b, r, marks) {
      const out = b.slice()
      const pages = marks.filter((m) => b[m] === 0x4f && b[m + 1] === 0x67 && b[m + 2] === 0x67 && b[m + 3] === 0x53)
      if (pages.length === 0) return out
      const p = pick(r, pages)
      if (p + 27 > out.length) return out
      const segs = r() < 0.5 ? 255 : out[p + 26]!
      out[p + 26] = segs
      for (let i = 0; i < segs && p + 27 + i < out.length; i++) if (r() < 0.7) out[p + 27 + i] = 255
      return out
    },
  },
]

/** A mutant of `seed`: one to three mutations. */
function mutate(seed: Uint8Array, r: () => number): { bytes: Uint8Array; steps: string[] } {
  let bytes = seed
  const steps: string[] = []
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const m = pick(r, MUTATIONS)
    bytes = m.apply(bytes, r, landmarks(bytes))
    steps.push(m.name)
  }
  return { bytes, steps }
}

// --- The property ---------------------------------------------------------------------------------

// Whether a reported text occurs in the bytes, in any ID3v2 encoding: the harness's check.
const occursIn = occursInBytes

interface Problem {
  readonly op: string
  readonly kind: 'crash' | 'hang' | 'slow' | 'invented-document'
  readonly detail: string
}

const TIMEOUT = Symbol('timeout')

async function timed<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number; hung: boolean }> {
  const start = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const v = await Promise.race([p, new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), PER_INPUT_MS)))])
    if (v === TIMEOUT) return { ms: performance.now() - start, hung: true }
    return { value: v as T, ms: performance.now() - start, hung: false }
  } catch (error) {
    return { error, ms: performance.now() - start, hung: false }
  } finally {
    clearTimeout(timer)
  }
}

/** Runs the three operations on one input: the first violation of the property, and whether readAudioTag refused it. */
async function check(bytes: Uint8Array, removal: boolean): Promise<{ problem?: Problem; readFailed: boolean }> {
  const ops: [string, () => Promise<unknown>][] = [
    ['readAudioTag', () => readAudioTag(fromBytes(bytes))],
    ['audioEssence', () => audioEssence(fromBytes(bytes))],
    [removal ? 'planAudioWrite(null)' : 'planAudioWrite(entries)', () => planAudioWrite(fromBytes(bytes), removal ? null : ENTRIES)],
  ]
  let readFailed = false
  for (const [op, run] of ops) {
    const t = await timed(run())
    if (t.hung) return { readFailed, problem: { op, kind: 'hang', detail: `still running after ${PER_INPUT_MS} ms` } }
    if (t.ms > PER_INPUT_MS) return { readFailed, problem: { op, kind: 'slow', detail: `took ${t.ms.toFixed(0)} ms` } }
    if (t.error !== undefined && !isNoaiTagError(t.error)) {
      const e = t.error as Error
      return { readFailed, problem: { op, kind: 'crash', detail: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` } }
    }
    if (op === 'readAudioTag') readFailed = t.error !== undefined
    if (op === 'readAudioTag' && t.value) {
      const r = t.value as { document?: string }
      if (r.document !== undefined && !occursIn(bytes, r.document)) {
        return { readFailed, problem: { op, kind: 'invented-document', detail: `reported document ${JSON.stringify(r.document.slice(0, 120))} does not occur in the input` } }
      }
    }
  }
  return { readFailed }
}

// --- Seeds ----------------------------------------------------------------------------------------

interface Seed {
  readonly name: string
  readonly ext: string
  readonly bytes: Uint8Array
}

function fixtureFiles(format: AudioFormat): string[] {
  const dir = join(FIXTURES, format)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => !SKIP_EXT.has(extname(f).toLowerCase()) && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => join(dir, f))
}

/** The fixtures of a container, and each of them stamped with our tag (when our writer can). */
async function seedsOf(format: AudioFormat): Promise<Seed[]> {
  const seeds: Seed[] = []
  for (const file of fixtureFiles(format)) {
    const bytes = new Uint8Array(readFileSync(file))
    const name = file.slice(FIXTURES.length + 1)
    seeds.push({ name, ext: extname(file), bytes })
    try {
      seeds.push({ name: `${name} (stamped)`, ext: extname(file), bytes: await writeAudioTag(bytes, { tag: TAG }) })
    } catch (e) {
      if (!isNoaiTagError(e)) throw e
    }
  }
  return seeds
}

async function registered(format: AudioFormat): Promise<boolean> {
  try {
    await handlerFor(format)
    return true
  } catch (e) {
    if (isNoaiTagError(e) && e.code === 'ERR_NOAI_UNSUPPORTED_FORMAT') return false
    throw e
  }
}

function saveRegression(format: AudioFormat, index: number, ext: string, bytes: Uint8Array): string {
  mkdirSync(REGRESSIONS, { recursive: true })
  const file = join(REGRESSIONS, `${format}-${SEED}-${index}${ext}`)
  writeFileSync(file, bytes)
  return file.slice(HERE.length + 1)
}

// --- Watchdog -------------------------------------------------------------------------------------

/**
 * A reader stuck in a synchronous loop blocks this thread: no timer fires, not even vitest's test
 * timeout. A watchdog thread watches the mutant being checked (shared memory); when one is still
 * running after WATCHDOG_MS, it saves the input as a regression, says so on stderr and kills the
 * process, so the run fails instead of hanging.
 */
const WATCHDOG_MS = 20_000
const MAX_SHARED_INPUT = 4 * 1024 * 1024
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads')
const { mkdirSync, writeFileSync, writeSync } = require('node:fs')
const { ctrl, input, dir, seed, formats, exts, limitMs } = workerData
const state = new Int32Array(ctrl)
const bytes = new Uint8Array(input)
let seen = -1, since = Date.now()
for (;;) {
  Atomics.wait(state, 4, 0, 250)
  if (Atomics.load(state, 4) === 1) break
  const busy = Atomics.load(state, 0), seq = Atomics.load(state, 1)
  if (!busy || seq !== seen) { seen = seq; since = Date.now(); continue }
  if (Date.now() - since < limitMs) continue
  const format = formats[Atomics.load(state, 2)], index = Atomics.load(state, 3), length = Atomics.load(state, 5)
  mkdirSync(dir, { recursive: true })
  const file = dir + '/' + format + '-' + seed + '-' + index + '-hang' + exts[Atomics.load(state, 6)]
  if (length <= bytes.length) writeFileSync(file, bytes.subarray(0, length))
  writeSync(2, 'audio fuzz: ' + format + ' mutant #' + index + ' (seed ' + seed + ') still running after ' + limitMs + ' ms (a synchronous hang); saved as ' + file + '; killing the test process\\n')
  process.kill(process.pid, 'SIGKILL')
}
`

function startWatchdog(): { begin(format: AudioFormat, index: number, ext: string, bytes: Uint8Array): void; end(): void; stop(): Promise<void> } {
  const ctrl = new SharedArrayBuffer(7 * 4)
  const input = new SharedArrayBuffer(MAX_SHARED_INPUT)
  const state = new Int32Array(ctrl)
  const shared = new Uint8Array(input)
  const exts = ['.bin', '.mp3', '.flac', '.ogg', '.opus', '.oga', '.m4a', '.mp4', '.m4b', '.wav', '.rf64', '.bwf', '.aiff', '.aif', '.aifc']
  const worker = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { ctrl, input, dir: REGRESSIONS, seed: SEED, formats: FORMATS, exts, limitMs: WATCHDOG_MS } })
  worker.unref()
  let seq = 0
  return {
    begin(format, index, ext, bytes) {
      if (bytes.length <= shared.length) shared.set(bytes)
      const e = Math.max(0, exts.indexOf(ext.toLowerCase()))
      Atomics.store(state, 2, FORMATS.indexOf(format))
      Atomics.store(state, 3, index)
      Atomics.store(state, 5, bytes.length)
      Atomics.store(state, 6, e)
      Atomics.store(state, 1, ++seq)
      Atomics.store(state, 0, 1)
    },
    end() {
      Atomics.store(state, 0, 0)
    },
    async stop() {
      Atomics.store(state, 4, 1)
      Atomics.notify(state, 4)
      await worker.terminate()
    },
  }
}

// --- Tests ----------------------------------------------------------------------------------------

const withFixtures = FORMATS.filter((f) => fixtureFiles(f).length > 0)
const perFormatMs = BUDGET_MS / Math.max(1, withFixtures.length)
const stats: string[] = []

describe(`audio readers under mutated input (seed ${SEED}; NOAI_FUZZ_SEED=${SEED} reproduces it)`, () => {
  let watchdog: ReturnType<typeof startWatchdog>
  beforeAll(() => {
    watchdog = startWatchdog()
  })

  it('every registered container has committed fixtures to fuzz', async () => {
    const without: AudioFormat[] = []
    for (const f of FORMATS) if ((await registered(f)) && !withFixtures.includes(f)) without.push(f)
    expect(without).toEqual([])
  })

  for (const format of withFixtures) {
    it(`${format}: every mutant gives a value or a typed error, in bounded time, and no invented document`, { timeout: perFormatMs + 60_000 }, async (ctx) => {
      if (!(await registered(format))) {
        ctx.skip(`no container module registered for ${format} yet`)
        return
      }
      const seeds = await seedsOf(format)
      expect(seeds.length).toBeGreaterThan(0)
      // The unmutated seeds satisfy the property too, and the stamped ones report our document.
      for (const s of seeds) expect((await check(s.bytes, false)).problem, s.name).toBeUndefined()
      for (const s of seeds.filter((x) => x.name.endsWith('(stamped)'))) expect((await readAudioTag(s.bytes)).document, s.name).toBe(ENTRIES.document)

      const start = performance.now()
      let n = 0
      let refused = 0
      for (; performance.now() - start < perFormatMs; n++) {
        const r = prng(caseSeed(format, n))
        const seed = seeds[int(r, seeds.length)]!
        const { bytes, steps } = mutate(seed.bytes, r)
        watchdog.begin(format, n, seed.ext, bytes)
        const { problem, readFailed } = await check(bytes, r() < 0.3)
        watchdog.end()
        if (problem) {
          const saved = saveRegression(format, n, seed.ext, bytes)
          expect.fail(`${format} mutant #${n} of ${seed.name} (${steps.join(' + ')}; seed ${SEED}): ${problem.op} ${problem.kind}: ${problem.detail}\nsaved as ${saved}`)
        }
        if (readFailed) refused++
      }
      const secs = (performance.now() - start) / 1000
      stats.push(`${format}: ${n} mutants of ${seeds.length} seeds in ${secs.toFixed(1)} s (${(n / secs).toFixed(0)} inputs/s; readAudioTag refused ${((100 * refused) / Math.max(1, n)).toFixed(0)} %)`)
      expect(n).toBeGreaterThan(0)
    })
  }

  afterAll(async () => {
    await watchdog.stop()
    console.log(`audio fuzz, seed ${SEED} (NOAI_FUZZ_SEED=${SEED} to reproduce), budget ${BUDGET_MS} ms:\n  ${stats.join('\n  ')}`)
  })
})

// Inputs the fuzzer once failed on (written by the test above): each must now satisfy the property.
const regressions = existsSync(REGRESSIONS) ? readdirSync(REGRESSIONS).filter((f) => !f.startsWith('.')).sort() : []
if (regressions.length > 0) {
  describe('audio fuzz regressions (test/fixtures/audio/fuzz-regressions/)', () => {
    for (const file of regressions) {
      it(`${file}: a value or a typed error, in bounded time, no invented document`, async () => {
        const bytes = new Uint8Array(readFileSync(join(REGRESSIONS, file)))
        for (const removal of [false, true]) expect((await check(bytes, removal)).problem).toBeUndefined()
      })
    }
  })
}
