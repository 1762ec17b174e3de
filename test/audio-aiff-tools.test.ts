// AIFF and AIFF-C cross-checks with real tools. "We write, they read": ffprobe shows NOAI and
// NOAI_TAG (from the ID3 chunk), exiftool the ID3 UserDefinedText, mutagen.aiff TXXX:NOAI; ffmpeg
// and sox decode identically and find nothing wrong. "They write, we read": mutagen edits other
// frames; ffmpeg remuxes with -c copy -write_id3v2 1 and keeps our frames and the essence. The
// samples of the essence equal ffmpeg's raw stream (`-map 0:a -c copy -f data`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { audioEssence, readAudioTag, removeAudioTag, writeAudioTag } from '../src/audio.js'
import type { NoaiTag } from '../src/index.js'
import { decodedMd5, ffmpegErrors, ffprobeTags, has, PY, run, runBytes, runOk, tagValue } from './_tools.js'
import { fixture, payloadOf, sha } from './audio-wav-helpers.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z', rightsHolder: { name: 'Zo\u00eb' } }
const LINE = 'search=y, train-ai=n'
const DOC = JSON.stringify(TAG).replace('\u00eb', '\\u00eb')
const BIG: NoaiTag = { ...TAG, subject: { self: true, urls: Array.from({ length: 40 }, (_, i) => `https://example.com/r/${i}/${'x'.repeat(80)}`) } }
const FIXTURES = ['ffmpeg.aiff', 'ffmpeg.aifc', 'sox.aifc', 'ffmpeg-id3.aiff', 'comt-xmp.aiff']
const dir = mkdtempSync(join(tmpdir(), 'noai-aiff-tools-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const bytes = (f: string): Uint8Array => new Uint8Array(readFileSync(f))
const put = (name: string, b: Uint8Array): string => {
  const f = join(dir, name)
  writeFileSync(f, b)
  return f
}
const essence = async (f: string): Promise<string> => (await audioEssence(bytes(f))).sha256
async function stamped(name: string, big = false): Promise<string> {
  return put(`${big ? 'big-' : ''}${name}`, await writeAudioTag(fixture('aiff', name), { tag: big ? BIG : TAG }))
}

describe('we write, they read', () => {
  it.skipIf(!has('ffprobe'))('ffprobe shows NOAI and NOAI_TAG (needs ffprobe)', async () => {
    for (const name of FIXTURES) {
      const tags = ffprobeTags(await stamped(name))
      expect(tagValue(tags, 'NOAI'), name).toBe(LINE)
      expect(tagValue(tags, 'NOAI_TAG'), name).toBe(DOC)
    }
  })

  it.skipIf(!has('exiftool'))('exiftool shows UserDefinedText (NOAI) and (NOAI_TAG) (needs exiftool)', async () => {
    for (const name of FIXTURES) {
      const out = runOk('exiftool', ['-a', '-G1', '-s', '-UserDefinedText', await stamped(name)])
      expect(out, name).toContain(`(NOAI) ${LINE}`)
      expect(out, name).toContain(`(NOAI_TAG) ${DOC}`)
    }
  })

  it.skipIf(!has('mutagen'))('mutagen.aiff reads TXXX:NOAI and TXXX:NOAI_TAG (needs /usr/bin/python3 with mutagen)', async () => {
    for (const name of FIXTURES) {
      for (const big of [false, true]) {
        const out = runOk(PY, ['-c', 'import sys;from mutagen.aiff import AIFF;t=AIFF(sys.argv[1]).tags;print(t["TXXX:NOAI"].text[0]);print(t["TXXX:NOAI_TAG"].text[0])', await stamped(name, big)])
        expect(out.trim().split('\n'), name).toEqual([LINE, JSON.stringify(big ? BIG : TAG).replace('\u00eb', '\\u00eb')])
      }
    }
  })

  it.skipIf(!has('ffmpeg'))('ffmpeg decodes stamped, re-stamped and cleaned files identically and silently (needs ffmpeg)', async () => {
    for (const name of FIXTURES) {
      const md5 = decodedMd5(put(`orig-${name}`, fixture('aiff', name)))
      const big = await stamped(name, true)
      for (const f of [await stamped(name), big, put(`rm-${name}`, await removeAudioTag(bytes(big)))]) {
        expect(ffmpegErrors(f), `${name} ${f}`).toBe('')
        expect(decodedMd5(f), `${name} ${f}`).toBe(md5)
      }
    }
  })

  it.skipIf(!has('sox'))('sox reads every stamped and cleaned file without a warning (needs sox)', async () => {
    for (const name of FIXTURES) {
      const big = await stamped(name, true)
      for (const f of [await stamped(name), put(`rm-sox-${name}`, await removeAudioTag(bytes(big)))]) {
        const r = run('sox', [f, '-n', 'stat'])
        expect(r.status, `${name}: ${r.stderr}`).toBe(0)
        expect(r.stderr, name).not.toMatch(/WARN|FAIL/)
      }
    }
  })

  it.skipIf(!has('ffmpeg'))("the SSND samples equal ffmpeg's raw stream (`-map 0:a -c copy -f data`) (needs ffmpeg)", async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name, true)
      const raw = runBytes('ffmpeg', ['-v', 'error', '-i', f, '-map', '0:a', '-c', 'copy', '-f', 'data', '-'])
      const ssnd = payloadOf(bytes(f), 'SSND')
      const offset = new DataView(ssnd.buffer, ssnd.byteOffset).getUint32(0, false)
      expect(sha(raw), name).toBe(sha(ssnd.subarray(8 + offset)))
    }
  })
})

describe('they write, we read', () => {
  it.skipIf(!has('mutagen'))('mutagen edits other frames (and grows the ID3 chunk): our entries and the essence survive (needs mutagen)', async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name)
      const e = await essence(f)
      runOk(PY, ['-c', "import sys;from mutagen.aiff import AIFF;from mutagen.id3 import TIT2,TXXX;a=AIFF(sys.argv[1]);a.tags.add(TIT2(encoding=3,text=['Retitled']));a.tags.add(TXXX(encoding=3,desc='BIG',text=['y'*20000]));a.save()", f])
      const r = await readAudioTag(bytes(f))
      expect(r.readable, name).toBe(LINE)
      expect(r.tag, name).toEqual(TAG)
      expect(await essence(f), name).toBe(e)
    }
  })

  it.skipIf(!has('ffmpeg'))('ffmpeg -c copy -write_id3v2 1 keeps our entries and, for its own files, the essence (needs ffmpeg)', async () => {
    for (const name of FIXTURES) {
      const f = await stamped(name)
      const out = join(dir, `remux-${name}`)
      runOk('ffmpeg', ['-v', 'error', '-y', '-i', f, '-map', '0', '-c', 'copy', '-write_id3v2', '1', out])
      const r = await readAudioTag(bytes(out))
      expect(r.readable, name).toBe(LINE)
      expect(r.tag, name).toEqual(TAG)
      expect(decodedMd5(out), name).toBe(decodedMd5(f))
      if (name === 'sox.aifc') {
        // ffmpeg writes sox's AIFF-C ('NONE') back as plain AIFF: COMM changes, so the essence does.
        expect(payloadOf(bytes(out), 'COMM').length).toBe(18)
        expect(await essence(out)).not.toBe(await essence(f))
      } else expect(await essence(out), name).toBe(await essence(f))
    }
  })
})
