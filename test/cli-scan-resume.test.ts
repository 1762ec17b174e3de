// `noai scan --resume` and `--shard` (issue 6 "done when"): a scan killed with SIGKILL part way,
// plus a torn last line, then resumed, gives the same report as an uninterrupted run; the union of
// N shards is the whole scan, with no item twice; a report of another input, shard or use is
// refused rather than continued.
import { spawn } from 'node:child_process'
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fnv1a32 } from '../src/cli/_scan/shard.js'
import { CLI_PATH, runCli } from './_cli.js'
import { scratch, type Scratch } from './cli-audio-helpers.js'
import { buildBigFolder, buildMixedFolder, parseReport, sortedLines } from './cli-scan-dataset.js'

const COPIES = 120

let s: Scratch
let big: string
let total: number
let full: string

beforeAll(async () => {
  s = await scratch('noai-scan-resume-')
  const base = s.file('base')
  const expected = await buildMixedFolder(base)
  big = s.file('big')
  total = await buildBigFolder(base, big, expected, COPIES)
  const out = s.file('full.jsonl')
  const r = await runCli(['scan', big, '--out', out, '--jwks', s.jwks, '--quiet'])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  full = await readFile(out, 'utf8')
}, 120_000)

afterAll(async () => {
  await s.remove()
})

const lineCount = async (file: string): Promise<number> => {
  try {
    const text = await readFile(file, 'utf8')
    let n = 0
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++
    return n
  } catch {
    return 0
  }
}

/** Starts a scan and SIGKILLs it once its report has at least `lines` lines; resolves with the lines it had. */
async function killAfter(args: string[], out: string, lines: number): Promise<number> {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let exitCode: number | null | undefined
  void exited.then((c) => (exitCode = c))
  while ((await lineCount(out)) < lines) {
    if (exitCode !== undefined) throw new Error(`the scan ended (exit ${exitCode}) before writing ${lines} lines:\n${stderr}`)
    await sleep(2)
  }
  child.kill('SIGKILL')
  await exited
  return lineCount(out)
}

describe('noai scan --resume', () => {
  it('after SIGKILL and a torn last line, resuming gives exactly the uninterrupted report', async () => {
    const fullLines = full.split('\n').filter((l) => l !== '')
    expect(fullLines).toHaveLength(total)
    const out = s.file('killed.jsonl')
    // One at a time, so that the kill comes well before the end even on a loaded machine; the
    // report does not depend on the concurrency (lines are written in input order).
    const args = ['scan', big, '--out', out, '--jwks', s.jwks, '--concurrency', '1', '--quiet']
    const kept = await killAfter(args, out, 100)
    // The kill came part way: the report is a strict prefix of the full one.
    expect(kept).toBeGreaterThanOrEqual(100)
    expect(kept).toBeLessThan(total)
    const before = await readFile(out, 'utf8')
    expect(before.endsWith('\n')).toBe(true)
    expect(fullLines.slice(0, kept).join('\n') + '\n').toBe(before)
    // A write cut short by the crash: half of the next line, without its line break.
    const torn = fullLines[kept]!.slice(0, 40)
    await appendFile(out, torn)

    const r = await runCli(['scan', big, '--out', out, '--jwks', s.jwks, '--concurrency', '4', '--resume'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`noai scan: ${(total - kept).toLocaleString('en-US')} items`)
    expect(r.stderr).toContain(`resumed after ${kept.toLocaleString('en-US')} lines already written (a partial last line of 40 bytes dropped and redone)`)
    const after = await readFile(out, 'utf8')
    expect(sortedLines(after)).toEqual(sortedLines(full))
    // Lines are written in input order, so the files are identical, not only their sorted lines.
    expect(after).toBe(full)
  }, 120_000)

  it('a complete report is left as it is; a missing one is started', async () => {
    const out = s.file('complete.jsonl')
    await writeFile(out, full)
    const r = await runCli(['scan', big, '--out', out, '--jwks', s.jwks, '--resume'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^noai scan: 0 items in .* resumed after [\d,]+ lines already written\n$/)
    expect(await readFile(out, 'utf8')).toBe(full)
    const fresh = s.file('fresh.jsonl')
    const f = await runCli(['scan', big, '--out', fresh, '--jwks', s.jwks, '--resume', '--quiet'])
    expect(f.code).toBe(0)
    expect(await readFile(fresh, 'utf8')).toBe(full)
  }, 60_000)

  it('refuses to continue the report of another input, shard or use (exit 2, the report untouched)', async () => {
    const fullLines = full.split('\n').filter((l) => l !== '')
    const out = s.file('other.jsonl')
    const prefix = fullLines.slice(0, 50).join('\n') + '\n'
    const cases: [string[], RegExp][] = [
      [['--shard', '1/2'], /cannot resume: line (\d+) of .* is ".*" but item \1 of the input is ".*": the input changed, or another input or --shard was given/],
      [['--use', 'search'], /cannot resume: .* was written for --use train-ai, not search/],
    ]
    for (const [extra, message] of cases) {
      await writeFile(out, prefix)
      const r = await runCli(['scan', big, '--out', out, '--resume', ...extra])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(await readFile(out, 'utf8')).toBe(prefix)
    }
    // More lines than the input has items.
    const one = s.file('one.mp3')
    await writeFile(one, await readFile(parseReport(full).find((l) => l.format === 'mp3')!.path!))
    await writeFile(out, prefix)
    const r = await runCli(['scan', one, '--out', out, '--resume'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot resume: line 1 of .* but item 1 of the input is/)
    // A file that is not a report.
    await writeFile(out, 'hello\n')
    const n = await runCli(['scan', big, '--out', out, '--resume'])
    expect(n.code).toBe(2)
    expect(n.stderr).toMatch(/cannot resume: line 1 of .* is not JSON/)
    expect((await stat(out)).size).toBe(6)
  }, 60_000)
})

describe('noai scan --shard', () => {
  it('the union of shards 0/3, 1/3 and 2/3 is the whole scan, no item twice; each item is in the shard of its hash', async () => {
    const parts: string[] = []
    for (let i = 0; i < 3; i++) {
      const out = s.file(`shard-${i}.jsonl`)
      const r = await runCli(['scan', big, '--shard', `${i}/3`, '--out', out, '--jwks', s.jwks, '--quiet'])
      expect(r.code).toBe(0)
      const text = await readFile(out, 'utf8')
      const lines = parseReport(text)
      expect(lines.length).toBeGreaterThan(total / 5)
      for (const l of lines) expect(fnv1a32(l.path!) % 3).toBe(i)
      parts.push(text)
    }
    const union = sortedLines(parts.join(''))
    expect(new Set(union.map((l) => JSON.parse(l).path)).size).toBe(union.length)
    expect(union).toEqual(sortedLines(full))
  }, 120_000)

  it('a killed shard resumes to the same shard report', async () => {
    const whole = s.file('shard-whole.jsonl')
    expect((await runCli(['scan', big, '--shard', '1/2', '--out', whole, '--quiet'])).code).toBe(0)
    const expected = await readFile(whole, 'utf8')
    const out = s.file('shard-killed.jsonl')
    const kept = await killAfter(['scan', big, '--shard', '1/2', '--out', out, '--concurrency', '1', '--quiet'], out, 20)
    expect(kept).toBeLessThan(parseReport(expected).length)
    expect((await runCli(['scan', big, '--shard', '1/2', '--out', out, '--resume', '--quiet'])).code).toBe(0)
    expect(await readFile(out, 'utf8')).toBe(expected)
  }, 120_000)
})
