// Minimal IO (issue 5, Performance): reading the tag of a large file reads only its metadata.
// Large files are made sparse from the committed fixtures, stamped with our writer: a hole of zeros
// is put inside the audio payload (the `data`/`SSND` chunk or `mdat` box grown by the hole, with
// its size fields patched; for MP3, FLAC and Ogg, inside the frames or pages), so the files take
// no disk space. Every read goes through fileSource (its bytesRead counter) and a spy that records
// the ranges. WAV/AIFF/M4A: the totals stay under the limits of the issue (64 KiB; 1 % of an M4A)
// and nothing of the grown payload is read beyond the format detection probe (the first
// DETECT_LIMITS.probeBytes of the file). MP3/FLAC/Ogg: only a bounded head is read (plus, for MP3,
// the last bytes, where ID3v1/APEv2 trailers are).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { audioTagEntries, readAudioTag, writeAudioTag } from '../src/audio.js'
import { DETECT_LIMITS, handlerFor } from '../src/audio/registry.js'
import type { AudioFormat, ByteSource } from '../src/audio/types.js'
import { isNoaiTagError } from '../src/errors.js'
import type { NoaiTag } from '../src/index.js'
import { fileSource } from '../src/node.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'audio')
const KIB64 = 64 * 1024
/** The head MP3, FLAC and Ogg readers may read: their metadata plus a read-ahead window. */
const HEAD_BYTES = 128 * 1024
/** The end of a file an MP3 reader may read (ID3v1, APEv2, Lyrics3 trailers). */
const TAIL_BYTES = 64 * 1024
const GIB = 2 ** 30
const WORK = mkdtempSync(join(tmpdir(), 'noai-bytes-read-'))
afterAll(() => rmSync(WORK, { recursive: true, force: true }))

const TAG: NoaiTag = {
  version: 1,
  subject: { self: true },
  usage: { 'train-ai': 'denied', 'ai-input': 'denied', search: 'allowed' },
  issued: '2026-11-26T00:00:00Z',
  issuer: 'https://label.example',
}
const ENTRIES = audioTagEntries({ tag: TAG })

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)))

/** A sparse file: `head`, then a hole of `hole` zero bytes that takes no disk space, then `tail`. */
async function sparse(name: string, head: Uint8Array, hole: number, tail: Uint8Array): Promise<string> {
  const path = join(WORK, name)
  const h = await open(path, 'w')
  try {
    await h.write(head, 0, head.length, 0)
    await h.truncate(head.length + hole)
    await h.write(tail, 0, tail.length, head.length + hole)
  } finally {
    await h.close()
  }
  return path
}

/** Reads the tag of a file through fileSource and a spy; returns what was read and where. */
async function readCounted(path: string): Promise<{ size: number; bytesRead: number; ranges: [number, number][]; readable?: string; document?: string }> {
  const source = await fileSource(path)
  const ranges: [number, number][] = []
  const spy: ByteSource = {
    size: source.size,
    read(offset, length, options) {
      ranges.push([offset, offset + length])
      return source.read(offset, length, options)
    },
  }
  try {
    const r = await readAudioTag(spy)
    return { size: source.size, bytesRead: source.bytesRead, ranges, ...(r.readable === undefined ? {} : { readable: r.readable }), ...(r.document === undefined ? {} : { document: r.document }) }
  } finally {
    await source.close()
  }
}

/** The reads that touch [from, to), leaving out the format detection probe at the start. */
const into = (ranges: readonly [number, number][], from: number, to: number): [number, number][] =>
  ranges.filter(([a, b]) => a < to && b > Math.max(from, DETECT_LIMITS.probeBytes))

async function registered(format: AudioFormat): Promise<boolean> {
  try {
    await handlerFor(format)
    return true
  } catch (e) {
    if (isNoaiTagError(e) && e.code === 'ERR_NOAI_UNSUPPORTED_FORMAT') return false
    throw e
  }
}

// --- Growing the audio payload of a container by a hole -------------------------------------------

const u32 = (b: Uint8Array, at: number, le: boolean): number => new DataView(b.buffer, b.byteOffset).getUint32(at, le)
const setU32 = (b: Uint8Array, at: number, v: number, le: boolean): void => new DataView(b.buffer, b.byteOffset).setUint32(at, v, le)

/**
 * Splits a RIFF/AIFF file at the end of the payload of chunk `id` (before its pad byte) and adds
 * `hole` to that chunk's size and to the outer RIFF/FORM size.
 */
function growChunk(file: Uint8Array, id: string, hole: number, le: boolean): { head: Uint8Array; tail: Uint8Array } {
  for (let p = 12; p + 8 <= file.length; ) {
    const size = u32(file, p + 4, le)
    if (String.fromCharCode(...file.subarray(p, p + 4)) === id) {
      const at = p + 8 + size
      const head = file.slice(0, at)
      setU32(head, p + 4, size + hole, le)
      setU32(head, 4, u32(file, 4, le) + hole, le)
      return { head, tail: file.slice(at) }
    }
    p += 8 + size + (size & 1)
  }
  throw new Error(`no ${id} chunk`)
}

/** Top-level ISO BMFF boxes (32-bit sizes). */
function boxes(file: Uint8Array): { type: string; at: number; size: number }[] {
  const out = []
  for (let p = 0; p + 8 <= file.length; ) {
    const size = u32(file, p, false)
    if (size < 8) throw new Error(`box size ${size} at ${p}`)
    out.push({ type: String.fromCharCode(...file.subarray(p + 4, p + 8)), at: p, size })
    p += size
  }
  return out
}

/** Splits an MP4 at the end of `mdat` and adds `hole` to its size (the sample offsets before it do not move). */
function growMdat(file: Uint8Array, hole: number): { head: Uint8Array; tail: Uint8Array } {
  const mdat = boxes(file).find((b) => b.type === 'mdat')
  if (!mdat) throw new Error('no mdat')
  const head = file.slice(0, mdat.at + mdat.size)
  setU32(head, mdat.at, mdat.size + hole, false)
  return { head, tail: file.slice(mdat.at + mdat.size) }
}

// --- A WAV built by hand: tag after a 1 GiB data chunk ---------------------------------------------

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const le32 = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff)
const syncsafe = (n: number): Uint8Array => Uint8Array.of((n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f)
const riffChunk = (id: string, body: Uint8Array): Uint8Array => cat(latin1(id), le32(body.length), body, new Uint8Array(body.length & 1))
const txxx = (desc: string, value: string): Uint8Array => {
  const body = cat(Uint8Array.of(3), latin1(desc), Uint8Array.of(0), latin1(value))
  return cat(latin1('TXXX'), syncsafe(body.length), new Uint8Array(2), body)
}

/** `RIFF WAVE`, `fmt `, a `data` chunk of `dataBytes` (the hole), then `id3 ` (ID3v2.4 TXXX) and `LIST`/`INFO` `NOAI`. */
function handBuiltWav(dataBytes: number): { head: Uint8Array; tail: Uint8Array } {
  const fmt = Uint8Array.of(1, 0, 2, 0, 0x44, 0xac, 0, 0, 0x10, 0xb1, 2, 0, 4, 0, 16, 0)
  const frames = cat(txxx('NOAI', ENTRIES.readable), txxx('NOAI_TAG', ENTRIES.document))
  const id3 = riffChunk('id3 ', cat(latin1('ID3'), Uint8Array.of(4, 0, 0), syncsafe(frames.length), frames))
  const list = riffChunk('LIST', cat(latin1('INFO'), riffChunk('NOAI', cat(latin1(ENTRIES.readable), Uint8Array.of(0)))))
  const tail = cat(new Uint8Array(dataBytes & 1), id3, list)
  const headNoSize = cat(latin1('RIFF'), le32(0), latin1('WAVE'), riffChunk('fmt ', fmt), latin1('data'), le32(dataBytes))
  const head = cat(headNoSize.subarray(0, 4), le32(headNoSize.length + dataBytes + tail.length - 8), headNoSize.subarray(8))
  return { head, tail }
}

// --- Tests ------------------------------------------------------------------------------------------

describe('reading the tag of a large file reads only its metadata', () => {
  it('WAV, tag after a 1 GiB data chunk (id3 + LIST/INFO, sparse): < 64 KiB, nothing of the data', async (ctx) => {
    if (!(await registered('wav'))) return ctx.skip('no WAV container module registered yet (src/audio/registry.ts)')
    const { head, tail } = handBuiltWav(GIB)
    const r = await readCounted(await sparse('tag-after-data.wav', head, GIB, tail))
    expect([r.readable, r.document]).toEqual([ENTRIES.readable, ENTRIES.document])
    expect(r.bytesRead).toBeLessThan(KIB64)
    expect(into(r.ranges, head.length, head.length + GIB)).toEqual([])
  })

  for (const [format, name, id, le] of [
    ['wav', 'wav/ffmpeg.wav', 'data', true],
    ['aiff', 'aiff/ffmpeg.aiff', 'SSND', false],
  ] as const) {
    it(`${name} stamped by us, its ${id} chunk grown to 1 GiB (sparse): < 64 KiB, nothing of the audio`, async (ctx) => {
      if (!(await registered(format))) return ctx.skip(`no ${format.toUpperCase()} container module registered yet (src/audio/registry.ts)`)
      const { head, tail } = growChunk(await writeAudioTag(fixture(name), { tag: TAG }), id, GIB, le)
      const r = await readCounted(await sparse(`grown-${format}`, head, GIB, tail))
      expect([r.readable, r.document]).toEqual([ENTRIES.readable, ENTRIES.document])
      expect(r.bytesRead).toBeLessThan(KIB64)
      expect(into(r.ranges, head.length, head.length + GIB)).toEqual([])
    })
  }

  it('M4A with moov after a 64 MiB mdat (sparse): < 1 % of the file, nothing of the mdat payload', async () => {
    const stamped = await writeAudioTag(fixture('mp4/aac-end.m4a'), { tag: TAG })
    const order = boxes(stamped).map((b) => b.type)
    expect(order.indexOf('moov')).toBeGreaterThan(order.indexOf('mdat')) // still moov-at-end after our write
    const hole = 64 * 2 ** 20
    const { head, tail } = growMdat(stamped, hole)
    const r = await readCounted(await sparse('moov-at-end.m4a', head, hole, tail))
    expect([r.readable, r.document]).toEqual([ENTRIES.readable, ENTRIES.document])
    expect(r.bytesRead).toBeLessThan(r.size / 100)
    expect(into(r.ranges, head.length, head.length + hole)).toEqual([])
  })

  // MP3, FLAC, Ogg: the metadata is at the head; the file is made large by a 256 MiB hole in the
  // middle of its audio frames or pages, and every read must stay in the head (or the tail).
  for (const name of ['mp3/tone-v24.mp3', 'mp3/tone-v23-id3v1.mp3', 'flac/reference.flac', 'ogg/oggenc.ogg', 'ogg/opusenc.opus', 'mp4/aac-faststart.m4a']) {
    const mp3 = name.endsWith('.mp3')
    it(`${name} stamped by us, 256 MiB of audio inserted (sparse): reads < 128 KiB, all in the first 128 KiB${mp3 ? ' or the last 64 KiB' : ''}`, async () => {
      const stamped = await writeAudioTag(fixture(name), { tag: TAG })
      const start = (await readAudioTag(stamped)).essenceOffset
      expect(start).toBeDefined()
      const hole = 256 * 2 ** 20
      let head: Uint8Array
      let tail: Uint8Array
      if (name.endsWith('.m4a')) ({ head, tail } = growMdat(stamped, hole))
      else {
        const split = start! + Math.floor((stamped.length - start!) / 2)
        ;[head, tail] = [stamped.slice(0, split), stamped.slice(split)]
      }
      const r = await readCounted(await sparse(`head-${name.replace('/', '-')}`, head, hole, tail))
      expect([r.readable, r.document]).toEqual([ENTRIES.readable, ENTRIES.document])
      expect(r.bytesRead).toBeLessThan(HEAD_BYTES)
      expect(r.ranges.filter(([a, b]) => b > HEAD_BYTES && !(mp3 && a >= r.size - TAIL_BYTES))).toEqual([])
    })
  }
})
