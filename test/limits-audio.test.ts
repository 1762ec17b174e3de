// One test per bound of the audio readers and writers that no carrier test covers yet
// (docs/limits.md lists them all, with the test that proves each one). Each test puts an input just
// over the bound and shows the documented effect: a typed error, a refusal to go further, or a
// fallback; and, where cheap, that an input at the bound is still fine.
import { describe, expect, it } from 'vitest'
import { audioEssence, fromStream, readAudioTag, detectAudioFormat } from '../src/audio.js'
import { fromUrl, URL_SOURCE_LIMITS } from '../src/audio/http-source.js'
import { handler as flacHandler } from '../src/audio/flac/index.js'
import { FLAC_LIMITS } from '../src/audio/flac/limits.js'
import { ID3V2_LIMITS } from '../src/audio/id3v2/limits.js'
import { IFF_LIMITS } from '../src/audio/iff/limits.js'
import { AUDIO_LIMITS } from '../src/audio/limits.js'
import { MP3_LIMITS } from '../src/audio/mp3/limits.js'
import { handler as mp4Handler } from '../src/audio/mp4/index.js'
import { MP4_LIMITS } from '../src/audio/mp4/limits.js'
import { handler as oggHandler } from '../src/audio/ogg/index.js'
import { OGG_LIMITS } from '../src/audio/ogg/limits.js'
import { DETECT_LIMITS } from '../src/audio/registry.js'
import { fromBytes } from '../src/audio/source.js'
import type { ByteSource } from '../src/audio/types.js'
import { handler as wavHandler } from '../src/audio/wav/index.js'
import { WAV_LIMITS } from '../src/audio/wav/limits.js'
import { LimitExceededError } from '../src/errors.js'
import { ascii, concat, frame, ID3V1, mpegFrames, tag, txxx } from './audio-id3v2-build.js'
import { AUDIO_TRACK, box, cat, fullBox, synth, u32 } from './audio-mp4-helpers.js'
import { chunk, riff, u32 as u32x } from './audio-wav-helpers.js'
import { cat as xcat, fixture as xiphFixture, page, pages } from './_xiph.js'

const ENTRIES = { readable: 'train-ai=n', document: '{"version":1,"subject":{"self":true},"usage":{"train-ai":"denied"},"issued":"2026-11-26T00:00:00Z"}' }
const emptyId3 = (): Uint8Array => tag({ frames: [], padding: 0 })
const code = (p: Promise<unknown>): Promise<string | undefined> => p.then(() => undefined, (e: { code?: string }) => e.code)

describe('detection (DETECT_LIMITS)', () => {
  it('maxPrefixTags: FLAC behind 8 ID3v2 tags is found; behind 9 the search stops (taken for MP3)', async () => {
    const flac = xiphFixture('flac', 'reference.flac')
    const behind = (n: number): Uint8Array => concat(...Array.from({ length: n }, emptyId3), flac)
    expect(await detectAudioFormat(behind(DETECT_LIMITS.maxPrefixTags))).toBe('flac')
    expect(await detectAudioFormat(behind(DETECT_LIMITS.maxPrefixTags + 1))).toBe('mp3')
  })

  it('maxBoxes: a moof past the first 1024 top-level boxes is not looked for', async () => {
    const plain = synth({ moovFirst: true })
    const free = box('free')
    const moof = box('moof', box('mfhd', u32(0), u32(1)))
    const fragmented = (n: number): Uint8Array => cat(plain, ...Array.from({ length: n }, () => free), moof)
    await expect(detectAudioFormat(fragmented(10))).rejects.toMatchObject({ code: 'ERR_NOAI_UNSUPPORTED_FORMAT' })
    expect(await detectAudioFormat(fragmented(DETECT_LIMITS.maxBoxes))).toBe('mp4')
  })
})

describe('sources (URL_SOURCE_LIMITS, MAX_STREAM_BUFFER_BYTES)', () => {
  /** A fetch over `bytes` that answers Range requests and counts them. */
  function rangedFetch(bytes: Uint8Array): { fetch: typeof fetch; requests: () => number } {
    let requests = 0
    const f = (async (_url: string | URL | Request, init?: RequestInit) => {
      requests++
      const m = /^bytes=(\d+)-(\d+)$/.exec(new Headers(init?.headers).get('range') ?? '')
      if (!m) return new Response(bytes.slice(), { status: 200 })
      const start = Number(m[1])
      const end = Math.min(Number(m[2]), bytes.length - 1)
      return new Response(bytes.slice(start, end + 1), { status: 206, headers: { 'content-range': `bytes ${start}-${end}/${bytes.length}`, etag: '"1"' } })
    }) as typeof fetch
    return { fetch: f, requests: () => requests }
  }

  it('maxCachedBlocks: at most 32 blocks are kept; the oldest is fetched again', async () => {
    const bytes = new Uint8Array(URL_SOURCE_LIMITS.blockBytes * (URL_SOURCE_LIMITS.maxCachedBlocks + 2))
    const r = rangedFetch(bytes)
    const source = await fromUrl('https://audio.example/a', { fetch: r.fetch })
    for (let b = 0; b <= URL_SOURCE_LIMITS.maxCachedBlocks; b++) await source.read(b * URL_SOURCE_LIMITS.blockBytes, 1)
    const before = r.requests()
    await source.read(URL_SOURCE_LIMITS.maxCachedBlocks * URL_SOURCE_LIMITS.blockBytes, 1) // the newest block: cached
    expect(r.requests()).toBe(before)
    await source.read(0, 1) // the oldest block was evicted
    expect(r.requests()).toBe(before + 1)
  })

  it('maxRequests: a source makes at most maxRequests requests, then refuses', async () => {
    const bytes = new Uint8Array(URL_SOURCE_LIMITS.blockBytes * 8)
    const r = rangedFetch(bytes)
    const source = await fromUrl('https://audio.example/a', { fetch: r.fetch, maxRequests: 3 })
    const reads = async (): Promise<void> => {
      for (let b = 0; b < 8; b++) await source.read(b * URL_SOURCE_LIMITS.blockBytes, 1)
    }
    await expect(reads()).rejects.toBeInstanceOf(LimitExceededError)
    expect(r.requests()).toBeLessThanOrEqual(3)
  })

  it('MAX_STREAM_BUFFER_BYTES (fromStream maxBytes): a longer stream is refused and cancelled', async () => {
    let cancelled = false
    let pulls = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++
        c.enqueue(new Uint8Array(1024))
      },
      cancel() {
        cancelled = true
      },
    })
    await expect(fromStream(stream, { maxBytes: 10_000 })).rejects.toBeInstanceOf(LimitExceededError)
    expect(cancelled).toBe(true)
    expect(pulls).toBeLessThan(20)
  })
})

describe('MP3 and ID3v2 (MP3_LIMITS, ID3V2_LIMITS)', () => {
  it('maxTrailingTags: 8 trailing tags are peeled off the essence; a 9th is left in it', async () => {
    const audio = mpegFrames(20)
    const e = async (n: number): Promise<string> => (await audioEssence(concat(tag({ frames: [], padding: 16 }), audio, ...Array.from({ length: n }, () => ID3V1)))).sha256
    const bare = await e(0)
    expect(await e(MP3_LIMITS.maxTrailingTags)).toBe(bare)
    expect(await e(MP3_LIMITS.maxTrailingTags + 1)).not.toBe(bare)
  })

  it('syncSearchBytes: the codec is found past a few junk bytes, not past 64 KiB of them', async () => {
    const withJunk = (n: number): Uint8Array => concat(tag({ frames: [], padding: 16 }), new Uint8Array(n), mpegFrames(10))
    expect((await readAudioTag(withJunk(100))).codec).toBe('mp3')
    expect((await readAudioTag(withJunk(MP3_LIMITS.syncSearchBytes))).codec).toBeUndefined()
  })

  it('maxFrames: a tag of more than 100,000 frames is refused', async () => {
    const tiny = frame('TXXX', Uint8Array.of(3, 0))
    const many = concat(tag({ body: concat(...Array.from({ length: ID3V2_LIMITS.maxFrames + 1 }, () => tiny)) }), mpegFrames(4))
    await expect(readAudioTag(many)).rejects.toThrow(/maxFrames/)
  })

  it('maxTextBytes: a NOAI_TAG value far over the entry limit is not decoded', async () => {
    const doc = (n: number): string => `{"pad":"${'x'.repeat(n)}"}`
    const file = (n: number): Uint8Array => concat(tag({ frames: [txxx('NOAI_TAG', doc(n))], padding: 16 }), mpegFrames(4))
    expect((await readAudioTag(file(1000))).document).toBe(doc(1000))
    const over = await readAudioTag(file(ID3V2_LIMITS.maxTextBytes + 2048))
    expect(over.document).toBeUndefined()
  })
})

describe('FLAC (FLAC_LIMITS)', () => {
  const flac = xiphFixture('flac', 'no-padding.flac')
  /** The fixture with `n` empty PADDING blocks appended to its metadata. */
  function withBlocks(n: number): Uint8Array {
    const blocks = Array.from({ length: n }, (_, i) => Uint8Array.of(i === n - 1 ? 0x81 : 0x01, 0, 0, 0))
    // no-padding.flac: fLaC, then blocks; clear the last-block flag of its last block, then ours.
    const out = flac.slice()
    let at = 4
    for (;;) {
      const last = (out[at]! & 0x80) !== 0
      const len = (out[at + 1]! << 16) | (out[at + 2]! << 8) | out[at + 3]!
      if (last) {
        out[at] = out[at]! & 0x7f
        at += 4 + len
        break
      }
      at += 4 + len
    }
    return concat(out.subarray(0, at), ...blocks, out.subarray(at))
  }

  it('maxBlocks: at most 4096 metadata blocks are walked', async () => {
    expect(await code(readAudioTag(withBlocks(FLAC_LIMITS.maxBlocks - 8)))).toBeUndefined()
    await expect(readAudioTag(withBlocks(FLAC_LIMITS.maxBlocks))).rejects.toThrow(/more than 4096 metadata blocks/)
  })

  it('maxId3Prefixes: at most 8 ID3v2 tags before fLaC', async () => {
    const behind = (n: number): Uint8Array => concat(...Array.from({ length: n }, emptyId3), flac)
    expect(await code(flacHandler.read(fromBytes(behind(FLAC_LIMITS.maxId3Prefixes))))).toBeUndefined()
    await expect(flacHandler.read(fromBytes(behind(FLAC_LIMITS.maxId3Prefixes + 1)))).rejects.toThrow(/more than 8 ID3v2 tags/)
  })
})

describe('Ogg (OGG_LIMITS)', () => {
  const opus = xiphFixture('ogg', 'opusenc.opus')
  const ps = pages(opus)

  it('maxStreams: more than 64 logical streams are refused', async () => {
    // Pages of other (unknown) streams before the Opus stream's BOS page.
    const others = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => page({ type: 2, granule: 0n, serial: 1000 + i, seq: 0, lacing: [4], body: ascii('junk') }))
    expect(await code(oggHandler.read(fromBytes(xcat(...others(OGG_LIMITS.maxStreams - 1), opus))))).toBeUndefined()
    const e = await oggHandler.read(fromBytes(xcat(...others(OGG_LIMITS.maxStreams), opus))).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxStreams' })
  })

  it('maxHeaderPages: a comment header spread over more than 8192 pages is refused', async () => {
    // The Opus comment packet, continued over many one-segment pages of 255 bytes.
    const serial = ps[0]!.serial
    const many: Uint8Array[] = [ps[0]!.bytes]
    const n = OGG_LIMITS.maxHeaderPages + 2
    for (let i = 1; i <= n; i++) many.push(page({ type: i === 1 ? 0 : 1, granule: -1n, serial, seq: i, lacing: [255], body: new Uint8Array(255) }))
    const e = await oggHandler.read(fromBytes(xcat(...many))).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxHeaderPages' })
  })

  it('maxPacketBytes: an audio packet over 16 MiB is refused while hashing', async () => {
    const serial = ps[0]!.serial
    const headers = ps.filter((p) => p.granule === 0n || p.seq < 2).map((p) => p.bytes)
    const full = Array<number>(255).fill(255)
    const body = new Uint8Array(255 * 255)
    const audio: Uint8Array[] = []
    const n = Math.ceil(OGG_LIMITS.maxPacketBytes / body.length) + 1
    let seq = headers.length
    for (let i = 0; i < n; i++) audio.push(page({ type: i === 0 ? 0 : 1, granule: -1n, serial, seq: seq++, lacing: full, body }))
    audio.push(page({ type: 1 | 4, granule: 960n, serial, seq: seq++, lacing: [1], body: new Uint8Array(1) }))
    const e = await audioEssence(xcat(...headers, ...audio)).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxPacketBytes' })
  }, 60_000)

  it('maxRenumberedPages: a write that must renumber more than 262,144 pages is refused', async () => {
    // An Opus stream of many tiny audio pages; a comment header that needs a second page forces
    // every later page to be renumbered.
    const serial = ps[0]!.serial
    const headers = ps.slice(0, 2).map((p) => p.bytes)
    const n = OGG_LIMITS.maxRenumberedPages + 1
    const one = page({ type: 0, granule: 960n, serial, seq: 2, lacing: [1], body: Uint8Array.of(0) }).length
    const head = xcat(...headers)
    const file = new Uint8Array(head.length + n * one)
    file.set(head)
    for (let i = 0; i < n; i++) file.set(page({ type: i === n - 1 ? 4 : 0, granule: BigInt(960 * (i + 1)), serial, seq: 2 + i, lacing: [1], body: Uint8Array.of(i & 0xff) }), head.length + i * one)
    const big = { readable: ENTRIES.readable, document: `{"pad":"${'x'.repeat(70_000)}"}` }
    const e = await oggHandler.planWrite(fromBytes(file), big).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxRenumberedPages' })
  }, 120_000)
})

describe('MP4 (MP4_LIMITS)', () => {
  it('maxTracks: a moov of more than 1024 tracks is refused', async () => {
    const file = synth({ tracks: Array.from({ length: MP4_LIMITS.maxTracks + 1 }, () => ({ ...AUDIO_TRACK, samples: AUDIO_TRACK.samples.slice(0, 1) })) })
    const e = await readAudioTag(file).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxTracks' })
  })

  it('maxSampleTableBytes: a sample table over 16 MiB is not loaded', async () => {
    // An stsz claiming more samples than the table holds is malformed; here the table is real and huge.
    const count = MP4_LIMITS.maxSampleTableBytes / 4 + 1
    const table = new Uint8Array(4 * count)
    const stsz = fullBox('stsz', u32(0), u32(count), table)
    const base = synth()
    const at = findBox(base, 'stsz')
    const file = patchBox(base, at, stsz)
    const e = await audioEssence(file).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxSampleTableBytes' })
  }, 60_000)

  it('maxMoovBytes: a write that must shift the chunk offsets of a moov over 16 MiB is refused', async () => {
    const big = box('zzzz', new Uint8Array(MP4_LIMITS.maxMoovBytes))
    const file = synth({ moovFirst: true, extraMoov: [big] })
    const e = await mp4Handler.planWrite(fromBytes(file), ENTRIES).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxMoovBytes' })
    const small = synth({ moovFirst: true, extraMoov: [box('zzzz', new Uint8Array(1024))] })
    expect((await mp4Handler.planWrite(fromBytes(small), ENTRIES)).kind).toBe('rewrite')
  }, 60_000)

  it('maxSampleDescriptionBytes: the codec is not read from an stsd over 64 KiB', async () => {
    const base = synth()
    expect((await readAudioTag(base)).codec).toBe('aac')
    const stsd = fullBox('stsd', u32(1), box('mp4a', new Uint8Array(MP4_LIMITS.maxSampleDescriptionBytes)))
    const file = patchBox(base, findBox(base, 'stsd'), stsd)
    expect((await readAudioTag(file)).codec).toBeUndefined()
  })

  it('maxInPlaceMoveBytes: an in-place edit that would move more than 16 MiB becomes a rewrite', async () => {
    // moov (after mdat) = [mvhd, trak, udta(meta(ilst)), zzzz, free]: growing ilst in place moves
    // zzzz; a rewrite of a moov after mdat shifts no chunk offset, so it has no moov size limit.
    const plan = async (n: number): Promise<string> => {
      const file = synth({ extraMoov: [box('zzzz', new Uint8Array(n)), box('free', new Uint8Array(4096))] })
      return (await mp4Handler.planWrite(fromBytes(file), ENTRIES)).kind
    }
    expect(await plan(1024)).toBe('in-place')
    expect(await plan(MP4_LIMITS.maxInPlaceMoveBytes + 1)).toBe('rewrite')
  }, 60_000)
})

describe('WAV and AIFF (IFF_LIMITS, WAV_LIMITS)', () => {
  const fmt = chunk('fmt ', concat(Uint8Array.of(1, 0, 1, 0), u32x(8000, true), u32x(16000, true), Uint8Array.of(2, 0, 16, 0)))
  const data = chunk('data', new Uint8Array(64))

  it('maxSubChunks: a LIST/INFO of more than 4096 sub-chunks is refused', async () => {
    const sub = chunk('INAM', ascii('a\0'))
    const info = (n: number): Uint8Array => chunk('LIST', concat(ascii('INFO'), ...Array.from({ length: n }, () => sub)))
    expect(await code(readAudioTag(riff(fmt, info(16), data)))).toBeUndefined()
    const e = await readAudioTag(riff(fmt, info(IFF_LIMITS.maxSubChunks + 1), data)).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxSubChunks' })
  })

  it('maxSize32: a rewrite that would make a RIFF file larger than 4 GiB is refused (no silent RF64)', async () => {
    // A 4 GiB − 100 byte WAV, as a source that holds only its headers (the audio is never read).
    const dataSize = 0xffff_ffff - 200
    const head = concat(ascii('RIFF'), u32x(4 + fmt.length + 8 + dataSize, true), ascii('WAVE'), fmt, ascii('data'), u32x(dataSize, true))
    const size = head.length + dataSize
    const source: ByteSource = {
      size,
      async read(offset, length) {
        const n = Math.max(0, Math.min(length, size - offset))
        const out = new Uint8Array(n)
        if (offset < head.length) out.set(head.subarray(offset, Math.min(head.length, offset + n)))
        return out
      },
    }
    const e = await wavHandler.planWrite(source, ENTRIES).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxSize32' })
  })

  it('maxDs64Bytes: an RF64 ds64 chunk over 64 KiB is refused', async () => {
    const rf64 = (n: number): Uint8Array => {
      const total = 12 + 8 + n + fmt.length + data.length
      const payload = new Uint8Array(n)
      const dv = new DataView(payload.buffer)
      dv.setBigUint64(0, BigInt(total - 8), true) // riffSize
      dv.setBigUint64(8, 64n, true) // dataSize
      return concat(ascii('RF64'), u32x(0xffff_ffff, true), ascii('WAVE'), chunk('ds64', payload), fmt, data)
    }
    expect(await code(readAudioTag(rf64(WAV_LIMITS.minDs64Bytes)))).toBeUndefined()
    const e = await readAudioTag(rf64(WAV_LIMITS.maxDs64Bytes + 4)).catch((x: unknown) => x)
    expect(e).toMatchObject({ code: 'ERR_NOAI_LIMIT_EXCEEDED', limit: 'maxDs64Bytes' })
  })
})

describe('AUDIO_LIMITS', () => {
  it('maxMetadataBytes: an ID3v2 tag over 16 MiB is refused before it is read', async () => {
    let read = 0
    const size = AUDIO_LIMITS.maxMetadataBytes + 1024
    const claimed = concat(ascii('ID3'), Uint8Array.of(4, 0, 0), Uint8Array.of(0x7f, 0x7f, 0x7f, 0x7f))
    const source: ByteSource = {
      size: size + 10,
      async read(offset, length) {
        read += length
        const out = new Uint8Array(Math.max(0, Math.min(length, size + 10 - offset)))
        if (offset === 0) out.set(claimed.subarray(0, Math.min(10, out.length)))
        return out
      },
    }
    await expect(readAudioTag(source)).rejects.toBeInstanceOf(LimitExceededError)
    expect(read).toBeLessThan(1024 * 1024)
  })
})

/** Offset of the first box of `type` (a depth-first walk of container boxes). */
function findBox(file: Uint8Array, type: string): { start: number; end: number; parents: number[] } {
  const containers = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'udta'])
  const walk = (start: number, end: number, parents: number[]): { start: number; end: number; parents: number[] } | undefined => {
    for (let at = start; at + 8 <= end; ) {
      const size = new DataView(file.buffer, file.byteOffset).getUint32(at)
      const t = String.fromCharCode(...file.subarray(at + 4, at + 8))
      if (t === type) return { start: at, end: at + size, parents }
      if (containers.has(t)) {
        const found = walk(at + 8, at + size, [...parents, at])
        if (found) return found
      }
      at += size
    }
    return undefined
  }
  const r = walk(0, file.length, [])
  if (!r) throw new Error(`no ${type} box`)
  return r
}

/** Replaces a box, fixing the sizes of its parents (chunk offsets are not fixed: for read-only tests). */
function patchBox(file: Uint8Array, at: { start: number; end: number; parents: number[] }, replacement: Uint8Array): Uint8Array {
  const out = cat(file.subarray(0, at.start), replacement, file.subarray(at.end))
  const delta = replacement.length - (at.end - at.start)
  const dv = new DataView(out.buffer, out.byteOffset)
  for (const p of at.parents) dv.setUint32(p, dv.getUint32(p) + delta)
  return out
}
