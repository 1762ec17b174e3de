/**
 * The shapes of a decision (docs/spec.md §11.6): the verdict for one use, and one reason per
 * statement that spoke to it. Plain data: a decision survives `JSON.stringify`.
 *
 * Types only: importing this module costs nothing at run time.
 *
 * @module
 */
import type { ReadToken, SignalSource } from '../signals/types.js'
import type { KeySetFetch, KeySetStore } from '../sign/keys/types.js'
import type { IssuerKey, KeyResolver } from '../sign/types.js'
import type { SignalId } from '../vocabulary/mappings.js'
import type { Preference, StatedPreference, Use } from '../vocabulary/uses.js'

/** The answer: `allow`, `deny`, or `unknown` when nothing that applies says either. */
export type Verdict = 'allow' | 'deny' | 'unknown'

/**
 * Whether a statement took part in the decision, and if not, why:
 * - `applied`: it is one of the statements combined (docs/spec.md §6.2);
 * - `other-agent`: it is addressed to another user agent (a robots.txt group, an `X-Robots-Tag`
 *   prefix, a robots meta name): reported, not applied;
 * - `other-resource`: it is about embedded media at another URL (HTML `data-noai-for`);
 * - `superseded`: the signal's own precedence put another statement first (TDMRep: the HTML meta
 *   element over the header field over tdmrep.json);
 * - `expired`: a tag document at or after its `expires` (docs/spec.md §4.7);
 * - `not-image`: `noimageai` on a resource that is neither an image nor a page (docs/spec.md §7.2).
 */
export type ReasonStatus = 'applied' | 'other-agent' | 'other-resource' | 'superseded' | 'expired' | 'not-image'

/** What verifying a signed tag gave (docs/spec.md §13.9), as recorded in a reason. */
export interface ReasonVerification {
  /**
   * `invalid`, `valid` or `trusted` as `verifyTag` reports; `not-verified` when verification was
   * turned off (`verify: false`). Only `valid` and `trusted` tags (or only `trusted` ones with
   * `requireTrusted`) keep their allows.
   */
  readonly state: 'invalid' | 'valid' | 'trusted' | 'not-verified'
  /** The verification codes (`signature-mismatch`, `url-not-covered`, `issuer-untrusted`...). */
  readonly codes: readonly string[]
  /** Whether the binding to the URL or the audio essence was checked. */
  readonly binding: 'checked' | 'not-checked'
  /** The issuer the tag names. */
  readonly issuer?: string
  /** What the key resolver said, for key lookup failures. */
  readonly detail?: string
  /** `true` when the tag's allows were dropped (its denies still count, as an unsigned statement). */
  readonly allowsDropped: boolean
}

/** One statement that spoke to the use asked about, and what it did to the verdict. */
export interface DecisionReason {
  /** Which standard or convention (a mapping-table signal id). */
  readonly signal: SignalId
  /** Where it was found: the URL, header or meta name, file and line, and the text. */
  readonly source: SignalSource
  /** `resource` (this response, page or file) or `site` (a site-level file covering the path). */
  readonly scope: 'resource' | 'site'
  /** The user agent it is addressed to, as written; absent when addressed to every agent. */
  readonly agent?: string
  /** For a statement about embedded media (HTML `data-noai-for`): the media URL. */
  readonly for?: string
  /** The uses it stated that bear on the use asked about (the use, broader and narrower ones). */
  readonly uses: readonly Use[]
  /** What it stated for those uses, as applied (a failed signature drops allows). */
  readonly usage: Readonly<Partial<Record<Use, StatedPreference>>>
  /** Its own answer for the use asked about (docs/spec.md §6.3), whether or not it was applied. */
  readonly value: Preference
  /** Whether it was applied, and if not, why. */
  readonly status: ReasonStatus
  /** `true` for the applied statements that give the verdict (every deny, for a `deny`). */
  readonly decisive: boolean
  /** The tokens as read. */
  readonly tokens: readonly ReadToken[]
  /** For a signed tag: what verification gave. */
  readonly verification?: ReasonVerification
  /** Why the statement was not applied, or what else a reader should know about it. */
  readonly note?: string
}

/** The result of `evaluate`. */
export interface Decision {
  /** The answer for the use (docs/spec.md §6.3): `denied` → `deny`, `allowed` → `allow`. */
  readonly verdict: Verdict
  /** The use asked about, as a v1 use (an alias is turned into the use it names, docs/spec.md §7.3). */
  readonly use: Use
  /** The product token statements addressed to agents were matched against, if any. */
  readonly userAgent?: string
  /** Every statement that spoke to the use, applied or not, in the order they were given. */
  readonly reasons: readonly DecisionReason[]
  /** How many statements said nothing about the use (other uses, or no usage at all). */
  readonly unrelated: number
}

/** How `evaluate` and `checkUrl` verify signed tags (docs/spec.md §13.8, §11.6.4). */
export interface EvaluateVerifyOptions {
  /** Keys given directly, each tied to its issuer. */
  readonly keys?: readonly IssuerKey[]
  /** Finds issuers' keys; by default the issuer's well-known key set is fetched and cached. */
  readonly resolver?: KeyResolver
  /** Origins of the issuers the caller trusts. */
  readonly trust?: readonly string[]
  /** Clock tolerance in seconds (docs/spec.md §13.7). */
  readonly clockTolerance?: number
  /** Only `trusted` tags keep their allows (docs/spec.md §15 advises this). */
  readonly requireTrusted?: boolean
  /** For the default resolver: allow http loopback issuers (tests, demos). */
  readonly allowHttpLoopback?: boolean
  /** For the default resolver: the fetch function. */
  readonly fetch?: KeySetFetch
  /** For the default resolver: where key sets are cached. */
  readonly store?: KeySetStore
  /** For the default resolver: the `User-Agent` it sends. */
  readonly userAgent?: string
}
