// The fuzz harness (npm run fuzz, fuzz/run.ts) and what it found.
//
// 1. Regression fixtures: every input the fuzzer once failed on is kept in
//    test/fixtures/fuzz-regressions/<target>--<kind>-<seed>-<case>.<ext> (the runner writes them
//    there, minimised). Each runs through its target's properties again (fuzz/targets/<target>.ts):
//    in this process for crashes and property failures, in a worker with the runner's watchdog and
//    heap limit for hangs and out-of-memory inputs.
// 2. The harness itself: its self-test targets must be reported as a crash (minimised to "ab"), a
//    shrunk generated counterexample, an out-of-memory and a synchronous hang, each with its input.
// 3. The bugs found, asserted directly as well.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { KNOWN_ISSUES } from '../fuzz/_known.js'
import { Violation, type Loaded } from '../fuzz/_target.js'
import { loadTarget } from '../fuzz/targets/index.js'
import { isNoaiTagError } from '../src/errors.js'
import { readHtmlSignals, readHtmlSignalsSync } from '../src/html.js'
import { parseAiTxt, parseRobotsTxt, robotsSignals, aiTxtSignals } from '../src/robots.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIR = join(ROOT, 'test', 'fixtures', 'fuzz-regressions')
const RUN = join(ROOT, 'fuzz', 'run.ts')

/** Runs the fuzz runner in a child process. */
function runner(args: string[], timeout = 120_000): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUN, ...args], { cwd: ROOT, encoding: 'utf8', timeout })
  return { status: r.status, output: `${r.stdout}${r.stderr}` }
}

const files = readdirSync(DIR)
  .filter((f) => !f.startsWith('.') && f.includes('--'))
  .sort()

const loaded = new Map<string, Promise<Loaded<unknown>>>()
const load = (target: string): Promise<Loaded<unknown>> => {
  let l = loaded.get(target)
  if (!l) loaded.set(target, (l = loadTarget(target).then((t) => t.load())))
  return l
}

describe('fuzz regression fixtures (test/fixtures/fuzz-regressions/)', () => {
  it('exist, each named <target>--<kind>-…', () => {
    expect(files.length).toBeGreaterThan(0)
    for (const f of files) expect(f).toMatch(/^[a-z0-9-]+--(crash|property|slow|hang|oom|memory)-[0-9a-f]{8}-[smgr]\d+\.[a-z0-9]+$/)
  })

  for (const file of files) {
    const target = file.split('--')[0]!
    const kind = file.split('--')[1]!.split('-')[0]!
    if (kind === 'hang' || kind === 'oom') {
      it(`${file}: ends within the watchdog's time and the heap limit`, () => {
        const r = runner(['--replay', join(DIR, file), '--hang-ms', '10000'])
        expect(r.output).toContain(': ok')
        expect(r.status).toBe(0)
      })
      continue
    }
    const known = KNOWN_ISSUES.find((k) => k.fixtures.includes(file))
    if (known) {
      // A known issue (fuzz/_known.ts): reported, not fixed. This test fails once it is fixed:
      // then remove the fixture from the issue's list and the issue from KNOWN_ISSUES.
      it(`${file}: still shows known issue ${known.id} (remove it from fuzz/_known.ts once fixed)`, { timeout: 60_000 }, async () => {
        const t = await loadTarget(target)
        const input = t.codec.decode(new Uint8Array(readFileSync(join(DIR, file))))
        let violation: unknown
        try {
          await (await load(target)).check(input)
        } catch (e) {
          violation = e
        }
        expect(violation, 'the known issue no longer reproduces: it is fixed').toBeInstanceOf(Violation)
        expect(await known.matches(input, violation as Violation)).toBe(true)
      })
      continue
    }
    it(`${file}: satisfies every property of ${target}`, { timeout: 60_000 }, async () => {
      const t = await loadTarget(target)
      const l = await load(target)
      const input = t.codec.decode(new Uint8Array(readFileSync(join(DIR, file))))
      try {
        await l.check(input)
      } catch (e) {
        if (e instanceof Violation) expect.fail(`${e.kind} in ${e.op}: ${e.detail}`)
        throw e
      }
    })
  }
})

describe('the fuzz harness reports each kind of failure with its input', () => {
  const out = mkdtempSync(join(tmpdir(), 'noai-fuzz-'))
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('a crash (minimised), a shrunk generated counterexample, an out-of-memory and a synchronous hang', { timeout: 120_000 }, () => {
    const r = runner(['--target', '_selftest-crash,_selftest-generated,_selftest-oom,_selftest-hang', '--count', '100', '--heap', '64', '--hang-ms', '2500', '--out', out])
    expect(r.status, r.output).toBe(1)
    expect(r.output).toContain('fuzz: 4 target(s)')
    expect(r.output).toContain('4 failure(s)')
    const saved = Object.fromEntries(readdirSync(out).map((f) => [f.split('--')[0]!, { kind: f.split('--')[1]!.split('-')[0], text: readFileSync(join(out, f), 'utf8') }]))
    expect(saved['_selftest-crash']).toEqual({ kind: 'crash', text: 'ab' })
    expect(saved['_selftest-generated']?.kind).toBe('property')
    expect(JSON.parse(saved['_selftest-generated']!.text)).toEqual([1001])
    expect(saved['_selftest-oom']).toEqual({ kind: 'oom', text: 'grow' })
    expect(saved['_selftest-hang']).toEqual({ kind: 'hang', text: 'loop' })
  })

  it('replays a saved input and names the failure', { timeout: 60_000 }, () => {
    const r = runner(['--replay', join(out, readdirSync(out).find((f) => f.startsWith('_selftest-crash'))!)])
    expect(r.status).toBe(1)
    expect(r.output).toContain('TypeError: found ab')
  })
})

describe('bugs the fuzzer found', () => {
  it('html: a windows-1252 page reads the same whole and as a stream (bytes 0x80-0x9F kept; nodejs/node#60888)', async () => {
    const bytes = Uint8Array.from([...Buffer.from('<head><meta name="robots" content="noai, x'), 0x89, 0x80, ...Buffer.from('"></head>')])
    const whole = readHtmlSignalsSync(bytes)
    expect(whole.charset).toBe('windows-1252')
    expect(whole.signals[0]?.source.text).toBe('noai, x\u2030\u20ac')
    let at = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) c.close()
        else c.enqueue(bytes.slice(at, (at += 7)))
      },
    })
    expect((await readHtmlSignals(stream)).signals).toEqual(whole.signals)
  })

  it('robots: a path starting with /\\ is refused with InvalidArgumentError, not a TypeError or another host', () => {
    const robots = parseRobotsTxt('User-agent: *\nDisallow: /\n')
    for (const url of ['/\\', '/\\evil.example/a']) {
      let thrown: unknown
      try {
        robotsSignals(robots, url, { userAgent: 'ExampleBot' })
      } catch (e) {
        thrown = e
      }
      expect(isNoaiTagError(thrown) && thrown.code).toBe('ERR_NOAI_INVALID_ARGUMENT')
    }
    expect(() => aiTxtSignals(parseAiTxt('Content-Usage:/\\$'), '/\\', { userAgent: 'ExampleBot' })).toThrow(/not an absolute URL/)
  })

  it('robots: Crawl-delay: -0 is read as 0, so that the parse result survives JSON', () => {
    const delay = parseRobotsTxt('User-agent: *\nCrawl-delay: -0\n').groups[0]?.crawlDelay
    expect(Object.is(delay, 0)).toBe(true)
  })
})
