// MP3 cross-checks with real tools. "We write, they read": ffprobe, exiftool and mutagen show our
// readable line; mp3val and ffmpeg find nothing wrong; the decoded audio is unchanged. "They write,
// we read": mid3v2, id3v2 (id3lib) and ffmpeg edit a stamped file and our tag and the essence
// survive. The essence equals ffmpeg's own raw stream extraction (`-c copy -f data`).
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag, writeAudioTag } from '../src/audio.js'
import type { NoaiTag } from '../src/index.js'
import { decodedMd5, ffmpegErrors, ffprobeTags, has, PY, run, runBytes, runOk, tagValue } from './_tools.js'
import { fixture } from './audio-id3v2-build.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z', rightsHolder: { name: 'Zo\u00eb' } }
const LINE = 'search=y, train-ai=n'
const DOC = JSON.stringify(TAG).replace('\u00eb', '\\u00eb')
const BIG: NoaiTag = { ...TAG, subject: { self: true, urls: Array.from({ length: 40 }, (_, i) => `https://example.com/r/${i}/${'x'.repeat(80)}`) } }
const dir = mkdtempSync(join(tmpdir(), 'noai-mp3-tools-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(f))

/** Stamps a fixture into the temp folder; `big` forces a rewrite of files with padding. */
async function stamped(name: string, big = false): Promise<string> {
  const f = join(dir, `${big ? 'big-' : ''}${name}`)
  writeFileSync(f, await writeAudioTag(fixture(name), { tag: big ? BIG : TAG }))
  return f
}

const FIXTURES = ['tone-v24.mp3', 'tone-v23-id3v1.mp3', 'bare.mp3', 'foreign.mp3']

describe('we write, they read', () => {
  it.skipIf(!has('ffprobe'))('ffprobe shows NOAI and NOAI_TAG (needs ffprobe)', async () => {
    for (const name of FIXTURES) {
      const tags = ffprobeTags(await stamped(name))
      expect(tagValue(tags, 'NOAI'), name).toBe(LINE)
      expect(tagValue(tags, 'NOAI_TAG'), name).toBe(DOC)
    }
  })

  it.skipIf(!has('exiftool'))('exiftool shows UserDefinedText (NOAI) (needs exiftool)', async () => {
    for (const name of FIXTURES) {
      const out = runOk('exiftool', ['-a', '-G1', '-s', '-UserDefinedText', await stamped(name)])
      expect(out, name).toContain(`(NOAI) ${LINE}`)
      expect(out, name).toContain('(NOAI_TAG) {"version":1')
    }
  })

  it.skipIf(!has('mutagen'))('mutagen shows TXXX:NOAI and keeps our version (needs /usr/bin/python3 with mutagen)', async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name, true)
      const out = runOk(PY, ['-c', 'import sys,mutagen.id3 as m;t=m.ID3(sys.argv[1]);print(t.version[1]);print(t["TXXX:NOAI"].text[0]);print(t["TXXX:NOAI_TAG"].text[0])', f])
      const [version, line, doc] = out.trim().split('\n')
      expect(line, name).toBe(LINE)
      expect(doc, name).toBe(JSON.stringify(BIG).replace('\u00eb', '\\u00eb'))
      expect(version, name).toBe(name.includes('v23') ? '3' : '4')
    }
  })

  it.skipIf(!has('mp3val') || !has('ffmpeg'))('mp3val and ffmpeg find nothing wrong; decoded audio unchanged (needs mp3val, ffmpeg)', async () => {
    for (const name of FIXTURES) {
      const original = join(dir, `orig-${name}`)
      writeFileSync(original, fixture(name))
      for (const f of [await stamped(name), await stamped(name, true)]) {
        const v = run('mp3val', [f])
        expect(v.stdout, `${name}: ${v.stdout}`).not.toMatch(/WARNING|ERROR/)
        expect(ffmpegErrors(f), name).toBe('')
        expect(decodedMd5(f), name).toBe(decodedMd5(original))
      }
    }
  })

  it.skipIf(!has('ffmpeg'))("the essence equals ffmpeg's raw stream (`-map 0:a -c copy -f data`): no tags, no Info frame (needs ffmpeg)", async () => {
    for (const name of [...FIXTURES, 'bare-noxing.mp3']) {
      for (const f of [await stamped(name), await stamped(name, true)]) {
        const raw = runBytes('ffmpeg', ['-v', 'error', '-i', f, '-map', '0:a', '-c', 'copy', '-f', 'data', '-'])
        expect((await audioEssence(bytes(f))).sha256, name).toBe(sha(raw))
      }
    }
  })
})

describe('they write, we read', () => {
  it.skipIf(!has('mid3v2'))('mid3v2 edits other frames (and forces a rewrite): our tag and the essence survive (needs mid3v2)', async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name)
      const e = (await audioEssence(bytes(f))).sha256
      runOk('mid3v2', ['--artist', 'Someone', '--TXXX', `BIG:${'y'.repeat(20000)}`, f])
      const r = await readAudioTag(bytes(f))
      expect(r.readable, name).toBe(LINE)
      expect(r.tag, name).toEqual(TAG)
      expect((await audioEssence(bytes(f))).sha256, name).toBe(e)
    }
  })

  it.skipIf(!has('id3v2'))('id3v2 (id3lib, writes v2.3) edits other frames of a v2.3 file: our tag and the essence survive (needs id3v2)', async () => {
    const f = await stamped('tone-v23-id3v1.mp3')
    const e = (await audioEssence(bytes(f))).sha256
    runOk('id3v2', ['--song', 'Retitled', f])
    const r = await readAudioTag(bytes(f))
    expect(r.readable).toBe(LINE)
    expect(r.document).toBe(DOC)
    expect((await audioEssence(bytes(f))).sha256).toBe(e)
  })

  it.skipIf(!has('id3v2'))('id3v2 (id3lib) cannot read v2.4 and replaces the whole v2.4 tag: ours is lost, the essence holds (needs id3v2)', async () => {
    // A limitation of id3lib, not of the tag: it drops every v2.4 frame (the title too).
    const f = await stamped('tone-v24.mp3')
    const e = (await audioEssence(bytes(f))).sha256
    runOk('id3v2', ['--song', 'Retitled', f])
    const r = await readAudioTag(bytes(f))
    expect(r.readable).toBeUndefined()
    expect((await audioEssence(bytes(f))).sha256).toBe(e)
  })

  it.skipIf(!has('ffmpeg'))('ffmpeg -c copy remux keeps our TXXX and the essence (needs ffmpeg)', async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name)
      const out = join(dir, `remux-${name}`)
      runOk('ffmpeg', ['-v', 'error', '-y', '-i', f, '-map', '0', '-c', 'copy', out])
      const r = await readAudioTag(bytes(out))
      expect(r.readable, name).toBe(LINE)
      expect((await audioEssence(bytes(out))).sha256, name).toBe((await audioEssence(bytes(f))).sha256)
    }
  })

  it.skipIf(!has('mutagen'))('a tag written by mutagen (v2.4 UTF-8 with trailing NUL, and v2.3 UTF-16) reads (needs mutagen)', async () => {
    for (const [version, encoding] of [[4, 3], [3, 1]] as const) {
      const f = join(dir, `mutagen-${version}.mp3`)
      writeFileSync(f, fixture('tone-v24.mp3'))
      runOk(PY, ['-c', `import sys;from mutagen.id3 import ID3,TXXX;t=ID3(sys.argv[1]);t.add(TXXX(encoding=${encoding},desc='noai',text=[sys.argv[2]]));t.add(TXXX(encoding=${encoding},desc='NOAI_TAG',text=[sys.argv[3]]));t.save(v2_version=${version})`, f, LINE, DOC])
      const r = await readAudioTag(bytes(f))
      expect(r.readable).toBe(LINE)
      expect(r.tag).toEqual(TAG)
      expect(r.mismatch).toBe(false)
    }
  })
})
