// readAudioFile reads the file's head while it asks for its size (src/node/file-source.ts
// fileSourceWithHead): the same report as for the bytes in memory, the same bytes read as through
// fileSource, reads inside the head served from memory, and the same errors. audioFileEssence
// hashes through two reused buffers (fileSourceForHashing, READ_INTO): the same digests.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag } from '../src/audio.js'
import { forEachChunk, READ_INTO } from '../src/audio/_read.js'
import { MalformedAudioError } from '../src/audio/errors.js'
import { DETECT_LIMITS } from '../src/audio/registry.js'
import { AudioFileError, audioFileEssence, fileSource, readAudioFile } from '../src/node.js'
import { fileSourceForHashing, fileSourceWithHead } from '../src/node/file-source.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const WORK = mkdtempSync(join(tmpdir(), 'noai-read-head-'))
afterAll(() => rmSync(WORK, { recursive: true, force: true }))

function audioFiles(): string[] {
  const dirs = [join(ROOT, 'schema/v1/vectors/audio'), ...readdirSync(join(ROOT, 'test/fixtures/audio')).map((d) => join(ROOT, 'test/fixtures/audio', d))]
  return dirs.flatMap((d) => readdirSync(d).filter((f) => !/\.(json|md)$/.test(f)).map((f) => join(d, f)))
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (e: unknown) => ({ ok: false as const, error: String(e), code: (e as { code?: string }).code }),
  )

describe('readAudioFile with the head read early', () => {
  it('reports what readAudioTag reports for the bytes, and reads what readAudioTag(fileSource) reads', async () => {
    for (const file of audioFiles()) {
      const expected = await settle(readAudioTag(new Uint8Array(readFileSync(file))))
      expect(await settle(readAudioFile(file)), file).toEqual(expected)
      const plain = await fileSource(file)
      await settle(readAudioTag(plain))
      await plain.close()
      const early = await fileSourceWithHead(file, DETECT_LIMITS.headBytes)
      await settle(readAudioTag(early))
      await early.close()
      expect(early.bytesRead, file).toBe(plain.bytesRead)
      expect(early.reads, file).toBeLessThanOrEqual(plain.reads)
    }
  })

  it('serves reads inside the head from memory, and reads the rest from the file', async () => {
    const path = join(WORK, 'bytes.bin')
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 13) & 0xff)
    writeFileSync(path, bytes)
    const s = await fileSourceWithHead(path, 64)
    try {
      expect([s.size, s.bytesRead, s.reads]).toEqual([300, 64, 1])
      expect(await s.read(10, 20)).toEqual(bytes.subarray(10, 30))
      expect(await s.read(0, 64)).toEqual(bytes.subarray(0, 64))
      expect([s.bytesRead, s.reads]).toEqual([64, 1])
      const copy = await s.read(0, 4)
      copy[0] = 0xff
      expect((await s.read(0, 1))[0]).toBe(bytes[0])
      expect(await s.read(60, 10)).toEqual(bytes.subarray(60, 70))
      expect(await s.read(290, 50)).toEqual(bytes.subarray(290, 300))
      expect([s.bytesRead, s.reads]).toEqual([64 + 10 + 10, 3])
      await expect(s.read(-1, 2)).rejects.toThrow(/invalid read range/)
    } finally {
      await s.close()
    }
  })

  it('handles a file shorter than the head, and an empty one', async () => {
    const short = join(WORK, 'short.bin')
    writeFileSync(short, Uint8Array.of(1, 2, 3))
    const s = await fileSourceWithHead(short, 64)
    expect([s.size, s.bytesRead]).toEqual([3, 3])
    expect(await s.read(0, 64)).toEqual(Uint8Array.of(1, 2, 3))
    await s.close()
    const empty = join(WORK, 'empty.bin')
    writeFileSync(empty, new Uint8Array(0))
    const e = await fileSourceWithHead(empty, 64)
    expect([e.size, (await e.read(0, 8)).byteLength]).toEqual([0, 0])
    await e.close()
  })

  it('gives the same typed errors: a missing file, a folder, a file that is not audio', async () => {
    // As before: the Node error of the open (ENOENT) or of the first read (EISDIR), as AudioFileError `io`.
    for (const [path, code] of [
      [join(WORK, 'missing.mp3'), 'ENOENT'],
      [WORK, 'EISDIR'],
    ] as const) {
      const e = await readAudioFile(path).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(AudioFileError)
      expect(e).toMatchObject({ code: 'ERR_NOAI_IO', reason: 'io', path })
      expect((e as Error).message).toContain(`${code}: ${code}:`)
    }
    const text = join(WORK, 'notes.txt')
    writeFileSync(text, 'just some text, not audio at all\n')
    await expect(readAudioFile(text)).rejects.toMatchObject({ code: 'ERR_NOAI_UNSUPPORTED_FORMAT', format: 'unknown' })
  })
})

describe('audioFileEssence hashing through two reused buffers (READ_INTO)', () => {
  it('gives the digests of audioEssence on the bytes, for every fixture and vector', async () => {
    for (const file of audioFiles()) {
      const expected = await settle(audioEssence(new Uint8Array(readFileSync(file))))
      expect(await settle(audioFileEssence(file)), file).toEqual(expected)
    }
  })

  it('forEachChunk feeds the same bytes through READ_INTO as through read, whatever the chunking', async () => {
    const path = join(WORK, 'chunks.bin')
    const bytes = Uint8Array.from({ length: 10_007 }, (_, i) => (i * 31 + (i >> 7)) & 0xff)
    writeFileSync(path, bytes)
    for (const [start, end, chunk] of [
      [0, 10_007, 1000],
      [3, 9_999, 4096],
      [5, 6, 1024],
      [100, 100, 64],
      [0, 10_007, 10_007],
    ] as const) {
      const s = await fileSourceForHashing(path)
      const seen: number[] = []
      const sizes: number[] = []
      try {
        expect(READ_INTO in s).toBe(true)
        await forEachChunk(s, start, end, chunk, (b) => (seen.push(...b), sizes.push(b.byteLength)), { format: 'wav' })
      } finally {
        await s.close()
      }
      expect(Uint8Array.from(seen)).toEqual(bytes.subarray(start, end))
      expect(sizes.every((n, i) => n === Math.min(chunk, end - start - i * chunk))).toBe(true)
    }
  })

  it('reports a short read (a file that shrank) as MalformedAudioError, and honours the signal', async () => {
    const path = join(WORK, 'shrinks.bin')
    writeFileSync(path, new Uint8Array(5000))
    const s = await fileSourceForHashing(path)
    try {
      const shrunk = { ...s, size: 9000, [READ_INTO]: s[READ_INTO as never] }
      await expect(forEachChunk(shrunk, 0, 9000, 4096, () => undefined, { format: 'wav' })).rejects.toBeInstanceOf(MalformedAudioError)
      const ac = new AbortController()
      ac.abort(new Error('stop'))
      await expect(forEachChunk(s, 0, 5000, 1024, () => undefined, { format: 'wav', signal: ac.signal })).rejects.toThrow('stop')
    } finally {
      await s.close()
    }
  })

  it('is not offered by the public fileSource (whose reads a caller may keep)', async () => {
    const s = await fileSource(join(WORK, 'chunks.bin'))
    expect(READ_INTO in s).toBe(false)
    await s.close()
  })
})
