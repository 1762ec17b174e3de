// MP4 essence (docs/spec.md §10.7.4): the samples of the audio tracks through the sample tables.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { UnsupportedFormatError } from '../src/audio/errors.js'
import { has, runBytes } from './_tools.js'
import {
  AUDIO_TRACK,
  FIXTURE_DIR,
  FIXTURES,
  boxesAt,
  chunkOffsets,
  essenceHex,
  expectedEssence,
  fixture,
  makeSamples,
  sha256,
  synth,
  type SynthTrack,
} from './audio-mp4-helpers.js'

const TONE_AAC = 'aac-end.m4a'

describe('MP4 essence of synthetic files', () => {
  it('is the SHA-256 of the audio samples in decode order, whatever the layout', async () => {
    const expected = expectedEssence()
    const variants = [
      synth(),
      synth({ moovFirst: true }),
      synth({ offsets: 'co64' }),
      synth({ mdat: 'u64' }),
      synth({ moovFirst: true, mdat: 'eof' }),
      synth({ tracks: [{ ...AUDIO_TRACK, sizes: 'stz2' }] }),
      synth({ tracks: [{ ...AUDIO_TRACK, perChunk: 1 }] }),
      synth({ tracks: [{ ...AUDIO_TRACK, perChunk: 7 }] }),
    ]
    for (const v of variants) expect(await essenceHex(v)).toBe(expected)
  })

  it('handles stsz with one size for every sample', async () => {
    const t: SynthTrack = { handler: 'soun', samples: Array.from({ length: 5 }, (_, i) => new Uint8Array(16).fill(i)), perChunk: 2, sizes: 'const' }
    expect(await essenceHex(synth({ tracks: [t] }))).toBe(expectedEssence([t]))
  })

  it('ignores tracks that are not audio (chapters, cover art, text) even when their chunks are interleaved', async () => {
    const text: SynthTrack = { handler: 'text', samples: makeSamples(3, 9), perChunk: 1 }
    const other: SynthTrack = { handler: 'text', samples: makeSamples(3, 5), perChunk: 1 }
    const a = synth({ tracks: [AUDIO_TRACK, text] })
    const b = synth({ tracks: [other, AUDIO_TRACK] })
    expect(await essenceHex(a)).toBe(expectedEssence())
    expect(await essenceHex(b)).toBe(expectedEssence())
  })

  it('concatenates every audio track, in track order', async () => {
    const second: SynthTrack = { handler: 'soun', samples: makeSamples(4, 3), perChunk: 2 }
    const tracks = [AUDIO_TRACK, second]
    expect(await essenceHex(synth({ tracks }))).toBe(expectedEssence(tracks))
    expect(await essenceHex(synth({ tracks: [second, AUDIO_TRACK] }))).toBe(expectedEssence([second, AUDIO_TRACK]))
    expect(expectedEssence(tracks)).not.toBe(expectedEssence([second, AUDIO_TRACK]))
  })

  it('changes when any audio sample byte changes, not when a byte of another track changes', async () => {
    const text: SynthTrack = { handler: 'text', samples: makeSamples(3, 9), perChunk: 1 }
    const file = synth({ tracks: [AUDIO_TRACK, text] })
    const [audio, other] = chunkOffsets(file)
    const base = await essenceHex(file)
    for (const at of [audio!.offsets[0]!, audio!.offsets[1]! + 5, audio!.offsets[2]! + 20]) {
      const flipped = file.slice()
      flipped[at]! ^= 0x01
      expect(await essenceHex(flipped)).not.toBe(base)
    }
    const textFlipped = file.slice()
    textFlipped[other!.offsets[0]!]! ^= 0x01
    expect(await essenceHex(textFlipped)).toBe(base)
  })

  it('refuses a file without an audio track with UnsupportedFormatError', async () => {
    const file = synth({ tracks: [{ handler: 'vide', samples: makeSamples(2, 1), perChunk: 1 }] })
    const e = await essenceHex(file).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(UnsupportedFormatError)
    expect((e as UnsupportedFormatError).format).toBe('mp4')
  })

  it('refuses samples kept in another file (dref entry without the self-contained flag)', async () => {
    const file = synth()
    const [url] = boxesAt(file, 'moov/trak/mdia/minf/dinf').flatMap((d) => d.children)
    expect(url?.type).toBe('dref')
    const changed = file.slice()
    changed[url!.start + 16 + 11] = 0 // flags of the `url ` entry
    await expect(essenceHex(changed)).rejects.toMatchObject({ code: 'ERR_NOAI_UNSUPPORTED_FORMAT', format: 'mp4' })
  })
})

describe('MP4 essence of real files', () => {
  it('is the same for every layout and tagging of the same AAC audio', async () => {
    const base = await essenceHex(fixture(TONE_AAC))
    for (const name of FIXTURES.filter((f) => f.startsWith('aac-'))) expect(await essenceHex(fixture(name)), name).toBe(base)
  })

  it('does not change when the chapter track changes (its samples live in the same mdat)', async () => {
    const a = fixture('aac-chapters.m4a')
    const b = fixture('aac-chapters-renamed.m4a')
    const mdat = (f: Uint8Array) => sha256(f.subarray(boxesAt(f, 'mdat')[0]!.start))
    expect(mdat(a)).not.toBe(mdat(b))
    expect(await essenceHex(a)).toBe(await essenceHex(b))
    expect(await essenceHex(a)).toBe(await essenceHex(fixture(TONE_AAC)))
  })

  it('changes when one byte of an audio sample changes (AAC and ALAC)', async () => {
    for (const name of [TONE_AAC, 'alac-end.m4a']) {
      const file = fixture(name)
      const flipped = file.slice()
      flipped[chunkOffsets(file)[0]!.offsets[0]! + 3]! ^= 0x80
      expect(await essenceHex(flipped)).not.toBe(await essenceHex(file))
    }
  })

  it.skipIf(!has('ffmpeg'))('equals the SHA-256 of the raw stream ffmpeg copies out (`-map 0:a -c copy -f data`) (needs ffmpeg)', async () => {
    for (const name of [...FIXTURES, 'aac-chapters-renamed.m4a']) {
      const path = fileURLToPath(new URL(name, FIXTURE_DIR))
      expect(existsSync(path)).toBe(true)
      const raw = runBytes('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-c', 'copy', '-f', 'data', '-'])
      expect(await essenceHex(fixture(name)), name).toBe(sha256(raw))
    }
  })
})
