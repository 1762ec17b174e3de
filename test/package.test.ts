// The package's entry points are declared in four places that must agree: package.json "exports"
// (what users import), tsup.config.ts (what gets built), typedoc.json (what gets documented) and
// the files themselves. A subpath added to one and forgotten in another ships undocumented,
// unbuilt or broken; these tests fail instead. (The packed tarball itself is checked by
// scripts/check-package.mjs in CI.)
import { existsSync, readFileSync } from 'node:fs'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import tsupConfig from '../tsup.config.js'

const root = new URL('../', import.meta.url)
const readJson = (file: string): unknown => JSON.parse(readFileSync(new URL(file, root), 'utf8'))

type ExportLeaf = string | { types?: string; default?: string; [condition: string]: unknown }
const pkg = readJson('package.json') as {
  exports: Record<string, ExportLeaf>
  bin: Record<string, string>
  files: string[]
}

// typedoc.json may hold comments: read it the way TypeDoc does (TypeScript's JSON-with-comments reader).
const typedocText = readFileSync(new URL('typedoc.json', root), 'utf8')
const typedocParsed = ts.parseConfigFileTextToJson('typedoc.json', typedocText)
const typedoc = typedocParsed.config as { entryPoints: string[]; out: string; treatWarningsAsErrors: boolean }

type TsupOptions = { entry?: Record<string, string>; platform?: string; dts?: unknown }
const tsupConfigs = (Array.isArray(tsupConfig) ? tsupConfig : [tsupConfig]) as TsupOptions[]
const libraryEntries = Object.assign({}, ...tsupConfigs.filter((c) => c.dts !== false).map((c) => c.entry ?? {})) as Record<string, string>
const allEntries = Object.assign({}, ...tsupConfigs.map((c) => c.entry ?? {})) as Record<string, string>

// Code subpaths: everything in "exports" except JSON files (the schema, package.json).
const codeSubpaths = Object.entries(pkg.exports).filter(([key]) => !key.endsWith('.json'))

/** `./dist/<name>.js` → `<name>` */
const builtName = (file: string | undefined): string | undefined => /^\.\/dist\/([\w-]+)\.js$/.exec(file ?? '')?.[1]

describe('package entry points', () => {
  it('typedoc.json parses and fails on warnings', () => {
    expect(typedocParsed.error).toBeUndefined()
    expect(typedoc.treatWarningsAsErrors).toBe(true)
    expect(typedoc.out).toBe('docs/api')
  })

  it.each(codeSubpaths)('exports %s has a types leaf then a default leaf under dist/', (_key, leaf) => {
    expect(typeof leaf).toBe('object')
    const l = leaf as Exclude<ExportLeaf, string>
    // TypeScript reads conditions in order: "types" must come first.
    expect(Object.keys(l)).toEqual(['types', 'default'])
    const name = builtName(l.default)
    expect(name, `default ${String(l.default)} is not ./dist/<name>.js`).toBeDefined()
    expect(l.types).toBe(`./dist/${name}.d.ts`)
  })

  it('every exported code subpath is built by tsup, and every library entry is exported', () => {
    const exported = codeSubpaths.map(([, leaf]) => builtName((leaf as { default?: string }).default)).sort()
    expect(Object.keys(libraryEntries).sort()).toEqual(exported)
  })

  it('typedoc documents exactly the source files of the exported subpaths', () => {
    const sources = Object.values(libraryEntries).map((p) => p.replace(/^\.\//, '')).sort()
    expect([...typedoc.entryPoints].map((p) => p.replace(/^\.\//, '')).sort()).toEqual(sources)
    for (const src of sources) expect(existsSync(new URL(src, root)), src).toBe(true)
  })

  it('every bin is built by tsup', () => {
    for (const [name, file] of Object.entries(pkg.bin)) {
      const built = builtName(file.replace(/^(?!\.\/)/, './'))
      expect(built, `bin ${name}`).toBeDefined()
      expect(Object.keys(allEntries), `bin ${name} → ${file}`).toContain(built)
    }
  })

  it('every exported JSON file exists and is in "files"', () => {
    for (const [key, leaf] of Object.entries(pkg.exports)) {
      if (!key.endsWith('.json') || key === './package.json') continue
      expect(typeof leaf, key).toBe('string')
      const file = (leaf as string).replace(/^\.\//, '')
      expect(existsSync(new URL(file, root)), file).toBe(true)
      expect(
        pkg.files.some((f) => file === f || file.startsWith(`${f.replace(/\/$/, '')}/`)),
        `${file} is not covered by package.json "files"`,
      ).toBe(true)
    }
  })
})
