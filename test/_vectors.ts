/**
 * Loads the conformance vectors of the tag document (schema/v1/vectors/, docs/spec.md §12.3) and
 * runs one through the library the way the spec tells other implementations to.
 *
 * A vector is `{ description, valid, document | text, errors? }`: `document` is a JSON value to
 * validate, `text` is raw JSON text for byte-level cases (parsed first, so JSON-level failures
 * surface as the pseudo-keywords `json` and `maxDocumentBytes` at path "").
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { isNoaiTagError, parseTag, validateTag, type ValidationIssue } from '../src/index.js'

/** Folder of the vectors. */
export const VECTORS_DIR = fileURLToPath(new URL('../schema/v1/vectors/', import.meta.url))

/** One expected error: a JSON Pointer and a keyword (or rule name). */
export interface ExpectedError {
  readonly path: string
  readonly keyword: string
}

/** A vector as stored on disk, plus its file name. */
export interface Vector {
  readonly file: string
  readonly description: string
  readonly valid: boolean
  readonly document?: unknown
  readonly text?: string
  readonly errors?: readonly ExpectedError[]
  /** The raw file text (for checks of the file itself). */
  readonly source: string
}

/** Loads every `*.json` file of the vectors folder, sorted by name. */
export function loadVectors(dir: string = VECTORS_DIR): Vector[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const source = readFileSync(dir + file, 'utf8')
      return { ...(JSON.parse(source) as Omit<Vector, 'file' | 'source'>), file, source }
    })
}

/** What the library reported for a vector: ok, or the issues (JSON-level faults as one issue). */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly issues: readonly ExpectedError[] }

/** Maps a thrown parse error to the vector keywords; anything else is a crash and is rethrown. */
export function outcomeOfThrown(e: unknown): Outcome {
  if (!isNoaiTagError(e)) throw e
  if (e.code === 'ERR_NOAI_JSON_INVALID') return { ok: false, issues: [{ path: '', keyword: 'json' }] }
  if (e.code === 'ERR_NOAI_LIMIT_EXCEEDED' && (e as unknown as { limit: string }).limit === 'maxDocumentBytes') {
    return { ok: false, issues: [{ path: '', keyword: 'maxDocumentBytes' }] }
  }
  if (e.code === 'ERR_NOAI_TAG_INVALID') return { ok: false, issues: (e as unknown as { issues: readonly ValidationIssue[] }).issues }
  throw e
}

/** Parses text (or UTF-8 bytes) with `parseTag` and reports the outcome. */
export function runText(input: string | Uint8Array): Outcome {
  try {
    parseTag(input)
    return { ok: true }
  } catch (e) {
    return outcomeOfThrown(e)
  }
}

/** Runs a vector: `validateTag(document)` or `parseTag(text)`. */
export function runVector(v: Vector): Outcome {
  if (v.text !== undefined) return runText(v.text)
  const r = validateTag(v.document)
  return r.ok ? { ok: true } : { ok: false, issues: r.issues }
}

/** Expected errors of a vector that the outcome does not report (empty when all are reported). */
export function missingErrors(v: Vector, outcome: Outcome): ExpectedError[] {
  const reported = outcome.ok ? [] : outcome.issues
  return (v.errors ?? []).filter((x) => !reported.some((r) => r.path === x.path && r.keyword === x.keyword))
}

/** Splits a JSON Pointer (RFC 6901) into unescaped reference tokens. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) throw new Error(`not a JSON Pointer: ${JSON.stringify(pointer)}`)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** The value at a list of tokens, or `undefined` when the path does not exist. */
export function valueAt(value: unknown, tokens: readonly string[]): { found: boolean; value: unknown } {
  let cur: unknown = value
  for (const t of tokens) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, t)) return { found: false, value: undefined }
    cur = (cur as Record<string, unknown>)[t]
  }
  return { found: true, value: cur }
}

/** The JSON value a vector describes (its document, or its text parsed when it is plain JSON). */
export function vectorValue(v: Vector): unknown {
  return v.text !== undefined ? JSON.parse(v.text) : v.document
}

// ------------------------------------------------------------------------------------------------
// Coverage of the schema by the invalid vectors (the meta-test, docs/spec.md §12.3).
//
// Every validation keyword of schema/v1/tag.schema.json, at the location where it is written, and
// every declared property must be the expected error of at least one invalid vector. A vector's
// expected error is mapped to schema locations by its path: the schema is walked from the root
// (following $ref, properties, items, additionalProperties and allOf/then) to learn which instance
// paths each location applies to.

/** Keywords that can fail on their own and so need a vector each. */
export const VALIDATION_KEYWORDS = [
  'type', 'const', 'enum', 'pattern', 'format', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'minProperties', 'maxProperties', 'required', 'additionalProperties', 'propertyNames',
] as const
/** Keywords that only annotate or apply subschemas (their failures surface as the subschema's keywords). */
const STRUCTURAL_KEYWORDS = new Set(['$schema', '$id', 'title', 'description', '$defs', '$ref', 'properties', 'items', 'allOf', 'if', 'then'])
/** Rules of the standard beyond the schema, with the path at which each is reported. */
export const EXTRA_RULES: readonly ExpectedError[] = [
  { path: '/expires', keyword: 'expiresAfterIssued' },
  { path: '', keyword: 'json' },
  { path: '', keyword: 'maxDocumentBytes' },
]
/** Keywords whose path names a member of the object the keyword is written on. */
const MEMBER_KEYWORDS = new Set(['required', 'additionalProperties', 'propertyNames'])

const ANY_MEMBER = '\u0000*'
const ANY_INDEX = '\u0000#'
type Schema = Record<string, unknown>
interface Condition {
  /** Number of leading path tokens that select the instance the `if` schema is checked against. */
  readonly depth: number
  readonly schema: Schema
}
interface Template {
  readonly tokens: readonly string[]
  readonly conditions: readonly Condition[]
}
/** One item that needs a vector: a keyword at a schema location (a required member each), or a property. */
export interface CoverageItem {
  /** e.g. `#/$defs/identifier/properties/value pattern` or `#/properties/subject (property)`. */
  readonly id: string
  readonly keyword: string
  readonly member?: string
  readonly templates: Template[]
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/** Collects every coverage item of a schema. Throws on keywords it does not understand. */
export function coverageItems(root: Schema): Map<string, CoverageItem> {
  const items = new Map<string, CoverageItem>()
  const add = (id: string, keyword: string, template: Template, member?: string): void => {
    let item = items.get(id)
    if (!item) items.set(id, (item = { id, keyword, ...(member === undefined ? {} : { member }), templates: [] }))
    item.templates.push(template)
  }
  const walk = (node: Schema, loc: string, t: Template, base: Schema | undefined, depth: number): void => {
    if (depth > 50) throw new Error(`schema too deep at ${loc}`)
    if (typeof node.$ref === 'string') {
      const m = /^#\/\$defs\/([^/]+)$/.exec(node.$ref)
      if (!m) throw new Error(`unsupported $ref ${node.$ref}`)
      walk((root.$defs as Record<string, Schema>)[m[1]!]!, `#/$defs/${m[1]}`, t, undefined, depth + 1)
    }
    for (const [k, v] of Object.entries(node)) {
      if (!STRUCTURAL_KEYWORDS.has(k) && !(VALIDATION_KEYWORDS as readonly string[]).includes(k)) throw new Error(`meta-test does not know keyword ${k} at ${loc}`)
      // A branch that restates its parent's keyword (ajv strict mode wants `type` in if/then) adds no rule.
      if (base !== undefined && deepEqual(base[k], v)) continue
      if (k === 'required') for (const name of v as string[]) add(`${loc} required ${name}`, k, t, name)
      else if (k === 'additionalProperties' && v !== false) walk(v as Schema, `${loc}/additionalProperties`, { ...t, tokens: [...t.tokens, ANY_MEMBER] }, undefined, depth + 1)
      else if ((VALIDATION_KEYWORDS as readonly string[]).includes(k)) add(`${loc} ${k}`, k, t)
    }
    for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) {
      const childT = { ...t, tokens: [...t.tokens, name] }
      const baseChild = (base?.properties as Record<string, Schema> | undefined)?.[name]
      if (baseChild === undefined) add(`${loc}/properties/${name} (property)`, 'property', childT)
      walk(child, `${loc}/properties/${name}`, childT, baseChild, depth + 1)
    }
    if (node.items !== undefined) walk(node.items as Schema, `${loc}/items`, { ...t, tokens: [...t.tokens, ANY_INDEX] }, undefined, depth + 1)
    ;((node.allOf ?? []) as Schema[]).forEach((branch, i) => walk(branch, `${loc}/allOf/${i}`, t, node, depth + 1))
    if (node.then !== undefined) {
      if (node.if === undefined) throw new Error(`then without if at ${loc}`)
      const cond = { depth: t.tokens.length, schema: node.if as Schema }
      walk(node.then as Schema, `${loc}/then`, { ...t, conditions: [...t.conditions, cond] }, base, depth + 1)
    }
  }
  walk(root, '#', { tokens: [], conditions: [] }, undefined, 0)
  for (const name of Object.keys((root.$defs ?? {}) as object)) {
    if (![...items.keys()].some((id) => id.startsWith(`#/$defs/${name}`))) throw new Error(`$defs/${name} is never reached from the root`)
  }
  return items
}

/** Checks a value against the simple schemas used in `if` (type, const, required, properties). */
function satisfies(schema: Schema, value: unknown): boolean {
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'const' && !deepEqual(v, value)) return false
    else if (k === 'type' && !(v === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value) : typeof value === v)) return false
    else if (k === 'required' && !(v as string[]).every((n) => valueAt(value, [n]).found)) return false
    else if (k === 'properties') {
      for (const [n, s] of Object.entries(v as Record<string, Schema>)) {
        const at = valueAt(value, [n])
        if (at.found && !satisfies(s, at.value)) return false
      }
    } else if (!['type', 'const', 'required', 'properties'].includes(k)) throw new Error(`meta-test cannot evaluate ${k} in if`)
  }
  return true
}

function matches(t: Template, tokens: readonly string[], instance: unknown): boolean {
  if (t.tokens.length !== tokens.length) return false
  for (let i = 0; i < tokens.length; i++) {
    const want = t.tokens[i]!
    const got = tokens[i]!
    if (want === ANY_INDEX ? !/^(?:0|[1-9][0-9]*)$/.test(got) : want !== ANY_MEMBER && want !== got) return false
  }
  return t.conditions.every((c) => satisfies(c.schema, valueAt(instance, tokens.slice(0, c.depth)).value))
}

/** The coverage items one expected error of a vector satisfies. */
export function itemsCoveredBy(items: Map<string, CoverageItem>, error: ExpectedError, instance: unknown): CoverageItem[] {
  const tokens = pointerTokens(error.path)
  const member = MEMBER_KEYWORDS.has(error.keyword)
  const objectTokens = member ? tokens.slice(0, -1) : tokens
  const out: CoverageItem[] = []
  for (const item of items.values()) {
    const hit =
      item.keyword === 'property'
        ? error.keyword !== 'additionalProperties' && error.keyword !== 'propertyNames' && item.templates.some((t) => matches(t, tokens, instance))
        : item.keyword === error.keyword &&
          (error.keyword !== 'required' || item.member === tokens[tokens.length - 1]) &&
          item.templates.some((t) => matches(t, objectTokens, instance))
    if (hit) out.push(item)
  }
  return out
}

/** Result of {@link schemaCoverage}. */
export interface Coverage {
  /** Items (and extra rules) that no invalid vector expects. */
  readonly uncovered: string[]
  /** Expected errors that name no schema rule at their path (`file: path keyword`). */
  readonly unmapped: string[]
}

/** Which schema items and extra rules the invalid vectors cover. */
export function schemaCoverage(schema: Schema, vectors: readonly Vector[]): Coverage {
  const items = coverageItems(schema)
  const covered = new Set<string>()
  const unmapped: string[] = []
  for (const v of vectors) {
    if (v.valid) continue
    const instance = v.text !== undefined && !(v.errors ?? []).some((e) => EXTRA_RULES.some((r) => r.keyword === e.keyword)) ? vectorValue(v) : v.document
    for (const e of v.errors ?? []) {
      const extra = EXTRA_RULES.find((r) => r.keyword === e.keyword)
      if (extra) {
        if (extra.path === e.path) covered.add(`rule ${e.keyword}`)
        else unmapped.push(`${v.file}: ${e.path} ${e.keyword}`)
        continue
      }
      const hit = itemsCoveredBy(items, e, instance)
      if (!hit.some((i) => i.keyword !== 'property')) unmapped.push(`${v.file}: ${e.path} ${e.keyword}`)
      for (const i of hit) covered.add(i.id)
    }
  }
  const all = [...items.keys(), ...EXTRA_RULES.map((r) => `rule ${r.keyword}`)]
  return { uncovered: all.filter((id) => !covered.has(id)), unmapped }
}
