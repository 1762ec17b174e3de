// FLAC cross-checks with real tools: "we write, they read" (metaflac, ffprobe, exiftool, mutagen),
// integrity (flac -t, ffmpeg decode), "they write, we read" (metaflac, mutagen edit other tags of a
// stamped file), and the essence against ffmpeg's own extraction and a `-c copy` remux.
// Each test skips, naming the tool, when that tool is missing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { handler } from '../src/audio/flac/index.js'
import { toHex } from '../src/audio/_hex.js'
import { createSha256 } from '../src/audio/hash.js'
import { fromBytes } from '../src/audio/source.js'
import type { TagEntries } from '../src/audio/types.js'
import { PY, decodedMd5, ffmpegErrors, ffprobeTags, has, run, runBytes, runOk, tagValue } from './_tools.js'
import { applyPlan, capture, cat, fixture } from './_xiph.js'

const dir = mkdtempSync(join(tmpdir(), 'noai-flac-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = (bytes: Uint8Array, name = 'x'): string => {
  const p = join(dir, `${n++}-${name}.flac`)
  writeFileSync(p, bytes)
  return p
}
const load = (p: string): Uint8Array => new Uint8Array(readFileSync(p))

const ENTRIES: TagEntries = { readable: 'train-ai=n, search=y', document: '{"version":1,"id":"urn:uuid:0b7e2a42-1c1f-4d2e-9d55-5b1f1b6f1a01"}' }
const BIG: TagEntries = { readable: 'train-ai=n', document: `{"version":1,"x":"${'b'.repeat(20_000)}"}` }

async function write(bytes: Uint8Array, entries: TagEntries | null): Promise<Uint8Array> {
  return applyPlan(bytes, await handler.planWrite(fromBytes(bytes), entries))
}
async function essence(bytes: Uint8Array): Promise<string> {
  const h = createSha256()
  await handler.essence(fromBytes(bytes), h)
  return toHex(h.digest())
}
function exportTags(p: string): string[] {
  return runOk('metaflac', ['--export-tags-to=-', p]).split('\n').filter(Boolean)
}

const NAMES = ['ffmpeg.flac', 'reference.flac', 'no-padding.flac', 'no-comment.flac']
const all = ['metaflac', 'flac', 'ffmpeg', 'ffprobe'] as const
const missing = all.filter((t) => !has(t))

describe('FLAC: we write, they read', () => {
  it.skipIf(missing.length > 0).each(NAMES)(`%s: metaflac, ffprobe see our fields; flac -t passes; decoded audio unchanged (needs ${all.join(', ')})`, async (name) => {
    const original = fixture('flac', name)
    const md5 = decodedMd5(file(original, 'orig'))
    for (const entries of [ENTRIES, BIG, null]) {
      const p = file(await write(original, entries), name)
      const tags = exportTags(p)
      if (entries) {
        expect(tags).toContain(`NOAI=${entries.readable}`)
        expect(tags).toContain(`NOAI_TAG=${entries.document}`)
        expect(tagValue(ffprobeTags(p), 'NOAI')).toBe(entries.readable)
        expect(tagValue(ffprobeTags(p), 'NOAI_TAG')).toBe(entries.document)
      } else {
        expect(tags.filter((t) => /^noai/i.test(t))).toEqual([])
      }
      const t = run('flac', ['-t', '-s', p])
      expect(t.status, t.stderr).toBe(0)
      expect(ffmpegErrors(p)).toBe('')
      expect(decodedMd5(p)).toBe(md5)
      const list = runOk('metaflac', ['--list', p])
      expect(list.match(/is last: true/g)).toHaveLength(1)
    }
  })

  it.skipIf(!has('exiftool'))('exiftool shows [Vorbis] Noai and NoaiTag (needs exiftool)', async () => {
    const p = file(await write(fixture('flac', 'reference.flac'), ENTRIES))
    const out = runOk('exiftool', ['-a', '-G1', '-s', p])
    expect(out).toMatch(/\[Vorbis\]\s+Noai\s+: train-ai=n, search=y/)
    expect(out).toContain(ENTRIES.document)
  })

  it.skipIf(!has('mutagen'))('mutagen reads both fields (needs mutagen)', async () => {
    const p = file(await write(fixture('flac', 'no-padding.flac'), ENTRIES))
    const out = runOk(PY, ['-c', 'import mutagen,sys,json;t=mutagen.File(sys.argv[1]).tags;print(json.dumps([t["NOAI"],t["NOAI_TAG"]]))', p])
    expect(JSON.parse(out)).toEqual([[ENTRIES.readable], [ENTRIES.document]])
  })
})

describe('FLAC: they write, we read', () => {
  it.skipIf(!has('metaflac'))('metaflac --set-tag / --remove-tag on other fields keeps ours and the essence (needs metaflac)', async () => {
    const original = fixture('flac', 'reference.flac')
    const e0 = await essence(original)
    const p = file(await write(original, ENTRIES))
    runOk('metaflac', ['--set-tag=TITLE=Edited', '--remove-tag=ARTIST', p])
    const edited = load(p)
    expect(await handler.read(fromBytes(edited))).toMatchObject({ readable: ENTRIES.readable, document: ENTRIES.document })
    expect(await essence(edited)).toBe(e0)
    // A 20 KB tag makes metaflac rewrite the file.
    runOk('metaflac', [`--set-tag=BIG=${'z'.repeat(20_000)}`, p])
    expect(await handler.read(fromBytes(load(p)))).toMatchObject({ document: ENTRIES.document })
    expect(await essence(load(p))).toBe(e0)
    // And metaflac can remove ours (the field names are ordinary Vorbis comment names).
    runOk('metaflac', ['--remove-tag=NOAI', '--remove-tag=NOAI_TAG', p])
    expect((await handler.read(fromBytes(load(p)))).document).toBeUndefined()
  })

  it.skipIf(!has('mutagen'))('mutagen edits (small and large) keep ours and the essence; mutagen-written NOAI is read (needs mutagen)', async () => {
    const original = fixture('flac', 'ffmpeg.flac')
    const e0 = await essence(original)
    const p = file(await write(original, ENTRIES))
    runOk(PY, ['-c', 'import mutagen,sys;f=mutagen.File(sys.argv[1]);f["ALBUM"]="A";f["BIG"]="y"*30000;f.save()', p])
    expect(await handler.read(fromBytes(load(p)))).toMatchObject({ readable: ENTRIES.readable, document: ENTRIES.document })
    expect(await essence(load(p))).toBe(e0)
    const q = file(original)
    runOk(PY, ['-c', 'import mutagen,sys;f=mutagen.File(sys.argv[1]);f["noai"]="train-ai=y";f.save()', q])
    expect((await handler.read(fromBytes(load(q)))).readable).toBe('train-ai=y')
  })
})

describe('FLAC essence against ffmpeg', () => {
  it.skipIf(!has('ffmpeg'))('equals STREAMINFO ‖ the frames ffmpeg extracts (-map 0:a -c copy -f data) (needs ffmpeg)', async () => {
    for (const name of NAMES) {
      const bytes = fixture('flac', name)
      const h = capture()
      await handler.essence(fromBytes(bytes), h)
      const frames = runBytes('ffmpeg', ['-v', 'error', '-i', file(bytes), '-map', '0:a', '-c', 'copy', '-f', 'data', '-'])
      expect(h.bytes().subarray(34)).toEqual(frames)
      expect(h.bytes().byteLength).toBe(34 + frames.byteLength)
    }
  })

  it.skipIf(!has('ffmpeg'))('a `-c copy` remux of a stamped file keeps the essence hash (needs ffmpeg)', async () => {
    const original = fixture('flac', 'reference.flac')
    const p = file(await write(original, ENTRIES))
    const out = join(dir, 'remux.flac')
    runOk('ffmpeg', ['-v', 'error', '-y', '-i', p, '-map', '0', '-c', 'copy', out])
    expect(await essence(load(out))).toBe(await essence(original))
  })

  it.skipIf(!has('ffmpeg') || !has('flac'))('an ID3v2-prefixed FLAC with a trailing ID3v1 tag: tools still decode it, the essence ignores both (needs ffmpeg, flac)', async () => {
    const plain = fixture('flac', 'reference.flac')
    const body = new TextEncoder().encode('PRIV\0\0\0\x0c\0\0XMP\0<x:xmp/>')
    const prefix = cat(Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, body.byteLength), body)
    const id3v1 = cat(new TextEncoder().encode('TAG'), new Uint8Array(125))
    const tagged = cat(prefix, plain, id3v1)
    const stamped = await write(tagged, BIG)
    expect(decodedMd5(file(stamped))).toBe(decodedMd5(file(plain)))
    expect(await essence(stamped)).toBe(await essence(plain))
    expect(stamped.subarray(0, prefix.byteLength)).toEqual(prefix)
    // libFLAC skips an ID3v2 prefix but loses sync on a trailing ID3v1 tag, so `flac -t` is run
    // on the prefixed file without the trailer.
    const prefixed = await write(cat(prefix, plain), BIG)
    expect(run('flac', ['-t', '-s', file(prefixed)]).status).toBe(0)
    expect(prefixed.subarray(0, prefix.byteLength)).toEqual(prefix)
  })
})
