// Ogg Vorbis and Opus cross-checks with real tools: "we write, they read" (vorbiscomment, ffprobe
// stream tags, exiftool, mutagen), integrity (ogginfo, opusinfo, ffmpeg decode), "they write, we
// read" (vorbiscomment -a, mutagen), and the essence against ffmpeg's own packet extraction and a
// `-c copy` remux. Each test skips, naming the tool, when that tool is missing.
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { toHex } from '../src/audio/_hex.js'
import { createSha256 } from '../src/audio/hash.js'
import { handler } from '../src/audio/ogg/index.js'
import { fromBytes } from '../src/audio/source.js'
import type { TagEntries } from '../src/audio/types.js'
import { PY, decodedMd5, ffmpegErrors, ffprobeTags, has, run, runBytes, runOk, tagValue } from './_tools.js'
import { applyPlan, capture, cat, fixture, lacingOf, packets, page, pages } from './_xiph.js'

const dir = mkdtempSync(join(tmpdir(), 'noai-ogg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = (bytes: Uint8Array, name: string): string => {
  const p = join(dir, `${n++}-${name}`)
  writeFileSync(p, bytes)
  return p
}
const load = (p: string): Uint8Array => new Uint8Array(readFileSync(p))

const ENTRIES: TagEntries = { readable: 'train-ai=n, search=y', document: '{"version":1,"id":"urn:uuid:0b7e2a42-1c1f-4d2e-9d55-5b1f1b6f1a01"}' }
const HUGE: TagEntries = { readable: 'train-ai=n', document: `{"version":1,"x":"${'h'.repeat(70_000)}"}` }
const NAMES = ['ffmpeg.ogg', 'oggenc.ogg', 'pages.ogg', 'ffmpeg.opus', 'opusenc.opus', 'pages.opus']

async function write(bytes: Uint8Array, entries: TagEntries | null): Promise<Uint8Array> {
  return applyPlan(bytes, await handler.planWrite(fromBytes(bytes), entries))
}
async function essence(bytes: Uint8Array): Promise<string> {
  const h = createSha256()
  await handler.essence(fromBytes(bytes), h)
  return toHex(h.digest())
}

/** A comment of exactly 255 × k bytes (needs a trailing 0 lacing value). */
async function exact255(original: Uint8Array): Promise<TagEntries> {
  const base = packets(await write(original, { readable: 'r', document: '' }))[1]!.byteLength
  return { readable: 'r', document: 'd'.repeat(255 * (Math.ceil(base / 255) + 2) - base) }
}

/** ffmpeg.opus whose OpusTags ends with binary data after the list (first byte LSB 1, RFC 7845 §5.2). */
function opusWithBinaryTail(): Uint8Array {
  const original = fixture('ogg', 'ffmpeg.opus')
  const ps = pages(original)
  const tags = cat(packets(original)[1]!, Uint8Array.of(0x01, 0xde, 0xad, 0xbe, 0xef))
  return cat(ps[0]!.bytes, page({ type: 0, granule: 0n, serial: ps[1]!.serial, seq: 1, lacing: lacingOf(tags.byteLength), body: tags }), ...ps.slice(2).map((p) => p.bytes))
}

function clean(tool: 'ogginfo' | 'opusinfo', p: string): string {
  const r = run(tool, [p])
  return (r.stdout + r.stderr)
    .split('\n')
    .filter((l) => /WARNING|ERROR|Hole|corrupt/i.test(l))
    .join('\n')
}

const tools = ['ffmpeg', 'ffprobe', 'ogginfo', 'opusinfo'] as const
const missing = tools.filter((t) => !has(t))

describe('Ogg: we write, they read', () => {
  it.skipIf(missing.length > 0).each(NAMES)(`%s: ffprobe shows our stream tags; ogginfo/opusinfo clean; decoded audio unchanged (needs ${tools.join(', ')})`, async (name) => {
    const original = fixture('ogg', name)
    const md5 = decodedMd5(file(original, name))
    for (const entries of [ENTRIES, HUGE, await exact255(original), null]) {
      const p = file(await write(original, entries), name)
      const tags = ffprobeTags(p)
      expect(tagValue(tags, 'NOAI')).toBe(entries?.readable)
      expect(tagValue(tags, 'NOAI_TAG')).toBe(entries?.document)
      expect(clean('ogginfo', p), `ogginfo ${name}`).toBe('')
      if (name.endsWith('.opus')) expect(clean('opusinfo', p), `opusinfo ${name}`).toBe('')
      expect(ffmpegErrors(p)).toBe('')
      expect(decodedMd5(p)).toBe(md5)
    }
  })

  it.skipIf(!has('vorbiscomment'))('vorbiscomment -l lists our fields (needs vorbiscomment)', async () => {
    for (const name of ['ffmpeg.ogg', 'oggenc.ogg']) {
      for (const entries of [ENTRIES, HUGE]) {
        const p = file(await write(fixture('ogg', name), entries), name)
        const lines = runOk('vorbiscomment', ['-l', p]).split('\n')
        expect(lines).toContain(`NOAI=${entries.readable}`)
        expect(lines).toContain(`NOAI_TAG=${entries.document}`)
      }
    }
  })

  it.skipIf(!has('opusinfo') || !has('ffmpeg'))('Opus tags with trailing binary data stay valid and keep the data (needs opusinfo, ffmpeg)', async () => {
    const file0 = opusWithBinaryTail()
    for (const entries of [ENTRIES, HUGE]) {
      const out = await write(file0, entries)
      const p = file(out, 'tail.opus')
      expect(clean('opusinfo', p)).toBe('')
      expect(ffmpegErrors(p)).toBe('')
      expect(packets(out)[1]!.subarray(-5)).toEqual(Uint8Array.of(0x01, 0xde, 0xad, 0xbe, 0xef))
    }
  })

  it.skipIf(!has('exiftool'))('exiftool shows [Vorbis] Noai for Vorbis and Opus (needs exiftool)', async () => {
    for (const name of ['oggenc.ogg', 'opusenc.opus']) {
      const out = runOk('exiftool', ['-a', '-G1', '-s', file(await write(fixture('ogg', name), ENTRIES), name)])
      expect(out).toMatch(/\[Vorbis\]\s+Noai\s+: train-ai=n, search=y/)
    }
  })

  it.skipIf(!has('mutagen'))('mutagen reads both fields, also from a re-paged comment (needs mutagen)', async () => {
    for (const name of ['pages.ogg', 'pages.opus']) {
      for (const entries of [ENTRIES, HUGE]) {
        const p = file(await write(fixture('ogg', name), entries), name)
        const out = runOk(PY, ['-c', 'import mutagen,sys,json;t=mutagen.File(sys.argv[1]).tags;print(json.dumps([t["NOAI"],t["NOAI_TAG"]]))', p])
        expect(JSON.parse(out)).toEqual([[entries.readable], [entries.document]])
      }
    }
  })
})

describe('Ogg: they write, we read', () => {
  it.skipIf(!has('vorbiscomment'))('vorbiscomment -a adds other fields (small and large): ours stay, essence unchanged (needs vorbiscomment)', async () => {
    for (const name of ['ffmpeg.ogg', 'pages.ogg']) {
      const original = fixture('ogg', name)
      const p = file(await write(original, ENTRIES), name)
      runOk('vorbiscomment', ['-a', '-t', 'TITLE=Edited', p])
      runOk('vorbiscomment', ['-a', '-t', `BIG=${'z'.repeat(70_000)}`, p])
      const edited = load(p)
      expect(await handler.read(fromBytes(edited))).toMatchObject({ readable: ENTRIES.readable, document: ENTRIES.document })
      expect(await essence(edited)).toBe(await essence(original))
      // And we can write over what vorbiscomment wrote.
      const again = await write(edited, null)
      expect((await handler.read(fromBytes(again))).document).toBeUndefined()
      expect(await essence(again)).toBe(await essence(original))
    }
  })

  it.skipIf(!has('mutagen'))('mutagen edits (small and re-paging) keep ours and the essence, for Vorbis and Opus (needs mutagen)', async () => {
    for (const name of ['pages.ogg', 'pages.opus', 'opusenc.opus']) {
      const original = fixture('ogg', name)
      const p = file(await write(original, ENTRIES), name)
      runOk(PY, ['-c', 'import mutagen,sys;f=mutagen.File(sys.argv[1]);f["ALBUM"]="A";f["BIG"]="y"*70000;f.save()', p])
      const edited = load(p)
      expect(await handler.read(fromBytes(edited))).toMatchObject({ readable: ENTRIES.readable, document: ENTRIES.document })
      expect(await essence(edited)).toBe(await essence(original))
    }
  })

  it.skipIf(!has('oggenc') || !has('opusenc'))('fields written by oggenc and opusenc --comment are read (case-insensitive) (needs oggenc, opusenc)', async () => {
    const wav = join(dir, 'tone.wav')
    runOk('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.2:sample_rate=8000', '-ac', '1', wav])
    const ogg = join(dir, 'enc.ogg')
    const opus = join(dir, 'enc.opus')
    runOk('oggenc', ['-Q', '-c', 'noai=train-ai=n', '-c', 'NoAI_Tag={"version":1}', '-o', ogg, wav])
    runOk('opusenc', ['--quiet', '--comment', 'noai=train-ai=n', '--comment', 'NoAI_Tag={"version":1}', wav, opus])
    for (const p of [ogg, opus]) expect(await handler.read(fromBytes(load(p)))).toMatchObject({ readable: 'train-ai=n', document: '{"version":1}' })
  })
})

describe('Ogg essence against ffmpeg', () => {
  it.skipIf(!has('ffmpeg'))('the audio packets in the essence are exactly what ffmpeg extracts (-map 0:a -c copy -f data) (needs ffmpeg)', async () => {
    for (const name of NAMES) {
      const bytes = fixture('ogg', name)
      const h = capture()
      await handler.essence(fromBytes(bytes), h)
      const data = runBytes('ffmpeg', ['-v', 'error', '-i', file(bytes, name), '-map', '0:a', '-c', 'copy', '-f', 'data', '-'])
      // The essence: the packets but the comment header, concatenated (the header packets in it are
      // Vorbis identification + setup, or OpusHead; ffmpeg's output is the rest), then the SHA-256
      // of their lengths as u32le, then the final granule position (docs/spec.md §10.6.5).
      const all = packets(bytes)
      const kept = all.filter((_, i) => i !== 1)
      const headers = name.endsWith('.opus') ? [all[0]!] : [all[0]!, all[2]!]
      const e = h.bytes()
      expect(e.subarray(0, -40)).toEqual(cat(...headers, data))
      const lengths = Buffer.alloc(4 * kept.length)
      kept.forEach((p, i) => lengths.writeUInt32LE(p.byteLength, 4 * i))
      expect(e.subarray(-40, -8)).toEqual(new Uint8Array(createHash('sha256').update(lengths).digest()))
      expect(e.subarray(-8)).toEqual(pages(bytes).at(-1)!.bytes.subarray(6, 14))
    }
  })

  it.skipIf(!has('ffmpeg'))('a `-c copy` remux keeps the essence hash (needs ffmpeg)', async () => {
    for (const name of ['pages.ogg', 'ffmpeg.opus', 'opusenc.opus', 'pages.opus']) {
      const original = fixture('ogg', name)
      const p = file(await write(original, HUGE), name)
      const out = join(dir, `remux-${name}`)
      runOk('ffmpeg', ['-v', 'error', '-y', '-i', p, '-map', '0', '-c', 'copy', out])
      expect(await essence(load(out)), name).toBe(await essence(original))
    }
  })

  it.skipIf(!has('ffmpeg'))('ffmpeg 5.1 remuxes a Vorbis stream whose audio is one page with final granule + 2^32: the essence sees it (needs ffmpeg)', async () => {
    // Not an essence instability: the remuxed file really differs (ogginfo reports a playback
    // length of 8947 minutes), and the final granule position is part of the essence.
    const original = fixture('ogg', 'ffmpeg.ogg')
    const out = join(dir, 'remux-one-page.ogg')
    runOk('ffmpeg', ['-v', 'error', '-y', '-i', file(original, 'one.ogg'), '-map', '0', '-c', 'copy', out])
    const granule = (b: Uint8Array): bigint => new DataView(b.buffer, b.byteOffset).getBigInt64(pages(b).at(-1)!.offset + 6, true)
    const remuxed = load(out)
    if (granule(remuxed) === granule(original)) {
      expect(await essence(remuxed)).toBe(await essence(original)) // a fixed ffmpeg
    } else {
      expect(granule(remuxed) - granule(original)).toBe(2n ** 32n)
      expect(await essence(remuxed)).not.toBe(await essence(original))
      expect(packets(remuxed).filter((_, i) => i !== 1)).toEqual(packets(original).filter((_, i) => i !== 1))
    }
  })
})
