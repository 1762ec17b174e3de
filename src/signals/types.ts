/**
 * What every carrier reader reports: the AI-usage signals it found, already mapped into the
 * vocabulary of uses through the mapping table (docs/spec.md §7), with enough about where each came
 * from to explain a decision (docs/spec.md §11). `evaluate()` (noai-tag/crawl) combines them.
 *
 * Types only: importing this module costs nothing at run time.
 *
 * @module
 */
import type { NoaiTag } from '../model/tag.js'
import type { SignalId } from '../vocabulary/mappings.js'
import type { StatedPreference, Use } from '../vocabulary/uses.js'

/** Where a signal was found. */
export type SignalSourceKind =
  | 'http-header'
  | 'html'
  | 'robots.txt'
  | 'tdmrep.json'
  | 'ai.txt'
  | 'policy'
  | 'rsl'
  | 'audio'
  | 'caller'

/** The exact place a signal came from, for explanations. */
export interface SignalSource {
  /** The kind of carrier. */
  readonly kind: SignalSourceKind
  /** URL of the resource or file the signal was read from, when known. */
  readonly url?: string
  /** Header name, meta name, file member, audio key... */
  readonly name?: string
  /** 1-based line in the file (robots.txt, ai.txt, HTML), when known. */
  readonly line?: number
  /** The raw text the signal was read from (a header value, a robots.txt line), at most 512 characters. */
  readonly text?: string
}

/** One token as the source wrote it, and how it was read. */
export interface ReadToken {
  /** The token as written (`train-ai`, `noai`, `tdm-reservation`, `DMI-PROHIBITED`...). */
  readonly token: string
  /** The value as written (`n`, `no`, `1`, `notAllowed`, or `present` for presence-only tokens). */
  readonly value: string
  /** How the value was read: a stated preference, or `ignored` (with the reason in `note`). */
  readonly read: StatedPreference | 'ignored'
  /** Why a token was ignored, or what was lost in mapping it. */
  readonly note?: string
}

/** One statement found by a carrier reader. */
export interface FoundSignal {
  /** Which standard or convention (a mapping-table signal id). */
  readonly signal: SignalId
  /** Where it was found. */
  readonly source: SignalSource
  /**
   * What the statement speaks to: one resource (a response header, a page's meta, an embedded
   * tag) or a path/site (robots.txt, tdmrep.json, ai.txt, policy, RSL).
   */
  readonly scope: 'resource' | 'site'
  /**
   * The user agent the statement is addressed to, as written (`GPTBot`), or `undefined` when it is
   * addressed to every agent.
   */
  readonly agent?: string
  /** The statement mapped into the vocabulary (docs/spec.md §7.1). Uses not mentioned are unknown. */
  readonly usage: Readonly<Partial<Record<Use, StatedPreference>>>
  /** The tokens as read, for explanations. */
  readonly tokens: readonly ReadToken[]
  /** For a NoAI tag: the document (unverified until `verifyTag` says otherwise). */
  readonly tag?: NoaiTag
  /** For a signed NoAI tag: the compact JWS, to be verified before its allows count. */
  readonly jws?: string
}
