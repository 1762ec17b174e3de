/**
 * Which tokens of another standard to write for a usage statement (docs/spec.md §7.1, writing
 * rules 1-3). Every emitter (HTTP headers, HTML, robots.txt, tdmrep.json, XMP) derives its tokens
 * here, so that they all say the same thing.
 *
 * @module
 */
import { MAPPING_TABLE, type SignalId, type SignalMapping } from './mappings.js'
import { preferenceFor, resolvePreferences, type UsageStatement } from './resolve.js'
import { ancestorsOf, descendantsOf, USES, type StatedPreference, type Use } from './uses.js'

/** A token to write and the preference it states. */
export interface WrittenToken {
  /** The token as the target standard writes it. */
  readonly token: string
  /** The preference to write for it. */
  readonly value: StatedPreference
}

/**
 * The prefix of IPTC `plus:DataMining` code URIs (`…/DMI-PROHIBITED`).
 *
 * @example
 * ```ts
 * IPTC_VOCAB_PREFIX + 'DMI-PROHIBITED-AIMLTRAINING'
 * ```
 */
export const IPTC_VOCAB_PREFIX = 'http://ns.useplus.org/ldf/vocab/' as const

const atOrBelow = (use: Use, top: Use): boolean => ancestorsOf(use).includes(top)

/** Rule 3: IPTC plus:DataMining holds a single value. */
function iptcToken(usage: UsageStatement): WrittenToken[] {
  const r = resolvePreferences(usage)
  const pick = (token: string, value: StatedPreference = 'denied'): WrittenToken[] => [{ token, value }]
  if (preferenceFor(r, 'search') === 'denied') return pick('DMI-PROHIBITED')
  if ((['all', 'tdm', 'ai', 'ai-input'] as const).some((u) => r[u] === 'denied')) return pick('DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING')
  if (r['train-ai'] === 'denied') return pick('DMI-PROHIBITED-AIMLTRAINING')
  if (r['train-genai'] === 'denied') return pick('DMI-PROHIBITED-GENAIMLTRAINING')
  if (preferenceFor(r, 'tdm') === 'allowed') return pick('DMI-ALLOWED', 'allowed')
  return []
}

/** Rule 2: a deny is carried by the narrowest deny-capable tokens of the signal. */
function carriedByNarrower(row: SignalMapping, rows: readonly SignalMapping[], denied: readonly Use[]): boolean {
  const top = row.writtenFrom as Use
  const narrower = rows.filter((o) => o !== row && o.denies !== null && o.writtenFrom !== null && descendantsOf(top).includes(o.writtenFrom))
  const below = denied.filter((u) => atOrBelow(u, top))
  return below.length > 0 && below.every((u) => narrower.some((o) => atOrBelow(u, o.writtenFrom as Use)))
}

/**
 * The tokens of one signal that express a usage statement, in table order.
 *
 * @example
 * ```ts
 * writeTokens('aipref', { tdm: 'denied', search: 'allowed' })
 * // [{ token: 'train-ai', value: 'denied' }, { token: 'search', value: 'allowed' }]
 * writeTokens('rsl', { 'train-genai': 'denied' })
 * // [{ token: 'ai-train', value: 'denied' }]: not `all` (rule 2, narrowest token)
 * writeTokens('iptc-plus', { 'train-ai': 'denied' })
 * // [{ token: 'DMI-PROHIBITED-AIMLTRAINING', value: 'denied' }]
 * ```
 */
export function writeTokens(signal: SignalId, usage: UsageStatement): WrittenToken[] {
  if (signal === 'iptc-plus') return iptcToken(usage)
  const rows = MAPPING_TABLE.filter((r) => r.signal === signal && r.writtenFrom !== null)
  const resolved = resolvePreferences(usage)
  const denied = USES.filter((u) => resolved[u] === 'denied')
  const out: WrittenToken[] = []
  for (const row of rows) {
    const answer = preferenceFor(resolved, row.writtenFrom as Use)
    if (answer === 'allowed' && row.allows !== null) out.push({ token: row.token, value: 'allowed' })
    else if (answer === 'denied' && row.denies !== null && !carriedByNarrower(row, rows, denied)) out.push({ token: row.token, value: 'denied' })
  }
  return out
}
