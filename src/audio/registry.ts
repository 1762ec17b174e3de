/**
 * Container detection by magic bytes and the lazy registry of container modules (docs/spec.md
 * §10): a container module is loaded with `import()` only when a file of its format is met, so
 * that reading an MP3 never loads the MP4 parser.
 *
 * @module
 */
import { readAheadUpTo } from './_cache.js'
import { ascii, peekUpTo, readUpTo, u32be } from './_read.js'
import { UnsupportedFormatError } from './errors.js'
import { parseId3v2Header } from './id3v2/header.js'
import { looksLikeMpegAudio, VBR_PROBE_BYTES } from './mp3/mpeg.js'
import type { AudioFormat, ByteSource, ContainerHandler } from './types.js'

type Loader = () => Promise<{ readonly handler: ContainerHandler }>

/**
 * The container modules present in this build. A format that is detected but not listed here is
 * refused with UnsupportedFormatError naming it.
 */
const LOADERS: { readonly [F in AudioFormat]?: Loader } = {
  mp3: () => import('./mp3/index.js'),
  flac: () => import('./flac/index.js'),
  ogg: () => import('./ogg/index.js'),
  mp4: () => import('./mp4/index.js'),
  wav: () => import('./wav/index.js'),
  aiff: () => import('./aiff/index.js'),
}

/** The handlers loaded so far (a module is imported once, not on every read). */
const HANDLERS = new Map<AudioFormat, ContainerHandler>()

/** Bounds of detection. */
export const DETECT_LIMITS = {
  /**
   * Bytes read first: the magic of every container but bare MPEG audio, and the first structures
   * its reader needs next (FLAC STREAMINFO, the RIFF `fmt ` and AIFF `COMM` chunks, the MP4 `ftyp`
   * box), which it then finds in the read cache of the operation.
   */
  headBytes: 64,
  /** Bytes read at the start of the file when the first bytes do not decide (for ISO BMFF: most of the `ftyp` box read for its brands). */
  probeBytes: 4096,
  /** Most ID3v2 tags skipped before looking again (FLAC may carry an ID3v2 prefix). */
  maxPrefixTags: 8,
  /** Most top-level ISO BMFF boxes (and `moov` children) walked to find fragmentation. */
  maxBoxes: 1024,
} as const

/** ISO BMFF brands of audio files (and of general MP4 that may hold only audio). */
const AUDIO_BRANDS = new Set([
  'M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ', 'mp41', 'mp42', 'mp71', 'isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9',
  'avc1', 'M4V ', 'qt  ', '3gp4', '3gp5', '3gp6', '3gp7', '3g2a', 'caqv', 'dby1', 'MSNV',
])
/** Brands that are never audio files (still images). */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'crx ', 'jp2 ', 'jpx ', 'jpm '])

async function fragmentedMp4(source: ByteSource, signal: AbortSignal | undefined): Promise<boolean> {
  const walk = async (start: number, end: number, inMoov: boolean): Promise<boolean> => {
    let at = start
    for (let n = 0; n < DETECT_LIMITS.maxBoxes && at + 8 <= end; n++) {
      // A box header is 8 bytes (16 with a largesize). At the top level exactly those are read (the
      // next box may be mdat); inside moov a cached source may read ahead over the next headers,
      // which the MP4 reader then finds in the cache (src/audio/_cache.ts).
      let h = peekUpTo(source, at, 8, signal) ?? (await readAheadUpTo(source, at, 8, inMoov ? end : at + 8, signal))
      if (h.length < 8) return false
      if (u32be(h, 0) === 1) h = peekUpTo(source, at, 16, signal) ?? (await readUpTo(source, at, 16, signal))
      let size = u32be(h, 0)
      const type = ascii(h, 4, 8)
      let header = 8
      if (size === 1 && h.length >= 16) {
        size = u32be(h, 8) * 2 ** 32 + u32be(h, 12)
        header = 16
      }
      else if (size === 0) size = end - at
      if (type === 'moof' || type === 'mvex' || type === 'sidx' || type === 'mfra') return true
      if (size < header || !Number.isSafeInteger(size)) return false // damaged: the MP4 module reports it
      if (type === 'moov' && !inMoov && (await walk(at + header, Math.min(end, at + size), true))) return true
      at += size
    }
    return false
  }
  return walk(0, source.size, false)
}

function brands(b: Uint8Array): string[] {
  const size = Math.min(u32be(b, 0), b.length)
  const out = [ascii(b, 8, 12)]
  for (let at = 16; at + 4 <= size; at += 4) out.push(ascii(b, at, at + 4))
  return out
}

async function isoFormat(source: ByteSource, b: Uint8Array, signal: AbortSignal | undefined): Promise<AudioFormat> {
  const list = brands(b)
  if (IMAGE_BRANDS.has(list[0]!)) throw new UnsupportedFormatError('unknown', `ISO BMFF brand '${list[0]}' is an image format, not audio`)
  if (!list.some((x) => AUDIO_BRANDS.has(x))) throw new UnsupportedFormatError('unknown', `ISO BMFF brands ${list.map((x) => `'${x}'`).join(', ')} are not audio brands`)
  if (await fragmentedMp4(source, signal)) throw new UnsupportedFormatError('fragmented-mp4', 'fragmented MP4 (moof/mvex) is not supported by NoAI Tag v1')
  return 'mp4'
}

/** Bytes JavaScript's `trimStart` removes when they are read as Latin-1 characters. */
const isSpaceByte = (x: number): boolean => x === 0x20 || (x >= 0x09 && x <= 0x0d) || x === 0xa0

function textFormat(b: Uint8Array): 'hls' | 'dash' | undefined {
  // A manifest starts with `#` or `<` after an optional UTF-8 BOM and white space; anything else
  // (audio frames) is decided on the bytes, without building the text.
  const n = Math.min(b.length, 1024)
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf && n >= 3 ? 3 : 0
  while (i < n && isSpaceByte(b[i]!)) i++
  if (i >= n || (b[i] !== 0x23 && b[i] !== 0x3c)) return undefined
  let t = ascii(b, 0, n)
  if (t.startsWith('\xef\xbb\xbf')) t = t.slice(3)
  t = t.trimStart()
  if (t.startsWith('#EXTM3U')) return 'hls'
  if (t.startsWith('<MPD') || (t.startsWith('<?xml') && /<(\w+:)?MPD[\s>]/.test(t))) return 'dash'
  return undefined
}

async function skipId3Prefix(source: ByteSource, signal: AbortSignal | undefined): Promise<number> {
  let at = 0
  for (let n = 0; n < DETECT_LIMITS.maxPrefixTags; n++) {
    // Through a read cache, the read after the last tag also brings the first MPEG frame header
    // (and a Xing/Info header) that the MP3 reader looks at next.
    const h = parseId3v2Header(peekUpTo(source, at, 10, signal) ?? (await readAheadUpTo(source, at, 10, at + VBR_PROBE_BYTES, signal)), 0, at)
    if (!h) break
    at += h.totalBytes
  }
  return at
}

/**
 * Detects the container of a byte source by its magic bytes.
 *
 * @throws UnsupportedFormatError for Matroska/WebM (`matroska`), HLS (`hls`) and DASH (`dash`)
 *   manifests, fragmented MP4 (`fragmented-mp4`), and anything else unknown (`unknown`).
 * @example
 * ```ts
 * await detectFormat(fromBytes(bytes)) // 'mp3'
 * ```
 */
export async function detectFormat(source: ByteSource, options: { readonly signal?: AbortSignal | undefined } = {}): Promise<AudioFormat> {
  const { signal } = options
  // One small read decides the common containers; the larger probe is read only when it must be
  // (ISO BMFF brands, text manifests, bare MPEG audio), so that detection costs few bytes.
  const head = peekUpTo(source, 0, DETECT_LIMITS.headBytes, signal) ?? (await readUpTo(source, 0, DETECT_LIMITS.headBytes, signal))
  if (ascii(head, 0, 3) === 'ID3') {
    const prefix = await skipId3Prefix(source, signal)
    if (prefix > 0) {
      // An ID3v2 prefix: MP3, unless FLAC follows (ID3v2-prefixed FLAC, as C2PA writes it).
      const after = peekUpTo(source, prefix, 4, signal) ?? (await readUpTo(source, prefix, 4, signal))
      return ascii(after) === 'fLaC' ? 'flac' : 'mp3'
    }
  }
  const m4 = ascii(head, 0, 4)
  const m8 = ascii(head, 8, 12)
  if (m4 === 'fLaC') return 'flac'
  if (m4 === 'OggS') return 'ogg'
  if ((m4 === 'RIFF' || m4 === 'RF64' || m4 === 'BW64') && m8 === 'WAVE') return 'wav'
  if (m4 === 'FORM' && (m8 === 'AIFF' || m8 === 'AIFC')) return 'aiff'
  const box = ascii(head, 4, 8)
  if (box === 'ftyp' && head.length >= 12) {
    // The brands are in the ftyp box: read it (at most probeBytes), not a fixed probe.
    const ftyp = Math.min(u32be(head, 0), DETECT_LIMITS.probeBytes)
    return isoFormat(source, ftyp <= head.length ? head : peekUpTo(source, 0, ftyp, signal) ?? (await readUpTo(source, 0, ftyp, signal)), signal)
  }
  if (box === 'styp' || box === 'moof') throw new UnsupportedFormatError('fragmented-mp4', 'an MP4 media segment (styp/moof) is not supported by NoAI Tag v1')
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    throw new UnsupportedFormatError('matroska', 'Matroska and WebM are not supported by NoAI Tag v1')
  }
  const b = head.length < DETECT_LIMITS.headBytes ? head : peekUpTo(source, 0, DETECT_LIMITS.probeBytes, signal) ?? (await readUpTo(source, 0, DETECT_LIMITS.probeBytes, signal))
  const text = textFormat(b)
  if (text) throw new UnsupportedFormatError(text, `${text === 'hls' ? 'an HLS playlist' : 'a DASH manifest'} is a streaming manifest, not an audio file`)
  if (looksLikeMpegAudio(b)) return 'mp3'
  throw new UnsupportedFormatError('unknown', 'not a known audio container (MP3, FLAC, Ogg, MP4, WAV, AIFF)')
}

/**
 * The handler of a format present in this build.
 *
 * @throws UnsupportedFormatError (with that format) when its module is not part of this build.
 */
export async function handlerFor(format: AudioFormat): Promise<ContainerHandler> {
  const loaded = HANDLERS.get(format)
  if (loaded) return loaded
  const load = LOADERS[format]
  if (!load) throw new UnsupportedFormatError(format, `${format} files are not supported by this version of noai-tag/audio`)
  const { handler } = await load()
  HANDLERS.set(format, handler)
  return handler
}

/** Detects the container and loads its handler. */
export async function resolveHandler(source: ByteSource, options: { readonly signal?: AbortSignal | undefined } = {}): Promise<ContainerHandler> {
  return handlerFor(await detectFormat(source, options))
}
