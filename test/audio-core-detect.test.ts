// Container detection by magic bytes, refusals with their own format code, and input kinds.
import { describe, expect, it } from 'vitest'
import { detectAudioFormat, fromBytes, readAudioTag, UnsupportedFormatError } from '../src/audio.js'
import { ascii, concat, fixture, mpegFrames, tag, textFrame, u32 } from './audio-id3v2-build.js'

const box = (type: string, ...payload: Uint8Array[]): Uint8Array => {
  const body = concat(...payload)
  return concat(u32(8 + body.length), ascii(type), body)
}
const ftyp = (major: string, ...compat: string[]): Uint8Array => box('ftyp', ascii(major), u32(0), ...compat.map(ascii))

async function refused(bytes: Uint8Array): Promise<string> {
  const e = await detectAudioFormat(bytes).catch((x: unknown) => x)
  expect(e).toBeInstanceOf(UnsupportedFormatError)
  expect((e as UnsupportedFormatError).code).toBe('ERR_NOAI_UNSUPPORTED_FORMAT')
  return (e as UnsupportedFormatError).format
}

describe('detectAudioFormat', () => {
  it('tells the six containers by their magic bytes', async () => {
    expect(await detectAudioFormat(fixture('tone-v24.mp3'))).toBe('mp3')
    expect(await detectAudioFormat(fixture('bare.mp3'))).toBe('mp3')
    expect(await detectAudioFormat(mpegFrames(4))).toBe('mp3')
    expect(await detectAudioFormat(concat(ascii('fLaC'), new Uint8Array(40)))).toBe('flac')
    expect(await detectAudioFormat(concat(ascii('OggS'), new Uint8Array(40)))).toBe('ogg')
    for (const riff of ['RIFF', 'RF64', 'BW64']) expect(await detectAudioFormat(concat(ascii(riff), u32(0), ascii('WAVE'), new Uint8Array(20)))).toBe('wav')
    for (const form of ['AIFF', 'AIFC']) expect(await detectAudioFormat(concat(ascii('FORM'), u32(0), ascii(form), new Uint8Array(20)))).toBe('aiff')
    expect(await detectAudioFormat(concat(ftyp('M4A ', 'M4A ', 'mp42', 'isom'), box('moov', box('mvhd', new Uint8Array(20))), box('mdat', new Uint8Array(10))))).toBe('mp4')
    expect(await detectAudioFormat(concat(ftyp('isom', 'iso2', 'mp41'), box('mdat', new Uint8Array(10))))).toBe('mp4')
  })

  it('looks past ID3v2 prefixes: FLAC with an ID3v2 tag in front (as C2PA writes it) is FLAC', async () => {
    const id3 = tag({ frames: [textFrame('TIT2', 'x')], padding: 10 })
    expect(await detectAudioFormat(concat(id3, ascii('fLaC'), new Uint8Array(40)))).toBe('flac')
    expect(await detectAudioFormat(concat(id3, id3, ascii('fLaC'), new Uint8Array(40)))).toBe('flac')
    expect(await detectAudioFormat(concat(id3, mpegFrames(3)))).toBe('mp3')
  })

  it('refuses Matroska/WebM, HLS, DASH and fragmented MP4 with their own format code', async () => {
    expect(await refused(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01))).toBe('matroska')
    expect(await refused(ascii('#EXTM3U\n#EXT-X-VERSION:3\n'))).toBe('hls')
    expect(await refused(ascii('\xef\xbb\xbf#EXTM3U\n') /* UTF-8 BOM */)).toBe('hls')
    expect(await refused(ascii('<?xml version="1.0"?>\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">'))).toBe('dash')
    expect(await refused(ascii('<MPD type="static">'))).toBe('dash')
    const frag = concat(ftyp('iso6', 'iso6', 'dash'), box('moov', box('mvhd', new Uint8Array(20)), box('mvex', box('trex', new Uint8Array(24)))), box('moof', new Uint8Array(8)))
    expect(await refused(frag)).toBe('fragmented-mp4')
    expect(await refused(concat(ftyp('M4A ', 'isom'), box('moov'), box('moof'), box('mdat')))).toBe('fragmented-mp4')
    expect(await refused(concat(box('styp', ascii('msdh')), box('moof')))).toBe('fragmented-mp4')
  })

  it('refuses images in ISO BMFF, AAC ADTS streams and unknown bytes as unknown', async () => {
    expect(await refused(concat(ftyp('heic', 'mif1', 'heic'), box('meta')))).toBe('unknown')
    expect(await refused(concat(ftyp('abcd', 'efgh'), box('moov')))).toBe('unknown')
    expect(await refused(Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc, 0, 0, 0))).toBe('unknown')
    expect(await refused(ascii('RIFF\0\0\0\0AVI LIST'))).toBe('unknown')
    expect(await refused(new Uint8Array(0))).toBe('unknown')
    expect(await refused(ascii('hello world, not audio at all'))).toBe('unknown')
  })

  it('accepts a Blob and a ByteSource, and rejects other inputs with InvalidArgumentError', async () => {
    const b = fixture('tone-v24.mp3')
    expect(await detectAudioFormat(new Blob([b as Uint8Array<ArrayBuffer>]))).toBe('mp3')
    expect(await detectAudioFormat(fromBytes(b))).toBe('mp3')
    expect((await readAudioTag(new Blob([b as Uint8Array<ArrayBuffer>]))).format).toBe('mp3')
    await expect(detectAudioFormat('song.mp3' as unknown as Uint8Array)).rejects.toMatchObject({ code: 'ERR_NOAI_INVALID_ARGUMENT' })
  })
})
