/**
 * The essence of an Ogg Vorbis or Opus file (docs/spec.md §10.6): for each Vorbis or Opus logical
 * stream, in the order of their beginning-of-stream pages, every packet except packet 1 (the
 * comment header) as `u32le(length) ‖ bytes`, then the 8 bytes of the stream's final granule
 * position as stored (the last page of the stream whose granule position is not −1; eight 0xFF
 * bytes if there is none). Page bytes are not hashed: page splits, sequence numbers and CRCs change
 * when the comment header changes. Other streams (C2PA, Skeleton, video...) are not part of it.
 *
 * Checks while hashing: capture pattern and version of every page, page sequence numbers without
 * gaps, continuation flags that match the packets, CRCs of the header pages, no stream ending
 * inside a packet. Audio page CRCs are not checked (decoders skip such pages; the cost would double).
 *
 * Ref: RFC 3533 §6 ; Vorbis I §A.2 ; RFC 7845 §3 ; docs/spec.md §10.6.
 *
 * @module
 */
import { LimitExceededError } from '../../errors.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { ByteSource, ContainerOptions, Hasher } from '../types.js'
import { HEADER_PACKETS, identify, isAudio } from './_codec.js'
import type { AudioCodec } from './_codec.js'
import { FLAG, PageReader, checkCrc, granuleUnset } from './_page.js'
import type { PageHeader } from './_page.js'
import { OGG_LIMITS } from './limits.js'

/** Batches small updates (packets are often a few hundred bytes) into chunks of ioChunkBytes. */
class Batch {
  readonly #hasher: Hasher
  readonly #buf = new Uint8Array(AUDIO_LIMITS.ioChunkBytes)
  #used = 0
  constructor(hasher: Hasher) {
    this.#hasher = hasher
  }
  update(bytes: Uint8Array): void {
    let at = 0
    while (at < bytes.byteLength) {
      const n = Math.min(bytes.byteLength - at, this.#buf.byteLength - this.#used)
      this.#buf.set(bytes.subarray(at, at + n), this.#used)
      this.#used += n
      at += n
      if (this.#used === this.#buf.byteLength) this.flush()
    }
  }
  flush(): void {
    if (this.#used > 0) this.#hasher.update(this.#buf.slice(0, this.#used))
    this.#used = 0
  }
}

class StreamHash {
  readonly serial: number
  readonly codec: AudioCodec
  nextSeq: number
  packet = 0
  parts: Uint8Array[] = []
  length = 0
  inPacket = false
  granule: Uint8Array | undefined
  ended = false
  constructor(bos: PageHeader, codec: AudioCodec) {
    this.serial = bos.serial
    this.codec = codec
    this.nextSeq = bos.seq
  }
}

function u32le(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff)
}

/** Hashes the packets of one page of the stream being hashed. */
function hashPage(s: StreamHash, h: PageHeader, body: Uint8Array, out: Batch): void {
  if (h.seq !== s.nextSeq) throw new MalformedAudioError('ogg', `missing page in stream ${s.serial}: expected sequence number ${s.nextSeq}, found ${h.seq}`, h.offset)
  s.nextSeq = (h.seq + 1) >>> 0
  const continued = (h.headerType & FLAG.continued) !== 0
  if (continued !== s.inPacket) throw new MalformedAudioError('ogg', continued ? 'page continues a packet that was never started' : 'page does not continue the unfinished packet before it', h.offset)
  if (s.packet < HEADER_PACKETS[s.codec]) checkCrc(h, body)
  let at = 0
  for (const v of h.lacing) {
    if (s.packet !== 1) s.parts.push(body.subarray(at, at + v))
    s.length += v
    s.inPacket = true
    at += v
    if (s.packet !== 1 && s.length > OGG_LIMITS.maxPacketBytes) throw new LimitExceededError('maxPacketBytes', OGG_LIMITS.maxPacketBytes, undefined, `Ogg packet in stream ${s.serial}`)
    if (v === 255) continue
    if (s.packet !== 1) {
      out.update(u32le(s.length))
      for (const p of s.parts) out.update(p)
    }
    s.packet++
    s.parts = []
    s.length = 0
    s.inPacket = false
  }
  if (!granuleUnset(h.granule)) s.granule = h.granule.slice()
  if ((h.headerType & FLAG.eos) !== 0) s.ended = true
}

function finish(s: StreamHash, out: Batch, at: number): void {
  if (s.inPacket) throw new MalformedAudioError('ogg', `stream ${s.serial} ends inside a packet (truncated)`, at)
  out.update(s.granule ?? new Uint8Array(8).fill(0xff))
}

interface Pass {
  readonly done: Set<number>
  /** Serials introduced by a BOS page (checked only in the pass that starts at the beginning). */
  readonly known: Set<number> | undefined
  found: number
}

/**
 * One pass from `from`: hashes audio streams in BOS order as long as they do not overlap; returns
 * the BOS offset of the first stream that began while another was being hashed (the next pass).
 */
async function pass(source: ByteSource, from: number, p: Pass, out: Batch, signal: AbortSignal | undefined): Promise<number | undefined> {
  const r = new PageReader(source, { at: from, window: AUDIO_LIMITS.ioChunkBytes, signal })
  let current: StreamHash | undefined
  let resume: number | undefined
  for (let h = await r.header(); h; h = await r.header()) {
    if ((h.headerType & FLAG.bos) !== 0) {
      const body = await r.body(h)
      if (p.known) {
        if (p.known.size === OGG_LIMITS.maxStreams) throw new LimitExceededError('maxStreams', OGG_LIMITS.maxStreams, undefined, 'Ogg logical streams')
        p.known.add(h.serial)
      }
      if (current && current.serial === h.serial) throw new MalformedAudioError('ogg', `beginning-of-stream page for stream ${h.serial}, which has not ended`, h.offset)
      const kind = identify(body)
      if (!isAudio(kind) || p.done.has(h.offset)) continue
      if (current || resume !== undefined) resume ??= h.offset
      else {
        p.found++
        p.done.add(h.offset)
        current = new StreamHash(h, kind)
        hashPage(current, h, body, out)
      }
    } else if (p.known && !p.known.has(h.serial)) {
      throw new MalformedAudioError('ogg', `page of stream ${h.serial}, which has no beginning-of-stream page`, h.offset)
    } else if (current && h.serial === current.serial) {
      hashPage(current, h, await r.body(h), out)
    } else {
      r.skipBody(h)
    }
    if (current?.ended) {
      finish(current, out, r.pos)
      current = undefined
      if (resume !== undefined) return resume
    }
  }
  if (current) finish(current, out, source.size)
  return resume
}

/**
 * Feeds the Ogg essence to the hasher. Usually one sequential pass; multiplexed audio streams
 * take one more pass each (from the next stream's first page).
 *
 * @throws MalformedAudioError for a missing page, a bad header CRC, a truncated file.
 * @throws UnsupportedFormatError when the file has no Vorbis or Opus stream.
 * @example
 * ```ts
 * const h = createSha256(); await oggEssence(source, h); toHex(h.digest())
 * ```
 */
export async function oggEssence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  const out = new Batch(hasher)
  const p: Pass = { done: new Set(), known: new Set(), found: 0 }
  let from = await pass(source, 0, p, out, options.signal)
  if (p.found === 0) throw new UnsupportedFormatError('ogg', 'Ogg file without a Vorbis or Opus stream')
  while (from !== undefined) from = await pass(source, from, { ...p, known: undefined }, out, options.signal)
  out.flush()
}
