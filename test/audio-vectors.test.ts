// The audio conformance vectors (schema/v1/vectors/audio/, docs/spec.md §10.10), run against the
// sources: container, essence digest, stored entries, decoded tag and verification of every file;
// the index lists every file; every container the library supports has vectors; sizes stay small.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { audioEssence, detectAudioFormat, readAudioTag } from '../src/audio.js'
import { handlerFor } from '../src/audio/registry.js'
import type { AudioFormat } from '../src/audio/types.js'
import { verifyTag, type VerifyCode } from '../src/sign.js'
import { ISSUER_KEYS } from './sign-fixtures.js'

const DIR = new URL('../schema/v1/vectors/audio/', import.meta.url)

interface AudioVector {
  readonly file: string
  readonly format: AudioFormat
  readonly codec?: string
  readonly description: string
  readonly essenceSha256: string
  readonly readable?: string
  readonly document?: string
  readonly signed?: boolean
  readonly tag?: unknown
  readonly verify?: { readonly now: string; readonly expected: { readonly state: string; readonly codes: readonly VerifyCode[] } }
}

const vectors = JSON.parse(readFileSync(new URL('vectors.json', DIR), 'utf8')) as AudioVector[]
const bytesOf = (file: string): Uint8Array => new Uint8Array(readFileSync(new URL(file, DIR)))
const ALL_FORMATS: readonly AudioFormat[] = ['mp3', 'flac', 'ogg', 'mp4', 'wav', 'aiff']

describe('audio conformance vectors', () => {
  it.each(vectors.map((v) => [v.file, v] as const))('%s', async (_file, v) => {
    const bytes = bytesOf(v.file)
    expect(await detectAudioFormat(bytes)).toBe(v.format)
    expect(await audioEssence(bytes)).toEqual({ format: v.format, sha256: v.essenceSha256 })
    const r = await readAudioTag(bytes)
    expect(r.readable).toBe(v.readable)
    expect(r.document).toBe(v.document)
    expect(r.mismatch).toBe(false)
    if (v.codec !== undefined) expect(r.codec).toBe(v.codec)
    if (v.document === undefined) {
      expect(v.tag).toBeUndefined()
      return
    }
    expect(r.signed).toBe(v.signed)
    expect(r.tag).toEqual(v.tag)
    expect(v.document).toMatch(/^[\x20-\x7e]+$/)
    if (v.signed) {
      expect(v.verify).toBeDefined()
      const res = await verifyTag(v.document, { keys: ISSUER_KEYS, essence: { format: v.format, sha256: v.essenceSha256 }, now: new Date(v.verify!.now) })
      expect({ state: res.state, codes: res.codes }).toEqual(v.verify!.expected)
    }
  })

  it('are well formed: every file listed once and present, and only listed files in the folder', () => {
    const names = vectors.map((v) => v.file)
    expect(new Set(names).size).toBe(names.length)
    const present = readdirSync(DIR).filter((f) => f !== 'README.md' && f !== 'vectors.json')
    expect(present.sort()).toEqual([...names].sort())
    for (const v of vectors) {
      expect(v.essenceSha256).toMatch(/^[0-9a-f]{64}$/)
      expect(v.description.length).toBeGreaterThan(10)
      expect(v.readable === undefined).toBe(v.document === undefined)
    }
  })

  it('tagging keeps the essence: the untagged, unsigned and signed files of one id share a digest', () => {
    const byId = new Map<string, Set<string>>()
    for (const v of vectors) {
      const m = /^(.*)-(untagged|unsigned|signed)\.\w+$/.exec(v.file)
      if (!m || v.file.includes('-moved-')) continue
      byId.set(m[1]!, (byId.get(m[1]!) ?? new Set()).add(v.essenceSha256))
    }
    expect(byId.size).toBeGreaterThanOrEqual(7)
    for (const [id, digests] of byId) expect(digests.size, id).toBe(1)
  })

  it('cover every container this build supports, each untagged, unsigned and signed', async () => {
    for (const format of ALL_FORMATS) {
      const supported = await handlerFor(format).then(
        () => true,
        () => false,
      )
      const states = new Set(vectors.filter((v) => v.format === format && !v.file.includes('-moved-')).map((v) => (v.document === undefined ? 'untagged' : v.signed ? 'signed' : 'unsigned')))
      if (supported) expect([...states].sort(), `${format}: regenerate with node scripts/make-audio-vectors.mjs`).toEqual(['signed', 'unsigned', 'untagged'])
    }
    // Ogg covers both codecs of v1, and MP4 both moov placements.
    expect(new Set(vectors.filter((v) => v.format === 'ogg').map((v) => v.codec))).toEqual(new Set(['vorbis', 'opus']))
    expect(vectors.some((v) => v.file.startsWith('mp4-aac-moov-first'))).toBe(true)
    expect(vectors.some((v) => v.file.startsWith('mp4-aac-moov-last'))).toBe(true)
  })

  it('include a signed tag moved onto another file, which fails the binding', () => {
    const moved = vectors.filter((v) => v.file.includes('-moved-'))
    expect(moved.length).toBeGreaterThanOrEqual(1)
    for (const v of moved) expect(v.verify?.expected.codes).toContain('content-hash-mismatch')
  })

  it('stay small: each file under 20 KB, all under 300 KB', () => {
    let total = 0
    for (const f of readdirSync(DIR)) {
      const size = statSync(new URL(f, DIR)).size
      if (f !== 'README.md' && f !== 'vectors.json') expect(size, f).toBeLessThan(20 * 1024)
      total += size
    }
    expect(total).toBeLessThan(300 * 1024)
  })
})
