// Fault injection on file writes (docs/spec.md §10.3.3), for real, with child processes.
//
// The child (test/_fault-child.ts, bundled once with esbuild, run with plain node) stamps a file
// through the real write path with its file-system calls numbered by test/_fault-fs.ts. For every
// container and both paths (in place: journal, one write, fsync; rewrite: temp file, fsync,
// rename), the child is killed with SIGKILL at every step in turn; the file must then hold either
// its old bytes (killed before the commit) or exactly the bytes a clean run writes (after it), and
// a retry must take over the stale lock, sweep what the dead writer left, and finish.
// Also: a torn in-place write (as a power failure may leave it) repaired from the journal; a full
// disk (a 64 KiB tmpfs, and ENOSPC injected at every create and write); a read-only target (a
// read-only bind mount, a child running as nobody); the file changed by another process between
// read and write; two stampers released together; stale and live locks.
import { createHash } from 'node:crypto'
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag } from '../src/audio.js'
import { audioTagEntries } from '../src/audio/tag-entries.js'
import type { NoaiTag } from '../src/index.js'
import { ConcurrentModificationError, FILE_WRITE_LIMITS, writeAudioFile, type WriteAudioFileOptions } from '../src/node.js'
import { applyToFile } from '../src/node/_apply.js'
import { NODE_FS } from '../src/node/_fs.js'
import { wrapIo } from '../src/node/_io.js'
import { LOCK_SUFFIX, withLock } from '../src/node/_lock.js'
import { faultFs, type FaultAction, type FaultStep } from './_fault-fs.js'

// Two tags of exactly the same serialized length (so that even Ogg, whose pages must keep their
// lengths, is rewritten in place), differing in the readable line and across more than one 512-byte
// sector of the document (so that a torn write can mix old and new sectors).
const url = (c: string): string => `https://example.com/r/${c.repeat(900)}`
const TAG_A: NoaiTag = { version: 1, subject: { self: true, urls: [url('a')] }, usage: { search: 'allowed', 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' }
const TAG_B: NoaiTag = { version: 1, subject: { self: true, urls: [url('b')] }, usage: { search: 'denied', 'train-ai': 'allowed' }, issued: '2026-11-26T00:00:00Z' }

const FIXTURES = fileURLToPath(new URL('./fixtures/audio/', import.meta.url))
/** One fixture per container (Ogg twice: Vorbis and Opus). */
const CASES = ['mp3/foreign.mp3', 'flac/reference.flac', 'ogg/oggenc.ogg', 'ogg/opusenc.opus', 'mp4/aac-faststart.m4a', 'wav/bwf.wav', 'aiff/ffmpeg-id3.aiff'] as const

const root = mkdtempSync(join(tmpdir(), 'noai-fault-'))
chmodSync(root, 0o755) // the child running as nobody must reach its script and files
const CHILD = join(root, 'child.mjs')
let dirs = 0
const isRoot = process.getuid?.() === 0

beforeAll(async () => {
  const { build } = await import('esbuild')
  await build({ entryPoints: [fileURLToPath(new URL('./_fault-child.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: CHILD, logLevel: 'warning' })
}, 60_000)
afterAll(() => rmSync(root, { recursive: true, force: true }))

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const read = (f: string): Uint8Array => new Uint8Array(readFileSync(f))
/** A fresh folder (mode 0755) with `bytes` in it as `name`. */
function place(name: string, bytes: Uint8Array): { dir: string; file: string } {
  const dir = join(root, `d${++dirs}`)
  mkdirSync(dir, { mode: 0o755 })
  chmodSync(dir, 0o755)
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return { dir, file }
}

/** What a clean write produces, computed in this process on a copy. */
async function cleanRun(name: string, start: Uint8Array, tag: NoaiTag | null, options: WriteAudioFileOptions): Promise<{ bytes: Uint8Array; method: string }> {
  const { file } = place(name, start)
  const r = tag ? await writeAudioFile(file, { tag }, options) : await applyToFile(file, null, options)
  return { bytes: read(file), method: r.method }
}

interface Outcome {
  readonly ok: boolean
  readonly code?: string
  readonly reason?: string
  readonly message?: string
  readonly result?: { method: string }
  readonly steps: readonly FaultStep[]
}

/** A running child: its JSON lines, one at a time, and a way to answer it. */
class Child {
  private readonly lines: string[] = []
  private wake: (() => void) | undefined
  private closed = false
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
  private readonly proc

  constructor(job: object, env: Record<string, string> = {}, asNobody = false) {
    const argv = [CHILD, JSON.stringify(job)]
    this.proc = asNobody
      ? spawn('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, ...argv], { env: { ...process.env, ...env }, stdio: 'pipe' })
      : spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: 'pipe' })
    let stderr = ''
    this.proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    createInterface({ input: this.proc.stdout }).on('line', (l) => {
      this.lines.push(l)
      this.wake?.()
    })
    this.proc.stdin.on('error', () => undefined)
    this.done = new Promise((resolve) =>
      this.proc.on('close', (code, signal) => {
        this.closed = true
        this.wake?.()
        resolve({ code, signal, stderr })
      }),
    )
  }

  /** The next JSON line, or undefined once the child has exited without another. */
  async next(): Promise<Record<string, unknown> | undefined> {
    for (;;) {
      const l = this.lines.shift()
      if (l !== undefined) return JSON.parse(l) as Record<string, unknown>
      if (this.closed) return undefined
      await new Promise<void>((r) => (this.wake = r))
    }
  }

  send(): void {
    this.proc.stdin.write('go\n')
  }
}

/** Runs a child to the end; its outcome line (if it printed one) and how it exited. */
async function runChild(job: object, env: Record<string, string> = {}, asNobody = false): Promise<{ outcome: Outcome | undefined; signal: string | null; stderr: string }> {
  const c = new Child(job, env, asNobody)
  let outcome: Outcome | undefined
  for (let l = await c.next(); l; l = await c.next()) if ('ok' in l) outcome = l as unknown as Outcome
  const { signal, stderr } = await c.done
  return { outcome, signal, stderr }
}

/** Runs `fn` over `items`, `width` at a time. */
async function pool<T>(items: readonly T[], width: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) await fn(items[i++]!)
  }))
}

/** Writes again as a user would after a crash; an empty lock (writer killed before its record) is aged first. */
async function retry(file: string, tag: NoaiTag, options: WriteAudioFileOptions, lockWasEmpty: boolean): Promise<void> {
  const lock = file + LOCK_SUFFIX
  if (lockWasEmpty) {
    // Fresh, an empty lock is honoured (its writer may be about to write its record)...
    await expect(writeAudioFile(file, { tag }, options)).rejects.toMatchObject({ code: 'ERR_NOAI_CONCURRENT_MODIFICATION', reason: 'locked' })
    // ...and taken over once older than FILE_WRITE_LIMITS.emptyLockStaleMs.
    const old = new Date(Date.now() - FILE_WRITE_LIMITS.emptyLockStaleMs - 5_000)
    utimesSync(lock, old, old)
  }
  await writeAudioFile(file, { tag }, options)
}

const leftovers = (dir: string, name: string): string[] => readdirSync(dir).filter((n) => n !== name)
/** Formats whose torn write really left a mix of old and new sectors (so the repair was exercised). */
const tornFormats = new Set<string>()

describe.each(CASES)('%s', (fixturePath) => {
  const name = basename(fixturePath)
  const original = new Uint8Array(readFileSync(join(FIXTURES, fixturePath)))

  describe.each(['in-place', 'rewrite'] as const)('%s', (path) => {
    const options: WriteAudioFileOptions = { inPlace: path === 'in-place' }
    let start: Uint8Array
    let expected: Uint8Array
    let method: string
    beforeAll(async () => {
      // In place needs room: the file is first stamped with TAG_A (which leaves padding behind).
      start = path === 'in-place' ? (await cleanRun(name, original, TAG_A, {})).bytes : original
      const clean = await cleanRun(name, start, TAG_B, options)
      expected = clean.bytes
      method = clean.method
    })

    it(`a clean run stamps it ${path === 'in-place' ? 'in place' : 'by a rewrite'}, keeping the essence`, async () => {
      expect(method).toBe(path)
      const report = await readAudioTag(expected)
      expect(report.tag).toEqual(TAG_B)
      expect(report.readable).toBe(audioTagEntries({ tag: TAG_B }).readable)
      expect((await audioEssence(expected)).sha256).toBe((await audioEssence(original)).sha256)
    })

    it(`SIGKILL at every create, write, fsync, chmod, chown, rename and unlink leaves the old file or the new one; a retry finishes`, async () => {
      const job = (file: string): object => ({ file, tag: { tag: TAG_B }, options })
      const dry = place(name, start)
      const { outcome } = await runChild(job(dry.file))
      expect(outcome).toMatchObject({ ok: true, result: { method: path } })
      expect(sha(read(dry.file))).toBe(sha(expected))
      const steps = outcome!.steps
      const commit = steps.find((s) => (path === 'in-place' ? s.op === 'write' && s.path === dry.file : s.op === 'rename'))!.step
      expect(steps.map((s) => s.op)).toEqual(expect.arrayContaining(['create', 'write', 'fsync', 'unlink', ...(path === 'rewrite' ? ['rename'] : [])]))

      await pool(steps, 3, async ({ step, op, path: target }) => {
        const { dir, file } = place(name, start)
        const r = await runChild(job(file), { NOAI_FAULT_AT: String(step), NOAI_FAULT_ACTION: 'kill' })
        const where = `killed at step ${step} (${op} ${basename(target)})`
        expect(r.signal, where).toBe('SIGKILL')
        expect(sha(read(file)), where).toBe(sha(step <= commit ? start : expected))
        const lock = file + LOCK_SUFFIX
        const lockWasEmpty = existsSync(lock) && statSync(lock).size === 0
        expect(lockWasEmpty, where).toBe(step === 2) // killed between creating the lock and writing its record
        await retry(file, TAG_B, options, lockWasEmpty)
        expect(sha(read(file)), `${where}, then retried`).toBe(sha(expected))
        expect(leftovers(dir, name), `${where}, then retried`).toEqual([])
      })
    }, 180_000)

    if (path === 'in-place') {
      it('a torn write (power failure) is repaired from the journal by the next writer', async () => {
        const dry = place(name, start)
        const { outcome } = await runChild({ file: dry.file, tag: { tag: TAG_B }, options })
        const commit = outcome!.steps.find((s) => s.op === 'write' && s.path === dry.file)!.step
        const { dir, file } = place(name, start)
        const r = await runChild({ file, tag: { tag: TAG_B }, options }, { NOAI_FAULT_AT: String(commit), NOAI_FAULT_ACTION: 'torn' })
        expect(r.signal).toBe('SIGKILL')
        const torn = sha(read(file))
        if (torn !== sha(start) && torn !== sha(expected)) tornFormats.add(name)
        // The next writer repairs it when it takes the lock over: take it (doing nothing) and look.
        await withLock(NODE_FS, file, async () => undefined)
        const repaired = sha(read(file))
        if (torn !== sha(expected)) expect(repaired).toBe(sha(start)) // the old bytes were written back
        else expect(repaired).toBe(sha(expected)) // every changed byte was in the sectors written: whole
        expect(leftovers(dir, name)).toEqual([])
        await writeAudioFile(file, { tag: TAG_B }, options)
        expect(sha(read(file))).toBe(sha(expected))
      })

      it('another process changing the file between read and write is detected; nothing is written', async () => {
        const { dir, file } = place(name, start)
        const c = new Child({ file, tag: { tag: TAG_B }, options, pauseAtStage: 'after-plan' })
        expect(await c.next()).toEqual({ paused: 'after-plan' })
        const changed = start.slice()
        changed[changed.length - 1] = changed[changed.length - 1]! ^ 0xff // same size: only mtime and ctime tell
        writeFileSync(file, changed)
        c.send()
        expect(await c.next()).toMatchObject({ ok: false, code: 'ERR_NOAI_CONCURRENT_MODIFICATION', reason: 'changed' })
        await c.done
        expect(sha(read(file))).toBe(sha(changed))
        expect(leftovers(dir, name)).toEqual([])
      })
    } else {
      it('another process changing the file between read and rename is detected; the temp file is removed', async () => {
        const { dir, file } = place(name, start)
        const c = new Child({ file, tag: { tag: TAG_B }, options, pauseAtStage: 'before-rename' })
        expect(await c.next()).toEqual({ paused: 'before-rename' })
        const changed = new Uint8Array([...start, 0, 0, 0, 0])
        writeFileSync(file, changed)
        c.send()
        expect(await c.next()).toMatchObject({ ok: false, code: 'ERR_NOAI_CONCURRENT_MODIFICATION', reason: 'changed' })
        await c.done
        expect(sha(read(file))).toBe(sha(changed))
        expect(leftovers(dir, name)).toEqual([])
      })
    }

    it('ENOSPC at every create and write, EIO at every fsync: a typed error and the old file (or, for the advisory fsync of a folder, the new one)', async () => {
      const dry = place(name, start)
      const probe = faultFs(NODE_FS, { at: 0, action: 'kill' })
      await wrapIo(dry.file, () => applyToFile(dry.file, audioTagEntries({ tag: TAG_B }), options, probe))
      const faults = probe.steps.filter((s) => s.op === 'create' || s.op === 'write' || s.op === 'fsync')
      expect(faults.length).toBeGreaterThan(4)
      for (const { step, op, path: target } of faults) {
        const action: FaultAction = op === 'fsync' ? 'EIO' : 'ENOSPC'
        const { dir, file } = place(name, start)
        const fs = faultFs(NODE_FS, { at: step, action })
        const r = await wrapIo(file, () => applyToFile(file, audioTagEntries({ tag: TAG_B }), options, fs)).catch((e: unknown) => e)
        const where = `${action} at step ${step} (${op} ${basename(target)})`
        if (target === dry.dir) {
          // A folder's fsync is advisory (not every file system has one): its failure is ignored.
          expect(r, where).toMatchObject({ method: path })
          expect(sha(read(file)), where).toBe(sha(expected))
        } else {
          expect(r, where).toMatchObject({ code: 'ERR_NOAI_IO', reason: 'io' })
          expect((r as Error).message, where).toContain(action)
          expect(sha(read(file)), where).toBe(sha(start))
        }
        expect(leftovers(dir, name), where).toEqual([])
      }
    })
  })
})

it('the torn writes above left a mix of old and new sectors in every format, and each was repaired', () => {
  expect([...tornFormats].sort()).toEqual(CASES.map((c) => basename(c)).sort())
})

describe('two stampers on one file', () => {
  it('released together while the first holds the lock: exactly one wins, the other gets ERR_NOAI_CONCURRENT_MODIFICATION', async () => {
    const start = new Uint8Array(readFileSync(join(FIXTURES, 'mp3/foreign.mp3')))
    const { dir, file } = place('two.mp3', start)
    const a = new Child({ file, tag: { tag: TAG_A }, options: {}, waitForGo: true, pauseAtStage: 'after-plan' })
    const b = new Child({ file, tag: { tag: TAG_B }, options: {}, waitForGo: true, pauseAtStage: 'after-plan' })
    expect(await a.next()).toEqual({ ready: true })
    expect(await b.next()).toEqual({ ready: true })
    a.send()
    b.send()
    const [la, lb] = await Promise.all([a.next(), b.next()])
    const paused = [la, lb].filter((l) => l && 'paused' in l)
    const refused = [la, lb].filter((l) => l && 'ok' in l)
    expect(paused).toHaveLength(1)
    expect(refused).toEqual([expect.objectContaining({ ok: false, code: 'ERR_NOAI_CONCURRENT_MODIFICATION', reason: 'locked' })])
    const winner = la && 'paused' in la ? a : b
    winner.send()
    expect(await winner.next()).toMatchObject({ ok: true })
    await Promise.all([a.done, b.done])
    const tag = (await readAudioTag(read(file))).tag
    expect(tag).toEqual(winner === a ? TAG_A : TAG_B)
    expect((await audioEssence(read(file))).sha256).toBe((await audioEssence(start)).sha256)
    expect(leftovers(dir, 'two.mp3')).toEqual([])
  })

  it('released together, free-running: each wins or is refused with the typed error, and the file is whole', async () => {
    const start = new Uint8Array(readFileSync(join(FIXTURES, 'flac/reference.flac')))
    for (let round = 0; round < 4; round++) {
      const { dir, file } = place('race.flac', start)
      const kids = [TAG_A, TAG_B].map((tag) => new Child({ file, tag: { tag }, options: round % 2 ? { inPlace: false } : {}, waitForGo: true }))
      for (const k of kids) expect(await k.next()).toEqual({ ready: true })
      for (const k of kids) k.send()
      const outcomes = await Promise.all(kids.map((k) => k.next()))
      await Promise.all(kids.map((k) => k.done))
      for (const o of outcomes) if (!o?.ok) expect(o).toMatchObject({ code: 'ERR_NOAI_CONCURRENT_MODIFICATION', reason: 'locked' })
      expect(outcomes.some((o) => o?.ok)).toBe(true)
      const report = await readAudioTag(read(file))
      expect([TAG_A, TAG_B]).toContainEqual(report.tag)
      expect((await audioEssence(read(file))).sha256).toBe((await audioEssence(start)).sha256)
      expect(leftovers(dir, 'race.flac')).toEqual([])
    }
  })
})

describe('stale and live locks', () => {
  const record = (pid: number, host = hostname()): string => `${JSON.stringify({ noaiLock: 1, pid, host, boot: null, nonce: '00' })}\n`
  /** A pid that is certainly not running: a child that has exited and been reaped. */
  const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)

  it('a lock whose owner is running, or on another host, or not a record, is honoured', async () => {
    const start = new Uint8Array(readFileSync(join(FIXTURES, 'mp3/foreign.mp3')))
    for (const content of [record(process.pid), record(deadPid(), 'some-other-host'), '123\n', 'garbage']) {
      const { file } = place('live.mp3', start)
      writeFileSync(file + LOCK_SUFFIX, content)
      const e = await writeAudioFile(file, { tag: TAG_A }).catch((x: unknown) => x)
      expect(e, content).toBeInstanceOf(ConcurrentModificationError)
      expect(e, content).toMatchObject({ reason: 'locked' })
      expect(sha(read(file))).toBe(sha(start))
      expect(readFileSync(file + LOCK_SUFFIX, 'utf8')).toBe(content)
    }
  })

  it('a lock whose owner is gone is taken over; its temp files and aside files are swept; other files stay', async () => {
    const start = new Uint8Array(readFileSync(join(FIXTURES, 'mp3/bare.mp3')))
    const { dir, file } = place('stale.mp3', start)
    writeFileSync(file + LOCK_SUFFIX, record(deadPid()))
    writeFileSync(join(dir, '.stale.mp3.noai-0123456789ab.tmp'), 'half a file')
    writeFileSync(join(dir, 'stale.mp3.noai-lock.abcdef.stale'), record(1))
    writeFileSync(join(dir, '.other.mp3.noai-0123456789ab.tmp'), 'another file of ours, not this one')
    const r = await writeAudioFile(file, { tag: TAG_A })
    expect(r.method).toBe('rewrite')
    expect((await readAudioTag(read(file))).tag).toEqual(TAG_A)
    expect(readdirSync(dir).sort()).toEqual(['.other.mp3.noai-0123456789ab.tmp', 'stale.mp3'])
  })

  it('a lock written before the last boot is stale whatever its pid', async () => {
    const start = new Uint8Array(readFileSync(join(FIXTURES, 'mp3/foreign.mp3')))
    const { file } = place('boot.mp3', start)
    if (!existsSync('/proc/sys/kernel/random/boot_id')) return console.warn('skipped: no /proc/sys/kernel/random/boot_id (not Linux)')
    writeFileSync(file + LOCK_SUFFIX, `${JSON.stringify({ noaiLock: 1, pid: process.pid, host: hostname(), boot: 'an-earlier-boot', nonce: '00' })}\n`)
    await writeAudioFile(file, { tag: TAG_A })
    expect((await readAudioTag(read(file))).tag).toEqual(TAG_A)
    expect(existsSync(file + LOCK_SUFFIX)).toBe(false)
  })
})

/** Runs `mount` with `args`; returns undefined when it worked, else the reason it did not. */
function tryMount(args: readonly string[]): string | undefined {
  if (!isRoot) return 'not running as root'
  const r = spawnSync('mount', args, { encoding: 'utf8' })
  if (r.error) return `mount: ${r.error.message}`
  return r.status === 0 ? undefined : `mount ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.status}`}`
}
const umount = (dir: string): void => void spawnSync('umount', [dir])

describe('a full disk (tmpfs of 64 KiB)', () => {
  for (const path of ['in-place', 'rewrite'] as const) {
    it(`${path}: at every amount of free space the file is the old one (typed ENOSPC error) or the new one`, async (ctx) => {
      const name = 'full.mp3'
      const options: WriteAudioFileOptions = { inPlace: path === 'in-place' }
      const original = new Uint8Array(readFileSync(join(FIXTURES, 'mp3/foreign.mp3')))
      const start = path === 'in-place' ? (await cleanRun(name, original, TAG_A, {})).bytes : original
      const expected = (await cleanRun(name, start, TAG_B, options)).bytes
      const mnt = join(root, `tmpfs-${path}`)
      mkdirSync(mnt)
      const why = tryMount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt])
      if (why) {
        console.warn(`skipped the tmpfs test: ${why} (ENOSPC is still injected at every step above)`)
        return ctx.skip()
      }
      const outcomes = new Set<string>()
      try {
        const pages = Math.ceil((2 * expected.length) / 4096) + 3
        for (let free = 0; free <= pages; free++) {
          for (const n of readdirSync(mnt)) rmSync(join(mnt, n), { force: true })
          const file = join(mnt, name)
          writeFileSync(file, start)
          const filler = join(mnt, 'filler')
          writeFileSync(filler, new Uint8Array(0))
          try {
            for (;;) writeFileSync(filler, new Uint8Array(4096), { flag: 'a' })
          } catch (e) {
            expect((e as { code?: string }).code).toBe('ENOSPC')
          }
          truncateSync(filler, Math.max(0, statSync(filler).size - free * 4096))
          const r = await writeAudioFile(file, { tag: TAG_B }, options).catch((e: unknown) => e)
          const where = `${free} free pages`
          if (r instanceof Error) {
            expect(r, where).toMatchObject({ code: 'ERR_NOAI_IO', reason: 'io' })
            expect(r.message, where).toContain('ENOSPC')
            expect(sha(read(file)), where).toBe(sha(start))
            outcomes.add('refused')
          } else {
            expect(sha(read(file)), where).toBe(sha(expected))
            outcomes.add('stamped')
          }
          expect(readdirSync(mnt).sort(), where).toEqual(['filler', name])
        }
      } finally {
        umount(mnt)
      }
      expect([...outcomes].sort()).toEqual(['refused', 'stamped'])
    })
  }
})

describe('a read-only target', () => {
  const original = new Uint8Array(readFileSync(join(FIXTURES, 'mp3/foreign.mp3')))
  let start: Uint8Array
  beforeAll(async () => {
    start = (await cleanRun('ro.mp3', original, TAG_A, {})).bytes
  })

  it('on a read-only bind mount: a typed error (EROFS) and nothing written, in place or by a rewrite', async (ctx) => {
    const { dir } = place('ro.mp3', start)
    const ro = join(root, 'ro-mount')
    mkdirSync(ro)
    const why = tryMount(['--bind', dir, ro]) ?? tryMount(['-o', 'remount,ro,bind', ro])
    if (why) {
      umount(ro)
      console.warn(`skipped the read-only bind mount test: ${why} (the nobody test below and EROFS injection still run)`)
      return ctx.skip()
    }
    try {
      for (const inPlace of [true, false]) {
        const e = await writeAudioFile(join(ro, 'ro.mp3'), { tag: TAG_B }, { inPlace }).catch((x: unknown) => x)
        expect(e).toMatchObject({ code: 'ERR_NOAI_IO', reason: 'io' })
        expect((e as Error).message).toContain('EROFS')
      }
    } finally {
      umount(ro)
    }
    expect(sha(read(join(dir, 'ro.mp3')))).toBe(sha(start))
    expect(readdirSync(dir)).toEqual(['ro.mp3'])
  })

  it('as nobody, on a file owned by root (in a folder nobody may or may not write): a typed error and nothing written', async (ctx) => {
    const setpriv = spawnSync('setpriv', ['--version'])
    if (!isRoot || setpriv.error) {
      console.warn(`skipped the nobody test: ${!isRoot ? 'not running as root' : 'setpriv is missing'} (EROFS/EACCES injection still runs)`)
      return ctx.skip()
    }
    for (const folderOwnedByNobody of [true, false]) {
      for (const inPlace of [true, false]) {
        const { dir, file } = place('ro.mp3', start)
        chmodSync(file, 0o644)
        if (folderOwnedByNobody) chownSync(dir, 65534, 65534)
        const { outcome, stderr } = await runChild({ file, tag: { tag: TAG_B }, options: { inPlace } }, {}, true)
        const where = `folder owned by ${folderOwnedByNobody ? 'nobody' : 'root'}, inPlace ${inPlace}`
        expect(outcome, `${where}: ${stderr}`).toMatchObject({ ok: false, code: 'ERR_NOAI_IO', reason: 'io' })
        expect(outcome!.message, where).toContain('EACCES')
        expect(sha(read(file)), where).toBe(sha(start))
        expect(readdirSync(dir), where).toEqual(['ro.mp3'])
      }
    }
  })

  it('EROFS and EACCES injected on the lock file: a typed error and nothing written', async () => {
    for (const action of ['EROFS', 'EACCES'] as const) {
      const { dir, file } = place('inj.mp3', start)
      const e = await wrapIo(file, () => applyToFile(file, audioTagEntries({ tag: TAG_B }), {}, faultFs(NODE_FS, { at: 1, action }))).catch((x: unknown) => x)
      expect(e).toMatchObject({ code: 'ERR_NOAI_IO', reason: 'io' })
      expect(sha(read(file))).toBe(sha(start))
      expect(readdirSync(dir)).toEqual(['inj.mp3'])
    }
  })
})
