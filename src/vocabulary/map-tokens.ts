/**
 * Reads the tokens of another standard into the vocabulary through the mapping table
 * (docs/spec.md §7.1): a deny reads with the widest meaning the token ever had, an allow with the
 * narrowest, and an allow with no use narrow enough is not mapped.
 *
 * @module
 */
import type { ReadToken } from '../signals/types.js'
import { findMapping, type SignalId } from './mappings.js'
import type { StatedPreference, Use } from './uses.js'

/** A token and the preference its source stated for it. */
export interface StatedToken {
  /** The token as written. */
  readonly token: string
  /** The value as written, for explanations (`n`, `no`, `1`, `notAllowed`, `present`). */
  readonly value: string
  /** What the value states. */
  readonly stated: StatedPreference
}

/** Result of {@link mapTokens}. */
export interface MappedStatement {
  /** The statement in the vocabulary; when two tokens map to one use, a deny wins. */
  readonly usage: Partial<Record<Use, StatedPreference>>
  /** Each token as read, with a note where it was not mapped or meaning was lost. */
  readonly tokens: ReadToken[]
}

/**
 * Maps the tokens of one statement of another standard into the vocabulary.
 *
 * @example
 * ```ts
 * mapTokens('content-signals', [{ token: 'ai-train', value: 'no', stated: 'denied' }]).usage
 * // { 'train-ai': 'denied' }
 * mapTokens('aipref', [{ token: 'train-ai', value: 'y', stated: 'allowed' }]).usage
 * // { 'train-genai': 'allowed' }: an allow reads narrowly
 * ```
 */
export function mapTokens(signal: SignalId, stated: readonly StatedToken[]): MappedStatement {
  const usage: Partial<Record<Use, StatedPreference>> = {}
  const tokens: ReadToken[] = []
  for (const t of stated) {
    const row = findMapping(signal, t.token)
    const use = row ? (t.stated === 'denied' ? row.denies : row.allows) : null
    if (!row || use === null) {
      const why = !row ? `unknown ${signal} token` : `${t.stated === 'denied' ? 'a deny' : 'an allow'} of this token is not mapped (docs/spec.md §7.2)`
      tokens.push({ token: t.token, value: t.value, read: 'ignored', note: why })
      continue
    }
    if (usage[use] !== 'denied') usage[use] = t.stated
    tokens.push(row.loss ? { token: t.token, value: t.value, read: t.stated, note: row.loss } : { token: t.token, value: t.value, read: t.stated })
  }
  return { usage, tokens }
}
