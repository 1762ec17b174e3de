// `noai scan` over URLs (a list, against a local server) and as a co-process for crawlers in other
// languages: `noai scan - --out -` answers each input line with one result line, flushed at once.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_PATH, runCli } from './_cli.js'
import { scratch, type Scratch } from './cli-audio-helpers.js'
import { buildMixedFolder, parseReport, type Line } from './cli-scan-dataset.js'
import { html, startServer, text, type TestServer } from './crawl-server.js'

let s: Scratch
let dir: string
let server: TestServer

beforeAll(async () => {
  s = await scratch('noai-scan-co-')
  dir = s.file('data')
  await buildMixedFolder(dir)
  const opus = await readFile(path.join(dir, 'tagged/deny.opus'))
  server = await startServer({
    '/robots.txt': text('User-agent: *\nAllow: /\nContent-Usage: /press/ train-ai=n\n'),
    '/press/1': html('<title>press</title>'),
    '/open': html('<meta name="noai-tag" content="train-ai=y, search=y">'),
    '/quiet': html('<title>nothing said</title>'),
    '/track.opus': { headers: { 'content-type': 'audio/ogg' }, body: new Uint8Array(opus) },
    '/broken': { status: 500, body: 'oops' },
    '/slow': async (_req, res) => {
      await new Promise((r) => setTimeout(r, 300))
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><head><meta name="robots" content="noai"></head></html>')
    },
  })
})

afterAll(async () => {
  await server?.close()
  await s.remove()
})

describe('noai scan URL-LIST', () => {
  it('checks each URL as a polite crawler would, with one site-file cache for the whole scan', async () => {
    const list = s.file('urls.txt')
    const urls = ['/press/1', '/open', '/quiet', '/track.opus', '/broken', '/press/1#again'].map((p) => server.url(p))
    await writeFile(list, `${urls.join('\n')}\n`)
    const out = s.file('urls.jsonl')
    const r = await runCli(['scan', list, '--out', out, '--user-agent', 'ExampleBot/1.0', '--timeout', '5000', '--concurrency', '3'])
    expect(r.code).toBe(0)
    const lines = parseReport(await readFile(out, 'utf8'))
    expect(lines.map((l) => [l.url, l.verdict])).toEqual([
      [urls[0], 'deny'],
      [urls[1], 'allow'],
      [urls[2], 'unknown'],
      [urls[3], 'deny'],
      [urls[4], 'unknown'],
      [urls[5], 'deny'],
    ])
    const [press, open, quiet, track, broken] = lines as [Line, Line, Line, Line, Line]
    expect(press).toMatchObject({ use: 'train-ai', decidedBeforeFetching: true })
    expect(press.reasons).toEqual([expect.objectContaining({ signal: 'aipref', scope: 'site', value: 'denied', decisive: true, usage: 'train-ai=n' })])
    expect(press.reasons[0]!.source).toMatchObject({ kind: 'robots.txt', url: server.url('/robots.txt'), name: 'Content-Usage', line: 3 })
    expect(open).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8' })
    expect(open.reasons).toEqual([expect.objectContaining({ signal: 'noai-tag', value: 'allowed', decisive: true })])
    expect(quiet).toMatchObject({ status: 200, reasons: [] })
    expect(track.reasons).toEqual([expect.objectContaining({ signal: 'noai-tag', source: expect.objectContaining({ kind: 'audio' }), value: 'denied' })])
    expect(broken.error).toMatchObject({ code: 'ERR_NOAI_FETCH', reason: 'http-status' })
    expect(broken.status).toBe(500)
    // The site files were fetched once for the whole scan.
    expect(server.count('/robots.txt')).toBe(1)
    expect(r.stderr).toMatch(/^noai scan: 6 items in .*: 3 deny, 1 allow, 2 unknown; 1 error \(1 ERR_NOAI_FETCH\)\n$/)
  })
})

/** A running `noai scan - --out -` and a way to read its answers one line at a time. */
interface CoProcess {
  readonly child: ChildProcessWithoutNullStreams
  ask(line: string): Promise<Line>
  readLine(): Promise<string>
  close(): Promise<{ code: number | null; stderr: string }>
}

function coProcess(args: string[]): CoProcess {
  const child = spawn(process.execPath, [CLI_PATH, 'scan', '-', '--out', '-', ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd: s.dir })
  let buffered = ''
  let stderr = ''
  let waiting: (() => void) | undefined
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffered += d
    waiting?.()
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const readLine = async (): Promise<string> => {
    for (;;) {
      const nl = buffered.indexOf('\n')
      if (nl >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        return line
      }
      await new Promise<void>((resolve) => (waiting = resolve))
    }
  }
  return {
    child,
    readLine,
    async ask(line) {
      child.stdin.write(`${line}\n`)
      const answer = await readLine()
      // Nothing else was written: one line out per line in.
      expect(buffered).toBe('')
      return JSON.parse(answer) as Line
    },
    async close() {
      child.stdin.end()
      const code = await exited
      expect(buffered).toBe('')
      return { code, stderr }
    },
  }
}

describe('noai scan - --out - (co-process)', () => {
  it('answers each input line with one line, flushed before the next line is read', async () => {
    const co = coProcess(['--concurrency', '1', '--quiet'])
    const a = await co.ask(path.join(dir, 'tagged/deny.opus'))
    expect(a).toMatchObject({ path: path.join(dir, 'tagged/deny.opus'), verdict: 'deny', format: 'ogg' })
    const b = await co.ask(JSON.stringify({ url: server.url('/open'), id: 42, shard: 'x' }))
    expect(b).toMatchObject({ url: server.url('/open'), input: { id: 42, shard: 'x' }, verdict: 'allow' })
    const c = await co.ask(JSON.stringify({ path: 'data/untagged/xmp.aiff', id: 43 }))
    expect(c).toMatchObject({ path: 'data/untagged/xmp.aiff', input: { id: 43 }, verdict: 'deny' })
    const d = await co.ask('{"id": 44}')
    expect(d).toMatchObject({ input: '{"id": 44}', verdict: 'unknown', error: { code: 'ERR_NOAI_INVALID_ARGUMENT' } })
    const e = await co.ask(path.join(dir, 'corrupt/truncated.flac'))
    expect(e).toMatchObject({ verdict: 'unknown', error: { code: 'ERR_NOAI_MALFORMED_INPUT' } })
    const { code, stderr } = await co.close()
    expect(code).toBe(0)
    expect(stderr).toBe('')
  })

  it('with concurrency, answers in input order and does not hold a finished answer behind input not yet given', async () => {
    const co = coProcess(['--concurrency', '4'])
    // A slow URL first, then fast files: answers come in input order.
    co.child.stdin.write(`${server.url('/slow')}\n${path.join(dir, 'untagged/plain.mp3')}\n${path.join(dir, 'tagged/allow.wav')}\n`)
    const answers = [await co.readLine(), await co.readLine(), await co.readLine()].map((l) => JSON.parse(l) as Line)
    expect(answers.map((x) => [x.url ?? x.path, x.verdict])).toEqual([
      [server.url('/slow'), 'deny'],
      [path.join(dir, 'untagged/plain.mp3'), 'unknown'],
      [path.join(dir, 'tagged/allow.wav'), 'allow'],
    ])
    // Standard input is still open: the next answer comes as soon as its line does.
    const next = await co.ask(path.join(dir, 'tagged/deny.opus'))
    expect(next.verdict).toBe('deny')
    const { code, stderr } = await co.close()
    expect(code).toBe(0)
    // The summary goes to standard error, never into the answers.
    expect(stderr).toMatch(/^noai scan: 4 items in .*: 2 deny, 1 allow, 1 unknown; no errors\n$/)
  })

  it('stops when the reader of its answers goes away', async () => {
    const co = coProcess(['--concurrency', '2', '--quiet'])
    expect((await co.ask(path.join(dir, 'tagged/deny.opus'))).verdict).toBe('deny')
    co.child.stdout.destroy()
    co.child.stdin.write(`${path.join(dir, 'tagged/allow.wav')}\n${path.join(dir, 'tagged/deny.opus')}\n`)
    co.child.stdin.end()
    const code = await new Promise<number | null>((resolve) => co.child.on('close', (c) => resolve(c)))
    expect(code).toBe(0)
  })
})
