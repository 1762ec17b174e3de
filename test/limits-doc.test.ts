/**
 * Drift test for docs/limits.md (see test/_limits-table.ts). The text between
 * `<!-- generated:limits -->` and `<!-- /generated:limits -->` must be exactly the rendering of the
 * limit constants; every `*_LIMITS` object of src/ and every member of it, and every named `MAX_*`
 * or `DEFAULT_*` constant, must have a row; every bound and default must name a test that exists
 * (or say why it cannot have one). Run with UPDATE_LIMITS=1 to rewrite the generated part:
 *
 *   UPDATE_LIMITS=1 npx vitest run test/limits-doc.test.ts
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { GROUPS, NOT_ROWS, renderLimits, rowsOf } from './_limits-table.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DOC = join(ROOT, 'docs/limits.md')
const START = '<!-- generated:limits -->'
const END = '<!-- /generated:limits -->'
const body = (rendered: string): string => `\n\n${rendered}\n\n`

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    if (statSync(p).isDirectory()) return sources(p)
    return p.endsWith('.ts') ? [p] : []
  })
}

/** Every `const NAME = …` of src/ whose name is a limit's: `*_LIMITS` (and LIMITS), `MAX_*`, `DEFAULT_*`. */
function namedLimits(): { file: string; name: string; object: boolean }[] {
  const out: { file: string; name: string; object: boolean }[] = []
  for (const p of sources(join(ROOT, 'src'))) {
    const file = relative(ROOT, p)
    for (const m of readFileSync(p, 'utf8').matchAll(/^(?:export )?const ([A-Z][A-Z0-9_]*)\b[^=\n]*=\s*(\{|[^\n]*)/gm)) {
      const name = m[1]!
      if (/(^|_)LIMITS$/.test(name) || /^(MAX|DEFAULT)_/.test(name)) out.push({ file, name, object: m[2] === '{' })
    }
  }
  return out
}

if (process.env.UPDATE_LIMITS === '1') {
  const text = readFileSync(DOC, 'utf8')
  const a = text.indexOf(START)
  const b = text.indexOf(END)
  if (a < 0 || b < a) throw new Error(`docs/limits.md lacks ${START} … ${END}`)
  writeFileSync(DOC, text.slice(0, a + START.length) + body(renderLimits()) + text.slice(b))
}

describe('docs/limits.md', () => {
  it('holds exactly the rendering of the limit constants (UPDATE_LIMITS=1 npx vitest run test/limits-doc.test.ts rewrites it)', () => {
    const text = readFileSync(DOC, 'utf8')
    const a = text.indexOf(START)
    const b = text.indexOf(END)
    expect(a, `docs/limits.md lacks ${START}`).toBeGreaterThanOrEqual(0)
    expect(b, `docs/limits.md lacks ${END}`).toBeGreaterThan(a)
    expect(text.slice(a + START.length, b)).toBe(body(renderLimits()))
  })

  it('has a row for every member of every *_LIMITS object, and no row for a member that is not there', () => {
    const byName = new Map(GROUPS.filter((g) => g.object).map((g) => [g.name, g]))
    for (const g of byName.values()) {
      const inherited = g.spreads ? Object.keys(byName.get(g.spreads)!.object!) : []
      const own = Object.keys(g.object!).filter((k) => !inherited.includes(k))
      expect(Object.keys(g.notes).sort(), `${g.name}: add a note in test/_limits-table.ts`).toEqual(own.sort())
    }
  })

  it('has a row for every named limit of src/ (or says why not)', () => {
    const rows = new Set<string>()
    for (const g of GROUPS) {
      if (g.object) rows.add(`${g.source}:${g.name}`)
      else for (const [k, n] of Object.entries(g.notes)) rows.add(`${n.source ?? g.source}:${k}`)
    }
    const missing = namedLimits()
      .map(({ file, name }) => `${file}:${name}`)
      .filter((k) => !rows.has(k) && NOT_ROWS[k] === undefined)
    expect(missing, 'add these to GROUPS (or NOT_ROWS, with a reason) in test/_limits-table.ts').toEqual([])
    for (const k of [...rows, ...Object.keys(NOT_ROWS)]) {
      const [file, name] = k.split(':') as [string, string]
      expect(readFileSync(join(ROOT, file), 'utf8'), k).toMatch(new RegExp(`const ${name}\\b`))
    }
  })

  it('names, for every bound and default, a test that exists and mentions it (or says why there is none)', () => {
    for (const g of GROUPS) {
      for (const { key, note } of rowsOf(g)) {
        const where = `${g.name}.${key}`
        if (note.kind !== 'policy') expect(note.tests?.length || note.untested, `${where}: a ${note.kind} needs a test`).toBeTruthy()
        for (const [file, text] of note.tests ?? []) {
          const path = join(ROOT, 'test', file)
          expect(existsSync(path), `${where}: test/${file}`).toBe(true)
          expect(readFileSync(path, 'utf8').includes(text), `${where}: test/${file} has no "${text}"`).toBe(true)
        }
      }
    }
  })

  it('says what every row bounds', () => {
    for (const g of GROUPS) for (const { key, doc } of rowsOf(g)) expect(doc, `${g.name}.${key}: give it a doc comment in ${g.source} (or a \`what\`)`).not.toBe('')
  })
})
