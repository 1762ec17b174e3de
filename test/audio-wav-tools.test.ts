// WAV cross-checks with real tools. "We write, they read": ffprobe shows the LIST/INFO NOAI line
// (it hides ID3 text when a LIST/INFO chunk exists), exiftool shows the ID3 UserDefinedText and,
// with -u, the INFO NOAI; mutagen reads TXXX:NOAI; ffmpeg decodes identically and finds nothing
// wrong. "They write, we read": mutagen edits other frames of a stamped file; ffmpeg remuxes with
// -c copy (also to RF64) and the essence holds. The data part of the essence equals ffmpeg's own
// raw stream (`-map 0:a -c copy -f data`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag, removeAudioTag, writeAudioTag } from '../src/audio.js'
import type { NoaiTag } from '../src/index.js'
import { decodedMd5, ffmpegErrors, ffprobeTags, has, PY, run, runBytes, runOk, tagValue } from './_tools.js'
import { concat, fixture, infoNoai, payloadOf, sha } from './audio-wav-helpers.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z', rightsHolder: { name: 'Zo\u00eb' } }
const LINE = 'search=y, train-ai=n'
const DOC = JSON.stringify(TAG).replace('\u00eb', '\\u00eb')
const BIG: NoaiTag = { ...TAG, subject: { self: true, urls: Array.from({ length: 40 }, (_, i) => `https://example.com/r/${i}/${'x'.repeat(80)}`) } }
const FIXTURES = ['ffmpeg.wav', 'sox.wav', 'bwf.wav', 'rf64.wav', 'odd.wav', 'xmp-c2pa.wav', 'junk.wav', 'mutagen-id3.wav']
/** mutagen 1.46 reads RIFF files only (its RiffFile refuses an RF64 root chunk). */
const RIFF_ONLY = FIXTURES.filter((n) => n !== 'rf64.wav')
const dir = mkdtempSync(join(tmpdir(), 'noai-wav-tools-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(f))
const put = (name: string, b: Uint8Array): string => {
  const f = join(dir, name)
  writeFileSync(f, b)
  return f
}
const essence = async (f: string): Promise<string> => (await audioEssence(bytes(f))).sha256

/** Stamps a fixture into the temp folder; `big` forces a rewrite of files with room. */
async function stamped(name: string, big = false): Promise<string> {
  return put(`${big ? 'big-' : ''}${name}`, await writeAudioTag(fixture('wav', name), { tag: big ? BIG : TAG }))
}

describe('we write, they read', () => {
  it.skipIf(!has('ffprobe'))('ffprobe shows NOAI from LIST/INFO (needs ffprobe)', async () => {
    for (const name of FIXTURES) expect(tagValue(ffprobeTags(await stamped(name)), 'NOAI'), name).toBe(LINE)
  })

  it.skipIf(!has('exiftool'))('exiftool shows the ID3 UserDefinedText, and the INFO NOAI with -u (needs exiftool)', async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name)
      const out = runOk('exiftool', ['-a', '-G1', '-s', '-u', f])
      expect(out, name).toContain(`UserDefinedText                 : (NOAI) ${LINE}`)
      expect(out, name).toContain(`UserDefinedText                 : (NOAI_TAG) ${DOC}`)
      expect(out, name).toMatch(/\[RIFF\]\s+Unknown_NOAI/)
      expect(runOk('exiftool', ['-u', '-b', '-RIFF:Unknown_NOAI', f]), name).toBe(LINE)
    }
  })

  it.skipIf(!has('mutagen'))('mutagen.wave reads TXXX:NOAI and TXXX:NOAI_TAG (needs /usr/bin/python3 with mutagen)', async () => {
    for (const name of RIFF_ONLY) {
      for (const big of [false, true]) {
        const out = runOk(PY, ['-c', 'import sys;from mutagen.wave import WAVE;t=WAVE(sys.argv[1]).tags;print(t["TXXX:NOAI"].text[0]);print(t["TXXX:NOAI_TAG"].text[0])', await stamped(name, big)])
        expect(out.trim().split('\n'), name).toEqual([LINE, JSON.stringify(big ? BIG : TAG).replace('\u00eb', '\\u00eb')])
      }
    }
  })

  it.skipIf(!has('ffmpeg'))('ffmpeg decodes stamped, re-stamped and cleaned files identically and silently (needs ffmpeg)', async () => {
    for (const name of FIXTURES) {
      const md5 = decodedMd5(put(`orig-${name}`, fixture('wav', name)))
      const big = await stamped(name, true)
      for (const f of [await stamped(name), big, put(`rm-${name}`, await removeAudioTag(bytes(big)))]) {
        expect(ffmpegErrors(f), `${name} ${f}`).toBe('')
        expect(decodedMd5(f), `${name} ${f}`).toBe(md5)
      }
    }
  })

  it.skipIf(!has('sox'))('sox reads every stamped file without a warning (needs sox)', async () => {
    for (const name of FIXTURES) {
      const r = run('sox', [await stamped(name), '-n', 'stat'])
      expect(r.status, `${name}: ${r.stderr}`).toBe(0)
      expect(r.stderr, name).not.toMatch(/WARN|FAIL/)
    }
  })

  it.skipIf(!has('ffmpeg'))("the data part of the essence equals ffmpeg's raw stream (`-map 0:a -c copy -f data`) (needs ffmpeg)", async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name, true)
      const raw = runBytes('ffmpeg', ['-v', 'error', '-i', f, '-map', '0:a', '-c', 'copy', '-f', 'data', '-'])
      const b = bytes(f)
      expect(sha(raw), name).toBe(sha(payloadOf(b, 'data')))
      expect(await essence(f), name).toBe(sha(concat(payloadOf(b, 'fmt '), raw)))
    }
  })
})

describe('they write, we read', () => {
  it.skipIf(!has('mutagen'))('mutagen edits other frames (and grows the id3 chunk): our entries and the essence survive (needs mutagen)', async () => {
    for (const name of RIFF_ONLY) {
      const f = await stamped(name)
      const e = await essence(f)
      runOk(PY, ['-c', "import sys;from mutagen.wave import WAVE;from mutagen.id3 import TIT2,TXXX;w=WAVE(sys.argv[1]);w.tags.add(TIT2(encoding=3,text=['Retitled']));w.tags.add(TXXX(encoding=3,desc='BIG',text=['y'*20000]));w.save()", f])
      const r = await readAudioTag(bytes(f))
      expect(r.readable, name).toBe(LINE)
      expect(r.tag, name).toEqual(TAG)
      expect(r.mismatch, name).toBe(false)
      expect(infoNoai(bytes(f)), name).toEqual([LINE])
      expect(await essence(f), name).toBe(e)
      // ... and we can write again over mutagen's result.
      const again = await writeAudioTag(bytes(f), { tag: BIG })
      expect((await readAudioTag(again)).tag, name).toEqual(BIG)
      expect((await audioEssence(again)).sha256, name).toBe(e)
    }
  })

  it.skipIf(!has('mutagen'))('entries written by mutagen (TXXX in an id3 chunk, no INFO line) are read (needs mutagen)', async () => {
    const f = put('mutagen-written.wav', fixture('wav', 'sox.wav'))
    runOk(PY, ['-c', "import sys;from mutagen.wave import WAVE;from mutagen.id3 import TXXX;w=WAVE(sys.argv[1]);w.add_tags();w.tags.add(TXXX(encoding=3,desc='noai',text=[sys.argv[2]]));w.tags.add(TXXX(encoding=3,desc='NOAI_TAG',text=[sys.argv[3]]));w.save()", f, LINE, DOC])
    const r = await readAudioTag(bytes(f))
    expect(r).toMatchObject({ readable: LINE, document: DOC, tag: TAG, mismatch: false })
  })

  it.skipIf(!has('ffmpeg'))('ffmpeg -c copy remux (WAV to WAV, and to RF64 with -rf64 always) keeps the essence (needs ffmpeg)', async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name)
      const e = await essence(f)
      for (const extra of [[], ['-rf64', 'always']]) {
        const out = join(dir, `remux${extra.length}-${name}`)
        runOk('ffmpeg', ['-v', 'error', '-y', '-i', f, '-map', '0', '-c', 'copy', ...extra, out])
        if (name === 'odd.wav' && extra.length > 0) {
          // ffmpeg 5.1 writes ds64.dataSize = 1002 for a 1001-byte data chunk (it counts the pad byte)
          // and then decodes one more sample itself: the audio changed, so the essence must change.
          expect(new DataView(bytes(out).buffer).getUint32(12 + 8 + 8, true)).toBe(1002)
          expect(decodedMd5(out)).not.toBe(decodedMd5(f))
          expect(await essence(out)).not.toBe(e)
          continue
        }
        expect(await essence(out), `${name} ${extra.join(' ')}`).toBe(e)
        // ffmpeg drops the id3 chunk and unknown INFO codes: the remuxed file can be stamped again.
        const again = await writeAudioTag(bytes(out), { tag: TAG })
        expect((await readAudioTag(again)).tag, name).toEqual(TAG)
        expect((await audioEssence(again)).sha256, name).toBe(e)
      }
    }
  })
})
