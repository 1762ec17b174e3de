/**
 * The essence of an Ogg Vorbis or Opus file (docs/spec.md §10.6.5): for each Vorbis or Opus logical
 * stream, in the order of their beginning-of-stream pages,
 *
 * 1. the bytes of every packet except packet 1 (the comment header), concatenated;
 * 2. the SHA-256 of the list of those packets' lengths, each as a 32-bit little-endian integer;
 * 3. the 8 bytes of the stream's final granule position as stored (the last page of the stream
 *    whose granule position is not −1; eight 0xFF bytes if there is none).
 *
 * Why this form: after the header packets, part 1 is exactly the concatenation of the stream's page
 * bodies, so each audio page is one `hasher.update()` straight from the read window, with no copy
 * and no per-packet work but writing its length into a small fixed buffer that a second hasher
 * (`options.createHasher`) consumes. Hashing a length in front of each packet instead needs a copy
 * of every packet into a batch and cannot keep up with hashing the file itself (docs/performance.md,
 * Audio). Part 2 still binds the packet boundaries, and part 3 the end trimming. Page bytes are not
 * hashed: page splits, sequence numbers and CRCs change when the comment header changes. Other
 * streams (C2PA, Skeleton, video...) are not part of it.
 *
 * Checks while hashing: capture pattern and version of every page, page sequence numbers without
 * gaps, continuation flags that match the packets, CRCs of the header pages, no stream ending
 * inside a packet. Audio page CRCs are not checked (decoders skip such pages; the cost would double).
 *
 * Ref: RFC 3533 §6 ; Vorbis I §A.2 ; RFC 7845 §3 ; docs/spec.md §10.6.5.
 *
 * @module
 */
import { LimitExceededError } from '../../errors.js'
import { MalformedAudioError, UnsupportedFormatError } from '../errors.js'
import type { ByteSource, ContainerOptions, Hasher, HasherFactory } from '../types.js'
import { HEADER_PACKETS, identify, isAudio } from './_codec.js'
import type { AudioCodec } from './_codec.js'
import { FLAG } from './_page.js'
import { PAGE_HEADER_BYTES, PageScanner } from './_scan.js'
import { OGG_LIMITS } from './limits.js'

/** Packet lengths gathered before they go to the lengths hasher (4 bytes each): memory stays fixed. */
const LENGTH_BUFFER_BYTES = 16 * 1024
const UNSET = 0xffff_ffff

/** The state of one logical stream being hashed. */
class StreamHash {
  readonly serial: number
  readonly codec: AudioCodec
  readonly #lengths: Hasher
  readonly #buf = new Uint8Array(LENGTH_BUFFER_BYTES)
  #used = 0
  nextSeq: number
  /** Index of the packet the next segment belongs to. */
  packet = 0
  /** Bytes of that packet seen so far. */
  length = 0
  inPacket = false
  granuleLow = UNSET
  granuleHigh = UNSET
  ended = false

  constructor(serial: number, seq: number, codec: AudioCodec, lengths: Hasher) {
    this.serial = serial
    this.nextSeq = seq
    this.codec = codec
    this.#lengths = lengths
  }

  /** Appends a packet length (u32le) to the list. */
  pushLength(n: number): void {
    if (this.#used === LENGTH_BUFFER_BYTES) {
      this.#lengths.update(this.#buf)
      this.#used = 0
    }
    const b = this.#buf
    const at = this.#used
    b[at] = n & 0xff
    b[at + 1] = (n >>> 8) & 0xff
    b[at + 2] = (n >>> 16) & 0xff
    b[at + 3] = n >>> 24
    this.#used = at + 4
  }

  /** Parts 2 and 3 of the stream's essence. */
  tail(): [Uint8Array, Uint8Array] {
    this.#lengths.update(this.#buf.subarray(0, this.#used))
    const granule = new Uint8Array(8)
    const put = (at: number, v: number): void => {
      granule[at] = v & 0xff
      granule[at + 1] = (v >>> 8) & 0xff
      granule[at + 2] = (v >>> 16) & 0xff
      granule[at + 3] = v >>> 24
    }
    put(0, this.granuleLow)
    put(4, this.granuleHigh)
    return [this.#lengths.digest(), granule]
  }
}

function tooLarge(s: StreamHash): LimitExceededError {
  return new LimitExceededError('maxPacketBytes', OGG_LIMITS.maxPacketBytes, undefined, `Ogg packet in stream ${s.serial}`)
}

/**
 * Hashes the current page of the stream being hashed: its body, minus any part of packet 1, in one
 * or two runs; the length of every packet that ends on it.
 */
function hashPage(s: StreamHash, page: PageScanner, out: Hasher): void {
  if (page.seq !== s.nextSeq) throw new MalformedAudioError('ogg', `missing page in stream ${s.serial}: expected sequence number ${s.nextSeq}, found ${page.seq}`, page.offset)
  s.nextSeq = (page.seq + 1) >>> 0
  const continued = (page.headerType & FLAG.continued) !== 0
  if (continued !== s.inPacket) throw new MalformedAudioError('ogg', continued ? 'page continues a packet that was never started' : 'page does not continue the unfinished packet before it', page.offset)
  if (s.packet < HEADER_PACKETS[s.codec] && !page.crcOk()) throw new MalformedAudioError('ogg', 'page CRC mismatch on a header page', page.offset)
  const v = page.view
  const lacing = page.at + PAGE_HEADER_BYTES
  const segments = page.segments
  let packet = s.packet
  let length = s.length
  let at = page.bodyStart
  /** Start of the body bytes not hashed yet; −1 inside packet 1. */
  let run = at
  for (let i = 0; i < segments; i++) {
    const n = v[lacing + i]!
    if (packet === 1 && run >= 0) {
      if (at > run) out.update(v.subarray(run, at))
      run = -1
    }
    at += n
    length += n
    if (n === 255) continue
    if (packet === 1) run = at
    else {
      if (length > OGG_LIMITS.maxPacketBytes) throw tooLarge(s)
      s.pushLength(length)
    }
    packet++
    length = 0
  }
  if (run >= 0 && at > run) out.update(v.subarray(run, at))
  if (packet !== 1 && length > OGG_LIMITS.maxPacketBytes) throw tooLarge(s)
  s.packet = packet
  s.length = length
  if (segments > 0) s.inPacket = v[lacing + segments - 1] === 255
  const low = page.granule(false)
  const high = page.granule(true)
  if (low !== UNSET || high !== UNSET) {
    s.granuleLow = low
    s.granuleHigh = high
  }
  if ((page.headerType & FLAG.eos) !== 0) s.ended = true
}

function finish(s: StreamHash, out: Hasher, at: number): void {
  if (s.inPacket) throw new MalformedAudioError('ogg', `stream ${s.serial} ends inside a packet (truncated)`, at)
  for (const part of s.tail()) out.update(part)
}

interface Pass {
  readonly done: Set<number>
  /** Serials introduced by a BOS page (checked only in the pass that starts at the beginning). */
  readonly known: Set<number> | undefined
  readonly createHasher: HasherFactory
  found: number
}

/**
 * One pass from `from`: hashes audio streams in BOS order as long as they do not overlap; returns
 * the BOS offset of the first stream that began while another was being hashed (the next pass).
 */
async function pass(source: ByteSource, from: number, p: Pass, out: Hasher, signal: AbortSignal | undefined): Promise<number | undefined> {
  const page = new PageScanner(source, from, signal)
  try {
    let current: StreamHash | undefined
    let resume: number | undefined
    while (await page.next()) {
      if ((page.headerType & FLAG.bos) !== 0) {
        if (p.known) {
          if (p.known.size === OGG_LIMITS.maxStreams) throw new LimitExceededError('maxStreams', OGG_LIMITS.maxStreams, undefined, 'Ogg logical streams')
          p.known.add(page.serial)
        }
        if (current && current.serial === page.serial) throw new MalformedAudioError('ogg', `beginning-of-stream page for stream ${page.serial}, which has not ended`, page.offset)
        const kind = identify(page.body())
        if (!isAudio(kind) || p.done.has(page.offset)) continue
        if (current || resume !== undefined) resume ??= page.offset
        else {
          p.found++
          p.done.add(page.offset)
          current = new StreamHash(page.serial, page.seq, kind, p.createHasher())
          hashPage(current, page, out)
        }
      } else if (p.known && !p.known.has(page.serial)) {
        throw new MalformedAudioError('ogg', `page of stream ${page.serial}, which has no beginning-of-stream page`, page.offset)
      } else if (current && page.serial === current.serial) {
        hashPage(current, page, out)
      }
      if (current?.ended) {
        finish(current, out, page.end)
        current = undefined
        if (resume !== undefined) return resume
      }
    }
    if (current) finish(current, out, source.size)
    return resume
  } finally {
    await page.close()
  }
}

/**
 * Feeds the Ogg essence to the hasher. Usually one sequential pass; multiplexed audio streams
 * take one more pass each (from the next stream's first page). Memory: two read windows, one page
 * and a 16 KiB length buffer, whatever the packet sizes.
 *
 * @param options - `createHasher` makes the SHA-256 of each stream's packet lengths (default:
 *   `createSha256`; noai-tag/node passes node:crypto).
 * @throws MalformedAudioError for a missing page, a bad header CRC, a truncated file.
 * @throws UnsupportedFormatError when the file has no Vorbis or Opus stream.
 * @example
 * ```ts
 * const h = createSha256(); await oggEssence(source, h); toHex(h.digest())
 * ```
 */
export async function oggEssence(source: ByteSource, hasher: Hasher, options: ContainerOptions = {}): Promise<void> {
  // @noble/hashes is loaded only when no hasher is given (noai-tag/node gives node:crypto's).
  const createHasher = options.createHasher ?? (await import('../hash.js')).createSha256
  const p: Pass = { done: new Set(), known: new Set(), createHasher, found: 0 }
  let from = await pass(source, 0, p, hasher, options.signal)
  if (p.found === 0) throw new UnsupportedFormatError('ogg', 'Ogg file without a Vorbis or Opus stream')
  while (from !== undefined) from = await pass(source, from, { ...p, known: undefined }, hasher, options.signal)
}
