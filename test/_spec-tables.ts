/**
 * Renders the tables of docs/spec.md that are generated from the code, so that the standard and
 * the library cannot drift: the vocabulary (§5.1, from USE_DEFINITIONS), the mapping table (§7.2,
 * from MAPPING_TABLE), the read aliases (§7.3, from normalizeUse), the identifiers (§9, from
 * src/constants.ts), the limits (§4.10, from LIMITS), the member reference (§4, from
 * schema/v1/tag.schema.json) and the worked examples of combination (§6.5, computed with
 * resolvePreferences, combinePreferences and preferenceFor).
 *
 * In docs/spec.md each rendering sits between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->`; test/spec-tables.test.ts checks the text and, with UPDATE_SPEC=1,
 * rewrites it.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import * as constants from '../src/constants.js'
import { LIMITS } from '../src/limits.js'
import { MAPPING_TABLE, type SignalId } from '../src/vocabulary/mappings.js'
import { normalizeUse } from '../src/vocabulary/normalize.js'
import { combinePreferences, preferenceFor, resolvePreferences, type UsageStatement } from '../src/vocabulary/resolve.js'
import { formatCompact } from '../src/compact/format.js'
import { USES, USE_DEFINITIONS, isUse, type Use } from '../src/vocabulary/uses.js'

/** Shown in a cell where the table holds `null`: the direction is not mapped / never written. */
export const NOT_MAPPED = '—'

/** Escapes text for a Markdown table cell: `|` would end the cell, `<` could open raw HTML. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ')
}

/**
 * A code span for a table cell. GFM splits table rows on `|` before it parses code spans, so a `|`
 * inside a code span must be escaped as well; the backslash is removed when the cell is rendered.
 */
export function codeCell(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}${pad}${fence}`
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

const useCell = (u: Use | null): string => (u === null ? NOT_MAPPED : codeCell(u))

/** The use tree drawn with box characters, root first, children in vocabulary order. */
export function renderUseTree(): string {
  const children = (parent: Use | null): Use[] => USES.filter((u) => USE_DEFINITIONS[u].parent === parent)
  const lines: string[] = []
  const walk = (use: Use, prefix: string, last: boolean, root: boolean): void => {
    lines.push(root ? use : `${prefix}${last ? '└─ ' : '├─ '}${use}`)
    const kids = children(use)
    const next = root ? '' : `${prefix}${last ? '   ' : '│  '}`
    kids.forEach((k, i) => walk(k, next, i === kids.length - 1, false))
  }
  for (const r of children(null)) walk(r, '', true, true)
  return lines.join('\n')
}

/** §5.1: the tree and the table of uses, from USE_DEFINITIONS. */
export function renderVocabulary(): string {
  const rows = USES.map((u) => {
    const d = USE_DEFINITIONS[u]
    return [codeCell(d.use), useCell(d.parent), escapeCell(d.title), escapeCell(d.definition)]
  })
  return ['```text', renderUseTree(), '```', '', table(['Use', 'Broader use', 'Title', 'Definition'], rows)].join('\n')
}

/** Display names of the signals of the mapping table; a new SignalId fails type-checking here. */
export const SIGNAL_NAMES: { readonly [S in SignalId]: string } = {
  'noai-tag': 'NoAI Tag compact form (§8)',
  aipref: 'IETF aipref, vocab -07/-08',
  'aipref-legacy': 'IETF aipref, revisions -01 to -06 (read only)',
  'content-signals': 'Cloudflare Content Signals',
  tdmrep: 'W3C TDMRep',
  'robots-meta': 'robots meta / X-Robots-Tag',
  'robots-txt': 'robots.txt (RFC 9309)',
  'ai-txt': 'Spawning ai.txt',
  'iptc-plus': 'IPTC / PLUS DataMining',
  c2pa: 'C2PA 1.x training-mining',
  cawg: 'CAWG 1.1 training-mining',
  rsl: 'RSL 1.0 usage',
  bing: 'Bing legacy',
}

/** §7.2: the mapping table, one row per MAPPING_TABLE entry, in table order. */
export function renderMapping(): string {
  const rows = MAPPING_TABLE.map((r) => [
    `${escapeCell(SIGNAL_NAMES[r.signal])} (${codeCell(r.signal)})`,
    codeCell(r.token),
    codeCell(r.form),
    useCell(r.denies),
    useCell(r.allows),
    useCell(r.writtenFrom),
    r.loss === '' ? 'Nothing.' : escapeCell(r.loss),
  ])
  return table(['Signal', 'Token', 'Where / form', 'Deny reads as', 'Allow reads as', 'Written from', 'What is lost'], rows)
}

/** §7.3: every token of the mapping table that is not a v1 use, and what normalizeUse() makes of it. */
export function renderAliases(): string {
  const seen = new Set<string>()
  const rows: string[][] = []
  for (const r of MAPPING_TABLE) {
    if (isUse(r.token) || seen.has(r.token)) continue
    seen.add(r.token)
    const use = normalizeUse(r.token)
    const signals = [...new Set(MAPPING_TABLE.filter((m) => m.token === r.token).map((m) => m.signal))]
    rows.push([codeCell(r.token), signals.map((s) => codeCell(s)).join(', '), use === undefined ? `${NOT_MAPPED} (not an alias)` : codeCell(use)])
  }
  return table(['Name', 'Signal(s)', 'Names the use'], rows)
}

/**
 * What each identifier of src/constants.ts is, and the section that defines it, keyed by its path
 * in the module (`AUDIO_KEYS.mp4.mean`). Rows are rendered in this order. The drift test fails when
 * a constant has no entry here or an entry names no constant.
 */
export const IDENTIFIER_NOTES: ReadonlyArray<readonly [path: string, meaning: string, section: string]> = [
  ['TAG_VERSION', 'Value of the `version` member', '§4.1'],
  ['NOAI_URI_BASE', 'Base of every URI this standard mints', '§9.1'],
  ['TAG_SCHEMA_ID', '`$id` of the tag document schema; the only allowed value of `$schema`', '§9.1'],
  ['POLICY_SCHEMA_ID', '`$id` of the site policy schema', '§9.1, §11'],
  ['MEDIA_TYPES.tag', 'Media type of a tag document (JSON)', '§9.2'],
  ['MEDIA_TYPES.signedTag', 'Media type of a signed tag (compact JWS)', '§9.2'],
  ['MEDIA_TYPES.policy', 'Media type of the site policy document', '§9.2'],
  ['MEDIA_TYPES.keySet', 'Media type of the issuer key set (RFC 7517)', '§9.2'],
  ['JWS_TYP', 'JWS `typ` header parameter of a signed tag', '§9.2'],
  ['WELL_KNOWN.keys', "Path of the issuer's JWKS", '§9.3'],
  ['WELL_KNOWN.policy', 'Path of the site policy document', '§9.3'],
  ['HTTP_FIELDS.tag', 'HTTP field: compact form (Dictionary)', '§9.4'],
  ['HTTP_FIELDS.signedTag', 'HTTP field: signed tag (String)', '§9.4'],
  ['LINK_REL', 'Link relation type of a link to a tag document or signed tag', '§9.4, §9.5'],
  ['HTML_NAMES.meta', '`<meta name>` carrying the compact form for the page', '§9.5'],
  ['HTML_NAMES.scriptSigned', '`<script type>` holding a signed tag', '§9.5'],
  ['HTML_NAMES.scriptJson', '`<script type>` holding a tag document', '§9.5'],
  ['HTML_NAMES.forAttribute', 'Attribute of such a `<script>` naming the embedded media it describes', '§9.5'],
  ['AUDIO_KEYS.id3.readable', 'ID3v2 `TXXX` description of the readable line', '§9.6'],
  ['AUDIO_KEYS.id3.document', 'ID3v2 `TXXX` description of the document', '§9.6'],
  ['AUDIO_KEYS.vorbis.readable', 'Vorbis comment field name of the readable line', '§9.6'],
  ['AUDIO_KEYS.vorbis.document', 'Vorbis comment field name of the document', '§9.6'],
  ['AUDIO_KEYS.mp4.mean', 'MP4 freeform (`----`) `mean` of both items', '§9.6'],
  ['AUDIO_KEYS.mp4.readable', 'MP4 freeform `name` of the readable line', '§9.6'],
  ['AUDIO_KEYS.mp4.document', 'MP4 freeform `name` of the document', '§9.6'],
  ['AUDIO_KEYS.riffInfo', 'RIFF `LIST`/`INFO` chunk ID of the readable line', '§9.6'],
  ['XMP_NAMESPACE.uri', 'XMP namespace URI (reserved)', '§9.7'],
  ['XMP_NAMESPACE.prefix', 'Preferred XMP prefix', '§9.7'],
]

/** Every string or number leaf of src/constants.ts, by its dotted path, in declaration order of the module namespace. */
export function constantLeaves(): Map<string, string | number> {
  const out = new Map<string, string | number>()
  const walk = (path: string, value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number') out.set(path, value)
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v)
    else throw new TypeError(`constant ${path} has a value of type ${typeof value}; the renderer does not know how to show it`)
  }
  for (const [name, value] of Object.entries(constants)) walk(name, value)
  return out
}

/** §9: the identifiers, from src/constants.ts, in the order of {@link IDENTIFIER_NOTES}. */
export function renderIdentifiers(): string {
  const leaves = constantLeaves()
  const rows = IDENTIFIER_NOTES.map(([path, meaning, section]) => {
    const value = leaves.get(path)
    if (value === undefined) throw new Error(`IDENTIFIER_NOTES names ${path}, which src/constants.ts does not define`)
    return [codeCell(String(value)), escapeCell(meaning), codeCell(path), section]
  })
  return table(['Value', 'Identifies', 'Constant', 'Section'], rows)
}

/** What each limit is (LIMITS in src/limits.ts); the drift test fails when a limit has no entry. */
export const LIMIT_NOTES: { readonly [K in keyof typeof LIMITS]: readonly [meaning: string, unit: string, section: string] } = {
  maxDocumentBytes: ['Largest tag document', 'bytes of UTF-8', '§4.10'],
  maxJsonDepth: ['Deepest nesting of objects and arrays in a tag document (the top-level object is depth 1)', 'levels', '§4.10'],
  maxCompactLength: ['Longest compact-form string (a field value, a readable line)', 'characters', '§8.2'],
}

/** §4.10: the limits, from LIMITS. */
export function renderLimits(): string {
  const rows = (Object.keys(LIMIT_NOTES) as (keyof typeof LIMITS)[]).map((k) => {
    const [meaning, unit, section] = LIMIT_NOTES[k]
    return [codeCell(k), String(LIMITS[k]), escapeCell(unit), escapeCell(meaning), section]
  })
  return table(['Limit', 'Value', 'Unit', 'Meaning', 'Section'], rows)
}

/** A JSON Schema node, as far as the member reference reads it. */
interface SchemaNode {
  readonly $ref?: string
  readonly title?: string
  readonly type?: string
  readonly const?: unknown
  readonly enum?: readonly unknown[]
  readonly format?: string
  readonly pattern?: string
  readonly minLength?: number
  readonly maxLength?: number
  readonly minItems?: number
  readonly maxItems?: number
  readonly minProperties?: number
  readonly maxProperties?: number
  readonly required?: readonly string[]
  readonly properties?: { readonly [name: string]: SchemaNode }
  readonly additionalProperties?: boolean | SchemaNode
  readonly propertyNames?: SchemaNode
  readonly items?: SchemaNode
  readonly allOf?: readonly { readonly if?: SchemaNode; readonly then?: SchemaNode }[]
  readonly $defs?: { readonly [name: string]: SchemaNode }
}

/** The normative schema, read from the file that ships (not from the generated copy). */
export function loadTagSchema(): SchemaNode {
  return JSON.parse(readFileSync(new URL('../schema/v1/tag.schema.json', import.meta.url), 'utf8')) as SchemaNode
}

const range = (lo: number | undefined, hi: number | undefined, unit: string): string | undefined => {
  const u = (n: number): string => (n === 1 ? unit.replace(/s$/, '') : unit)
  if (lo === undefined && hi === undefined) return undefined
  if (lo !== undefined && hi !== undefined) return lo === hi ? `exactly ${lo} ${u(lo)}` : `${lo}–${hi} ${unit}`
  return lo !== undefined ? `at least ${lo} ${u(lo)}` : `at most ${hi} ${u(hi ?? 0)}`
}

function limitsOf(n: SchemaNode): string {
  const item = n.type === 'array' && n.items && n.items.$ref === undefined ? n.items : undefined
  const itemRange = item === undefined ? undefined : range(item.minLength, item.maxLength, 'characters')
  const parts = [
    range(n.minLength, n.maxLength, 'characters'),
    range(n.minItems, n.maxItems, 'items'),
    range(n.minProperties, n.maxProperties, 'members'),
    itemRange === undefined ? undefined : `each item ${itemRange}`,
    n.propertyNames?.maxLength === undefined ? undefined : `names of at most ${n.propertyNames.maxLength} characters`,
  ].filter((p): p is string => p !== undefined)
  return parts.length === 0 ? '' : escapeCell(parts.join('; '))
}

/**
 * §4: one row per member of the tag document, nested members by dotted path (`[]` marks the items
 * of an array), walked from schema/v1/tag.schema.json. Maps (`usage`, `ext`) are one row each.
 */
export function renderMembers(schema: SchemaNode = loadTagSchema()): string {
  const defs = schema.$defs ?? {}
  const deref = (n: SchemaNode): SchemaNode => {
    if (n.$ref === undefined) return n
    const name = /^#\/\$defs\/(.+)$/.exec(n.$ref)?.[1]
    const d = name === undefined ? undefined : defs[name]
    if (d === undefined) throw new Error(`unresolvable $ref ${n.$ref}`)
    return d
  }
  const valueOf = (n: SchemaNode): string => {
    if (n.const !== undefined) return `${codeCell(JSON.stringify(n.const))}`
    if (n.enum !== undefined) return `one of ${n.enum.map((v) => codeCell(JSON.stringify(v))).join(', ')}`
    if (n.type === 'array' && n.items) {
      const it = deref(n.items)
      return `array of ${it.title !== undefined ? `${escapeCell(it.title)} objects` : valueOf(it)}`
    }
    if (n.type === 'object' && n.propertyNames && typeof n.additionalProperties === 'object') {
      const names = n.propertyNames.pattern === undefined ? 'any names' : `names matching ${codeCell(n.propertyNames.pattern)}`
      return `object: ${names} → ${valueOf(deref(n.additionalProperties))}`
    }
    if (n.type === 'object' && n.propertyNames) {
      return `object: names matching ${codeCell(n.propertyNames.pattern ?? '')} → any JSON value`
    }
    const parts = [n.title !== undefined ? `${escapeCell(n.title)} ${n.type ?? ''}`.trim() : (n.type ?? 'any JSON value')]
    if (n.format !== undefined) parts.push(`format ${codeCell(n.format)}`)
    if (n.pattern !== undefined) parts.push(`pattern ${codeCell(n.pattern)}`)
    return parts.join(', ')
  }
  const rows: string[][] = []
  const walk = (raw: SchemaNode, path: string, required: string): void => {
    const n = deref(raw)
    rows.push([codeCell(path), required, valueOf(n), limitsOf(n)])
    const host = n.type === 'array' && n.items ? deref(n.items) : n
    const base = n.type === 'array' ? `${path}[]` : path
    const isMap = host.propertyNames !== undefined
    if (host.type !== 'object' || isMap || host.properties === undefined) return
    // Conditional patterns (`if scheme is isrc then value matches ...`) belong to the member they constrain.
    const conditional = new Map<string, string[]>()
    for (const c of host.allOf ?? []) {
      for (const [cond, condNode] of Object.entries(c.if?.properties ?? {})) {
        for (const [member, then] of Object.entries(c.then?.properties ?? {})) {
          if (then.pattern === undefined || condNode.const === undefined) continue
          const list = conditional.get(member) ?? []
          list.push(`when ${codeCell(cond)} is ${codeCell(JSON.stringify(condNode.const))}: pattern ${codeCell(then.pattern)}`)
          conditional.set(member, list)
        }
      }
    }
    for (const [name, child] of Object.entries(host.properties)) {
      const before = rows.length
      walk(child, `${base}.${name}`, (host.required ?? []).includes(name) ? 'yes' : 'no')
      const extra = conditional.get(name)
      const row = rows[before]
      if (extra && row) row[2] = `${row[2]}; ${extra.join('; ')}`
    }
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) walk(child, name, (schema.required ?? []).includes(name) ? 'yes' : 'no')
  return table(['Member', 'Required', 'Value', 'Limits'], rows)
}

/** The worked examples of docs/spec.md §6.5: a caption and the statements (usage maps) that apply. */
export const COMBINATION_EXAMPLES: ReadonlyArray<{ readonly caption: string; readonly statements: readonly UsageStatement[] }> = [
  { caption: 'a broad deny with a narrower allow', statements: [{ all: 'denied', search: 'allowed' }] },
  { caption: 'a narrow deny', statements: [{ 'train-genai': 'denied', search: 'allowed' }] },
  { caption: 'an exception inside a deny', statements: [{ ai: 'denied', 'ai-input': 'allowed' }] },
  { caption: 'a broad allow with a narrower deny', statements: [{ all: 'allowed', 'train-genai': 'denied' }] },
  { caption: 'an allow never widens', statements: [{ 'train-genai': 'allowed' }] },
  { caption: 'two statements about one resource', statements: [{ ai: 'denied' }, { 'train-genai': 'allowed', search: 'allowed' }] },
]

/** §6.5: for each example, the statements as written, resolved (§6.1), combined (§6.2) and the answer (§6.3). */
export function renderCombinationExamples(): string {
  const header = ['', ...USES.map((u) => codeCell(u))]
  const blocks = COMBINATION_EXAMPLES.map(({ caption, statements }, i) => {
    const names = statements.map((_, k) => String.fromCharCode(65 + k))
    const written = statements.map((s, k) => `${names[k]}: ${codeCell(formatCompact(s as Record<string, 'allowed' | 'denied'>))}`).join('; ')
    const resolved = statements.map(resolvePreferences)
    const combined = combinePreferences(resolved)
    const rows: string[][] = []
    statements.forEach((s, k) => rows.push([`${names[k]} as written`, ...USES.map((u) => s[u] ?? '')]))
    resolved.forEach((r, k) => rows.push([`${names[k]} resolved (§6.1)`, ...USES.map((u) => r[u])]))
    if (statements.length > 1) rows.push(['Combined (§6.2)', ...USES.map((u) => combined[u])])
    rows.push(['**Answer (§6.3)**', ...USES.map((u) => `**${preferenceFor(combined, u)}**`)])
    return `**Example ${i + 1}: ${escapeCell(caption)}.** ${written}.\n\n${table(header, rows)}`
  })
  return blocks.join('\n\n')
}

/** Every generated region of docs/spec.md, by marker name. */
export const SPEC_REGIONS: { readonly [name: string]: () => string } = {
  members: () => renderMembers(),
  vocabulary: renderVocabulary,
  mapping: renderMapping,
  aliases: renderAliases,
  identifiers: renderIdentifiers,
  limits: renderLimits,
  examples: renderCombinationExamples,
}
