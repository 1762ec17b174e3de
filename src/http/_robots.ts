// Robots directives (X-Robots-Tag field values and robots meta content) as far as AI usage is
// concerned (docs/spec.md §11.1, §11.2): `noai` and `noimageai` (the DeviantArt convention, mapping
// rows `robots-meta`) and Bing's `noarchive` / `nocache` (rows `bing`, reported, not mapped).
// Internal.
import type { ReadToken } from '../signals/types.js'
import { findMapping } from '../vocabulary/mappings.js'
import { mapTokens } from '../vocabulary/map-tokens.js'
import type { StatedPreference, Use } from '../vocabulary/uses.js'

/** Directives of Google's robots syntax that take a value after a colon, so are not agent prefixes. */
const VALUED = new Set(['max-snippet', 'max-image-preview', 'max-video-preview', 'unavailable_after'])
/** An agent prefix: a product token, possibly with inner spaces (`ChatGPT Agent`). */
const AGENT = /^[A-Za-z][A-Za-z0-9_. -]*$/
const AI_DIRECTIVES = new Set(['noai', 'noimageai'])
const BING_DIRECTIVES = new Set(['noarchive', 'nocache'])

/** The directives addressed to one agent (`undefined`: every agent). */
export interface DirectiveGroup {
  agent: string | undefined
  /** Directives as written, trimmed. */
  directives: string[]
}

/**
 * Splits a field value or meta content into comma-separated directives. With `agentPrefixes`
 * (X-Robots-Tag), an item `name: directive` whose name is not a valued directive starts the
 * directives of agent `name` (Google's syntax); they run to the next prefix. Empty items are dropped.
 */
export function splitDirectives(value: string, agentPrefixes: boolean): DirectiveGroup[] {
  const groups: DirectiveGroup[] = []
  let current: DirectiveGroup | undefined
  for (const raw of value.split(',')) {
    let item = raw.trim()
    if (agentPrefixes) {
      const colon = item.indexOf(':')
      if (colon > 0) {
        const prefix = item.slice(0, colon).trim()
        if (!VALUED.has(prefix.toLowerCase()) && AGENT.test(prefix)) {
          current = { agent: prefix, directives: [] }
          groups.push(current)
          item = item.slice(colon + 1).trim()
        }
      }
    }
    if (item === '') continue
    if (!current) {
      current = { agent: undefined, directives: [] }
      groups.push(current)
    }
    current.directives.push(item)
  }
  return groups
}

/** A directive group read into the two signals it may carry. */
export interface ReadDirectives {
  /** `robots-meta` (noai / noimageai): mapped. Undefined when neither is present. */
  readonly ai?: { readonly usage: Partial<Record<Use, StatedPreference>>; readonly tokens: ReadToken[] }
  /** `bing` (noarchive / nocache): reported only. Undefined when neither is present. */
  readonly bing?: { readonly tokens: ReadToken[] }
}

/**
 * Reads the directives that concern AI usage; directive names compare ASCII case-insensitively,
 * other directives are ignored. `bingTokens`: whether `noarchive`/`nocache` are reported (for the
 * statements addressed to every agent and to Bing's crawler only).
 */
export function readDirectives(directives: readonly string[], bingTokens: boolean): ReadDirectives {
  const ai: { token: string; value: string; stated: StatedPreference }[] = []
  const bing: ReadToken[] = []
  for (const d of directives) {
    const name = d.toLowerCase()
    if (AI_DIRECTIVES.has(name)) ai.push({ token: name, value: 'present', stated: 'denied' })
    else if (bingTokens && BING_DIRECTIVES.has(name)) {
      const row = findMapping('bing', name)
      bing.push({ token: name, value: 'present', read: 'ignored', note: row?.loss ?? 'reported, not mapped' })
    }
  }
  const out: { ai?: ReadDirectives['ai']; bing?: ReadDirectives['bing'] } = {}
  if (ai.length > 0) out.ai = mapTokens('robots-meta', ai)
  if (bing.length > 0) out.bing = { tokens: bing }
  return out
}

/** Whether `noarchive`/`nocache` are reported for statements addressed to this agent. */
export function reportsBing(agent: string | undefined): boolean {
  if (agent === undefined) return true
  const a = agent.toLowerCase()
  return a === 'bingbot' || a === 'msnbot'
}
