// `npm start` (scripts/start.mjs, on the build that `pretest` makes): runs to the end on its own,
// prints the decision table with the answers the demo site is built to give, stays within the
// terminal width, cleans up its temp dir (also when a step fails) and exits within a bounded time.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const START = path.join(ROOT, 'scripts/start.mjs')
/** The demo takes about a second; this bound leaves room for a loaded CI machine. */
const BOUND_MS = 30_000

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
  /** The TMPDIR the run was given: empty again afterwards if the demo cleaned up. */
  readonly tmp: string
}

const tmpRoots: string[] = []
afterAll(() => {
  for (const t of tmpRoots) rmSync(t, { recursive: true, force: true })
})

/** Runs the demo in a child process with its own TMPDIR, killed past the bound. */
function runDemo(env: Record<string, string> = {}): Promise<Run> {
  if (!existsSync(path.join(ROOT, 'dist/crawl.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does it in pretest)')
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'noai-demo-test-'))
  tmpRoots.push(tmp)
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [START], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const killer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr, ms: Date.now() - started, tmp })
    })
  })
}

/** The table: from its header line to the first blank line. */
function tableOf(stdout: string): string[] {
  const lines = stdout.split('\n')
  const start = lines.findIndex((l) => /^URL\s+use\s+verdict\s+deciding signals$/.test(l))
  expect(start, 'table header').toBeGreaterThanOrEqual(0)
  const end = lines.indexOf('', start)
  return lines.slice(start, end)
}

interface Row {
  url: string
  use: string
  verdict: string
  signals: string
}

/** Table rows, the URL carried down to rows that leave it blank and continuation lines joined. */
function rowsOf(table: readonly string[]): Row[] {
  const rows: Row[] = []
  for (const line of table.slice(2)) {
    const m = /^(\S*)\s+(train-ai|search)\s+(allow|deny|unknown)\s+(.*)$/.exec(line)
    if (m) rows.push({ url: m[1] || rows.at(-1)!.url, use: m[2]!, verdict: m[3]!, signals: m[4]! })
    else rows.at(-1)!.signals += ` ${line.trim()}`
  }
  return rows
}

const find = (rows: readonly Row[], url: string, use: string): Row => {
  const r = rows.find((x) => x.url === url && x.use === use)
  expect(r, `${url} ${use}`).toBeDefined()
  return r!
}

describe('npm start (scripts/start.mjs)', () => {
  let run: Run
  beforeAll(async () => {
    run = await runDemo({ COLUMNS: '100' })
  }, BOUND_MS + 5_000)

  it('runs to the end by itself, exit status 0, within the bound', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.ms).toBeLessThan(BOUND_MS)
    expect(run.stdout).toMatch(/^27 checks in [\d.]+ s: 7 deny, 15 allow, 5 unknown\.$/m)
  })

  it('says how signed tags are verified: the explicit http loopback opt-in, the issuer trusted', () => {
    expect(run.stdout).toContain('createKeyResolver({ allowHttpLoopback: true })')
    expect(run.stdout).toMatch(/trust: \['http:\/\/127\.0\.0\.1:\d+'\]/)
    expect(run.stdout).toContain('FLAC made from code')
  })

  it('prints one row per URL and use, with the answers the site is built to give', () => {
    const rows = rowsOf(tableOf(run.stdout))
    expect(rows).toHaveLength(27)
    expect(find(rows, '/', 'train-ai')).toMatchObject({ verdict: 'unknown', signals: 'no statement about train-ai' })
    expect(find(rows, '/', 'search').signals).toContain('robots.txt:4 Content-Usage search=y')
    expect(find(rows, '/tracks/1', 'train-ai')).toMatchObject({ verdict: 'deny' })
    expect(find(rows, '/tracks/1', 'train-ai').signals).toContain('html noai-tag train-ai=n (trusted)')
    expect(find(rows, '/media/1-harbour-lights.wav', 'train-ai').signals).toContain('audio NOAI_TAG train-ai=n (trusted)')
    // A deny of the narrower train-genai answers train-ai.
    expect(find(rows, '/tracks/2', 'train-ai')).toMatchObject({ verdict: 'deny' })
    expect(find(rows, '/tracks/2', 'train-ai').signals).toContain('train-genai=n')
    // The site's private rule beats the tag's allow, before the page is fetched.
    const priv = find(rows, '/tracks/private/3', 'train-ai')
    expect(priv.verdict).toBe('deny')
    expect(priv.signals).toContain('robots.txt:5 Content-Usage train-ai=n')
    expect(priv.signals).toContain('not fetched')
    expect(find(rows, '/tracks/4', 'train-ai').verdict).toBe('unknown')
    expect(find(rows, '/media/4-quiet-field.ogg', 'train-ai').verdict).toBe('unknown')
    expect(find(rows, '/tracks/5', 'train-ai')).toMatchObject({ verdict: 'allow' })
    expect(find(rows, '/media/5-open-sky.m4a', 'train-ai').signals).toContain('audio NOAI_TAG all=y (trusted)')
    // The copied tag does not verify: its allow is ignored.
    expect(find(rows, '/tracks/6', 'train-ai')).toMatchObject({ verdict: 'unknown' })
    expect(find(rows, '/tracks/6', 'train-ai').signals).toContain('(INVALID: url-not-covered)')
    expect(find(rows, '/media/6-copycat.mp3', 'train-ai').signals).toContain('audio NOAI_TAG all=y (INVALID: content-hash-mismatch)')
    const gpt = rows.at(-1)!
    expect(gpt).toMatchObject({ url: '/tracks/private/3', use: 'search', verdict: 'deny' })
    expect(gpt.signals).toMatch(/^as GPTBot: robots\.txt:\d+ Disallow \/tracks\/private\//)
  })

  it('keeps the table within 100 columns, cutting long URLs in the middle', () => {
    const table = tableOf(run.stdout)
    for (const line of table) expect(line.length, line).toBeLessThanOrEqual(100)
    expect(table.some((l) => l.startsWith('/media/private…'))).toBe(true)
  })

  it('closes the server and deletes its temp dir', () => {
    const dir = /^Cleaned up: server closed, (.+) deleted\.$/m.exec(run.stdout)?.[1]
    expect(dir).toBeDefined()
    expect(dir!.startsWith(run.tmp)).toBe(true)
    expect(existsSync(dir!)).toBe(false)
    expect(readdirSync(run.tmp)).toEqual([])
  })
})

describe('npm start in 80 columns, and on failure', () => {
  it('fits the table in 80 columns', async () => {
    const r = await runDemo({ COLUMNS: '80' })
    expect(r.code).toBe(0)
    for (const line of tableOf(r.stdout)) expect(line.length, line).toBeLessThanOrEqual(80)
  }, BOUND_MS + 5_000)

  it('names the failed step, exits 1 and still cleans up', async () => {
    const r = await runDemo({ NOAI_DEMO_FAIL_AT: 'crawl' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('npm start: failed while crawling: simulated failure (NOAI_DEMO_FAIL_AT=crawl)')
    expect(r.stdout).toMatch(/^Cleaned up: server closed, .+ deleted\.$/m)
    expect(readdirSync(r.tmp)).toEqual([])
  }, BOUND_MS + 5_000)
})

describe('the audio the demo makes from code', () => {
  it('writes a FLAC file that the reference decoder accepts (MD5 of the samples included)', async (ctx) => {
    if (spawnSync('flac', ['--version']).status !== 0) return ctx.skip('flac (the reference FLAC tool) is not installed')
    const specifier = path.join(ROOT, 'scripts/demo/audio-files.mjs')
    const { sineFlac, sineWav } = (await import(specifier)) as { sineFlac: () => Uint8Array; sineWav: () => Uint8Array }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'noai-demo-flac-'))
    tmpRoots.push(dir)
    writeFileSync(path.join(dir, 'tone.flac'), sineFlac())
    const test = spawnSync('flac', ['--test', '--silent', path.join(dir, 'tone.flac')], { encoding: 'utf8' })
    expect(test.status, test.stderr).toBe(0)
    // Decoded, it is the WAV's samples exactly.
    const decoded = spawnSync('flac', ['--decode', '--silent', '--force-raw-format', '--endian=little', '--sign=signed', '--stdout', path.join(dir, 'tone.flac')])
    expect(decoded.status).toBe(0)
    expect(new Uint8Array(decoded.stdout)).toEqual(sineWav().subarray(44))
  })
})
