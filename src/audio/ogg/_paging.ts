// Lays header packets out into pages (RFC 3533 §6): a packet of length L takes floor(L/255) lacing
// values of 255 and one final value L mod 255 (0 when L is a multiple of 255); a page holds at most
// 255 lacing values; a page on which a packet continues has the "continued" flag; header pages
// carry granule position 0, or −1 when no packet ends on them (TagLib #864).
import { buildPage } from './_page.js'
import { OGG_LIMITS } from './limits.js'

const MAX = OGG_LIMITS.maxSegmentsPerPage

/** How to lay out the packets. */
export interface PagingOptions {
  readonly serial: number
  /** Sequence number of the first page. */
  readonly firstSeq: number
  /** Use this many pages when the segments fit (keeps the later pages' sequence numbers). */
  readonly preferredPages: number
  /** Set the end-of-stream flag on the last page. */
  readonly eos: boolean
}

interface Segment {
  readonly packet: number
  readonly start: number
  readonly length: number
  readonly ends: boolean
}

function segmentsOf(packets: readonly Uint8Array[]): Segment[] {
  const out: Segment[] = []
  packets.forEach((p, packet) => {
    const full = Math.floor(p.byteLength / 255)
    for (let i = 0; i < full; i++) out.push({ packet, start: i * 255, length: 255, ends: false })
    out.push({ packet, start: full * 255, length: p.byteLength - full * 255, ends: true })
  })
  return out
}

/** The number of pages: the preferred count when the segments fit in it, else the fewest. */
export function pageCount(segments: number, preferred: number): number {
  return preferred >= 1 && segments >= preferred && segments <= preferred * MAX ? preferred : Math.ceil(segments / MAX)
}

/**
 * Complete pages (with CRCs) holding the packets, each packet starting where the previous one
 * ends. Earlier pages are filled first; each page gets at least one lacing value.
 */
export function pagePackets(packets: readonly Uint8Array[], options: PagingOptions): Uint8Array[] {
  const segs = segmentsOf(packets)
  const n = pageCount(segs.length, options.preferredPages)
  const pages: Uint8Array[] = []
  let si = 0
  for (let p = 0; p < n; p++) {
    const take = Math.min(MAX, segs.length - si - (n - 1 - p))
    const mine = segs.slice(si, si + take)
    const body = new Uint8Array(mine.reduce((a, s) => a + s.length, 0))
    let at = 0
    for (const s of mine) {
      body.set(packets[s.packet]!.subarray(s.start, s.start + s.length), at)
      at += s.length
    }
    const continued = si > 0 && !segs[si - 1]!.ends
    const headerType = (continued ? 0x01 : 0) | (p === n - 1 && options.eos ? 0x04 : 0)
    const granule = new Uint8Array(8).fill(mine.some((s) => s.ends) ? 0 : 0xff)
    const lacing = Uint8Array.from(mine, (s) => s.length)
    pages.push(buildPage({ headerType, granule, serial: options.serial, seq: (options.firstSeq + p) >>> 0, lacing }, body))
    si += take
  }
  return pages
}
