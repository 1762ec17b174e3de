// noai-tag/node file writes: in place really in place, rewrite by temp file + rename (mode kept),
// symlinks written through, hard links protected, the lock file, changes between read and write,
// and failures injected mid-apply leaving the original untouched and no temp file behind.
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag } from '../src/audio.js'
import type { NoaiTag } from '../src/index.js'
import {
  AudioFileError,
  audioFileEssence,
  ConcurrentModificationError,
  createNodeSha256,
  fileSource,
  readAudioFile,
  removeAudioTagFromFile,
  writeAudioFile,
} from '../src/node.js'
import { applyHooks } from '../src/node/_hooks.js'
import { concat, fixture, mpegFrames, priv, tag, ascii } from './audio-id3v2-build.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' }
const BIG: NoaiTag = { ...TAG, subject: { self: true, urls: Array.from({ length: 40 }, (_, i) => `https://example.com/r/${i}/${'x'.repeat(80)}`) } }
const root = mkdtempSync(join(tmpdir(), 'noai-node-'))
let n = 0
afterAll(() => rmSync(root, { recursive: true, force: true }))
afterEach(() => {
  applyHooks.onStage = undefined
})

/** A fresh folder with one file in it. */
function place(name: string, bytes: Uint8Array): { dir: string; file: string } {
  const dir = join(root, `case-${++n}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir)
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return { dir, file }
}
const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex')
const read = (f: string): Uint8Array => new Uint8Array(readFileSync(f))
const leftovers = (dir: string): string[] => readdirSync(dir).filter((x) => x.includes('.noai-'))

describe('writeAudioFile', () => {
  it('in place is really in place: same inode, same size, only tag bytes differ', async () => {
    const { dir, file } = place('a.mp3', fixture('foreign.mp3'))
    const before = read(file)
    const ino = statSync(file).ino
    const r = await writeAudioFile(file, { tag: TAG })
    expect(r).toMatchObject({ method: 'in-place', format: 'mp3', path: file })
    expect(statSync(file).ino).toBe(ino)
    const after = read(file)
    expect(after.length).toBe(before.length)
    const essenceOffset = (await readAudioTag(before)).essenceOffset!
    const firstDiff = after.findIndex((b, i) => b !== before[i])
    const lastDiff = after.length - 1 - [...after].reverse().findIndex((b, i) => b !== before[before.length - 1 - i])
    expect(firstDiff).toBeGreaterThan(10)
    expect(lastDiff).toBeLessThan(essenceOffset - 100) // inside the ID3v2 tag, before the Info frame
    expect(r.bytesWritten).toBe(lastDiff - firstDiff + 1)
    expect((await readAudioFile(file)).readable).toBe('train-ai=n')
    expect(leftovers(dir)).toEqual([])
  })

  it('a rewrite goes through a temp file and a rename; mode kept; essence checked; nothing left behind', async () => {
    const { dir, file } = place('b.mp3', fixture('bare.mp3'))
    chmodSync(file, 0o640)
    const ino = statSync(file).ino
    const e0 = (await audioFileEssence(file)).sha256
    const r = await writeAudioFile(file, { tag: TAG })
    expect(r.method).toBe('rewrite')
    expect(statSync(file).ino).not.toBe(ino)
    expect(statSync(file).mode & 0o777).toBe(0o640)
    expect((await audioFileEssence(file)).sha256).toBe(e0)
    expect((await readAudioFile(file)).readable).toBe('train-ai=n')
    expect(readdirSync(dir)).toEqual(['b.mp3'])
  })

  it('removes in place and restores the original bytes', async () => {
    const { file } = place('c.mp3', fixture('foreign.mp3'))
    const before = sha(file)
    await writeAudioFile(file, { tag: TAG })
    expect((await removeAudioTagFromFile(file)).method).toBe('in-place')
    expect(sha(file)).toBe(before)
    expect((await removeAudioTagFromFile(file)).method).toBe('unchanged')
  })

  it('writes through a symlink to its target; the link stays a link', async () => {
    const { dir, file } = place('target.mp3', fixture('bare.mp3'))
    const link = join(dir, 'link.mp3')
    symlinkSync(file, link)
    const r = await writeAudioFile(link, { tag: TAG })
    expect(r.path).toBe(file)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect((await readAudioFile(file)).readable).toBe('train-ai=n')
  })

  it('refuses to break hard links with a rewrite, patches them in place, and breaks them when asked', async () => {
    const { dir, file } = place('h.mp3', fixture('bare.mp3'))
    const other = join(dir, 'h2.mp3')
    linkSync(file, other)
    const before = sha(file)
    const e = await writeAudioFile(file, { tag: TAG }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(AudioFileError)
    expect(e).toMatchObject({ reason: 'hard-links', code: 'ERR_NOAI_IO' })
    expect(sha(file)).toBe(before)
    const { dir: d2, file: f2 } = place('p.mp3', fixture('foreign.mp3'))
    linkSync(f2, join(d2, 'p2.mp3'))
    expect((await writeAudioFile(f2, { tag: TAG })).method).toBe('in-place')
    expect((await readAudioFile(join(d2, 'p2.mp3'))).readable).toBe('train-ai=n')
    expect((await writeAudioFile(file, { tag: TAG }, { breakHardLinks: true })).method).toBe('rewrite')
    expect(sha(other)).toBe(before)
    expect(leftovers(dir)).toEqual([])
  })

  it('a second writer is refused while the lock file exists', async () => {
    const { file } = place('l.mp3', fixture('foreign.mp3'))
    writeFileSync(`${file}.noai-lock`, '123\n')
    const e = await writeAudioFile(file, { tag: TAG }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ConcurrentModificationError)
    expect(e).toMatchObject({ reason: 'locked', code: 'ERR_NOAI_CONCURRENT_MODIFICATION' })
    rmSync(`${file}.noai-lock`)
    let second: unknown
    applyHooks.onStage = async (s) => {
      if (s === 'after-plan' && second === undefined) second = await writeAudioFile(file, { tag: BIG }).catch((x: unknown) => x)
    }
    await writeAudioFile(file, { tag: TAG })
    expect(second).toBeInstanceOf(ConcurrentModificationError)
    expect(existsSync(`${file}.noai-lock`)).toBe(false)
    expect((await readAudioFile(file)).tag).toEqual(TAG)
  })

  it('detects a file changed between reading and writing (in place and rewrite) and writes nothing', async () => {
    const { file } = place('m.mp3', fixture('foreign.mp3'))
    applyHooks.onStage = (s, { path }) => {
      if (s === 'after-plan') utimesSync(path, new Date(2001, 1, 1), new Date(2001, 1, 1))
    }
    const before = sha(file)
    await expect(writeAudioFile(file, { tag: TAG })).rejects.toMatchObject({ reason: 'changed' })
    expect(sha(file)).toBe(before)
    const { dir, file: f2 } = place('r.mp3', fixture('bare.mp3'))
    applyHooks.onStage = (s) => {
      if (s === 'before-rename') appendFileSync(f2, ascii('more'))
    }
    await expect(writeAudioFile(f2, { tag: TAG })).rejects.toBeInstanceOf(ConcurrentModificationError)
    expect(read(f2).length).toBe(fixture('bare.mp3').length + 4)
    expect(leftovers(dir)).toEqual([])
  })

  it('a failure mid-rewrite leaves the original untouched and no temp file', async () => {
    for (const at of ['after-copy', 'before-rename'] as const) {
      const { dir, file } = place('f.mp3', fixture('tone-v24.mp3'))
      const before = sha(file)
      applyHooks.onStage = (s) => {
        if (s === at) throw new Error(`injected at ${at}`)
      }
      await expect(writeAudioFile(file, { tag: BIG })).rejects.toThrow(`injected at ${at}`)
      expect(sha(file)).toBe(before)
      expect(readdirSync(dir)).toEqual(['f.mp3'])
    }
  })

  it('a failure after an in-place patch rolls the patched bytes back', async () => {
    const { file } = place('g.mp3', fixture('foreign.mp3'))
    const before = sha(file)
    applyHooks.onStage = (s) => {
      if (s === 'after-patch') throw new Error('injected after patch')
    }
    await expect(writeAudioFile(file, { tag: TAG })).rejects.toThrow('injected after patch')
    expect(sha(file)).toBe(before)
  })

  it('inPlace: true refuses a rewrite; inPlace: false rewrites even when it fits; out writes a new file', async () => {
    const { file } = place('i.mp3', fixture('bare.mp3'))
    const before = sha(file)
    await expect(writeAudioFile(file, { tag: TAG }, { inPlace: true })).rejects.toMatchObject({ reason: 'not-in-place' })
    expect(sha(file)).toBe(before)
    const { dir, file: f2 } = place('j.mp3', fixture('foreign.mp3'))
    const ino = statSync(f2).ino
    expect((await writeAudioFile(f2, { tag: TAG }, { inPlace: false })).method).toBe('rewrite')
    expect(statSync(f2).ino).not.toBe(ino)
    const out = join(dir, 'out.mp3')
    const before2 = sha(f2)
    const r = await writeAudioFile(f2, { tag: BIG }, { out })
    expect(r).toMatchObject({ path: out, method: 'rewrite' })
    expect(sha(f2)).toBe(before2)
    expect((await readAudioFile(out)).tag).toEqual(BIG)
    expect(leftovers(dir)).toEqual([])
  })

  it('reports a missing file and a folder as typed errors', async () => {
    await expect(writeAudioFile(join(root, 'missing.mp3'), { tag: TAG })).rejects.toMatchObject({ code: 'ERR_NOAI_IO', reason: 'io' })
    await expect(readAudioFile(join(root, 'missing.mp3'))).rejects.toMatchObject({ code: 'ERR_NOAI_IO' })
    await expect(writeAudioFile(root, { tag: TAG })).rejects.toMatchObject({ code: 'ERR_NOAI_IO' })
  })
})

describe('fileSource and the node hasher', () => {
  it('reads only metadata from a large file, and hashes like the portable hasher', async () => {
    const big = concat(tag({ frames: [priv('XMP', ascii('<x/>'))], padding: 100 }), mpegFrames(100_000))
    const { file } = place('big.mp3', big)
    const s = await fileSource(file)
    try {
      await readAudioTag(s)
      expect(s.bytesRead).toBeLessThan(70 * 1024)
      expect(s.size).toBe(big.length)
    } finally {
      await s.close()
    }
    expect((await audioFileEssence(file)).sha256).toBe((await audioEssence(big)).sha256)
    const h = createNodeSha256()
    h.update(ascii('abc'))
    expect(Buffer.from(h.digest()).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
