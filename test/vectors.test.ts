// Runs the conformance vectors of the tag document (schema/v1/vectors/, docs/spec.md §12.3)
// through the library, checks the vector files themselves, and checks that the invalid vectors
// cover every keyword and property of schema/v1/tag.schema.json.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseJsonStrict } from '../src/_internal/json.js'
import { LIMITS } from '../src/limits.js'
import {
  EXTRA_RULES,
  coverageItems,
  loadVectors,
  missingErrors,
  pointerTokens,
  runText,
  runVector,
  schemaCoverage,
  valueAt,
  type Vector,
} from './_vectors.js'

const schema = JSON.parse(readFileSync(new URL('../schema/v1/tag.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>
const vectors = loadVectors()
const valid = vectors.filter((v) => v.valid)
const invalid = vectors.filter((v) => !v.valid)
const JSON_LEVEL = new Set(['json', 'maxDocumentBytes'])
const MEMBER_KEYWORDS = new Set(['required', 'additionalProperties', 'propertyNames'])
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('vector files', () => {
  it('has at least 15 valid and 40 invalid vectors', () => {
    expect(valid.length).toBeGreaterThanOrEqual(15)
    expect(invalid.length).toBeGreaterThanOrEqual(40)
  })

  it.each(vectors.map((v) => [v.file, v] as const))('%s is well formed', (file, v) => {
    // No duplicate names in the vector file itself (JSON.parse would silently keep the last).
    expect(() => parseJsonStrict(v.source, { maxDepth: 64 })).not.toThrow()
    expect(file).toMatch(v.valid ? /^valid-[a-z0-9.-]+\.json$/ : /^invalid-[a-z0-9.-]+\.json$/)
    const keys = Object.keys(JSON.parse(v.source) as object).sort()
    const body = v.text !== undefined ? 'text' : 'document'
    expect(keys).toEqual(v.valid ? ['description', body, 'valid'].sort() : ['description', body, 'errors', 'valid'].sort())
    expect(typeof v.valid).toBe('boolean')
    expect(typeof v.description).toBe('string')
    expect(v.description.length).toBeGreaterThan(10)
    if (v.text !== undefined) expect(typeof v.text).toBe('string')
  })

  it.each(invalid.map((v) => [v.file, v] as const))('%s names errors that exist in its document', (_file, v) => {
    expect(Array.isArray(v.errors) && v.errors.length).toBeGreaterThan(0)
    for (const e of v.errors!) {
      expect(Object.keys(e).sort()).toEqual(['keyword', 'path'])
      expect(typeof e.keyword === 'string' && e.keyword.length > 0).toBe(true)
      const tokens = pointerTokens(e.path) // throws on a malformed pointer
      if (JSON_LEVEL.has(e.keyword)) {
        // JSON-level failures exist only for raw text and are the vector's only expected error.
        expect(v.text).toBeTypeOf('string')
        expect(v.errors).toEqual([{ path: '', keyword: e.keyword }])
        continue
      }
      const instance = v.text !== undefined ? JSON.parse(v.text) : v.document
      if (MEMBER_KEYWORDS.has(e.keyword)) {
        const parent = valueAt(instance, tokens.slice(0, -1))
        expect(parent.found, `${e.path}: parent object exists`).toBe(true)
        const member = valueAt(instance, tokens)
        expect(member.found, `${e.path}: member ${e.keyword === 'required' ? 'absent' : 'present'}`).toBe(e.keyword !== 'required')
      } else {
        expect(valueAt(instance, tokens).found, `${e.path}: value exists`).toBe(true)
      }
    }
  })
})

describe('vectors through the library', () => {
  const check = (v: Vector, outcome: ReturnType<typeof runVector>): void => {
    if (v.valid) {
      expect(outcome.ok ? [] : outcome.issues, v.description).toEqual([])
    } else {
      expect(outcome.ok, `${v.description}: must be invalid`).toBe(false)
      expect(missingErrors(v, outcome), `${v.description}: reported ${JSON.stringify(outcome.ok ? [] : outcome.issues)}`).toEqual([])
    }
  }

  it.each(vectors.map((v) => [v.file, v] as const))('%s', (_file, v) => {
    check(v, runVector(v))
    if (v.text !== undefined) {
      // The same text as UTF-8 bytes gives the same outcome.
      check(v, runText(utf8(v.text)))
    } else {
      // A document vector serialised to JSON text and parsed gives the same outcome (within the size limit).
      const text = JSON.stringify(v.document)
      if (utf8(text).length <= LIMITS.maxDocumentBytes) check(v, runText(text))
    }
  })
})

describe('coverage of the schema by the invalid vectors', () => {
  it('every keyword and property of the schema is the expected error of some invalid vector', () => {
    const { uncovered } = schemaCoverage(schema, vectors)
    expect(uncovered, `not the expected error of any invalid vector:\n  ${uncovered.join('\n  ')}\n`).toEqual([])
  })

  it('every expected error names a schema rule or a rule of the standard at its path', () => {
    const { unmapped } = schemaCoverage(schema, vectors)
    expect(unmapped, `expected errors that match no rule:\n  ${unmapped.join('\n  ')}\n`).toEqual([])
  })

  it('collects the rules it must (so that the check above cannot pass vacuously)', () => {
    const ids = [...coverageItems(schema).keys()]
    expect(ids).toContain('#/$defs/identifier/allOf/0/then/properties/value pattern')
    expect(ids).toContain('#/$defs/identifier/allOf/1/then/properties/value pattern')
    expect(ids).toContain('# required subject')
    expect(ids).toContain('#/$defs/usage propertyNames')
    expect(ids).toContain('#/$defs/usage/properties/train-genai (property)')
    expect(ids).toContain('#/properties/issued format')
    // Restated `type`s inside if/then and the usage map's additionalProperties schema are not rules.
    expect(ids).not.toContain('#/$defs/identifier/allOf/0/then type')
    expect(ids).not.toContain('#/$defs/usage additionalProperties')
    expect(ids.length).toBeGreaterThan(100)
  })

  it('reports a rule as uncovered once the vectors that cover it are removed', () => {
    const id = '#/$defs/identifier/allOf/1/then/properties/value pattern'
    const without = vectors.filter((v) => !(v.errors ?? []).some((e) => e.path.endsWith('/value') && e.keyword === 'pattern'))
    expect(without.length).toBeLessThan(vectors.length)
    expect(schemaCoverage(schema, without).uncovered).toContain(id)
    const noJson = vectors.filter((v) => !(v.errors ?? []).some((e) => e.keyword === 'json'))
    expect(schemaCoverage(schema, noJson).uncovered).toContain('rule json')
    expect(EXTRA_RULES.map((r) => r.keyword)).toEqual(['expiresAfterIssued', 'json', 'maxDocumentBytes'])
  })
})
