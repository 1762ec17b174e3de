// One test per bound of noai-tag/node and of the CLI that no other test covers yet
// (docs/limits.md lists them all, with the test that proves each one).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readAudioTag } from '../src/audio.js'
import { MAX_KEY_FILE_BYTES, MAX_STDIN_AUDIO_BYTES, readPrivateJwk } from '../src/cli/_audio.js'
import { MAX_LINE_LENGTH, splitLines } from '../src/cli/_scan/lines.js'
import { MAX_SHARDS, parseShard } from '../src/cli/_scan/shard.js'
import type { NoaiTag } from '../src/index.js'
import { FILE_WRITE_LIMITS, writeAudioFile } from '../src/node.js'
import { LOCK_SUFFIX } from '../src/node/_lock.js'
import { runCli } from './_cli.js'
import { ascii, chunk, concat, riff, u32 } from './audio-wav-helpers.js'

const root = mkdtempSync(join(tmpdir(), 'noai-limits-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
/** A new file `name` in the test folder (each under its own number). */
const fresh = (name: string, bytes: Uint8Array): string => {
  const file = join(root, `${++n}-${name}`)
  writeFileSync(file, bytes)
  return file
}

const TAG_A: NoaiTag = { version: 1, subject: { self: true }, usage: { search: 'allowed', 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' }
const TAG_B: NoaiTag = { version: 1, subject: { self: true }, usage: { search: 'denied', 'train-ai': 'allowed' }, issued: '2026-11-26T00:00:00Z' }

describe('FILE_WRITE_LIMITS', () => {
  /** A WAV with a LIST/INFO chunk before `dataBytes` of audio; stamping puts an `id3 ` chunk after it. */
  const wav = (dataBytes: number): Uint8Array => {
    const fmt = chunk('fmt ', concat(Uint8Array.of(1, 0, 1, 0), u32(8000, true), u32(16000, true), Uint8Array.of(2, 0, 16, 0)))
    const info = chunk('LIST', concat(ascii('INFO'), chunk('INAM', ascii('title\0'))))
    return riff(fmt, info, chunk('data', new Uint8Array(dataBytes)))
  }

  it('maxInPlaceSpanBytes: patches spanning more than 16 MiB are written by a rewrite, not in place', async () => {
    // Changing the readable line patches the INFO list (before the audio) and the ID3 tag (after it).
    const small = fresh('small.wav', wav(4096))
    await writeAudioFile(small, { tag: TAG_A })
    expect((await writeAudioFile(small, { tag: TAG_B })).method).toBe('in-place')

    const big = fresh('big.wav', wav(FILE_WRITE_LIMITS.maxInPlaceSpanBytes))
    await writeAudioFile(big, { tag: TAG_A })
    await expect(writeAudioFile(big, { tag: TAG_B }, { inPlace: true })).rejects.toMatchObject({ reason: 'not-in-place', message: expect.stringMatching(/span more than 16777216 bytes/) })
    const r = await writeAudioFile(big, { tag: TAG_B })
    expect(r.method).toBe('rewrite')
    expect((await readAudioTag(new Uint8Array(readFileSync(big)))).tag).toEqual(TAG_B)
  }, 60_000)

  it('maxLockRecordBytes: a lock whose first line is longer than 4 KiB is not read as an owner record (it is honoured)', async () => {
    const bare = new Uint8Array(readFileSync(new URL('./fixtures/audio/mp3/bare.mp3', import.meta.url)))
    const record = (pad: number): string => `${JSON.stringify({ noaiLock: 1, pid: 999_999_999, host: hostname(), boot: null, nonce: '00', pad: 'x'.repeat(pad) })}\n`
    const a = fresh('a.mp3', bare)
    writeFileSync(a + LOCK_SUFFIX, record(10)) // a dead owner: taken over
    expect((await writeAudioFile(a, { tag: TAG_A })).method).toBe('rewrite')
    const b = fresh('b.mp3', bare)
    writeFileSync(b + LOCK_SUFFIX, record(FILE_WRITE_LIMITS.maxLockRecordBytes))
    await expect(writeAudioFile(b, { tag: TAG_A })).rejects.toMatchObject({ code: 'ERR_NOAI_CONCURRENT_MODIFICATION', reason: 'locked' })
    expect(readdirSync(root).some((x) => x.endsWith('.tmp'))).toBe(false)
  })
})

describe('the noai program', () => {
  it('MAX_KEY_FILE_BYTES: a key file over 16 KiB is refused without being parsed', async () => {
    const file = fresh('big.jwk', new TextEncoder().encode(`{"kty":"OKP","pad":"${'x'.repeat(MAX_KEY_FILE_BYTES)}"}`))
    await expect(readPrivateJwk(file)).rejects.toThrow(/over 16384 bytes/)
  })

  it('MAX_LINE_LENGTH: a scan list line over 64 KiB is reported as too long, and the next line is read', async () => {
    async function* input(): AsyncGenerator<string> {
      yield `${'a'.repeat(MAX_LINE_LENGTH + 1)}\nnext\n`
    }
    const lines = []
    for await (const l of splitLines(input())) lines.push(l)
    expect(lines.map((l) => l.tooLong)).toEqual([true, false])
    expect(lines[1]!.text).toBe('next')
  })

  it('MAX_SHARDS: --shard accepts up to 1,000,000 shards', () => {
    expect(parseShard(`0/${MAX_SHARDS}`)).toMatchObject({ index: 0, count: MAX_SHARDS })
    expect(() => parseShard(`0/${MAX_SHARDS + 1}`)).toThrow(/--shard/)
  })

  it('MAX_STDIN_AUDIO_BYTES: audio over 64 MiB on standard input is refused', async () => {
    const id3 = concat(ascii('ID3'), Uint8Array.of(4, 0, 0, 0, 0, 0, 0))
    const input = new Uint8Array(MAX_STDIN_AUDIO_BYTES + 1024)
    input.set(id3)
    const r = await runCli(['validate', '-'], { input })
    expect(r.code).toBe(2)
    expect(r.stderr + r.stdout).toMatch(/67108864|64 MiB|too large|over/i)
  }, 60_000)
})
