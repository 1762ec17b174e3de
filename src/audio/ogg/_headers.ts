// Walks an Ogg file from its start to the end of the first audio stream's header packets
// (RFC 3533 §4-6, Vorbis I §A.2, RFC 7845 §3): the beginning-of-stream pages of every logical
// stream, then the pages of the audio stream until its comment (and Vorbis setup) packet is
// complete. Header pages are CRC-checked and must be in sequence; other streams' bodies are skipped.
import { LimitExceededError } from '../../errors.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ForeignMetadata } from '../types.js'
import { HEADER_PACKETS, identify, isAudio } from './_codec.js'
import type { AudioCodec, StreamKind } from './_codec.js'
import { FLAG, PageReader, bodyOffset, checkCrc } from './_page.js'
import type { PageHeader } from './_page.js'
import { OGG_LIMITS } from './limits.js'
import { concatBytes } from '../../_internal/bytes.js'

/** The first audio stream's header pages and packets. */
export interface OggHeaders {
  readonly codec: AudioCodec
  readonly serial: number
  /** The beginning-of-stream page (the identification header alone). */
  readonly bos: PageHeader
  /** The stream's pages after its BOS page, through the page on which the last header packet ends. */
  readonly pages: readonly PageHeader[]
  /** The header packets after the identification header: the comment header (and the Vorbis setup header). */
  readonly packets: readonly Uint8Array[]
  /** File offset of the comment header's first byte. */
  readonly commentOffset: number
  /** Whether the last header packet ends its page, so that audio starts on a fresh page (required). */
  readonly freshAudioPage: boolean
  /** Whether the last header page carries the end-of-stream flag (a stream with no audio). */
  readonly eos: boolean
  /** File offset right after the last header page. */
  readonly afterHeaders: number
  readonly foreign: readonly ForeignMetadata[]
  readonly warnings: readonly string[]
}

interface Target {
  readonly codec: AudioCodec
  readonly serial: number
  readonly bos: PageHeader
  readonly pages: PageHeader[]
  readonly packets: Uint8Array[]
  nextSeq: number
  partial: Uint8Array[]
  partialLength: number
  inPacket: boolean
  done: boolean
  freshAudioPage: boolean
}

interface C2paTrack {
  readonly serial: number
  readonly offset: number
  length: number
  done: boolean
}

interface Walk {
  readonly kinds: Map<number, StreamKind>
  readonly c2pa: C2paTrack[]
  readonly warnings: string[]
  target?: Target
}

/** Adds a page's lacing to a C2PA packet being measured (the manifest's bytes are never read). */
function trackC2pa(t: C2paTrack, lacing: Uint8Array): void {
  for (const v of lacing) {
    if (t.done) return
    t.length += v
    if (v < 255) t.done = true
  }
}

/** The identification header must be alone on the BOS page and end there (Vorbis I §A.2, RFC 7845 §3). */
function checkAlone(h: PageHeader): void {
  const ends = [...h.lacing].filter((v) => v < 255).length
  if (ends !== 1 || h.lacing[h.lacing.length - 1]! === 255) throw new MalformedAudioError('ogg', 'the identification header is not alone on the first page of its stream', h.offset)
}

async function onBos(r: PageReader, h: PageHeader, walk: Walk): Promise<void> {
  if (walk.kinds.has(h.serial)) throw new MalformedAudioError('ogg', `two beginning-of-stream pages with serial ${h.serial}`, h.offset)
  if (walk.kinds.size === OGG_LIMITS.maxStreams) throw new LimitExceededError('maxStreams', OGG_LIMITS.maxStreams, undefined, 'Ogg logical streams')
  const body = await r.body(h)
  const kind = identify(body)
  walk.kinds.set(h.serial, kind)
  if (isAudio(kind) && walk.target === undefined) {
    checkCrc(h, body)
    checkAlone(h)
    const target: Target = { codec: kind, serial: h.serial, bos: h, pages: [], packets: [], nextSeq: (h.seq + 1) >>> 0, partial: [], partialLength: 0, inPacket: false, done: false, freshAudioPage: false }
    walk.target = target
  } else if (kind === 'c2pa') {
    const t: C2paTrack = { serial: h.serial, offset: bodyOffset(h), length: 0, done: false }
    trackC2pa(t, h.lacing)
    walk.c2pa.push(t)
  } else if (!isAudio(kind)) {
    walk.warnings.push(`Ogg logical stream ${h.serial} (${kind}) is not the audio stream this module edits: kept as is`)
  }
}

/** Appends a header page's packets to the target, checking sequence, CRC and continuation. */
async function onTargetPage(r: PageReader, h: PageHeader, t: Target): Promise<void> {
  if (h.seq !== t.nextSeq) throw new MalformedAudioError('ogg', `missing page in stream ${t.serial}: expected sequence number ${t.nextSeq}, found ${h.seq}`, h.offset)
  t.nextSeq = (h.seq + 1) >>> 0
  const body = await r.body(h)
  checkCrc(h, body)
  const continued = (h.headerType & FLAG.continued) !== 0
  if (continued !== t.inPacket) throw new MalformedAudioError('ogg', continued ? 'page continues a packet that was never started' : 'page does not continue the unfinished packet before it', h.offset)
  t.pages.push(h)
  let at = 0
  for (let i = 0; i < h.lacing.length && !t.done; i++) {
    const v = h.lacing[i]!
    t.partial.push(body.subarray(at, at + v))
    t.partialLength += v
    t.inPacket = true
    at += v
    if (t.partialLength > AUDIO_LIMITS.maxMetadataBytes) throw new LimitExceededError('maxMetadataBytes', AUDIO_LIMITS.maxMetadataBytes, undefined, `Ogg ${t.codec} header packet`)
    if (v === 255) continue
    t.packets.push(concatBytes(t.partial))
    t.partial = []
    t.partialLength = 0
    t.inPacket = false
    t.done = t.packets.length === HEADER_PACKETS[t.codec] - 1
    t.freshAudioPage = i === h.lacing.length - 1
  }
  if (!t.done && (h.headerType & FLAG.eos) !== 0) throw new MalformedAudioError('ogg', `stream ${t.serial} ends before its header packets are complete`, h.offset)
}

async function walkHeaderPages(r: PageReader, first: PageHeader | undefined, walk: Walk, target: Target, size: number): Promise<void> {
  let h = first
  for (let pages = 1; !target.done; pages++) {
    if (!h) throw new MalformedAudioError('ogg', `the file ends before the ${target.codec} header packets are complete (truncated)`, size)
    if (pages > OGG_LIMITS.maxHeaderPages) throw new LimitExceededError('maxHeaderPages', OGG_LIMITS.maxHeaderPages, undefined, 'Ogg pages before the end of the header packets')
    if ((h.headerType & FLAG.bos) !== 0) throw new MalformedAudioError('ogg', 'a logical stream begins after the first data page but before the header packets are complete', h.offset)
    if (h.serial === target.serial) {
      if (target.pages.length === 0 && (h.headerType & FLAG.continued) !== 0) throw new MalformedAudioError('ogg', 'the comment header does not start on a new page', h.offset)
      await onTargetPage(r, h, target)
    } else {
      const c = walk.c2pa.find((t) => t.serial === h!.serial && !t.done)
      if (c) trackC2pa(c, h.lacing)
      r.skipBody(h)
    }
    if (!target.done) h = await r.header()
  }
}

function foreignOf(walk: Walk): ForeignMetadata[] {
  return walk.c2pa.map((t) => {
    if (!t.done) walk.warnings.push(`the C2PA packet of Ogg stream ${t.serial} continues past the pages read: its length is the part seen`)
    return { kind: 'c2pa' as const, location: `Ogg logical stream ${t.serial} (\\0c2pa)`, offset: t.offset, length: t.length }
  })
}

/**
 * Reads the header pages of the first Vorbis or Opus stream.
 *
 * @throws UnsupportedFormatError when no logical stream is Vorbis or Opus (Ogg FLAC, Speex...).
 * @throws MalformedAudioError for a bad CRC, a missing page, a truncated file.
 */
export async function readOggHeaders(source: ByteSource, signal?: AbortSignal): Promise<OggHeaders> {
  const r = new PageReader(source, { window: OGG_LIMITS.headerReadBytes, signal })
  const walk: Walk = { kinds: new Map(), c2pa: [], warnings: [] }
  let h = await r.header()
  if (!h) throw new MalformedAudioError('ogg', 'empty file', 0)
  if ((h.headerType & FLAG.bos) === 0) throw new MalformedAudioError('ogg', 'the first page is not a beginning-of-stream page', 0)
  while (h && (h.headerType & FLAG.bos) !== 0) {
    await onBos(r, h, walk)
    h = await r.header()
  }
  const target = walk.target
  if (!target) throw new UnsupportedFormatError('ogg', `Ogg file without a Vorbis or Opus stream (found: ${[...walk.kinds.values()].join(', ')})`)
  for (const [serial, kind] of walk.kinds) {
    if (isAudio(kind) && serial !== target.serial) walk.warnings.push(`Ogg logical stream ${serial} (${kind}) is a second audio stream: only the first one's comments are read and written`)
  }
  await walkHeaderPages(r, h, walk, target, source.size)
  const last = target.pages[target.pages.length - 1]!
  return {
    codec: target.codec,
    serial: target.serial,
    bos: target.bos,
    pages: target.pages,
    packets: target.packets,
    commentOffset: bodyOffset(target.pages[0]!),
    freshAudioPage: target.freshAudioPage,
    eos: (last.headerType & FLAG.eos) !== 0,
    afterHeaders: bodyOffset(last) + last.bodyLength,
    foreign: foreignOf(walk),
    warnings: walk.warnings,
  }
}
