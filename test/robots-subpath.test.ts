import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const SRC = fileURLToPath(new URL('../src/', import.meta.url))

/** Every module specifier reachable from an entry by static or dynamic import, walking src/. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const queue = [resolve(SRC, entry)]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (files.has(file)) continue
    files.add(file)
    // Comments hold @example imports; only code counts.
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2]!
      if (/^import\s+type\s/.test(m[0].trim())) continue
      if (!spec.startsWith('.')) {
        packages.add(spec)
        continue
      }
      const target = resolve(dirname(file), spec)
      queue.push(target.endsWith('.js') ? safeTs(target) : target)
    }
  }
  return { files, packages }
}

/** `x.js` in an import is `x.ts` on disk, except for the generated `.js` modules. */
function safeTs(jsPath: string): string {
  const ts = jsPath.replace(/\.js$/, '.ts')
  try {
    readFileSync(ts)
    return ts
  } catch {
    return jsPath
  }
}

describe('noai-tag/robots import graph', () => {
  const { files, packages } = importGraph('robots.ts')
  it('loads neither jose nor audio code, and no Node built-ins', () => {
    expect([...packages].sort()).toEqual(['fast-xml-parser', 'structured-headers'])
    const rel = [...files].map((f) => f.slice(SRC.length))
    expect(rel.filter((f) => /^(audio|node|sign|cli)\b/.test(f))).toEqual([])
    expect(rel).toContain('robots/parse-robots-txt.ts')
  })
  it('uses Web APIs only (no Buffer, no process)', () => {
    for (const f of files) {
      if (!f.includes('/robots')) continue
      const text = readFileSync(f, 'utf8')
      expect(/\bBuffer\b|\bprocess\.|\brequire\(/.test(text), f).toBe(false)
    }
  })
})
