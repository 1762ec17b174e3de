/**
 * Sorting the statements found for a URL before they are combined (docs/spec.md §11.6): which are
 * addressed to the caller, which are about this resource, which are superseded by their own
 * standard's precedence, which expired.
 *
 * @internal
 * @module
 */
import type { FoundSignal } from '../signals/types.js'
import type { StatedPreference, Use } from '../vocabulary/uses.js'
import { addressedTo } from './_agent.js'
import type { ReasonStatus, ReasonVerification } from './types.js'

/** A statement on its way to becoming a reason. @internal */
export interface Draft {
  readonly signal: FoundSignal & { readonly for?: string }
  /** The related uses it stated. */
  readonly uses: Use[]
  status: ReasonStatus
  note?: string
  /** The usage as applied. */
  usage: Partial<Record<Use, StatedPreference>>
  verification?: ReasonVerification
}

/** How the caller's situation bears on which statements apply. @internal */
export interface Situation {
  readonly token: string | undefined
  readonly url: string | undefined
  readonly contentType: string | undefined
  readonly nowMs: number
}

/** Clock tolerance for `expires`, in seconds: the verifier's default (docs/spec.md §13.7), not imported to keep the signing code out of this entry. */
const CLOCK_TOLERANCE_SECONDS = 300

/** TDMRep's order of techniques (TDMRep CG report §3): a later one supersedes an earlier one. */
const TDMREP_LEVEL: Readonly<Record<string, number>> = { 'tdmrep.json': 1, 'http-header': 2, caller: 2, html: 3, audio: 4 }

function normalizedUrl(url: string): string | undefined {
  try {
    const u = new URL(url)
    u.hash = ''
    return u.href
  } catch {
    return undefined
  }
}

function isImageOrPage(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase()
  return essence.startsWith('image/') || essence === 'text/html' || essence === 'application/xhtml+xml'
}

/** `noimageai` without `noai`: about images only (mapping table, robots-meta rows). */
function imageOnly(s: FoundSignal): boolean {
  if (s.signal !== 'robots-meta') return false
  const stated = s.tokens.filter((t) => t.read === 'denied')
  return stated.some((t) => t.token.toLowerCase() === 'noimageai') && !stated.some((t) => t.token.toLowerCase() === 'noai')
}

function expiredAt(s: FoundSignal, nowMs: number): string | undefined {
  const expires = s.tag?.expires
  if (expires === undefined) return undefined
  const t = Date.parse(expires)
  return Number.isFinite(t) && nowMs - CLOCK_TOLERANCE_SECONDS * 1000 >= t ? expires : undefined
}

/** Why a statement does not apply to this caller and resource, if it does not. @internal */
export function exclusion(s: FoundSignal & { readonly for?: string }, at: Situation): { status: ReasonStatus; note: string } | undefined {
  if (s.agent === undefined && s.for === undefined && s.signal !== 'robots-meta' && s.tag?.expires === undefined) return undefined
  if (s.agent !== undefined && !addressedTo(s.agent, at.token)) {
    const who = at.token === undefined ? 'no user agent was given' : `the caller is ${at.token}`
    return { status: 'other-agent', note: `Addressed to ${s.agent}, and ${who}: reported, not applied (docs/spec.md §11.3.3).` }
  }
  if (s.for !== undefined && (at.url === undefined || normalizedUrl(s.for) !== normalizedUrl(at.url))) {
    return { status: 'other-resource', note: `About the embedded media at ${s.for}, not about this resource (docs/spec.md §11.2).` }
  }
  if (imageOnly(s) && s.source.kind !== 'html' && at.contentType !== undefined && !isImageOrPage(at.contentType)) {
    return { status: 'not-image', note: `noimageai is about images; this resource is ${at.contentType.split(';')[0]!.trim()} (docs/spec.md §7.2).` }
  }
  const expired = expiredAt(s, at.nowMs)
  if (expired !== undefined) return { status: 'expired', note: `The tag expired at ${expired}: no longer a statement (docs/spec.md §4.7).` }
  return undefined
}

/**
 * TDMRep's own precedence (docs/spec.md §6.2): of the TDMRep statements that apply, only those of
 * the latest technique count (HTML meta over the header field over tdmrep.json); a technique that
 * states nothing does not reset an earlier one. @internal
 */
export function applyTdmrepPrecedence(drafts: readonly Draft[]): void {
  const tdm = drafts.filter((d) => d.status === 'applied' && d.signal.signal === 'tdmrep')
  if (tdm.length < 2) return
  const level = (d: Draft): number => TDMREP_LEVEL[d.signal.source.kind] ?? 2
  const top = Math.max(...tdm.map(level))
  const winner = tdm.find((d) => level(d) === top)!.signal.source.kind
  for (const d of tdm) {
    if (level(d) >= top) continue
    d.status = 'superseded'
    d.note = `TDMRep: the ${winner} statement supersedes this ${d.signal.source.kind} one (a later technique overrides an earlier one).`
  }
}
