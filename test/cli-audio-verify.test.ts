// `noai verify AUDIO` and `noai validate` with audio files, run as a user runs them (the built CLI
// in a child process): a valid signed tag, tampered audio, a tag moved to another file (issue 5
// "done when"), files without a signed tag; validation of stored documents and readable lines.
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyAudioPlan, planAudioWrite } from '../src/audio.js'
import { audioFileEssence, readAudioFile, writeAudioFile } from '../src/node.js'
import { runCli } from './_cli.js'
import { fixture, scratch, type Scratch } from './cli-audio-helpers.js'

const USAGE = 'train-ai=n, search=y'
const EXAMPLE = fileURLToPath(new URL('../examples/deny-all-ai.json', import.meta.url))

let s: Scratch

async function stamp(rel: string, name: string, ...extra: string[]): Promise<string> {
  const file = await s.copy(rel, name)
  const r = await runCli(['stamp', file, '--usage', USAGE, '--in-place', ...extra])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return file
}

const signedArgs = (): string[] => ['--key', s.privateKey, '--issuer', s.issuer]

/** Writes entries as given (no checks), as a foreign or faulty writer could. */
async function withEntries(rel: string, name: string, entries: { readable: string; document: string }): Promise<string> {
  const bytes = new Uint8Array(await readFile(fixture(rel)))
  await writeFile(s.file(name), await applyAudioPlan(bytes, await planAudioWrite(bytes, entries)))
  return s.file(name)
}

beforeAll(async () => {
  s = await scratch('noai-verify-audio-')
})

afterAll(async () => {
  await s.remove()
})

describe('noai verify AUDIO', () => {
  it('verifies the signed tag of a file, bound to its essence: valid, and trusted with --trust', async () => {
    const file = await stamp('flac/ffmpeg.flac', 'valid.flac', ...signedArgs())
    const digest = await audioFileEssence(file)
    const r = await runCli(['verify', file, '--jwks', s.jwks])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`essence: flac:${digest.sha256}\n`)
    expect(r.stdout).toContain('state: valid\n')
    expect(r.stdout).toContain('binding: checked\n')
    const trusted = await runCli(['verify', file, '--jwks', s.jwks, '--trust', s.issuer, '--json'])
    expect(trusted.code).toBe(0)
    expect(JSON.parse(trusted.stdout)).toMatchObject({ state: 'trusted', codes: [], binding: 'checked', file, format: 'flac', essence: digest })
  })

  it('reports content-hash-mismatch for a tag moved to another file (exit 1)', async () => {
    const a = await stamp('flac/ffmpeg.flac', 'moved-a.flac', ...signedArgs())
    const b = await s.copy('flac/reference.flac', 'moved-b.flac')
    await writeAudioFile(b, { jws: (await readAudioFile(a)).document! })
    expect((await readAudioFile(b)).document).toBe((await readAudioFile(a)).document)
    const r = await runCli(['verify', b, '--jwks', s.jwks, '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ state: 'invalid', codes: ['content-hash-mismatch', 'issuer-untrusted'], binding: 'checked' })
    // ...also across containers: a FLAC's tag on an MP3.
    const c = await s.copy('mp3/tone-v24.mp3', 'moved-c.mp3')
    await writeAudioFile(c, { jws: (await readAudioFile(a)).document! })
    const text = await runCli(['verify', c, '--jwks', s.jwks])
    expect(text.code).toBe(1)
    expect(text.stdout).toContain('content-hash-mismatch (invalid)')
  })

  it('reports content-hash-mismatch when an audio byte changed (exit 1)', async () => {
    const file = await stamp('mp3/tone-v24.mp3', 'tampered.mp3', ...signedArgs())
    const report = await readAudioFile(file)
    const bytes = await readFile(file)
    const at = report.essenceOffset! + 1000
    bytes[at] = bytes[at]! ^ 0x01
    await writeFile(file, bytes)
    const r = await runCli(['verify', file, '--jwks', s.jwks, '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).codes).toContain('content-hash-mismatch')
  })

  it('exits 1 for a file without a tag or with an unsigned tag, and for damaged audio', async () => {
    const none = await runCli(['verify', fixture('mp3/bare.mp3'), '--jwks', s.jwks])
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/holds no NoAI tag/)
    const unsigned = await stamp('ogg/oggenc.ogg', 'unsigned.ogg')
    const u = await runCli(['verify', unsigned, '--jwks', s.jwks, '--json'])
    expect(u.code).toBe(1)
    expect(u.stderr).toMatch(/unsigned tag/)
    expect(JSON.parse(u.stdout)).toMatchObject({ file: unsigned, format: 'ogg', document: 'unsigned' })
    const bytes = await readFile(fixture('mp4/aac-end.m4a'))
    await writeFile(s.file('truncated.m4a'), bytes.subarray(0, bytes.length - 1000))
    const bad = await runCli(['verify', s.file('truncated.m4a'), '--jwks', s.jwks])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/malformed mp4/)
  })

  it('refuses --essence with an audio file (exit 2), and still verifies a JWS file as before', async () => {
    const file = await stamp('mp3/tone-v24.mp3', 'essence.mp3', ...signedArgs())
    const r = await runCli(['verify', file, '--jwks', s.jwks, '--essence', `mp3:${'ab'.repeat(32)}`])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--essence is not accepted/)
    const jws = (await readAudioFile(file)).document!
    await writeFile(s.file('tag.jws'), `${jws}\n`)
    const digest = await audioFileEssence(file)
    const plain = await runCli(['verify', s.file('tag.jws'), '--jwks', s.jwks, '--essence', `mp3:${digest.sha256}`])
    expect(plain.code).toBe(0)
    expect(plain.stdout).toMatch(/^state: valid\n/)
  })
})

describe('noai validate with audio files', () => {
  it('accepts tagged and untagged files (kind audio), with a note for a file without a tag', async () => {
    const signed = await stamp('mp4/aac-end.m4a', 'v-signed.m4a', ...signedArgs())
    const unsigned = await stamp('wav/ffmpeg.wav', 'v-unsigned.wav')
    const r = await runCli(['validate', '--json', signed, unsigned, fixture('aiff/ffmpeg.aiff'), EXAMPLE])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => [l.kind, l.format, l.document, l.valid])).toEqual([
      ['audio', 'mp4', 'signed', true],
      ['audio', 'wav', 'unsigned', true],
      ['audio', 'aiff', 'none', true],
      ['tag', undefined, undefined, true],
    ])
    expect(lines[2]!.notes).toEqual(['no NoAI tag found'])
    const text = await runCli(['validate', signed, fixture('aiff/ffmpeg.aiff')])
    expect(text.stdout).toContain('✓ ')
    expect(text.stdout).toContain('(mp4, signed tag)\n')
    expect(text.stdout).toContain('(aiff, no tag)\n  note: no NoAI tag found\n')
  })

  it('--require-tag makes a file without a tag invalid (noai-tag-missing)', async () => {
    const r = await runCli(['validate', '--require-tag', '--json', fixture('ogg/opusenc.opus')])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, kind: 'audio', issues: [{ path: '', keyword: 'noai-tag-missing', line: null, column: null }] })
  })

  it('validates the stored document and checks the readable line against it', async () => {
    const doc = { version: 1, subject: { self: true }, usage: { 'train-ai': 'maybe' }, issued: '2026-01-01T00:00:00Z' }
    const bad = await withEntries('mp3/tone-v24.mp3', 'v-bad.mp3', { readable: 'train-ai=n', document: JSON.stringify(doc) })
    const good = { ...doc, usage: { 'train-ai': 'denied' } }
    const mismatch = await withEntries('flac/reference.flac', 'v-mismatch.flac', { readable: 'train-ai=y', document: JSON.stringify(good) })
    const r = await runCli(['validate', '--json', bad, mismatch])
    expect(r.code).toBe(1)
    const [b, m] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { valid: boolean; issues: { path: string; keyword: string; message: string }[] })
    expect(b!.valid).toBe(false)
    expect(b!.issues).toContainEqual(expect.objectContaining({ path: '/usage/train-ai', keyword: 'enum', message: expect.stringMatching(/^NOAI_TAG: /) }))
    expect(m!.issues).toEqual([expect.objectContaining({ path: '', keyword: 'readable-line-mismatch' })])
    const gh = await runCli(['validate', '--format', 'github', mismatch])
    expect(gh.stdout).toMatch(/^::error file=.*v-mismatch\.flac,title=noai validate::\/: the readable line \(NOAI\) says "train-ai=y"/)
  })

  it('reports damaged audio as invalid (malformed-audio) and reads audio from standard input', async () => {
    const bytes = await readFile(fixture('mp4/aac-end.m4a'))
    await writeFile(s.file('v-truncated.m4a'), bytes.subarray(0, bytes.length - 1000))
    const r = await runCli(['validate', '--json', s.file('v-truncated.m4a')])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'audio', valid: false, issues: [{ keyword: 'malformed-audio' }] })
    const signed = await stamp('ogg/opusenc.opus', 'v-stdin.opus', ...signedArgs())
    const stdin = await runCli(['validate', '--json', '-'], { input: await readFile(signed) })
    expect(stdin.code).toBe(0)
    expect(JSON.parse(stdin.stdout)).toMatchObject({ input: '-', kind: 'audio', format: 'ogg', document: 'signed', valid: true })
  })
})
