// The signals of an audio file (docs/spec.md §8.3, §7.1): our tag (from the document, or from the
// readable line when there is no document), IPTC/PLUS DataMining from XMP, and C2PA presence.
// Internal.
import { AUDIO_KEYS } from '../constants.js'
import type { NoaiTag } from '../model/tag.js'
import type { FoundSignal, ReadToken } from '../signals/types.js'
import { findMapping } from '../vocabulary/mappings.js'
import { mapTokens, type StatedToken } from '../vocabulary/map-tokens.js'
import type { StatedPreference } from '../vocabulary/uses.js'
import type { ForeignMetadata } from './types.js'
import { readXmpDataMining } from './xmp.js'

const MAX_TEXT = 512

/** The C2PA note (docs/spec.md §10.1): presence only. */
export const C2PA_NOTE = 'C2PA manifest present; its training-mining assertion is not read without full C2PA validation'

/** Our tag's statement, from a decoded document. */
export function tagSignal(tag: NoaiTag, jws: string | undefined): FoundSignal {
  const stated: StatedToken[] = Object.entries(tag.usage).flatMap(([token, v]) =>
    v === 'allowed' || v === 'denied' ? [{ token, value: v, stated: v as StatedPreference }] : [],
  )
  const m = mapTokens('noai-tag', stated)
  return {
    signal: 'noai-tag',
    source: { kind: 'audio', name: AUDIO_KEYS.id3.document },
    scope: 'resource',
    usage: m.usage,
    tokens: m.tokens,
    tag,
    ...(jws === undefined ? {} : { jws }),
  }
}

/** The readable line's statement, used only when the file holds no document (docs/spec.md §8.3). */
export function readableSignal(line: string, usage: Readonly<Record<string, StatedPreference>>): FoundSignal {
  const stated = Object.entries(usage).map(([token, v]) => ({ token, value: v === 'allowed' ? 'y' : 'n', stated: v }))
  const m = mapTokens('noai-tag', stated)
  return {
    signal: 'noai-tag',
    source: { kind: 'audio', name: AUDIO_KEYS.id3.readable, text: line.slice(0, MAX_TEXT) },
    scope: 'resource',
    usage: m.usage,
    tokens: m.tokens,
  }
}

function dataMiningToken(code: string, written: string): StatedToken | ReadToken {
  const row = findMapping('iptc-plus', code)
  if (row && row.denies === null && row.allows === null) return { token: code, value: written, read: 'ignored', note: row.loss || 'no statement' }
  return { token: code, value: written, stated: code === 'DMI-ALLOWED' ? 'allowed' : 'denied' }
}

/** Statements of the XMP packets (IPTC/PLUS `plus:DataMining`), and warnings for packets not read. */
export function xmpSignals(foreign: readonly ForeignMetadata[]): { signals: FoundSignal[]; warnings: string[] } {
  const signals: FoundSignal[] = []
  const warnings: string[] = []
  for (const f of foreign) {
    if (f.kind !== 'xmp') continue
    if (!f.bytes) {
      warnings.push(`XMP packet at ${f.location} (${f.length} bytes) is larger than maxXmpBytes and was not read`)
      continue
    }
    const x = readXmpDataMining(f.bytes)
    if (x.problem) warnings.push(`XMP packet at ${f.location}: ${x.problem}`)
    if (x.values.length === 0) continue
    const parts = x.values.map((v) => dataMiningToken(v.code, v.written))
    const m = mapTokens('iptc-plus', parts.filter((p): p is StatedToken => 'stated' in p))
    signals.push({
      signal: 'iptc-plus',
      source: { kind: 'audio', name: `${f.location} plus:DataMining`, text: x.values.map((v) => v.written).join(' ').slice(0, MAX_TEXT) },
      scope: 'resource',
      usage: m.usage,
      tokens: [...parts.filter((p): p is ReadToken => 'read' in p), ...m.tokens],
    })
  }
  return { signals, warnings }
}

/** One presence-only statement per C2PA manifest store found. */
export function c2paSignals(foreign: readonly ForeignMetadata[]): FoundSignal[] {
  return foreign
    .filter((f) => f.kind === 'c2pa')
    .map((f) => ({
      signal: 'cawg' as const,
      source: { kind: 'audio' as const, name: f.location },
      scope: 'resource' as const,
      usage: {},
      tokens: [{ token: 'c2pa', value: 'present', read: 'ignored' as const, note: C2PA_NOTE }],
    }))
}
