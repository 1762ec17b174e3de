// The signals of an audio file (docs/spec.md §8.3, §7.1): our tag (from the document, or from the
// readable line when there is no document) and C2PA presence. IPTC/PLUS DataMining from XMP is in
// _xmp-signals.ts, loaded only for files with an XMP packet. Internal.
import { AUDIO_KEYS } from '../constants.js'
import type { NoaiTag } from '../model/tag.js'
import type { FoundSignal } from '../signals/types.js'
import { mapTokens, type StatedToken } from '../vocabulary/map-tokens.js'
import type { StatedPreference } from '../vocabulary/uses.js'
import type { ForeignMetadata } from './types.js'

/** Longest text of a signal's source kept in a report. */
export const MAX_TEXT = 512

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
