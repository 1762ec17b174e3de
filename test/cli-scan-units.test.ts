// The parts of `noai scan` that the end-to-end tests cannot pin down exactly: the ordered pool
// (input order, concurrency and window bounds, failures), the line splitter (chunk boundaries,
// CRLF, over-long lines), truncation of a torn report, and input-line parsing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { itemOfLine } from '../src/cli/_scan/item-of-line.js'
import { splitLines } from '../src/cli/_scan/lines.js'
import { orderedPool } from '../src/cli/_scan/ordered-pool.js'
import { truncateToLastLine } from '../src/cli/_scan/resume.js'

async function* from<T>(xs: readonly T[]): AsyncGenerator<T> {
  for (const x of xs) yield x
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('orderedPool', () => {
  it('hands results over in input order, with at most `concurrency` in flight and `window` started and not handed over', async () => {
    const n = 200
    // Deterministic, uneven delays: later items often finish first.
    const delay = (i: number): number => ((i * 7919) % 13) + (i % 17 === 0 ? 25 : 0)
    let inFlight = 0
    let maxInFlight = 0
    let started = 0
    let handed = 0
    let maxPending = 0
    const out: number[] = []
    await orderedPool(
      from(Array.from({ length: n }, (_, i) => i)),
      async (i) => {
        started++
        maxPending = Math.max(maxPending, started - handed)
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        await sleep(delay(i))
        inFlight--
        return i * 2
      },
      (results) => {
        out.push(...results)
        handed += results.length
      },
      { concurrency: 5, window: 12 },
    )
    expect(out).toEqual(Array.from({ length: n }, (_, i) => i * 2))
    expect(maxInFlight).toBe(5)
    expect(maxPending).toBeLessThanOrEqual(12)
  })

  it('asks a concurrency function before each item: the bound follows it as it changes', async () => {
    let inFlight = 0
    const maxWhile = { narrow: 0, wide: 0 }
    let narrow = true
    const out: number[] = []
    await orderedPool(
      from(Array.from({ length: 60 }, (_, i) => i)),
      async (i) => {
        if (i === 30) narrow = false // from item 30 on, up to 6 at once
        inFlight++
        const phase = narrow ? 'narrow' : 'wide'
        maxWhile[phase] = Math.max(maxWhile[phase], inFlight)
        await sleep((i * 7) % 5)
        inFlight--
        return i
      },
      (results) => out.push(...results),
      { concurrency: () => (narrow ? 2 : 6), window: 24 },
    )
    expect(out).toEqual(Array.from({ length: 60 }, (_, i) => i))
    expect(maxWhile.narrow).toBe(2)
    expect(maxWhile.wide).toBe(6)
  })

  it('hands a result over as soon as every earlier one is in, without waiting for more input', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    async function* slowInput(): AsyncGenerator<number> {
      yield 1
      await gate // the next input line has not come yet
      yield 2
    }
    const seen: number[] = []
    const done = orderedPool(slowInput(), async (i) => i, (r) => seen.push(...r), { concurrency: 4, window: 16 })
    await sleep(20)
    expect(seen).toEqual([1])
    release()
    await done
    expect(seen).toEqual([1, 2])
  })

  it('stops pulling input when asked, and finishes what is in flight', async () => {
    let pulled = 0
    async function* many(): AsyncGenerator<number> {
      for (let i = 0; i < 1000; i++) {
        pulled++
        yield i
      }
    }
    const seen: number[] = []
    await orderedPool(many(), async (i) => i, (r) => seen.push(...r), { concurrency: 2, window: 4, stopped: () => seen.length >= 10 })
    expect(pulled).toBeLessThan(20)
    expect(seen.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('rejects when emit throws or the input throws, after the items in flight settle', async () => {
    await expect(orderedPool(from([1, 2, 3]), async (i) => i, () => {
      throw new Error('disk full')
    }, { concurrency: 2, window: 4 })).rejects.toThrow('disk full')
    async function* broken(): AsyncGenerator<number> {
      yield 1
      throw new Error('cannot resume: the input changed')
    }
    const seen: number[] = []
    await expect(orderedPool(broken(), async (i) => i, (r) => seen.push(...r), { concurrency: 2, window: 4 })).rejects.toThrow('the input changed')
    expect(seen).toEqual([1])
  })
})

describe('splitLines', () => {
  const lines = async (chunks: (string | Uint8Array)[], max?: number): Promise<{ text: string; tooLong: boolean }[]> => {
    const out = []
    for await (const l of splitLines(from(chunks), max)) out.push({ ...l })
    return out
  }

  it('splits across chunk boundaries (also inside a UTF-8 sequence), strips CR, keeps a last line without a break', async () => {
    const bytes = new TextEncoder().encode('a.mp3\r\nmusique/été.flac\n\nlast')
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1))
    expect(await lines(chunks)).toEqual([
      { text: 'a.mp3', tooLong: false },
      { text: 'musique/été.flac', tooLong: false },
      { text: '', tooLong: false },
      { text: 'last', tooLong: false },
    ])
  })

  it('reports an over-long line once, by its start, and goes on with the next line', async () => {
    const long = 'x'.repeat(50)
    expect(await lines([`ok\n${long.slice(0, 20)}`, `${long.slice(20)}\nnext\n`], 30)).toEqual([
      { text: 'ok', tooLong: false },
      { text: long.slice(0, 50), tooLong: true },
      { text: 'next', tooLong: false },
    ])
  })
})

describe('truncateToLastLine', () => {
  it('drops a partial last line, keeps complete lines, and treats a missing report as empty', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'noai-scan-units-'))
    try {
      const file = path.join(dir, 'r.jsonl')
      // A long report whose last line break lies in an earlier 64 KiB block than the end.
      const body = `${'{"path":"a"}\n'.repeat(10_000)}`
      await writeFile(file, `${body}{"path":"b","verdi${'x'.repeat(70_000)}`)
      expect(await truncateToLastLine(file)).toEqual({ length: body.length, dropped: 70_018 })
      expect(await readFile(file, 'utf8')).toBe(body)
      expect(await truncateToLastLine(file)).toEqual({ length: body.length, dropped: 0 })
      await writeFile(file, 'no line break at all')
      expect(await truncateToLastLine(file)).toEqual({ length: 0, dropped: 20 })
      expect(await truncateToLastLine(path.join(dir, 'missing.jsonl'))).toEqual({ length: 0, dropped: 0 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('itemOfLine', () => {
  it('tells paths, URLs and JSON objects apart', () => {
    expect(itemOfLine({ text: '  data/a.mp3 ', tooLong: false })).toEqual({ kind: 'path', key: 'data/a.mp3' })
    expect(itemOfLine({ text: 'HTTPS://a.example/x', tooLong: false })).toEqual({ kind: 'url', key: 'HTTPS://a.example/x' })
    expect(itemOfLine({ text: '   ', tooLong: false })).toBeUndefined()
    expect(itemOfLine({ text: '{"url":"https://a.example/1","id":7}', tooLong: false })).toEqual({ kind: 'url', key: 'https://a.example/1', input: { id: 7 } })
    // An explicit path is a path, even when it looks like a URL.
    expect(itemOfLine({ text: '{"path":"http://x"}', tooLong: false })).toEqual({ kind: 'path', key: 'http://x' })
    expect(itemOfLine({ text: '{"url":"data/a.mp3"}', tooLong: false })).toMatchObject({ kind: 'invalid', error: { code: 'ERR_NOAI_INVALID_ARGUMENT' } })
    expect(itemOfLine({ text: '{"url":"https://a.example/","path":"a"}', tooLong: false })).toMatchObject({ kind: 'invalid' })
    expect(itemOfLine({ text: '[1]', tooLong: false })).toEqual({ kind: 'path', key: '[1]' })
    expect(itemOfLine({ text: '{"path":"a"', tooLong: false })).toMatchObject({ kind: 'invalid', error: { code: 'ERR_NOAI_JSON_INVALID' } })
    expect(itemOfLine({ text: 'x'.repeat(200), tooLong: true })).toMatchObject({ kind: 'invalid', error: { code: 'ERR_NOAI_LIMIT_EXCEEDED' } })
  })
})
