// Our own statements in a web carrier (docs/spec.md §8.3, §11): the compact form (the `NoAI-Tag`
// field, `<meta name="noai-tag">`) and tag documents (`NoAI-Tag-JWS`, `<script type=
// "application/noai-tag+…">`). When the carrier holds a document, the compact form is for display
// only: the document's usage is used, and a compact form that does not state exactly the same is
// reported as a mismatch. A document that cannot be read is reported and the compact form is NOT
// used in its place. Internal.
import { parseCompact, type CompactParseResult } from '../compact/parse.js'
import type { NoaiTag } from '../model/tag.js'
import type { ReadToken, SignalSource } from '../signals/types.js'
import { mapTokens } from '../vocabulary/map-tokens.js'
import { USES, type StatedPreference } from '../vocabulary/uses.js'
import { decodeSignedTag, decodeTagJson } from './_decode-tag.js'
import { ignoredToken } from './_util.js'
import type { WebSignal } from './types.js'

/** A compact form found in the carrier. */
export interface CompactFound {
  readonly text: string
  readonly source: SignalSource
  /** Set when the value was not parsed (over a limit); the note says why. */
  readonly rejected?: string
}

/** A tag document found in the carrier. */
export interface DocumentFound {
  readonly kind: 'jws' | 'json'
  /** The document text (trimmed), or the JWS. */
  readonly text: string
  readonly source: SignalSource
  /** For documents about embedded media (HTML `data-noai-for`), the resolved media URL. */
  readonly for?: string
  /** Set when the document was not read (over a limit, malformed field); the note says why. */
  readonly rejected?: string
}

const IGNORED_NOTES = {
  'not-a-token': 'value is not a Token: member ignored (docs/spec.md §8.2)',
  'not-y-or-n': 'value is not the Token y or n: member ignored (docs/spec.md §8.2)',
  'has-parameters-ignored': 'parameters ignored; the value is taken (docs/spec.md §8.2)',
} as const

const MORE_THAN_ONE = 'more than one compact form in one carrier (docs/spec.md §8.3): each is read as a separate statement'

function usageTokens(usage: Readonly<Record<string, StatedPreference | undefined>>, written: (v: StatedPreference) => string) {
  const stated = Object.entries(usage)
    .filter((e): e is [string, StatedPreference] => e[1] === 'allowed' || e[1] === 'denied')
    .map(([token, v]) => ({ token, value: written(v), stated: v }))
  return mapTokens('noai-tag', stated)
}

/** Compact forms already parsed (the pages of a site usually repeat one), only ever read. */
const parsedCompacts = new Map<string, CompactParseResult>()
/** Most entries kept; the cache starts over when full. */
const MAX_PARSED_COMPACTS = 256
/** Longest text kept. */
const MAX_PARSED_COMPACT_LENGTH = 256

function compactParsed(c: CompactFound): CompactParseResult {
  if (c.rejected !== undefined) return { ok: false, error: c.rejected }
  let p = parsedCompacts.get(c.text)
  if (p === undefined) {
    p = parseCompact(c.text)
    if (c.text.length <= MAX_PARSED_COMPACT_LENGTH) {
      if (parsedCompacts.size >= MAX_PARSED_COMPACTS) parsedCompacts.clear()
      parsedCompacts.set(c.text, p)
    }
  }
  return p
}

function ignoredMembers(p: Extract<CompactParseResult, { ok: true }>): ReadToken[] {
  return p.ignored.map((i) => ignoredToken(i.key, '', IGNORED_NOTES[i.reason]))
}

function sameUsage(a: Readonly<Record<string, StatedPreference>>, b: Readonly<Record<string, StatedPreference | undefined>>): boolean {
  const ka = Object.keys(a)
  const kb = Object.keys(b).filter((k) => b[k] !== undefined)
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k])
}

/**
 * The serialisation of docs/spec.md §8.1 of a valid document's usage (labels already match the
 * schema's pattern, so no RFC 9651 escaping applies): used only to recognise a compact form that
 * is exactly it, without parsing.
 */
function canonicalCompact(usage: Readonly<Record<string, StatedPreference | undefined>>): string {
  const keys = Object.keys(usage).filter((k) => usage[k] === 'allowed' || usage[k] === 'denied')
  const known = USES.filter((u) => keys.includes(u))
  const other = keys.filter((k) => !(USES as readonly string[]).includes(k)).sort()
  return [...known, ...other].map((k) => `${k}=${usage[k] === 'allowed' ? 'y' : 'n'}`).join(', ')
}

function compactStatement(c: CompactFound, several: boolean): WebSignal {
  const p = compactParsed(c)
  if (!p.ok) {
    return {
      signal: 'noai-tag',
      source: c.source,
      scope: 'resource',
      usage: {},
      tokens: [ignoredToken(c.source.name ?? 'noai-tag', c.text, `not a valid compact form (${p.error}): no statement (docs/spec.md §8.2)`)],
    }
  }
  const m = usageTokens(p.usage, (v) => (v === 'allowed' ? 'y' : 'n'))
  const tokens = [...m.tokens, ...ignoredMembers(p)]
  if (several) tokens.push(ignoredToken(c.source.name ?? 'noai-tag', c.text, MORE_THAN_ONE))
  return { signal: 'noai-tag', source: c.source, scope: 'resource', usage: m.usage, tokens }
}

function documentStatement(d: DocumentFound, compacts: readonly CompactFound[], several: boolean): WebSignal {
  // Built as a plain mutable object (spreads of conditional members are slow on this hot path).
  const out: { -readonly [K in keyof WebSignal]: WebSignal[K] } = { signal: 'noai-tag', source: d.source, scope: 'resource', usage: {}, tokens: [] }
  if (d.for !== undefined) out.for = d.for
  if (d.kind === 'jws' && d.rejected === undefined) out.jws = d.text
  const extra: ReadToken[] = []
  if (several) {
    extra.push(ignoredToken(d.source.name ?? 'noai-tag', '', 'more than one tag document about the same resource in one carrier (docs/spec.md §8.3): each is read as a separate statement'))
  }
  if (d.rejected !== undefined) {
    out.tokens = [ignoredToken(d.source.name ?? 'noai-tag', d.text, d.rejected), ...extra]
    return out
  }
  const decoded = d.kind === 'jws' ? decodeSignedTag(d.text) : decodeTagJson(d.text)
  if (!decoded.ok) {
    const note = `the ${d.kind === 'jws' ? 'signed tag' : 'tag document'} cannot be read (${decoded.error}): no statement, and the compact form is not used in its place (docs/spec.md §8.3)`
    out.tokens = [ignoredToken(d.source.name ?? 'noai-tag', d.text, note), ...extra]
    return out
  }
  const tag: NoaiTag = decoded.tag
  const m = usageTokens(tag.usage, (v) => v)
  if (d.for === undefined) {
    let canonical: string | undefined
    for (const c of compacts) {
      // The text of a correct writer is exactly the canonical serialisation: no need to parse it.
      canonical ??= canonicalCompact(tag.usage)
      if (c.rejected === undefined && c.text.trim() === canonical) continue
      const p = compactParsed(c)
      if (p.ok && sameUsage(p.usage, tag.usage)) continue
      out.mismatch = true
      const why = p.ok ? 'it states a different usage' : `it does not parse (${p.error})`
      extra.push(ignoredToken(c.source.name ?? 'noai-tag', c.text, `mismatch: the compact form is not the document's usage (${why}); the document is used (docs/spec.md §8.3)`))
    }
  }
  out.tag = tag
  out.usage = m.usage
  out.tokens = extra.length === 0 ? m.tokens : [...m.tokens, ...extra]
  return out
}

/**
 * Our statements in one carrier: one per document (documents about the carrier itself are compared
 * with the compact forms); without a document about the carrier itself, one per compact form.
 */
export function noaiStatements(compacts: readonly CompactFound[], documents: readonly DocumentFound[]): WebSignal[] {
  const out: WebSignal[] = []
  const self = documents.filter((d) => d.for === undefined)
  if (self.length === 0) for (const c of compacts) out.push(compactStatement(c, compacts.length > 1))
  const perFor = new Map<string | undefined, number>()
  for (const d of documents) perFor.set(d.for, (perFor.get(d.for) ?? 0) + 1)
  for (const d of documents) out.push(documentStatement(d, compacts, (perFor.get(d.for) ?? 0) > 1))
  return out
}

