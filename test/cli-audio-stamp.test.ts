// `noai stamp`, run as a user runs it (the built CLI in a child process): every container with -o
// and --in-place, signed and unsigned; "we write, they read" with ffprobe, exiftool and mutagen
// (issue 5 "done when"); usage errors and damaged audio.
import { readFile, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioFileEssence, readAudioFile } from '../src/node.js'
import { runCli } from './_cli.js'
import { PY, ffprobeTags, has, runOk, tagValue } from './_tools.js'
import { CONTAINERS, extOf, fileSha256, fixture, scratch, type Scratch } from './cli-audio-helpers.js'

const USAGE = 'train-ai=n, search=y'
/** The readable line of USAGE: v1 uses in vocabulary order (docs/spec.md §8.1). */
const READABLE = 'search=y, train-ai=n'

let s: Scratch
/** Files stamped unsigned with -o, and signed --in-place, per container. */
const unsigned = new Map<string, string>()
const signed = new Map<string, string>()

beforeAll(async () => {
  s = await scratch('noai-stamp-')
})

afterAll(async () => {
  await s.remove()
})

describe('noai stamp: every container', () => {
  it.each(CONTAINERS.map((c) => [c.name, c] as const))('%s: -o writes a new file and leaves the input untouched', async (name, c) => {
    const input = await s.copy(c.fixture, `in-${name}${extOf(c.fixture)}`)
    const before = await fileSha256(input)
    const out = s.file(`unsigned-${name}${extOf(c.fixture)}`)
    const r = await runCli(['stamp', input, '--usage', USAGE, '-o', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const digest = await audioFileEssence(input)
    expect(r.stdout).toContain(`readable: ${READABLE}`)
    expect(r.stdout).toContain('signed: no')
    expect(r.stdout).toContain(`essence: ${digest.format}:${digest.sha256}`)
    expect(await fileSha256(input)).toBe(before)
    const report = await readAudioFile(out)
    expect(report).toMatchObject({ format: c.format, readable: READABLE, signed: false, mismatch: false })
    expect(report.tag).toMatchObject({ version: 1, subject: { self: true, essence: [digest] }, usage: { 'train-ai': 'denied', search: 'allowed' } })
    expect(report.tag!.issued).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(await audioFileEssence(out)).toEqual(digest)
    unsigned.set(name, out)
  })

  it.each(CONTAINERS.map((c) => [c.name, c] as const))('%s: --in-place with --key signs the tag and binds it to the essence', async (name, c) => {
    const file = await s.copy(c.fixture, `signed-${name}${extOf(c.fixture)}`)
    const digest = await audioFileEssence(file)
    const r = await runCli(['stamp', file, '--usage', USAGE, '--key', s.privateKey, '--issuer', s.issuer, '--in-place', '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const line = JSON.parse(r.stdout) as Record<string, unknown>
    expect(line).toMatchObject({ input: file, output: file, format: c.format, readable: READABLE, signed: true, kid: 'test-ed25519', essence: digest })
    expect(['in-place', 'rewrite']).toContain(line.method)
    const report = await readAudioFile(file)
    expect(report.signed).toBe(true)
    expect(report.readable).toBe(READABLE)
    expect(report.tag).toMatchObject({ issuer: s.issuer, subject: { essence: [digest] } })
    expect(await audioFileEssence(file)).toEqual(digest)
    signed.set(name, file)
  })

  it('stamps several files --in-place, and replaces an earlier tag instead of adding one', async () => {
    const a = await s.copy('mp3/tone-v24.mp3', 'many-a.mp3')
    const b = await s.copy('flac/reference.flac', 'many-b.flac')
    expect((await runCli(['stamp', a, b, '--usage', 'ai=n', '--in-place'])).code).toBe(0)
    const r = await runCli(['stamp', s.file('many-*'), '--usage', 'train-ai=n', '--in-place', '--json'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(2)
    for (const f of [a, b]) {
      const report = await readAudioFile(f)
      expect(report.readable).toBe('train-ai=n')
      expect(report.warnings).toEqual([])
    }
  })

  it('--tag: keeps the document, sets subject.essence to the file, and signs with the issuer it names', async () => {
    const tag = { version: 1, issuer: s.issuer, subject: { ids: [{ scheme: 'isrc', value: 'USRC17607839' }], essence: [{ format: 'mp3', sha256: 'ab'.repeat(32) }] }, usage: { ai: 'denied' }, issued: '2026-01-01T00:00:00Z', rightsHolder: { name: 'Zoë' } }
    await writeFile(s.file('tag.json'), JSON.stringify(tag))
    const input = await s.copy('mp3/tone-v24.mp3', 'tagfile.mp3')
    const digest = await audioFileEssence(input)
    const r = await runCli(['stamp', input, '--tag', s.file('tag.json'), '--key', s.privateKey, '--in-place'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const report = await readAudioFile(input)
    expect(report.readable).toBe('ai=n')
    expect(report.tag).toEqual({ ...tag, subject: { ...tag.subject, essence: [digest] } })
  })
})

describe('noai stamp: we write, they read (issue 5 "done when")', () => {
  it.skipIf(!has('ffprobe'))('ffprobe shows the readable line for every container (needs ffprobe)', () => {
    expect(unsigned.size).toBe(CONTAINERS.length)
    for (const [name, file] of [...unsigned, ...signed]) expect(tagValue(ffprobeTags(file), 'NOAI'), name).toBe(READABLE)
  })

  it.skipIf(!has('exiftool'))('exiftool shows the readable line for every container (needs exiftool)', () => {
    for (const [name, file] of [...unsigned, ...signed]) {
      const out = runOk('exiftool', ['-a', '-G1', '-s', file])
      expect(out.split('\n').some((l) => /^\[[\w-]+\]\s+(Noai|NOAI|UserDefinedText)\s+: (\(NOAI\) )?/.test(l) && l.endsWith(READABLE)), `${name}:\n${out}`).toBe(true)
    }
  })

  it.skipIf(!has('mutagen'))('mutagen shows the readable line for every container it opens (needs /usr/bin/python3 with mutagen)', () => {
    const script = 'import sys,mutagen;print(mutagen.File(sys.argv[1]).pprint())'
    for (const c of CONTAINERS) {
      if (c.mutagen === null) continue
      for (const file of [unsigned.get(c.name)!, signed.get(c.name)!]) {
        const out = runOk(PY, ['-c', script, file])
        expect(out.split('\n').some((l) => /^(TXXX=NOAI=|NOAI=|noai=|----:com\.apple\.iTunes:NOAI=)/.test(l) && l.includes(READABLE)), `${c.name}:\n${out}`).toBe(true)
      }
    }
  })
})

describe('noai stamp: usage errors exit 2 and change nothing', () => {
  let input: string
  let before: string
  beforeAll(async () => {
    input = await s.copy('mp3/tone-v24.mp3', 'usage.mp3')
    before = await fileSha256(input)
  })

  it.each([
    ['neither -o nor --in-place', ['--usage', USAGE], /give -o OUT to write a new file, or --in-place/],
    ['both -o and --in-place', ['--usage', USAGE, '-o', 'x.mp3', '--in-place'], /not both/],
    ['both --tag and --usage', ['--usage', USAGE, '--tag', 'tag.json', '--in-place'], /exactly one of --tag/],
    ['neither --tag nor --usage', ['--in-place'], /exactly one of --tag/],
    ['--key without an issuer', ['--usage', USAGE, '--key', 'KEY', '--in-place'], /must name its issuer: give --issuer/],
    ['a malformed --usage', ['--usage', 'Train-AI=n', '--in-place'], /not a compact form/],
    ['a value other than y/n', ['--usage', 'train-ai=maybe', '--in-place'], /train-ai must be train-ai=y or train-ai=n/],
    ['only unknown uses, with a hint for an alias', ['--usage', 'ai-train=n', '--in-place'], /no use of the NoAI Tag vocabulary.*did you mean ai-train → train-ai/],
    ['an issuer that is not an https origin', ['--usage', USAGE, '--issuer', 'http://label.example', '--in-place'], /--issuer/],
  ])('%s', async (_label, args, message) => {
    const r = await runCli(['stamp', input, ...args.map((a) => (a === 'KEY' ? s.privateKey : a))], { cwd: s.dir })
    expect(r.stderr).toMatch(message)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(await fileSha256(input)).toBe(before)
  })

  it('-o with several inputs', async () => {
    const r = await runCli(['stamp', input, fixture('flac/reference.flac'), '--usage', USAGE, '-o', s.file('x')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/-o OUT takes exactly one input/)
  })

  it('an invalid --tag file, and a key that is not a JWK', async () => {
    await writeFile(s.file('bad-tag.json'), JSON.stringify({ version: 1, subject: { self: true }, usage: { 'train-ai': 'maybe' }, issued: '2026-01-01T00:00:00Z' }))
    const bad = await runCli(['stamp', input, '--tag', s.file('bad-tag.json'), '--in-place'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('/usage/train-ai')
    await writeFile(s.file('not-a-key.jwk'), '{"kty":"RSA"}')
    const key = await runCli(['stamp', input, '--usage', USAGE, '--key', s.file('not-a-key.jwk'), '--issuer', s.issuer, '--in-place'])
    expect(key.code).toBe(2)
    expect(await fileSha256(input)).toBe(before)
  })
})

describe('noai stamp: audio that cannot be stamped exits 1', () => {
  it('stamps the good files and reports the damaged and unknown ones', async () => {
    const good = await s.copy('flac/reference.flac', 'mix-good.flac')
    const bytes = await readFile(fixture('mp4/aac-end.m4a'))
    await writeFile(s.file('mix-truncated.m4a'), bytes.subarray(0, bytes.length - 1000))
    await writeFile(s.file('mix-text.mp3'), 'not audio at all\n')
    const r = await runCli(['stamp', good, s.file('mix-truncated.m4a'), s.file('mix-text.mp3'), '--usage', USAGE, '--in-place', '--json'])
    expect(r.code).toBe(1)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { input: string; error?: { code: string } })
    expect(lines.map((l) => l.error?.code)).toEqual([undefined, 'ERR_NOAI_MALFORMED_INPUT', 'ERR_NOAI_UNSUPPORTED_FORMAT'])
    expect(r.stderr).toMatch(/mix-truncated\.m4a: malformed mp4/)
    expect((await readAudioFile(good)).readable).toBe(READABLE)
  })

  it('a missing file is an I/O error (exit 2)', async () => {
    const r = await runCli(['stamp', s.file('nope.mp3'), '--usage', USAGE, '--in-place'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/nope\.mp3/)
  })
})
