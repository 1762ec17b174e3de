// Reading our MP4 items, the codec and foreign XMP/C2PA (docs/spec.md §10.7.3, §10.7.5, §10.7.7).
import { describe, expect, it } from 'vitest'
import { AUDIO_LIMITS } from '../src/audio/limits.js'
import type { ByteSource } from '../src/audio/types.js'
import {
  AUDIO_TRACK,
  ascii,
  box,
  boxesAt,
  cat,
  fixture,
  freeform,
  fullBox,
  readTags,
  synth,
  u32,
  type SynthTrack,
} from './audio-mp4-helpers.js'

const XMP_UUID = Uint8Array.from([0xbe, 0x7a, 0xcf, 0xcb, 0x97, 0xa9, 0x42, 0xe8, 0x9c, 0x71, 0x99, 0x94, 0x91, 0xe3, 0xaf, 0xac])
const C2PA_UUID = Uint8Array.from([0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c, 0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81])
const packet = (body: string) => ascii(`<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?><x:xmpmeta xmlns:x='adobe:ns:meta/'>${body}</x:xmpmeta><?xpacket end='w'?>`)

describe('MP4 read: committed fixtures', () => {
  it('names the codec and finds no tag in untagged files', async () => {
    expect(await readTags(fixture('aac-end.m4a'))).toEqual({ format: 'mp4', codec: 'aac', foreign: [], warnings: [], essenceOffset: 44 })
    expect(await readTags(fixture('alac-end.m4a'))).toMatchObject({ codec: 'alac', foreign: [] })
    const fast = fixture('aac-faststart.m4a')
    expect((await readTags(fast)).essenceOffset).toBe(boxesAt(fast, 'mdat')[0]!.start + 8)
  })

  it('reads the items mutagen wrote (they write, we read)', async () => {
    expect(await readTags(fixture('aac-noai-mutagen.m4a'))).toMatchObject({ readable: 'train-ai=n, search=y', document: '{"version":1}', warnings: [] })
  })

  it('reports the XMP uuid box exiftool wrote, with its bytes', async () => {
    const file = fixture('aac-xmp.m4a')
    const { foreign } = await readTags(file)
    expect(foreign).toHaveLength(1)
    const [xmp] = foreign
    expect(xmp).toMatchObject({ kind: 'xmp', location: 'MP4 uuid be7acfcb-97a9-42e8-9c71-999491e3afac' })
    expect(new TextDecoder().decode(xmp!.bytes)).toContain('DMI-PROHIBITED-AIMLTRAINING')
    expect(file.subarray(xmp!.offset, xmp!.offset + xmp!.length)).toEqual(xmp!.bytes)
  })
})

describe('MP4 read: synthetic files', () => {
  const ours = [freeform('com.apple.iTunes', 'NOAI', 'train-ai=n'), freeform('com.apple.iTunes', 'NOAI_TAG', '{"version":1}')]

  it('reads both forms of meta (FullBox and QuickTime)', async () => {
    for (const meta of ['fullbox', 'quicktime'] as const) {
      expect(await readTags(synth({ meta, items: ours }))).toMatchObject({ readable: 'train-ai=n', document: '{"version":1}', warnings: [] })
    }
  })

  it('matches names case-insensitively and the mean exactly; ignores other means', async () => {
    const items = [freeform('com.example', 'NOAI', 'wrong'), freeform('com.apple.iTunes', 'noai', 'train-ai=n')]
    expect(await readTags(synth({ items }))).toMatchObject({ readable: 'train-ai=n' })
    expect((await readTags(synth({ items: [freeform('com.Apple.iTunes', 'NOAI', 'x')] }))).readable).toBeUndefined()
  })

  it('keeps the first of duplicated items and warns; strips trailing NULs', async () => {
    const items = [freeform('com.apple.iTunes', 'NOAI', 'first\0\0'), freeform('com.apple.iTunes', 'NOAI', 'second')]
    const tags = await readTags(synth({ items }))
    expect(tags.readable).toBe('first')
    expect(tags.warnings).toEqual([expect.stringContaining('second ----:com.apple.iTunes:NOAI item')])
  })

  it('reads data type 0 (implicit) as UTF-8; warns on other types and on invalid UTF-8', async () => {
    expect((await readTags(synth({ items: [freeform('com.apple.iTunes', 'NOAI', 'a=n', 0)] }))).readable).toBe('a=n')
    const jpeg = await readTags(synth({ items: [freeform('com.apple.iTunes', 'NOAI', 'a=n', 13)] }))
    expect(jpeg.readable).toBeUndefined()
    expect(jpeg.warnings).toEqual([expect.stringContaining('data type 13')])
    const bad = box('----', fullBox('mean', ascii('com.apple.iTunes')), fullBox('name', ascii('NOAI_TAG')), box('data', u32(1), u32(0), Uint8Array.of(0xc3, 0x28)))
    const tags = await readTags(synth({ items: [bad] }))
    expect(tags.document).toBeUndefined()
    expect(tags.warnings).toEqual([expect.stringContaining('not valid UTF-8')])
  })

  it('reports C2PA uuid boxes (presence), XMP uuid boxes and moov/udta/XMP_ (with bytes)', async () => {
    const c2pa = box('uuid', C2PA_UUID, u32(0), ascii('manifest\0'), new Uint8Array(8), box('jumb', box('jumd', ascii('c2pa'))))
    const xmp = box('uuid', XMP_UUID, packet('<a/>'))
    const file = synth({ extraTop: [c2pa, xmp], extraUdta: [box('XMP_', packet('<b/>'))] })
    const { foreign } = await readTags(file)
    expect(foreign.map((f) => [f.kind, f.location])).toEqual([
      ['c2pa', 'MP4 uuid d8fec3d6-1b0e-483c-9297-5828877ec481'],
      ['xmp', 'MP4 uuid be7acfcb-97a9-42e8-9c71-999491e3afac'],
      ['xmp', 'MP4 moov/udta/XMP_'],
    ])
    expect(foreign[0]!.bytes).toBeUndefined()
    expect(foreign[0]!.length).toBe(c2pa.byteLength - 24)
    expect(new TextDecoder().decode(foreign[2]!.bytes)).toContain('<b/>')
  })

  it('reports an XMP packet over the size limit without its bytes', async () => {
    const big = box('uuid', XMP_UUID, packet(' '.repeat(AUDIO_LIMITS.maxXmpBytes)))
    const { foreign } = await readTags(synth({ extraTop: [big] }))
    expect(foreign[0]).toMatchObject({ kind: 'xmp', length: big.byteLength - 24 })
    expect(foreign[0]!.bytes).toBeUndefined()
  })

  it('warns about a few stray bytes after the last box', async () => {
    const tags = await readTags(cat(synth(), new Uint8Array(3)))
    expect(tags.warnings).toEqual(['3 bytes after the last top-level box ignored'])
  })
})

describe('MP4 read: IO', () => {
  /** A 20 MB moov-at-end file whose mdat is virtual (zeros), with a byte counter. */
  function bigFile(): { source: ByteSource; bytesRead: () => number } {
    const sample = new Uint8Array(400)
    const track: SynthTrack = { handler: 'soun', samples: Array.from({ length: 50_000 }, () => sample), perChunk: 20 }
    const file = synth({ tracks: [track, { ...AUDIO_TRACK, handler: 'text' }], items: [freeform('com.apple.iTunes', 'NOAI', 'train-ai=n')] })
    let read = 0
    const source: ByteSource = {
      size: file.byteLength,
      read(offset, length) {
        const bytes = file.subarray(offset, Math.min(file.byteLength, offset + length))
        read += bytes.byteLength
        return Promise.resolve(bytes)
      },
    }
    return { source, bytesRead: () => read }
  }

  it('reads under 1% of a 20 MB moov-at-end file to find the tag (never mdat, never the sample tables)', async () => {
    const { source, bytesRead } = bigFile()
    expect(source.size).toBeGreaterThan(20_000_000)
    expect((await readTags(source)).readable).toBe('train-ai=n')
    expect(bytesRead()).toBeLessThan(source.size / 100)
  })
})
