// noai-tag/crawl must not load the signing code, the audio readers or the XML parser up front
// (DESIGN: "entry points that decide load jose and the audio readers with import() only when a
// signed tag or an audio body is actually met"). Checked on the built files (dist/, built by
// `pretest`): the files dist/crawl.js reaches through static imports hold none of them, and the
// dynamic imports that load them on demand exist.
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const DIST = new URL('../dist/', import.meta.url)
const STATIC = /^\s*(?:import|export)\b[^;'"]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g

/** Every file reached from `entry` through static imports, and the bare packages they import. */
function staticClosure(entry: string): { files: Map<string, string>; packages: Set<string> } {
  const files = new Map<string, string>()
  const packages = new Set<string>()
  const visit = (name: string): void => {
    if (files.has(name)) return
    const source = readFileSync(new URL(name, DIST), 'utf8')
    files.set(name, source)
    for (const m of source.matchAll(STATIC)) {
      const spec = (m[1] ?? m[2])!
      if (spec.startsWith('./')) visit(spec.slice(2))
      else packages.add(spec)
    }
  }
  visit(entry)
  return { files, packages }
}

// Strings that only the lazily loaded code contains.
const MARKERS: Record<string, string> = {
  'signature verification (src/sign/verify-tag.ts, codes.ts)': 'signature-mismatch',
  'key discovery (src/sign/keys/create-key-resolver.ts)': 'not retried for',
  'audio readers (src/audio/errors.ts)': 'MalformedAudioError',
  'the Range byte source (src/audio/http-source.ts)': 'UrlFetchError',
  'the RSL reader (src/robots/parse-rsl.ts)': 'XMLParser',
}

describe.skipIf(!existsSync(new URL('crawl.js', DIST)))('dist/crawl.js loads heavy code lazily', () => {
  const { files, packages } = staticClosure('crawl.js')

  it('imports neither jose, @noble/hashes nor fast-xml-parser statically', () => {
    expect([...packages].sort()).toEqual(['structured-headers'])
  })

  it.each(Object.entries(MARKERS))('does not statically load %s', (_what, marker) => {
    const holders = [...files].filter(([, source]) => source.includes(marker)).map(([name]) => name)
    expect(holders).toEqual([])
  })

  it('loads them with import() when they are needed', () => {
    const dynamic = [...files.get('crawl.js')!.matchAll(DYNAMIC)].map((m) => m[1]!.replace(/-[A-Z0-9]{8}\.js$/, ''))
    expect(new Set(dynamic)).toEqual(new Set(['./_sign-code', './_audio-code', './_rsl-code']))
    const lazy = (prefix: string) => staticClosure([...files.get('crawl.js')!.matchAll(DYNAMIC)].map((m) => m[1]!).find((s) => s.startsWith(prefix))!.slice(2))
    expect([...lazy('./_sign-code').files.values()].some((s) => s.includes('signature-mismatch'))).toBe(true)
    expect([...lazy('./_audio-code').files.values()].some((s) => s.includes('MalformedAudioError'))).toBe(true)
    expect(lazy('./_rsl-code').packages.has('fast-xml-parser')).toBe(true)
  })
})
