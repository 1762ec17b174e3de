/**
 * The decision for one URL and one use from the statements found about it (docs/spec.md §6, §11.6).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { FoundSignal } from '../signals/types.js'
import { normalizeUse } from '../vocabulary/normalize.js'
import { combinePreferences, resolvePreferences, type ResolvedPreferences } from '../vocabulary/resolve.js'
import { ancestorsOf, descendantsOf, isUse, USES, type Preference, type StatedPreference, type Use } from '../vocabulary/uses.js'
import { callerToken } from './_agent.js'
import { applyTdmrepPrecedence, exclusion, type Draft, type Situation } from './_statements.js'
import { verifySigned, type Binding } from './_verify.js'
import type { Decision, DecisionReason, EvaluateVerifyOptions, Verdict } from './types.js'

export type { EvaluateVerifyOptions } from './types.js'

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /**
   * The use the caller intends: a v1 use (`train-genai`, `ai-input`, ...) or an alias of the mapping
   * table (`ai-train`, `genai`, `tdm-reservation`, ...; docs/spec.md §7.3). Ask about the
   * narrowest use that covers what you will do.
   */
  readonly use: string
  /**
   * The caller's user agent: its product token (`ExampleBot`) or a `User-Agent` string starting with
   * it. Statements addressed to another agent are reported, not applied; without a user agent,
   * every statement addressed to a named agent is reported, not applied.
   */
  readonly userAgent?: string
  /**
   * The URL the statements are about: statements about embedded media (`data-noai-for`) apply only
   * when they name it, and signed tags found in web carriers are checked against it
   * (docs/spec.md §13.6).
   */
  readonly url?: string
  /** The resource's `Content-Type`: `noimageai` in a header field applies only to images. */
  readonly contentType?: string
  /** For a signed tag embedded in audio: the essence digest of the file, to check its binding. */
  readonly essence?: { readonly format: string; readonly sha256: string }
  /** The time the content is used, for `expires` and for verification. @defaultValue now */
  readonly now?: Date
  /**
   * How signed tags are verified: keys, a key resolver, trusted issuers. Without keys or a
   * resolver, each issuer's well-known key set is fetched (and cached). `false`: signed tags are
   * not verified, and their allows do not count.
   * @defaultValue `{}`
   */
  readonly verify?: EvaluateVerifyOptions | false
  /** Aborts key lookups in progress. */
  readonly signal?: AbortSignal
}

const VERDICT: Readonly<Record<Preference, Verdict>> = { denied: 'deny', allowed: 'allow', unknown: 'unknown' }

/** For each use: the uses a statement must mention to speak to it (the use, broader and narrower ones). */
const RELATED: { readonly [U in Use]: ReadonlySet<Use> } = Object.fromEntries(USES.map((u) => [u, new Set([...ancestorsOf(u), ...descendantsOf(u)])])) as never

/** The use asked about, as a v1 use. @internal */
export function askedUse(use: unknown): Use {
  if (typeof use !== 'string') throw new InvalidArgumentError(`use must be a string such as "train-ai", not ${typeof use}`)
  const u = normalizeUse(use.trim())
  if (u === undefined) throw new InvalidArgumentError(`unknown use ${JSON.stringify(use.slice(0, 80))}: give one of ${USES.join(', ')} or an alias of docs/spec.md §7.3 (such as ai-train)`)
  return u
}

function checkOptions(signals: unknown, options: EvaluateOptions): { use: Use; at: Situation } {
  if (!Array.isArray(signals)) throw new InvalidArgumentError('signals must be an array of FoundSignal')
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options must be an object with a use')
  const nowMs = options.now === undefined ? Date.now() : options.now.getTime()
  if (Number.isNaN(nowMs)) throw new InvalidArgumentError('now must be a valid Date')
  return {
    use: askedUse(options.use),
    at: { token: callerToken(options.userAgent), url: options.url, contentType: options.contentType, nowMs },
  }
}

function draftOf(s: FoundSignal, related: ReadonlySet<Use>, at: Situation): Draft | undefined {
  if (typeof s !== 'object' || s === null || typeof s.usage !== 'object' || s.usage === null) throw new InvalidArgumentError('each signal must be a FoundSignal with a usage')
  let uses: Use[] | undefined
  const usage: Partial<Record<Use, StatedPreference>> = {}
  const stated = s.usage
  // The own keys, as Object.keys lists them, without the array.
  for (const u in stated) {
    if (!Object.hasOwn(stated, u)) continue
    const v = stated[u as Use]
    if ((v !== 'allowed' && v !== 'denied') || !isUse(u)) continue
    usage[u] = v
    if (related.has(u)) (uses ??= []).push(u)
  }
  if (uses === undefined) return undefined
  // Canonical order, whatever the order the reader wrote the usage in.
  if (uses.length > 1) uses.sort((a, b) => USES.indexOf(a) - USES.indexOf(b))
  const excluded = exclusion(s, at)
  if (excluded === undefined) return { signal: s, uses, usage, status: 'applied' }
  return { signal: s, uses, usage, status: excluded.status, note: excluded.note }
}

/** The URL or essence a signed tag is checked against: web carriers the URL, audio the essence. */
function bindingOf(d: Draft, options: EvaluateOptions): Binding {
  const kind = d.signal.source.kind
  if (kind === 'audio') return options.essence !== undefined ? { essence: options.essence } : {}
  const url = d.signal.for ?? options.url
  return url !== undefined && URL.canParse(url) ? { url } : {}
}

const isSigned = (d: Draft): boolean => d.status === 'applied' && typeof d.signal.jws === 'string'

async function verifyAll(drafts: readonly Draft[], options: EvaluateOptions, nowDate: Date): Promise<void> {
  const signed = drafts.filter(isSigned)
  if (signed.length === 0) return
  const settings = options.verify ?? {}
  const memo = new Map<string, ReturnType<typeof verifySigned>>()
  await Promise.all(
    signed.map(async (d) => {
      const binding = bindingOf(d, options)
      const key = `${d.signal.jws}|${binding.url ?? ''}|${binding.essence?.sha256 ?? ''}`
      let pending = memo.get(key)
      if (pending === undefined) memo.set(key, (pending = verifySigned(d.signal.jws!, binding, settings, nowDate, options.signal)))
      const v = await pending
      d.verification = v
      if (!v.allowsDropped) return
      // docs/spec.md §11.6: an unverified signed tag's denies still count, as an unsigned statement.
      for (const u of Object.keys(d.usage) as Use[]) if (d.usage[u] !== 'denied') delete d.usage[u]
      const why = v.state === 'not-verified' ? 'not verified (verify: false)' : v.state === 'valid' ? 'valid but not trusted (requireTrusted)' : `invalid (${v.codes.join(', ')})`
      d.note = `Signed tag ${why}: its allows are ignored; its denies count as an unsigned statement.`
    }),
  )
}

/**
 * Resolutions already made: a draft's usage holds only v1 uses with `allowed` or `denied`, so there
 * are at most 3^7 of them, and each is resolved once (the results are only read).
 */
const resolutions = new Map<string, ResolvedPreferences>()

/** `resolvePreferences(usage)` for a draft's usage, memoised. */
function resolved(usage: Draft['usage']): ResolvedPreferences {
  let key = ''
  for (const u of USES) {
    const v = Object.hasOwn(usage, u) ? usage[u] : undefined
    key += v === 'denied' ? 'd' : v === 'allowed' ? 'a' : '-'
  }
  let r = resolutions.get(key)
  if (r === undefined) resolutions.set(key, (r = resolvePreferences(usage)))
  return r
}

/** The uses narrower than each use, listed once (preferenceFor lists them on every call). */
const NARROWER: { readonly [U in Use]: readonly Use[] } = Object.fromEntries(USES.map((u) => [u, descendantsOf(u)])) as never

/** `preferenceFor(r, use)` (docs/spec.md §6.3): denied when the use or a narrower one is; else the use's own state. */
function answerFor(r: ResolvedPreferences, use: Use): Preference {
  if (r[use] === 'denied') return 'denied'
  for (const d of NARROWER[use]) if (r[d] === 'denied') return 'denied'
  return r[use]
}

function reasonOf(d: Draft, use: Use, verdict: Verdict, resolvedUsage: ResolvedPreferences | undefined): DecisionReason {
  const value = answerFor(resolvedUsage ?? resolved(d.usage), use)
  const applied = d.status === 'applied'
  const usage: Partial<Record<Use, StatedPreference>> = {}
  for (const u of d.uses) if (d.usage[u] !== undefined) usage[u] = d.usage[u]
  const s = d.signal
  // Built member by member (spreads of conditional members are slow on this hot path), in the order
  // of the DecisionReason interface.
  const out: { -readonly [K in keyof DecisionReason]: DecisionReason[K] } = { signal: s.signal, source: s.source, scope: s.scope } as DecisionReason
  if (s.agent !== undefined) out.agent = s.agent
  if (s.for !== undefined) out.for = s.for
  out.uses = d.uses
  out.usage = usage
  out.value = value
  out.status = d.status
  out.decisive = applied && ((verdict === 'deny' && value === 'denied') || (verdict === 'allow' && value === 'allowed'))
  out.tokens = s.tokens
  if (d.verification !== undefined) out.verification = d.verification
  if (d.note !== undefined) out.note = d.note
  return out
}

/**
 * Decides whether the statements found about a resource allow a use (docs/spec.md §11.6):
 *
 * 1. Statements are sorted: those addressed to another user agent (robots.txt groups,
 *    `X-Robots-Tag` prefixes, robots meta names), about other embedded media (`data-noai-for`),
 *    `noimageai` on a resource that is not an image, and expired tag documents are reported with
 *    the reason and not applied.
 * 2. Each standard's own precedence is applied first: TDMRep's HTML meta element supersedes its
 *    header field, which supersedes tdmrep.json (a technique that states nothing does not reset
 *    an earlier one). robots.txt groups and longest match, Content-Usage path rules, the site
 *    policy's rules, RSL's most specific `<content>` and its prohibitions over permissions are
 *    already applied by the readers that produced the statements.
 * 3. Signed tags are verified (the signing code is loaded only then); a tag that is `invalid` (a
 *    forgery, a tag copied onto other content, an expired or revoked key) keeps only its denies,
 *    as an unsigned statement.
 * 4. The applied statements are resolved and combined (docs/spec.md §6.1, §6.2: any deny wins) and
 *    the verdict is the answer for the use (docs/spec.md §6.3). `unknown` stays `unknown`.
 *
 * @param signals - the statements found (`FoundSignal`s from any reader: `readHttpSignals`,
 *   `readHtmlSignals`, `robotsSignals`, `tdmrepSignals`, `policySignals`, `rslSignals`,
 *   `aiTxtSignals`, `readAudioTag`)
 * @throws InvalidArgumentError for an unknown use, a user agent without a product token, or
 *   signals that are not `FoundSignal`s. Never for what the statements say.
 * @example
 * ```ts
 * import { evaluate } from 'noai-tag/crawl'
 * import { readHttpSignals } from 'noai-tag/http'
 * const signals = readHttpSignals({ 'Content-Usage': 'train-ai=n, search=y' }, { url })
 * const d = await evaluate(signals, { use: 'train-genai', userAgent: 'ExampleBot', url })
 * d.verdict // 'deny'
 * d.reasons[0]?.source.name // 'Content-Usage'
 * ```
 */
export async function evaluate(signals: readonly FoundSignal[], options: EvaluateOptions): Promise<Decision> {
  return decide(signals, options)
}

/**
 * {@link evaluate}, synchronous when no signed tag needs verifying (checkUrl calls it so, to spare a
 * turn of the event loop per URL); throws what evaluate rejects with. @internal
 */
export function decide(signals: readonly FoundSignal[], options: EvaluateOptions): Decision | Promise<Decision> {
  const { use, at } = checkOptions(signals, options)
  const related = RELATED[use]
  const drafts: Draft[] = []
  let unrelated = 0
  for (const s of signals) {
    const d = draftOf(s, related, at)
    if (d === undefined) unrelated++
    else drafts.push(d)
  }
  applyTdmrepPrecedence(drafts)
  // Only signed tags need verifying (and awaiting).
  if (drafts.some(isSigned)) return verifyAll(drafts, options, new Date(at.nowMs)).then(() => decision(drafts, use, at, unrelated))
  return decision(drafts, use, at, unrelated)
}

/** The verdict and the reasons, once the drafts are final. */
function decision(drafts: readonly Draft[], use: Use, at: Situation, unrelated: number): Decision {
  const resolvedUsages = drafts.map((d) => (d.status === 'applied' ? resolved(d.usage) : undefined))
  const verdict = VERDICT[answerFor(combinePreferences(resolvedUsages.filter((r) => r !== undefined)), use)]
  const reasons = drafts.map((d, i) => reasonOf(d, use, verdict, resolvedUsages[i]))
  return at.token !== undefined ? { verdict, use, userAgent: at.token, reasons, unrelated } : { verdict, use, reasons, unrelated }
}
