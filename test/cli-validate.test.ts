import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
// `noai validate`, run as a user runs it: the built CLI in a child process (see test/_cli.ts).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path, { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './_cli.js'

const VALID = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' }
// Pretty-printed, the bad "train-ai" value sits on line 7, column 17:
// 1 {  2 "version"  3 "subject": {  4 "self"  5 }  6 "usage": {  7     "train-ai": "maybe"
const BAD_ENUM = { ...VALID, usage: { 'train-ai': 'maybe' } }
const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`
const MAX = 65_536

let dir: string
const file = (name: string): string => path.join(dir, name)

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'noai-validate-'))
  await writeFile(file('ok.json'), pretty(VALID))
  await writeFile(file('bad.json'), pretty(BAD_ENUM))
  const { issued: _issued, ...noIssued } = VALID
  await writeFile(file('missing.json'), pretty(noIssued))
  // The unknown member's value is on the line after its name: the issue points at the name (line 7).
  await writeFile(file('unknown.txt'), `${pretty(VALID).replace(/\n}\n$/, ',\n  "colour":\n    "red"\n}\n')}`)
  await writeFile(file('broken.txt'), '{\n  "version": 1,\n  "version": 1\n}\n')
  await mkdir(file('sub/deep'), { recursive: true })
  await writeFile(file('sub/one.json'), pretty(VALID))
  await writeFile(file('sub/deep/two.json'), pretty(VALID))
  await writeFile(file('sub/deep/three.json'), pretty(BAD_ENUM))
  await writeFile(file('a,b:c.txt'), pretty(BAD_ENUM))
  // Valid JSON padded with whitespace: exactly at the limit, one byte over, and about 70 KB.
  const compact = JSON.stringify(VALID)
  await writeFile(file('at-limit.txt'), compact + ' '.repeat(MAX - compact.length))
  await writeFile(file('over-limit.txt'), compact + ' '.repeat(MAX + 1 - compact.length))
  await writeFile(file('big.txt'), compact + ' '.repeat(70 * 1024 - compact.length))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const validate = (args: string[], input?: string) => runCli(['validate', ...args], { cwd: dir, input })
const jsonLines = (stdout: string): unknown[] =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown)

describe('noai validate: exit status and human output', () => {
  it('exits 0 for a valid file', async () => {
    const r = await validate(['ok.json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('✓ ok.json\n1 valid, 0 invalid\n')
    expect(r.stderr).toBe('')
  })

  it('exits 1 for an invalid file and names the failing path, line and rule', async () => {
    const r = await validate(['bad.json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('✗ bad.json\n  line 7: /usage/train-ai: must be one of "allowed", "denied" (enum)\n0 valid, 1 invalid\n')
  })

  it('reports every input of a mix and exits 1', async () => {
    const r = await validate(['ok.json', 'bad.json', 'missing.json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('✓ ok.json\n✗ bad.json\n')
    expect(r.stdout).toContain('✗ missing.json\n  line 1: /issued: missing required member "issued" (required)\n')
    expect(r.stdout.endsWith('1 valid, 2 invalid\n')).toBe(true)
  })

  it('points an unknown member at its name and a JSON error at its position', async () => {
    const u = await validate(['unknown.txt'])
    expect(u.code).toBe(1)
    expect(u.stdout).toContain('  line 10: /colour: unknown member "colour" is not allowed here (additionalProperties)\n')
    const b = await validate(['broken.txt'])
    expect(b.code).toBe(1)
    expect(b.stdout).toContain('  line 3: /: duplicate member name "version" (json)\n')
  })

  it('expands a quoted glob, recursively with **', async () => {
    const flat = await validate(['*.json'])
    expect(flat.code).toBe(1)
    expect(flat.stdout).toMatch(/^✗ bad\.json\n[^]*✗ missing\.json\n[^]*✓ ok\.json\n1 valid, 2 invalid\n$/)
    const deep = await validate(['sub/**/*.json'])
    expect(deep.code).toBe(1)
    expect(deep.stdout).toContain('✓ sub/deep/two.json\n')
    expect(deep.stdout).toContain('✗ sub/deep/three.json\n')
    expect(deep.stdout).toContain('2 valid, 1 invalid\n')
  })

  it('reads standard input for -', async () => {
    const ok = await validate(['-'], pretty(VALID))
    expect(ok.code).toBe(0)
    expect(ok.stdout).toBe('✓ -\n1 valid, 0 invalid\n')
    const bad = await validate(['-'], pretty(BAD_ENUM))
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('line 7: /usage/train-ai:')
  })
})

describe('noai validate: size limit (maxDocumentBytes)', () => {
  it('accepts a document of exactly the limit', async () => {
    expect((await validate(['at-limit.txt'])).code).toBe(0)
    expect((await validate(['-'], await readFile(file('at-limit.txt'), 'utf8'))).code).toBe(0)
  })

  it('reports a 70 KB file as invalid, with the limit and the size', async () => {
    const r = await validate(['--json', 'big.txt'])
    expect(r.code).toBe(1)
    const [line] = jsonLines(r.stdout) as [{ valid: boolean; issues: { keyword: string; message: string; line: unknown }[] }]
    expect(line.valid).toBe(false)
    expect(line.issues).toHaveLength(1)
    expect(line.issues[0]).toMatchObject({ path: '', keyword: 'maxDocumentBytes', line: null, column: null })
    expect(line.issues[0]!.message).toContain(String(70 * 1024))
    expect(line.issues[0]!.message).toContain('65536')
  })

  it('reports one byte over the limit as invalid, from a file and from standard input', async () => {
    const f = await validate(['over-limit.txt'])
    expect(f.code).toBe(1)
    expect(f.stdout).toContain('(maxDocumentBytes)')
    const s = await validate(['-'], await readFile(file('big.txt'), 'utf8'))
    expect(s.code).toBe(1)
    expect(s.stdout).toContain('(maxDocumentBytes)')
  })
})

describe('noai validate --json', () => {
  it('prints exactly one JSON object per input and nothing else', async () => {
    const r = await validate(['--json', 'ok.json', 'bad.json', 'missing.json'])
    expect(r.code).toBe(1)
    expect(r.stdout.split('\n')).toHaveLength(4) // three lines and the final newline
    expect(jsonLines(r.stdout)).toEqual([
      { input: 'ok.json', valid: true, kind: 'tag', issues: [] },
      {
        input: 'bad.json',
        valid: false,
        kind: 'tag',
        issues: [{ path: '/usage/train-ai', keyword: 'enum', message: 'must be one of "allowed", "denied"', line: 7, column: 17 }],
      },
      {
        input: 'missing.json',
        valid: false,
        kind: 'tag',
        issues: [{ path: '/issued', keyword: 'required', message: 'missing required member "issued"', line: 1, column: 1 }],
      },
    ])
  })

  it('is the same as --format json', async () => {
    const a = await validate(['--json', 'bad.json'])
    const b = await validate(['--format', 'json', 'bad.json'])
    expect(b.stdout).toBe(a.stdout)
  })
})

describe('noai validate --format github', () => {
  it('prints one annotation per issue at the line of the failing value, the summary on stderr', async () => {
    const r = await validate(['--format', 'github', 'ok.json', 'bad.json', 'missing.json'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(
      '::error file=bad.json,line=7,col=17,title=noai validate::/usage/train-ai: must be one of "allowed", "denied"\n' +
        '::error file=missing.json,line=1,col=1,title=noai validate::/issued: missing required member "issued"\n',
    )
    expect(r.stderr).toBe('1 valid, 2 invalid\n')
  })

  it('escapes , and : in properties, and uses file=- for standard input', async () => {
    const f = await validate(['--format', 'github', 'a,b:c.txt'])
    expect(f.stdout.startsWith('::error file=a%2Cb%3Ac.txt,line=7,col=17,title=noai validate::')).toBe(true)
    const s = await validate(['--format', 'github', '-'], pretty(BAD_ENUM))
    expect(s.stdout.startsWith('::error file=-,line=7,col=17,')).toBe(true)
  })

  it('escapes a line break in the message', async () => {
    const r = await validate(['--format', 'github', '-'], JSON.stringify({ ...VALID, 'x\ny%': 1 }))
    expect(r.stdout).toBe('::error file=-,line=1,col=100,title=noai validate::/x%0Ay%25: unknown member "x%0Ay%25" is not allowed here\n')
  })
})

describe('noai validate: usage and I/O errors exit 2', () => {
  it('a missing file, while still validating the other inputs', async () => {
    const r = await validate(['nope.json', 'ok.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('cannot read nope.json: no such file')
    expect(r.stdout).toContain('✓ ok.json\n')
  })

  it('a pattern that matches nothing', async () => {
    const r = await validate(['none/*.json'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no files match "none/*.json"')
  })

  it('a directory', async () => {
    const r = await validate(['sub'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('sub is a directory; pass a glob such as "sub/*.json"')
  })

  it('no arguments, with a hint', async () => {
    const r = await validate([])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no inputs')
    expect(r.stderr).toContain('noai validate --help')
    expect(r.stdout).toBe('')
  })

  it('an unknown option, an unknown format, --json with --format github, - twice', async () => {
    expect((await validate(['--frobnicate', 'ok.json'])).code).toBe(2)
    expect((await validate(['--format', 'xml', 'ok.json'])).code).toBe(2)
    expect((await validate(['--json', '--format', 'github', 'ok.json'])).code).toBe(2)
    const twice = await validate(['-', '-'], pretty(VALID))
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('only once')
  })
})

describe('noai --help, --version, validate --help', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    const r = await runCli(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(pkg.version)
  })

  it('--help lists the validate command', async () => {
    const r = await runCli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^\s+validate \[options\] \[inputs\.\.\.\]/m)
  })

  it('validate --help shows the options, exit statuses and examples', async () => {
    const r = await runCli(['validate', '--help'])
    expect(r.code).toBe(0)
    for (const text of ['--json', '--format <format>', 'Exit status: 0', 'noai validate examples/*.json', 'cat tag.json | noai validate -', "noai validate --format github 'tags/**/*.json'"]) {
      expect(r.stdout).toContain(text)
    }
  })
})

describe('noai validate: signed tags (docs/spec.md §13)', () => {
  const vector = (name: string): string =>
    (JSON.parse(readFileSync(new URL(`../schema/v1/vectors/signed/${name}.json`, import.meta.url), 'utf8')) as { jws: string }).jws
  it('accepts a well-formed signed tag (kind signed-tag) without verifying it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noai-validate-jws-'))
    try {
      writeFileSync(join(dir, 'ok.jws'), `${vector('valid-ed25519')}\n`)
      // a tampered signature is still a well-formed token: validate does not verify (noai verify does)
      writeFileSync(join(dir, 'tampered.jws'), vector('invalid-signature-payload-byte'))
      const r = await runCli(['validate', '--json', join(dir, 'ok.jws'), join(dir, 'tampered.jws')])
      expect(r.code).toBe(0)
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; valid: boolean })
      expect(lines.map((l) => [l.kind, l.valid])).toEqual([['signed-tag', true], ['signed-tag', true]])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it('rejects a bad header and a payload that fails the schema, naming the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'noai-validate-jws-'))
    try {
      writeFileSync(join(dir, 'none.jws'), vector('invalid-alg-none'))
      writeFileSync(join(dir, 'schema.jws'), vector('invalid-payload-schema'))
      const r = await runCli(['validate', '--json', join(dir, 'none.jws'), join(dir, 'schema.jws')])
      expect(r.code).toBe(1)
      const [none, schema] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { valid: boolean; issues: { keyword: string; message: string; path: string }[] })
      expect(none?.valid).toBe(false)
      expect(none?.issues[0]).toMatchObject({ keyword: 'jws' })
      expect(none?.issues[0]?.message).toMatch(/^alg-not-allowed/)
      expect(schema?.valid).toBe(false)
      expect(schema?.issues[0]?.message).toMatch(/^payload: /)
      expect(schema?.issues[0]?.path).not.toBe('')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('noai validate: conformance vector files (docs/spec.md §12.3)', () => {
  it('validates the document a vector wraps and names the failing path of an invalid vector', async () => {
    const root = new URL('../schema/v1/vectors/', import.meta.url).pathname
    const bad = await runCli(['validate', `${root}invalid-usage-known-uses-bad-values.json`])
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/line \d+: \/usage\/train-ai: must be one of "allowed", "denied" \(enum\)/)
    const good = await runCli(['validate', ...[`${root}valid-text-size-at-limit.json`, `${root}valid-leap-second.json`].filter((f) => existsSync(f))])
    expect(good.stdout).toContain('2 valid, 0 invalid')
    expect(good.code).toBe(0)
  })
})
