/**
 * Maps one statement's tokens through the mapping table (docs/spec.md §7.1), with tokens the
 * carrier's own syntax already rejected kept as `ignored` for explanations.
 *
 * @internal
 * @module
 */
import type { ReadToken } from '../signals/types.js'
import { mapTokens } from '../vocabulary/map-tokens.js'
import type { SignalId } from '../vocabulary/mappings.js'
import type { StatedPreference, Use } from '../vocabulary/uses.js'

/** A token before mapping: `stated: null` when the carrier's syntax gives it no value. */
export interface PendingToken {
  readonly token: string
  readonly value: string
  readonly stated: StatedPreference | null
  /** Why `stated` is null, or extra context. */
  readonly note?: string
  /** The table to map it with, when not the statement's own (aipref labels of older revisions). */
  readonly signal?: SignalId
}

/** A mapped statement. */
export interface Mapped {
  readonly usage: Partial<Record<Use, StatedPreference>>
  readonly tokens: ReadToken[]
}

const withNote = (t: ReadToken, note: string | undefined): ReadToken =>
  note === undefined ? t : { ...t, note: t.note === undefined ? note : `${t.note} ${note}` }

/** Maps tokens as one statement: within it, a deny of a use wins over an allow of the same use. */
export function mapStatement(signal: SignalId, pending: readonly PendingToken[]): Mapped {
  const usage: Partial<Record<Use, StatedPreference>> = {}
  const tokens: ReadToken[] = []
  for (const p of pending) {
    if (p.stated === null) {
      tokens.push({ token: p.token, value: p.value, read: 'ignored', ...(p.note !== undefined ? { note: p.note } : {}) })
      continue
    }
    const m = mapTokens(p.signal ?? signal, [{ token: p.token, value: p.value, stated: p.stated }])
    for (const [use, state] of Object.entries(m.usage) as [Use, StatedPreference][]) {
      if (usage[use] !== 'denied') usage[use] = state
    }
    for (const t of m.tokens) tokens.push(withNote(t, p.note))
  }
  return { usage, tokens }
}
