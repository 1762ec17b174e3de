// How `noai scan` reads a folder: the walk in batches gives every file once, in the order of a
// plain sorted depth-first listing; the file opener reads synchronously while files come from
// memory and asynchronously after slow reads (a clock is given to make reads "slow"), with the
// same bytes, sizes and errors either way, and a FIFO never blocks it.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ASYNC_FILES_AFTER_SLOW, createOpener, PREFETCH_BYTES, SLOW_READS_TO_SWITCH, SLOW_SYNC_READ_MS, SYNC_OPENS_PER_TURN } from '../src/cli/_scan/prefetched-file.js'
import { walkFileBatches, walkFiles } from '../src/cli/_scan/walk.js'
import { scratch, type Scratch } from './cli-audio-helpers.js'

let s: Scratch
beforeAll(async () => {
  s = await scratch('noai-scan-reads-')
})
afterAll(async () => {
  await s.remove()
})

/** Every file under a folder, depth first, each folder's entries sorted by name (the walk's order, computed plainly). */
function listing(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) out.push(...listing(full))
    else out.push(full)
  }
  return out
}

describe('the folder walk, in batches', () => {
  it('gives every file once, in sorted depth-first order, across batches and between subfolders', async () => {
    const root = s.file('tree')
    // 600 files around subfolders in the middle of the names, more than two batches in one folder.
    mkdirSync(path.join(root, 'm-sub', 'deeper'), { recursive: true })
    for (let i = 0; i < 600; i++) writeFileSync(path.join(root, `${i % 2 === 0 ? 'a' : 'z'}-${String(i).padStart(4, '0')}.bin`), '')
    for (let i = 0; i < 3; i++) writeFileSync(path.join(root, 'm-sub', `f${i}`), '')
    writeFileSync(path.join(root, 'm-sub', 'deeper', 'x'), '')
    const batches: string[][] = []
    for await (const b of walkFileBatches(root)) batches.push(b.map((item) => item.key))
    const expected = listing(root)
    expect(expected).toHaveLength(604)
    expect(batches.flat()).toEqual(expected)
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(256)
    const single: string[] = []
    for await (const item of walkFiles(root)) single.push(item.key)
    expect(single).toEqual(expected)
    // The root as given, with a trailing separator or a dot segment, still joins cleanly.
    const viaDot: string[] = []
    for await (const item of walkFiles(`${root}/./`)) viaDot.push(item.key)
    expect(viaDot).toEqual(expected)
  })
})

/** A clock that advances by `step()` ms on every reading: two readings per read time it. */
function clock(step: () => number): () => number {
  let t = 0
  return () => (t += step())
}

describe('the file opener: synchronous while reads are fast, asynchronous after slow ones', () => {
  it('switches to asynchronous reads after slow synchronous ones, for a while, then tries again', async () => {
    const file = s.file('small.bin')
    writeFileSync(file, new Uint8Array(100).fill(7))
    let slow = false
    const open = createOpener({ now: clock(() => (slow ? SLOW_SYNC_READ_MS * 2 : 0)) })
    const read = async (): Promise<void> => {
      const f = await open(file)
      expect(f.size).toBe(100)
      expect(f.whole).toEqual(new Uint8Array(100).fill(7))
      await f.close()
    }
    expect(open.mode).toBe('sync')
    await read()
    slow = true
    for (let i = 0; i < SLOW_READS_TO_SWITCH - 1; i++) await read()
    expect(open.mode).toBe('sync') // one slow read may be a scheduling delay
    await read()
    expect(open.mode).toBe('async')
    slow = false
    for (let i = 0; i < ASYNC_FILES_AFTER_SLOW - 1; i++) await read()
    expect(open.mode).toBe('async')
    await read()
    expect(open.mode).toBe('sync')
  })

  it('a fast read between slow ones keeps reads synchronous', async () => {
    const file = s.file('small2.bin')
    writeFileSync(file, 'x')
    const pattern = [true, false, true, false, true]
    let i = 0
    let reading = 0
    // Two clock readings per read: the first at 0, the second slow or not by the pattern.
    const open = createOpener({ now: () => (reading++ % 2 === 0 ? 0 : pattern[i++]! ? SLOW_SYNC_READ_MS * 2 : 0) })
    for (let k = 0; k < pattern.length; k++) await (await open(file)).close()
    expect(open.mode).toBe('sync')
  })

  it('gives the same bytes, sizes and errors in both modes, and never blocks on a FIFO', async () => {
    const big = s.file('big.bin')
    const bytes = new Uint8Array(PREFETCH_BYTES + 3000).map((_, k) => (k * 13) & 0xff)
    writeFileSync(big, bytes)
    const fifo = s.file('fifo')
    execFileSync('mkfifo', [fifo])
    const folder = s.file('folder')
    mkdirSync(folder)
    const sync = createOpener({ now: () => 0 })
    const async_ = createOpener({ now: clock(() => SLOW_SYNC_READ_MS * 2) })
    for (let k = 0; k < SLOW_READS_TO_SWITCH; k++) await (await async_(big)).close()
    expect(async_.mode).toBe('async')
    const outcome = async (open: typeof sync, p: string): Promise<unknown> => {
      try {
        const f = await open(p)
        try {
          return { size: f.size, whole: f.whole !== undefined, tail: await f.read(f.size - 10, 20), head: await f.read(0, 5) }
        } finally {
          await f.close()
        }
      } catch (e) {
        return { code: (e as { code?: string }).code, name: (e as Error).name }
      }
    }
    for (const p of [big, s.file('missing.bin'), folder, fifo]) {
      const a = await outcome(sync, p)
      expect(a, p).toEqual(await outcome(async_, p))
      expect(sync.mode).toBe('sync')
    }
    expect(await outcome(sync, big)).toEqual({ size: bytes.length, whole: false, tail: bytes.subarray(bytes.length - 10), head: bytes.subarray(0, 5) })
    expect(await outcome(sync, s.file('missing.bin'))).toMatchObject({ code: 'ENOENT' })
    expect(await outcome(sync, folder)).toMatchObject({ code: 'EISDIR' })
  })
})

describe('the file opener counts slow failed opens too', () => {
  it('opens that fail slowly (a missing file on a slow share) switch to asynchronous reads as well', async () => {
    const open = createOpener({ now: clock(() => SLOW_SYNC_READ_MS * 2) })
    for (let i = 0; i < SLOW_READS_TO_SWITCH; i++) await expect(open(s.file('nowhere.bin'))).rejects.toMatchObject({ code: 'ENOENT' })
    expect(open.mode).toBe('async')
    await expect(open(s.file('nowhere.bin'))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('the file opener lets the event loop turn', () => {
  it('gives the event loop a turn every SYNC_OPENS_PER_TURN synchronous opens', async () => {
    const file = s.file('turns.bin')
    writeFileSync(file, 'x')
    const open = createOpener({ now: () => 0 })
    // Each turn of the loop runs the immediate, which queues the next: without turns, the opens
    // would all run in microtasks and the count would stay at 0 until they end.
    let turns = 0
    let stopped = false
    const turn = (): void => {
      if (stopped) return
      turns++
      setImmediate(turn)
    }
    setImmediate(turn)
    try {
      for (let i = 0; i < SYNC_OPENS_PER_TURN * 4; i++) await (await open(file)).close()
    } finally {
      stopped = true
    }
    expect(open.mode).toBe('sync')
    expect(turns).toBeGreaterThanOrEqual(3)
    expect(turns).toBeLessThanOrEqual(5)
  })

  it('timers fire while files are read synchronously from memory', async () => {
    const file = s.file('turns-timer.bin')
    writeFileSync(file, 'x')
    const open = createOpener({ now: () => 0 })
    let ticks = 0
    const timer = setInterval(() => ticks++, 0)
    try {
      // Reads for 20 ms, in whole turns: a 1 ms interval fires at the first turn after 1 ms.
      // Without a turn of the event loop, it could not fire until the reads end.
      const started = performance.now()
      while (performance.now() - started < 20) for (let i = 0; i < SYNC_OPENS_PER_TURN; i++) await (await open(file)).close()
    } finally {
      clearInterval(timer)
    }
    expect(open.mode).toBe('sync')
    expect(ticks).toBeGreaterThan(0)
  })
})
