// Property test of the header paging: any packets, any preferred page count → pages that an
// independent parser reassembles into the same packets, with valid lacing, flags, granules and CRCs.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pageCount, pagePackets } from '../src/audio/ogg/_paging.js'
import { cat, packets, pages, sameBytes } from './_xiph.js'

const packetLength = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 2000 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 300 }).map((k) => 255 * k), weight: 3 },
  { arbitrary: fc.integer({ min: 60_000, max: 140_000 }), weight: 1 },
)

describe('Ogg header paging', () => {
  it('round-trips packets and follows RFC 3533 lacing, flags and the granule rule', () => {
    fc.assert(
      fc.property(fc.array(packetLength, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 6 }), fc.boolean(), (lengths, preferred, eos) => {
        const input = lengths.map((n, i) => new Uint8Array(n).fill(i + 1))
        const out = pagePackets(input, { serial: 7, firstSeq: 1, preferredPages: preferred, eos })
        const file = cat(...out)
        const ps = pages(file)
        const segments = lengths.reduce((a, n) => a + Math.floor(n / 255) + 1, 0)
        expect(ps).toHaveLength(pageCount(segments, preferred))
        if (preferred >= 1 && segments >= preferred && segments <= 255 * preferred) expect(ps).toHaveLength(preferred)
        else expect(ps).toHaveLength(Math.ceil(segments / 255))
        const back = packets(file, 7)
        expect(back.map((b) => b.byteLength)).toEqual(lengths)
        expect(back.every((b, i) => sameBytes(b, input[i]!))).toBe(true)
        let open = false
        ps.forEach((p, i) => {
          expect(p.crcOk).toBe(true)
          expect(p.seq).toBe(1 + i)
          expect(p.lacing.length).toBeGreaterThan(0)
          expect(p.lacing.length).toBeLessThanOrEqual(255)
          expect((p.type & 1) === 1).toBe(open)
          expect(p.type & 2).toBe(0)
          expect((p.type & 4) === 4).toBe(eos && i === ps.length - 1)
          const ends = p.lacing.some((v) => v < 255)
          expect(p.granule).toBe(ends ? 0n : -1n)
          open = p.lacing.at(-1) === 255
        })
        expect(open).toBe(false)
      }),
      { numRuns: 100 },
    )
  })
})
