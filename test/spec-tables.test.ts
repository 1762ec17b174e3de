/**
 * Drift test for the generated tables of docs/spec.md (see test/_spec-tables.ts). The text between
 * each `<!-- generated:NAME -->` / `<!-- /generated:NAME -->` pair must be exactly the rendering of
 * the code. Run with UPDATE_SPEC=1 to rewrite those regions instead:
 *
 *   UPDATE_SPEC=1 npx vitest run test/spec-tables.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LIMITS, MAPPING_TABLE, USES, formatCompact, parseTag } from '../src/index.js'
import {
  IDENTIFIER_NOTES,
  LIMIT_NOTES,
  SPEC_REGIONS,
  codeCell,
  constantLeaves,
  escapeCell,
  renderAliases,
  renderIdentifiers,
  renderMapping,
  renderUseTree,
  renderVocabulary,
} from './_spec-tables.js'

const SPEC = new URL('../docs/spec.md', import.meta.url)
const UPDATE = process.env.UPDATE_SPEC === '1'

const start = (name: string): string => `<!-- generated:${name} -->`
const end = (name: string): string => `<!-- /generated:${name} -->`
/** What sits between the two markers: the rendering with one blank line on each side. */
const body = (rendered: string): string => `\n\n${rendered}\n\n`

interface Region {
  readonly from: number
  readonly to: number
}

function findRegion(text: string, name: string): Region {
  const a = text.indexOf(start(name))
  const b = text.indexOf(end(name))
  if (a < 0 || b < 0) throw new Error(`docs/spec.md lacks the markers ${start(name)} … ${end(name)}`)
  if (text.indexOf(start(name), a + 1) >= 0 || text.indexOf(end(name), b + 1) >= 0) throw new Error(`docs/spec.md has the markers of ${name} more than once`)
  if (b < a) throw new Error(`docs/spec.md has ${end(name)} before ${start(name)}`)
  return { from: a + start(name).length, to: b }
}

/** Splits a Markdown table row into cells, honouring `\|` escapes. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '')
  return inner.split(/(?<!\\)\|/).map((c) => c.trim())
}

function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map(cells)
}

if (UPDATE) {
  let text = readFileSync(SPEC, 'utf8')
  for (const [name, render] of Object.entries(SPEC_REGIONS)) {
    const r = findRegion(text, name)
    text = text.slice(0, r.from) + body(render()) + text.slice(r.to)
  }
  writeFileSync(SPEC, text)
}

describe('docs/spec.md generated tables', () => {
  const text = readFileSync(SPEC, 'utf8')

  for (const [name, render] of Object.entries(SPEC_REGIONS)) {
    it(`region "${name}" is exactly the rendering of the code`, () => {
      const r = findRegion(text, name)
      expect(text.slice(r.from, r.to), `run UPDATE_SPEC=1 npx vitest run test/spec-tables.test.ts`).toBe(body(render()))
    })
  }

  it('has no generated region the renderer does not know', () => {
    const names = [...text.matchAll(/<!-- \/?generated:([a-z-]+) -->/g)].map((m) => m[1])
    expect(new Set(names)).toEqual(new Set(Object.keys(SPEC_REGIONS)))
  })

  it('keeps the section numbers that code comments cite', () => {
    const headings = [...text.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\. /gm)].map((m) => m[1])
    for (const n of ['4.3.1', '4.10', '5.1', '6.1', '6.2', '6.3', '6.4', '7.1', '7.2', '7.3', '8.1', '8.2', '8.3', '9.1', '9.7', '12.2', '12.3', '13', '14', '18']) {
      expect(headings).toContain(n)
    }
  })
})

/** Fenced blocks preceded by `<!-- example:KIND -->`, in document order. */
function examples(text: string): { kind: string; body: string }[] {
  return [...text.matchAll(/<!-- example:([a-z]+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)].map((m) => ({ kind: m[1]!, body: m[2]! }))
}

describe('docs/spec.md examples', () => {
  const found = examples(readFileSync(SPEC, 'utf8'))

  it('has example tag documents, each valid by the reference implementation', () => {
    const tags = found.filter((e) => e.kind === 'tag')
    expect(tags.length).toBeGreaterThanOrEqual(2)
    for (const t of tags) expect(() => parseTag(t.body)).not.toThrow()
  })

  it('shows each readable line as the compact form of the tag example before it', () => {
    let last: string | undefined
    let checked = 0
    for (const e of found) {
      if (e.kind === 'tag') last = e.body
      else if (e.kind === 'compact') {
        expect(last, 'a compact example must follow a tag example').toBeDefined()
        expect(e.body).toBe(formatCompact(parseTag(last!).usage))
        checked++
      }
    }
    expect(checked).toBeGreaterThan(0)
  })
})

describe('the renderer', () => {
  it('escapes | so that a cell cannot split, also inside code spans', () => {
    expect(escapeCell('a|b')).toBe('a\\|b')
    expect(codeCell('n|y')).toBe('`n\\|y`')
    expect(cells(`| ${codeCell('all=n|y')} | ${escapeCell('x | y')} |`)).toHaveLength(2)
    expect(escapeCell('<meta>')).toBe('&lt;meta>')
    expect(codeCell('a`b')).toBe('``a`b``')
  })

  it('renders one mapping row per MAPPING_TABLE entry, each with seven cells', () => {
    const rows = tableRows(renderMapping())
    expect(rows).toHaveLength(MAPPING_TABLE.length + 2)
    for (const row of rows) expect(row).toHaveLength(7)
    const ct = rows.find((r) => r[1] === '`ai-train`' && r[0]!.includes('content-signals'))
    expect(ct?.slice(3, 6)).toEqual(['`train-ai`', '`train-ai`', '`train-ai`'])
    const noai = rows.find((r) => r[1] === '`noai`')
    expect(noai?.[4]).toBe('—')
  })

  it('renders every use once, in vocabulary order, and the tree', () => {
    const rows = tableRows(renderVocabulary()).slice(2)
    expect(rows.map((r) => r[0])).toEqual(USES.map((u) => `\`${u}\``))
    expect(renderUseTree().split('\n')).toEqual(['all', '├─ search', '└─ tdm', '   └─ ai', '      ├─ train-ai', '      │  └─ train-genai', '      └─ ai-input'])
  })

  it('lists the aliases that normalizeUse() knows', () => {
    const rows = tableRows(renderAliases()).slice(2)
    const byName = new Map(rows.map((r) => [r[0], r[2]]))
    expect(byName.get('`ai-train`')).toBe('`train-ai`')
    expect(byName.get('`genai`')).toBe('`train-genai`')
    expect(byName.get('`Disallow`')).toMatch(/not an alias/)
    expect(byName.has('`train-ai`')).toBe(false)
  })

  it('describes every identifier of src/constants.ts, and only those', () => {
    const described = IDENTIFIER_NOTES.map(([p]) => p)
    expect(new Set(described).size).toBe(described.length)
    expect(new Set(described), 'add the new constant to IDENTIFIER_NOTES in test/_spec-tables.ts').toEqual(new Set(constantLeaves().keys()))
    expect(renderIdentifiers()).toContain('| `NOAI_TAG` | MP4 freeform `name` of the document | `AUDIO_KEYS.mp4.document` | §9.6 |')
  })

  it('describes every limit', () => {
    expect(Object.keys(LIMIT_NOTES).sort()).toEqual(Object.keys(LIMITS).sort())
  })
})
