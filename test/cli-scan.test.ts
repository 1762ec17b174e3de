// `noai scan` over a folder, a list and single files, run as a user runs it (the built CLI in a
// child process): one correct line per file of a folder mixing tagged (signed and unsigned),
// untagged and corrupt files (issue 6 "done when"); verification with and without keys; inputs;
// usage errors; the progress line (only on a terminal) and the summary.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatDuration, formatProgress } from '../src/cli/_scan/progress.js'
import { fnv1a32, inShard, parseShard } from '../src/cli/_scan/shard.js'
import { CLI_PATH, runCli } from './_cli.js'
import { scratch, type Scratch } from './cli-audio-helpers.js'
import { startServer } from './crawl-server.js'
import { buildMixedFolder, parseReport, type Expected, type Line } from './cli-scan-dataset.js'

let s: Scratch
let dir: string
let expected: Expected[]

beforeAll(async () => {
  s = await scratch('noai-scan-')
  dir = s.file('data')
  expected = await buildMixedFolder(dir)
})

afterAll(async () => {
  await s.remove()
})

function checkLine(line: Line, e: Expected, keys: boolean): void {
  const where = `${e.rel}: ${JSON.stringify(line)}`
  expect(line.path, where).toBe(path.join(dir, e.rel))
  expect(line.use, where).toBe('train-ai')
  expect(line.verdict, where).toBe(keys ? e.verdict.keys : e.verdict.none)
  expect(line.format, where).toBe(e.format)
  expect(line.tag, where).toEqual(e.tag)
  expect(line.error?.code, where).toBe(e.error)
  if (e.error !== undefined) {
    expect(line.reasons, where).toEqual([])
    expect(line.error!.message, where).not.toBe('')
  }
  if (e.tag?.document !== 'signed') expect(line.verification, where).toBeUndefined()
  else if (keys) expect(line.verification, where).toEqual({ state: e.verification!.state, codes: e.verification!.codes, binding: 'checked', issuer: s.issuer })
  else expect(line.verification, where).toEqual({ state: 'not-verified', codes: [], binding: 'not-checked' })
  // A decisive reason for every allow and deny, none for unknown.
  const decisive = line.reasons.filter((r) => r.decisive)
  if (line.verdict === 'unknown') expect(decisive, where).toEqual([])
  else expect(decisive.length, where).toBeGreaterThan(0)
}

describe('noai scan FOLDER', () => {
  it('writes one correct line per file: tagged, untagged and corrupt (signed tags verified with --jwks)', async () => {
    const out = s.file('mixed-keys.jsonl')
    const r = await runCli(['scan', dir, '--out', out, '--jwks', s.jwks])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    const lines = parseReport(await readFile(out, 'utf8'))
    // In walk order (sorted by name, depth first), one line per file, the loop link not followed.
    expect(lines.map((l) => l.path)).toEqual(expected.map((e) => path.join(dir, e.rel)))
    for (const [i, e] of expected.entries()) checkLine(lines[i]!, e, true)
    // The summary, on standard error only (no progress line: standard error is not a terminal).
    expect(r.stderr).not.toContain('\r')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^noai scan: 17 items in [\d.]+ s \([\d,]+\/s\): 5 deny, 3 allow, 9 unknown; 5 errors \(/)
    expect(r.stderr).toContain('1 ERR_NOAI_LIMIT_EXCEEDED')
    expect(r.stderr).toContain('1 symbolic link loop not followed')
  })

  it('without a key source, signed tags are not verified and their allows do not count (their denies do)', async () => {
    const r = await runCli(['scan', dir, '--quiet'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const lines = parseReport(r.stdout)
    expect(lines).toHaveLength(expected.length)
    for (const [i, e] of expected.entries()) checkLine(lines[i]!, e, false)
  })

  it('--no-verify-binding: signatures are checked, the binding is not (a moved tag then verifies)', async () => {
    const r = await runCli(['scan', path.join(dir, 'signed'), '--jwks', s.jwks, '--no-verify-binding', '--quiet'])
    expect(r.code).toBe(0)
    const moved = parseReport(r.stdout).find((l) => l.path!.endsWith('c-moved.mp3'))!
    expect(moved.verification).toEqual({ state: 'valid', codes: ['binding-not-checked', 'issuer-untrusted'], binding: 'not-checked', issuer: s.issuer })
  })

  it('--trust makes a bound, valid tag trusted; --use takes aliases and is echoed as the v1 use', async () => {
    const r = await runCli(['scan', path.join(dir, 'signed', 'a-deny.flac'), '--jwks', s.jwks, '--trust', s.issuer, '--use', 'ai-train', '--quiet'])
    expect(r.code).toBe(0)
    const [line] = parseReport(r.stdout)
    expect(line).toMatchObject({ use: 'train-ai', verdict: 'deny', verification: { state: 'trusted', codes: [], binding: 'checked' } })
    const search = parseReport((await runCli(['scan', path.join(dir, 'signed', 'a-deny.flac'), '--use', 'search', '--quiet'])).stdout)[0]!
    // The signed allow of search does not count unverified.
    expect(search).toMatchObject({ use: 'search', verdict: 'unknown', verification: { state: 'not-verified' } })
  })

  it('does not scan its own report when it is written inside the folder', async () => {
    const inside = s.file('inside')
    await mkdir(inside)
    await writeFile(path.join(inside, 'a.mp3'), await readFile(path.join(dir, 'untagged/plain.mp3')))
    const out = path.join(inside, 'report.jsonl')
    expect((await runCli(['scan', inside, '--out', out, '--quiet'])).code).toBe(0)
    expect(parseReport(await readFile(out, 'utf8')).map((l) => l.path)).toEqual([path.join(inside, 'a.mp3')])
  })
})

describe('noai scan LIST', () => {
  it('reads one path, URL or JSON object per line; blank lines are skipped, bad lines reported', async () => {
    const list = s.file('list.txt')
    const rel = path.relative(s.dir, path.join(dir, 'tagged/deny.opus'))
    await writeFile(
      list,
      [
        `${rel}`,
        '',
        `  ${path.join(dir, 'untagged/plain.mp3')}  \r`,
        JSON.stringify({ path: path.join(dir, 'tagged/allow.wav'), id: 7, tags: ['a'] }),
        '{"path": 5}',
        '{not json',
        'ftp://files.example/a.mp3',
        path.join(dir, 'missing.mp3'),
      ].join('\n'),
    )
    // Relative paths are taken from the working folder.
    const r = await runCli(['scan', list, '--quiet'], { cwd: s.dir })
    expect(r.code).toBe(0)
    const lines = parseReport(r.stdout)
    expect(lines.map((l) => [l.path ?? l.url ?? l.input, l.verdict, l.error?.code])).toEqual([
      [rel, 'deny', undefined],
      [path.join(dir, 'untagged/plain.mp3'), 'unknown', undefined],
      [path.join(dir, 'tagged/allow.wav'), 'allow', undefined],
      ['{"path": 5}', 'unknown', 'ERR_NOAI_INVALID_ARGUMENT'],
      ['{not json', 'unknown', 'ERR_NOAI_JSON_INVALID'],
      ['ftp://files.example/a.mp3', 'unknown', 'ERR_NOAI_INVALID_ARGUMENT'],
      [path.join(dir, 'missing.mp3'), 'unknown', 'ERR_NOAI_IO'],
    ])
    // The other fields of a JSON line come back as "input".
    expect(lines[2]!.input).toEqual({ id: 7, tags: ['a'] })
  })

  it('takes several inputs in order; a binary file that is not audio is one item, not a list', async () => {
    const r = await runCli(['scan', path.join(dir, 'tagged'), path.join(dir, 'corrupt/bad-id3.mp3'), path.join(dir, 'untagged/xmp.aiff'), '--quiet'])
    expect(r.code).toBe(0)
    expect(parseReport(r.stdout).map((l) => path.relative(dir, l.path!))).toEqual(['tagged/allow.wav', 'tagged/deny.opus', 'tagged/search-only.ogg', 'corrupt/bad-id3.mp3', 'untagged/xmp.aiff'])
  })
})

describe('noai scan usage errors (exit 2, nothing scanned)', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing input', ['scan', 'no/such/folder'], /cannot read no\/such\/folder: no such file or folder/],
    ['an unknown use', ['scan', '.', '--use', 'cooking'], /--use "cooking" is not a use/],
    ['a shard out of range', ['scan', '.', '--shard', '3/3'], /--shard must be I\/N with 0 <= I < N/],
    ['a malformed shard', ['scan', '.', '--shard', '1-3'], /--shard must be I\/N/],
    ['--resume without --out', ['scan', '.', '--resume'], /--resume needs --out FILE/],
    ['--resume with --out -', ['scan', '.', '--resume', '--out', '-'], /--resume needs --out FILE/],
    ['a bad concurrency', ['scan', '.', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 1024/],
    ['two key sources', ['scan', '.', '--jwks', 'x.json', '--issuer-discovery'], /at most one of --jwks FILE and --issuer-discovery/],
    ['--trust without keys', ['scan', '.', '--trust', 'https://a.example'], /--trust needs a key source/],
    ['standard input twice', ['scan', '-', '-'], /standard input \(-\) can be named only once/],
  ]
  it.each(cases)('%s', async (_name, args, message) => {
    const r = await runCli(args, { cwd: s.dir })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(message)
  })

  it.skipIf(!existsSync('/dev/full'))('a report that cannot be written (a full disk: /dev/full)', async () => {
    const r = await runCli(['scan', dir, '--out', '/dev/full'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^noai scan: cannot write \/dev\/full: ENOSPC/)
  })

  it('a key set file that is not a key set', async () => {
    const bad = s.file('bad-jwks.json')
    await writeFile(bad, JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }))
    const r = await runCli(['scan', dir, '--jwks', bad])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^noai scan: .*bad-jwks\.json: /)
  })
})

describe('progress and shards (units)', () => {
  it('formats the progress line with a bar, rate and ETA when the total is known, else count and rate', () => {
    expect(formatProgress({ done: 2500, total: 10000, errors: 0, elapsedMs: 2000 })).toBe('[######··················]   25.0%  2,500/10,000  1,250/s  ETA 0:06')
    expect(formatProgress({ done: 10000, total: 10000, errors: 3, elapsedMs: 8000 })).toBe('[########################]  100.0%  10,000/10,000  1,250/s  ETA 0:00  3 errors')
    expect(formatProgress({ done: 0, total: 5, errors: 0, elapsedMs: 0 })).toContain('ETA -:--')
    expect(formatProgress({ done: 1234, errors: 1, elapsedMs: 1000 })).toBe('1,234 items  1,234/s  1 error')
    expect(formatProgress({ done: 2500, total: 10000, errors: 0, elapsedMs: 2000 }, 30)).toHaveLength(29)
    expect(formatDuration(3725_000)).toBe('1:02:05')
    expect(formatDuration(59_400)).toBe('0:59')
  })

  it('hashes keys with FNV-1a 32 over UTF-8 (published test vectors) and splits them into disjoint shards', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5)
    expect(fnv1a32('a')).toBe(0xe40c292c)
    expect(fnv1a32('foobar')).toBe(0xbf9cf968)
    // Non-ASCII is hashed as its UTF-8 bytes.
    const bytes = (t: string): number => [...new TextEncoder().encode(t)].reduce((h, b) => Math.imul(h ^ b, 0x01000193) >>> 0, 0x811c9dc5)
    for (const t of ['é', '音楽/曲.flac', '😀.mp3', 'a\ud800b']) expect(fnv1a32(t)).toBe(bytes(t))
    const keys = Array.from({ length: 3000 }, (_, i) => `data/part-${i % 7}/${i}.mp3`)
    const sizes = [0, 1, 2].map((i) => keys.filter((k) => inShard(k, parseShard(`${i}/3`))).length)
    expect(sizes.reduce((a, b) => a + b)).toBe(keys.length)
    for (const n of sizes) expect(n).toBeGreaterThan(800)
    expect(parseShard(' 2/8 ')).toEqual({ index: 2, count: 8 })
  })
})

describe('the progress line on a terminal', () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0
  /** Runs the CLI under script(1), so that its standard error is a terminal; resolves with what the terminal showed. */
  const underScript = (args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const command = [process.execPath, CLI_PATH, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
      const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
      let shown = ''
      child.stdout.setEncoding('utf8').on('data', (d: string) => (shown += d))
      child.on('error', reject)
      child.on('close', () => resolve(shown))
    })

  it.skipIf(!hasScript)('is drawn on a terminal with the total, rate and ETA (run under script(1)), and not with --no-progress', async () => {
    // One slow URL keeps the scan running long enough for the timer to redraw with the total known.
    const server = await startServer({ '/robots.txt': { status: 404 }, '/slow': async (_req, res) => {
      await new Promise((r) => setTimeout(r, 600))
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><head></head></html>')
    } })
    try {
      const list = s.file('tty-list.txt')
      await writeFile(list, [path.join(dir, 'tagged/deny.opus'), path.join(dir, 'untagged/plain.mp3'), server.url('/slow'), path.join(dir, 'tagged/allow.wav')].join('\n'))
      const out = s.file('tty.jsonl')
      const tty = await underScript(['scan', list, '--out', out])
      expect(tty).toMatch(/\r\[[#·]+\] +\d+\.\d%  \d\/4  [\d,]+\/s  ETA \d+:\d\d\x1b\[K/)
      expect(tty).toContain('\r\x1b[K')
      expect(tty).toMatch(/noai scan: 4 items/)
      expect(parseReport(await readFile(out, 'utf8'))).toHaveLength(4)
      const quiet = await underScript(['scan', list, '--out', out, '--no-progress'])
      expect(quiet).not.toMatch(/\r\[/)
      expect(quiet.trim()).toMatch(/^noai scan: 4 items/)
    } finally {
      await server.close()
    }
  })
})
