// Cross-checks of the MP4 carrier with real tools (docs/spec.md §10.7): ffprobe, exiftool and
// mutagen read what we write; mutagen and exiftool edit a stamped file and we still read it; ffmpeg
// decodes the same audio after every edit and remuxes without changing the essence.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodedMd5, ffmpegErrors, ffprobeTags, has, PY, runOk, tagValue } from './_tools.js'
import { boxesAt, bytesOf, essenceHex, fixture, readTags, sha256, write } from './audio-mp4-helpers.js'

const dir = mkdtempSync(join(tmpdir(), 'noai-mp4-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ENTRIES = { readable: 'train-ai=n, search=y', document: '{"version":1,"usage":{"train-ai":"n","search":"y"}}' }
const LARGER = { readable: 'train-ai=n', document: `{"version":1,"note":"${'z'.repeat(3000)}"}` }
const LAYOUTS = ['aac-end.m4a', 'aac-faststart.m4a', 'alac-end.m4a', 'aac-faststart-mutagen.m4a', 'aac-chapters.m4a', 'aac-video-track-faststart.mp4'] as const

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

async function stamped(name: string, entries = ENTRIES): Promise<string> {
  return save(`stamped-${name}`, (await write(fixture(name), entries)).out)
}

describe('MP4: we write, they read', () => {
  it.skipIf(!has('ffprobe'))('ffprobe shows NOAI and NOAI_TAG as format tags (needs ffprobe)', async () => {
    for (const name of LAYOUTS) {
      const tags = ffprobeTags(await stamped(name))
      expect(tagValue(tags, 'NOAI'), name).toBe(ENTRIES.readable)
      expect(tagValue(tags, 'NOAI_TAG'), name).toBe(ENTRIES.document)
    }
  })

  it.skipIf(!has('exiftool'))('exiftool shows [iTunes] NOAI and NOAI_TAG (needs exiftool)', async () => {
    for (const name of LAYOUTS) {
      const path = await stamped(name)
      const out = runOk('exiftool', ['-a', '-G1', '-s', path])
      expect(out).toMatch(/\[iTunes\]\s+NOAI\s+: train-ai=n, search=y/)
      expect(runOk('exiftool', ['-b', '-iTunes:NOAI_TAG', path])).toBe(ENTRIES.document)
      const warnings = (text: string) => text.split('\n').filter((l) => /Warning|Error/.test(l))
      expect(warnings(out), name).toEqual(warnings(runOk('exiftool', ['-a', '-G1', '-s', save(`plain-${name}`, fixture(name))])))
    }
  })

  it.skipIf(!has('mutagen'))('mutagen shows ----:com.apple.iTunes:NOAI and NOAI_TAG (needs mutagen)', async () => {
    for (const name of LAYOUTS) {
      const out = runOk(PY, ['-c', 'import sys,json;from mutagen.mp4 import MP4;t=MP4(sys.argv[1]).tags;print(json.dumps({k:[bytes(v).decode() for v in t[k]] for k in t if k.startswith("----")}))', await stamped(name)])
      const items = JSON.parse(out) as Record<string, string[]>
      expect(items['----:com.apple.iTunes:NOAI'], name).toEqual([ENTRIES.readable])
      expect(items['----:com.apple.iTunes:NOAI_TAG'], name).toEqual([ENTRIES.document])
    }
  })
})

describe('MP4: the audio stays the same', () => {
  it.skipIf(!has('ffmpeg'))('decoded audio is unchanged and ffmpeg reports no error after write, overwrite and remove (needs ffmpeg)', async () => {
    for (const name of LAYOUTS) {
      const original = fixture(name)
      const md5 = decodedMd5(save(`orig-${name}`, original))
      const w = await write(original, ENTRIES)
      const big = await write(w.out, LARGER)
      const removed = await write(big.out, null)
      for (const [step, bytes] of [['write', w.out], ['overwrite', big.out], ['remove', removed.out]] as const) {
        const path = save(`${step}-${name}`, bytes)
        expect(decodedMd5(path), `${step} ${name}`).toBe(md5)
        expect(ffmpegErrors(path), `${step} ${name}`).toBe('')
      }
    }
  })

  it.skipIf(!has('ffmpeg'))('a stream-copy remux (-c copy -movflags faststart) keeps the essence (needs ffmpeg)', async () => {
    for (const name of ['aac-end.m4a', 'alac-end.m4a', 'aac-chapters.m4a']) {
      const path = await stamped(name)
      const remuxed = join(dir, `remux-${name}`)
      // The chapter track cannot be stream-copied by the ipod muxer; the audio is what the essence covers.
      runOk('ffmpeg', ['-v', 'error', '-y', '-i', path, '-map', '0:a', '-c', 'copy', '-movflags', 'faststart', remuxed])
      expect(await essenceHex(new Uint8Array(readFileSync(remuxed))), name).toBe(await essenceHex(fixture(name)))
    }
  })
})

describe('MP4: the essence leaves out the sample description', () => {
  it.skipIf(!has('ffmpeg'))('remuxing to .mp4 and .mov rewrites stsd (btrt, QuickTime wave) but keeps the essence (needs ffmpeg)', async () => {
    const source = save('plain-aac-end.m4a', fixture('aac-end.m4a'))
    const stsd = (bytes: Uint8Array) => sha256(bytesOf(bytes, boxesAt(bytes, 'moov/trak/mdia/minf/stbl').flatMap((b) => b.children).find((b) => b.type === 'stsd')!))
    for (const ext of ['mp4', 'mov']) {
      const remuxed = join(dir, `remux.${ext}`)
      runOk('ffmpeg', ['-v', 'error', '-y', '-i', source, '-c', 'copy', remuxed])
      const bytes = new Uint8Array(readFileSync(remuxed))
      expect(stsd(bytes), ext).not.toBe(stsd(fixture('aac-end.m4a')))
      expect(await essenceHex(bytes), ext).toBe(await essenceHex(fixture('aac-end.m4a')))
    }
  })
})

describe('MP4: they write, we read', () => {
  it.skipIf(!has('mutagen'))('mutagen edits other tags of a stamped file: ours stay, the essence does not change (needs mutagen)', async () => {
    for (const name of ['aac-end.m4a', 'aac-faststart.m4a']) {
      const path = await stamped(name)
      const script = 'import sys;from mutagen.mp4 import MP4;f=MP4(sys.argv[1]);f["\\xa9alb"]=["An album "*300];f["\\xa9nam"]=["Changed"];f.save()'
      runOk(PY, ['-c', script, path])
      const after = new Uint8Array(readFileSync(path))
      expect(await readTags(after)).toMatchObject({ readable: ENTRIES.readable, document: ENTRIES.document })
      expect(await essenceHex(after)).toBe(await essenceHex(fixture(name)))
    }
  })

  it.skipIf(!has('exiftool'))('exiftool adds XMP to a stamped file (moving moov before mdat): ours stay, the XMP is reported (needs exiftool)', async () => {
    const path = await stamped('aac-end.m4a')
    const xmp = join(dir, 'dm.xmp')
    writeFileSync(xmp, `<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:plus='http://ns.useplus.org/ldf/xmp/1.0/'><plus:DataMining>http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED</plus:DataMining></rdf:Description></rdf:RDF></x:xmpmeta>`)
    runOk('exiftool', ['-q', '-overwrite_original', `-xmp<=${xmp}`, path])
    const after = new Uint8Array(readFileSync(path))
    const tags = await readTags(after)
    expect(tags).toMatchObject({ readable: ENTRIES.readable, document: ENTRIES.document })
    expect(tags.foreign.map((f) => f.kind)).toEqual(['xmp'])
    expect(new TextDecoder().decode(tags.foreign[0]!.bytes)).toContain('DMI-PROHIBITED')
    expect(await essenceHex(after)).toBe(await essenceHex(fixture('aac-end.m4a')))
    // and we can write again over exiftool's layout (moov first, uuid before mdat)
    const again = await write(after, LARGER)
    expect((await readTags(again.out)).document).toBe(LARGER.document)
    if (has('ffmpeg')) expect(decodedMd5(save('exif-again.m4a', again.out))).toBe(decodedMd5(save('exif-orig.m4a', fixture('aac-end.m4a'))))
  })
})
