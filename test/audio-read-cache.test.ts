// The read cache of one audio operation (src/audio/_cache.ts) and the fast paths that rely on it:
// a cached read returns exactly the source's bytes, reads no byte twice while it holds it, passes
// large reads through and stays bounded; readAudioTag through a file-like source reports exactly
// what it reports for the same bytes in memory, and reads no byte twice; format detection's byte
// checks for text manifests decide as the former text-based check did.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { audioEssence, detectAudioFormat, readAudioTag, UnsupportedFormatError } from '../src/audio.js'
import { cachedSource, readAheadUpTo, READ_AHEAD_BYTES } from '../src/audio/_cache.js'
import { decodeLatin1 } from '../src/audio/id3v2/text.js'
import { fromBytes } from '../src/audio/source.js'
import type { ByteSource } from '../src/audio/types.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Every committed audio fixture and conformance vector. */
function audioFiles(): string[] {
  const dirs = [join(ROOT, 'schema/v1/vectors/audio'), ...readdirSync(join(ROOT, 'test/fixtures/audio')).map((d) => join(ROOT, 'test/fixtures/audio', d))]
  return dirs.flatMap((d) => readdirSync(d).filter((f) => !/\.(json|md)$/.test(f)).map((f) => join(d, f)))
}

/** A source over bytes that is not marked as in memory (as a file is), recording every read. */
function recording(bytes: Uint8Array, options: { short?: number } = {}): ByteSource & { reads: [number, number][] } {
  const reads: [number, number][] = []
  return {
    size: bytes.byteLength,
    reads,
    read(offset, length) {
      const end = Math.min(options.short ?? bytes.byteLength, offset + length)
      const out = bytes.slice(offset, Math.max(offset, end))
      reads.push([offset, offset + out.byteLength])
      return Promise.resolve(out)
    },
  }
}

/** Byte-for-byte equality (toEqual on typed arrays is slow in a property run). */
const same = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && a.every((x, i) => x === b[i])

/** Two of the (non-empty) ranges that overlap, if any. */
function overlapping(ranges: readonly [number, number][]): [number, number][] | undefined {
  const sorted = ranges.filter(([a, b]) => b > a).sort((a, b) => a[0] - b[0])
  for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] < sorted[i - 1]![1]) return [sorted[i - 1]!, sorted[i]!]
  return undefined
}

describe('cachedSource', () => {
  it('returns exactly the bytes of the source for any sequence of reads and read-aheads, reading no byte twice', async () => {
    const bytes = Uint8Array.from({ length: 6000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(6100), fc.nat(1500), fc.nat(3000)), { maxLength: 40 }), async (ops) => {
        const src = recording(bytes)
        const cached = cachedSource(src)
        for (const [offset, length, ahead] of ops) {
          const want = bytes.subarray(Math.min(offset, bytes.length), Math.min(bytes.length, offset + length))
          expect(same(await cached.readAhead(offset, length, offset + ahead), want)).toBe(true)
          expect(same(await cached.read(offset, length), want)).toBe(true)
        }
        expect(overlapping(src.reads)).toBeUndefined()
        for (const [a, b] of src.reads) expect(b - a).toBeLessThanOrEqual(Math.max(1500, READ_AHEAD_BYTES))
      }),
      { numRuns: 300 },
    )
  })

  it('reads ahead at most READ_AHEAD_BYTES, never past `until` or the end, and serves the next reads from memory', async () => {
    const bytes = new Uint8Array(10_000).map((_, i) => i & 0xff)
    const src = recording(bytes)
    const cached = cachedSource(src)
    expect(await cached.readAhead(100, 8, 400)).toEqual(bytes.subarray(100, 108))
    expect(src.reads).toEqual([[100, 400]])
    expect(await cached.read(300, 100)).toEqual(bytes.subarray(300, 400))
    expect(await cached.readAhead(1000, 8, 100_000)).toEqual(bytes.subarray(1000, 1008))
    expect(src.reads.at(-1)).toEqual([1000, 1000 + READ_AHEAD_BYTES])
    // A read that straddles a cached range reads only the gap.
    expect(await cached.read(390, 20)).toEqual(bytes.subarray(390, 410))
    expect(src.reads.at(-1)).toEqual([400, 410])
    await cached.readAhead(9990, 8, 100_000)
    expect(src.reads.at(-1)).toEqual([9990, 10_000])
  })

  it('passes large reads through without keeping them, and keeps at most 1 MiB', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024)
    const src = recording(bytes)
    const cached = cachedSource(src)
    await cached.read(0, 1024 * 1024)
    await cached.read(0, 1024 * 1024)
    expect(src.reads).toEqual([
      [0, 1024 * 1024],
      [0, 1024 * 1024],
    ])
    // 2 MiB in 64 KiB reads: the first ones are dropped, so reading them again reads the source.
    for (let at = 0; at < 2 * 1024 * 1024; at += 65_536) await cached.read(at, 65_536)
    const before = src.reads.length
    await cached.read(0, 16)
    expect(src.reads.length).toBe(before + 1)
    await cached.read(2 * 1024 * 1024 - 16, 16)
    expect(src.reads.length).toBe(before + 1)
  })

  it('returns a short read when the source is shorter than its size, and invalid ranges reach the source', async () => {
    const bytes = new Uint8Array(100).fill(1)
    const cached = cachedSource(recording(bytes, { short: 50 }))
    expect((await cached.readAhead(40, 20, 100)).byteLength).toBe(10)
    expect((await cached.read(60, 10)).byteLength).toBe(0)
    const strict = cachedSource(fromBytes(bytes))
    await expect(Promise.resolve().then(() => strict.read(-1, 4))).rejects.toThrow(/invalid read range/)
  })

  it('reads bytes in memory directly, and readAheadUpTo reads nothing at or past the end', async () => {
    const bytes = new Uint8Array(64).fill(7)
    const mem = fromBytes(bytes)
    expect(await cachedSource(mem).readAhead(8, 8, 64)).toEqual(bytes.subarray(8, 16))
    const src = recording(bytes)
    expect((await readAheadUpTo(cachedSource(src), 64, 8, 200)).byteLength).toBe(0)
    expect((await readAheadUpTo(src, 60, 8, 200)).byteLength).toBe(4)
    expect(src.reads).toEqual([[60, 64]])
  })
})

describe('readAudioTag through a read cache', () => {
  const files = audioFiles()

  it('reports exactly what it reports for the same bytes in memory, for every fixture and vector, reading no byte twice', async () => {
    expect(files.length).toBeGreaterThan(40)
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file))
      const inMemory = await readAudioTag(bytes).then(
        (r) => ({ ok: true, r }),
        (e: unknown) => ({ ok: false, e: String(e) }),
      )
      const src = recording(bytes)
      const viaSource = await readAudioTag(src).then(
        (r) => ({ ok: true, r }),
        (e: unknown) => ({ ok: false, e: String(e) }),
      )
      expect(viaSource, file).toEqual(inMemory)
      expect(overlapping(src.reads), `${file}: ${JSON.stringify(src.reads)}`).toBeUndefined()
    }
  })

  it('gives the same essence digests through a source as in memory', async () => {
    for (const file of files.filter((f) => f.includes('vectors'))) {
      const bytes = new Uint8Array(readFileSync(file))
      expect(await audioEssence(recording(bytes)), file).toEqual(await audioEssence(bytes))
    }
  })
})

/** The text-manifest check detection used before its byte checks, kept here as the reference. */
function referenceTextFormat(b: Uint8Array): 'hls' | 'dash' | undefined {
  let t = ''
  for (let i = 0; i < Math.min(b.length, 1024); i++) t += String.fromCharCode(b[i]!)
  if (t.startsWith('\xef\xbb\xbf')) t = t.slice(3)
  t = t.trimStart()
  if (t.startsWith('#EXTM3U')) return 'hls'
  if (t.startsWith('<MPD') || (t.startsWith('<?xml') && /<(\w+:)?MPD[\s>]/.test(t))) return 'dash'
  return undefined
}

describe('detection of text manifests by bytes', () => {
  const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
  const formatOf = (bytes: Uint8Array): Promise<string> =>
    detectAudioFormat(bytes).then(
      (f) => f,
      (e: unknown) => (e instanceof UnsupportedFormatError ? `refused:${e.format}` : `error:${String(e)}`),
    )

  it('decides as the text-based check: BOM, white space (Latin-1 NBSP yes, NEL no), manifests and audio', async () => {
    const lead = fc.array(fc.constantFrom(0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0xa0, 0x85, 0x1c, 0x00), { maxLength: 8 })
    const body = fc.constantFrom('#EXTM3U\n', '#EXTM3', '<MPD>', '<?xml?><MPD ', '<?xml?><x:MPD>', '<?xml?><MPDX', '<html>', 'ID3', '#!', '')
    await fc.assert(
      fc.asyncProperty(fc.boolean(), lead, body, fc.uint8Array({ maxLength: 40 }), async (bom, ws, text, tail) => {
        const bytes = new Uint8Array([...(bom ? [0xef, 0xbb, 0xbf] : []), ...ws, ...latin1(text), ...tail])
        const expected = referenceTextFormat(bytes)
        const got = await formatOf(bytes)
        if (expected) expect(got).toBe(`refused:${expected}`)
        else expect(got).not.toMatch(/refused:(hls|dash)/)
      }),
      { numRuns: 400 },
    )
    expect(await formatOf(latin1('\xa0\xa0#EXTM3U\n'))).toBe('refused:hls')
    expect(await formatOf(latin1('\x85#EXTM3U\n'))).toBe('refused:unknown')
    expect(await formatOf(latin1(`${' '.repeat(1100)}#EXTM3U`))).toBe('refused:unknown')
  })
})

describe('decodeLatin1', () => {
  it('is ISO-8859-1 (not windows-1252) for every byte, with the ASCII fast path and long texts', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(decodeLatin1(all)).toBe(String.fromCharCode(...all))
    expect(decodeLatin1(all.subarray(0, 128))).toBe(String.fromCharCode(...all.subarray(0, 128)))
    const long = Uint8Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? 0x80 + (i % 32) : 0x41 + (i % 26)))
    expect(decodeLatin1(long)).toBe(Array.from(long, (b) => String.fromCharCode(b)).join(''))
    expect(decodeLatin1(new Uint8Array(0))).toBe('')
  })
})
