// The fast paths of `noai scan` against the general ones they stand for: a file read whole handed to
// the readers as bytes against the same file as a byte source read by range (same report line, over
// every audio fixture and the mixed folder of tagged, untagged, signed and corrupt files, with and
// without a key source; the same bytes across the first read of a larger file), the remembered
// compact form against formatCompact, and the command registry that loads only the command that
// runs.
import { readdirSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandsFor, COMMANDS } from '../src/cli/commands/index.js'
import { jwksFileResolver } from '../src/cli/_scan/jwks-resolver.js'
import { openPrefetched, PREFETCH_BYTES, type PrefetchedFile } from '../src/cli/_scan/prefetched-file.js'
import { scanFile } from '../src/cli/_scan/scan-file.js'
import type { ScanContext } from '../src/cli/_scan/scan-item.js'
import { usageText, USAGE_MEMO_ENTRIES } from '../src/cli/_scan/usage-text.js'
import { formatCompact } from '../src/compact/format.js'
import { scratch, type Scratch } from './cli-audio-helpers.js'
import { buildMixedFolder } from './cli-scan-dataset.js'

let s: Scratch
let mixed: string
let mixedFiles: string[]
const FIXTURES = new URL('fixtures/audio/', import.meta.url).pathname

/** Every regular file under a folder (sorted), symbolic links included. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() || d.isSymbolicLink())
    .map((d) => path.join(d.parentPath, d.name))
    .filter((f) => !f.endsWith(`${path.sep}loop`))
    .sort()
}

beforeAll(async () => {
  s = await scratch('noai-scan-fast-')
  mixed = s.file('mixed')
  await buildMixedFolder(mixed)
  mixedFiles = filesUnder(mixed)
})
afterAll(async () => {
  await s.remove()
})

/** A source without `whole`: the readers then read it through their read cache, by range. */
function byRange(file: PrefetchedFile): PrefetchedFile {
  return { size: file.size, read: (o, l, opt) => file.read(o, l, opt), close: () => file.close() }
}

function context(open: (path: string) => Promise<PrefetchedFile>, verify: ScanContext['verify'] = false): ScanContext {
  return { use: 'train-ai', verify, verifyBinding: true, userAgent: 'test', open, now: new Date('2026-11-26T12:00:00Z') }
}

describe('scanning a file: the fast paths give the lines of the general one', () => {
  it('a file read whole, given to the readers as bytes, against the same file read by range (every fixture and the mixed folder)', async () => {
    const files = [...filesUnder(FIXTURES), ...mixedFiles]
    expect(files.length).toBeGreaterThan(40)
    for (const verify of [false, { resolver: await jwksFileResolver(s.jwks) }] as const) {
      const fast = context(async (p) => {
        const f = await openPrefetched(p)
        expect(f.whole, p).toBeDefined()
        return f
      }, verify)
      const general = context(async (p) => byRange(await openPrefetched(p)), verify)
      for (const f of files) {
        const a = await scanFile({ path: f, use: 'train-ai' }, f, fast)
        const b = await scanFile({ path: f, use: 'train-ai' }, f, general)
        expect(a, f).toEqual(b)
      }
    }
  })

  it('a file larger than the first read has no `whole`; reads across the first read give the file\'s bytes', async () => {
    const big = s.file('big.bin')
    const bytes = new Uint8Array(PREFETCH_BYTES + 5000).map((_, i) => (i * 31) & 0xff)
    await writeFile(big, bytes)
    const small = s.file('small.bin')
    await writeFile(small, bytes.subarray(0, 1000))
    for (const [file, length] of [
      [big, bytes.length],
      [small, 1000],
    ] as const) {
      const f = await openPrefetched(file)
      try {
        expect(f.size).toBe(length)
        if (length < PREFETCH_BYTES) expect(f.whole).toEqual(bytes.subarray(0, length))
        else expect(f.whole).toBeUndefined()
        for (const [o, l] of [
          [0, 10],
          [PREFETCH_BYTES - 3, 10],
          [length - 7, 100],
          [length + 5, 3],
        ] as const) {
          expect(await f.read(o, l)).toEqual(bytes.subarray(Math.min(o, length), Math.min(o + l, length)))
        }
      } finally {
        await f.close()
      }
    }
  })
})

describe('usageText', () => {
  it('gives what formatCompact gives, in any member order, and refuses what it refuses', () => {
    const maps: Record<string, 'allowed' | 'denied' | undefined>[] = [
      {},
      { 'train-ai': 'denied' },
      { search: 'allowed', 'train-ai': 'denied' },
      { 'train-ai': 'denied', search: 'allowed' },
      { 'x-custom': 'allowed', all: 'denied', 'ai-input': undefined },
      { 'train-genai': 'denied', tdm: 'allowed', ai: 'denied' },
    ]
    for (const m of maps) {
      expect(usageText(m)).toBe(formatCompact(m))
      expect(usageText(m)).toBe(formatCompact(m)) // remembered
    }
    expect(() => usageText({ 'Bad Label': 'denied' })).toThrow()
    expect(() => usageText({ search: 'maybe' as 'allowed' })).toThrow()
    // A name that is not a label never shares a key with a map of labels.
    expect(usageText({ a: 'allowed', b: 'denied' })).toBe('a=y, b=n')
    expect(() => usageText({ 'a"y"b': 'denied' })).toThrow()
  })

  it('stays right past the size of the memo', () => {
    for (let i = 0; i < USAGE_MEMO_ENTRIES + 50; i++) {
      const m = { [`x${i}`]: 'denied', search: i % 2 === 0 ? 'allowed' : 'denied' } as const
      expect(usageText(m)).toBe(formatCompact(m))
    }
  })
})

describe('commandsFor', () => {
  it('loads only the command named first; every command for anything else', async () => {
    expect(commandsFor(['scan', 'data/']).map((c) => c.name)).toEqual(['scan'])
    expect(commandsFor(['validate', '--help']).map((c) => c.name)).toEqual(['validate'])
    for (const argv of [[], ['--help'], ['-V'], ['help', 'scan'], ['scna'], ['--quiet', 'scan']]) expect(commandsFor(argv)).toBe(COMMANDS)
    // Every entry loads a module that registers the command of that name.
    for (const c of COMMANDS) expect(typeof (await c.load()).register, c.name).toBe('function')
  })
})
