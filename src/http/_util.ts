// Small helpers shared by the HTTP and HTML carriers. Internal.
import type { ReadToken, SignalSource } from '../signals/types.js'
import type { SignalId } from '../vocabulary/mappings.js'
import type { WebSignal } from './types.js'
import { HTTP_LIMITS } from './limits.js'

/** Text cut to `HTTP_LIMITS.maxSourceText` characters (the last one `…` when cut). */
export function clip(text: string): string {
  return text.length > HTTP_LIMITS.maxSourceText ? `${text.slice(0, HTTP_LIMITS.maxSourceText - 1)}…` : text
}

/** A statement that states nothing and only carries a note (a malformed field, a limit). */
export function noteSignal(signal: SignalId, source: SignalSource, token: string, value: string, note: string): WebSignal {
  return { signal, source, scope: 'resource', usage: {}, tokens: [{ token, value: clip(value), read: 'ignored', note }] }
}

/** An `ignored` token. */
export function ignoredToken(token: string, value: string, note: string): ReadToken {
  return { token, value: clip(value), read: 'ignored', note }
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/

/** `url` resolved against `base`, or `url` itself when it cannot be resolved. */
export function resolveUrl(url: string, base: string | undefined): string {
  // Without a base, a relative reference stays as written (and no exception is thrown to find out).
  if (base === undefined && !SCHEME.test(url)) return url
  try {
    return new URL(url, base).href
  } catch {
    return url
  }
}

const PRODUCT = /[A-Za-z0-9_.-]+/g

/**
 * Whether a statement addressed to `agent` (as written in a robots meta name or an `X-Robots-Tag`
 * prefix) applies to a crawler whose user agent is `userAgent`: equal ignoring ASCII case, or
 * `agent` is one of the product tokens of `userAgent` (`GPTBot` in `Mozilla/5.0 (...; GPTBot/1.2;
 * ...)`), ignoring case (RFC 9309 §2.2.1 matches product tokens case-insensitively).
 */
export function agentMatches(agent: string, userAgent: string): boolean {
  const a = agent.trim().toLowerCase()
  if (a === userAgent.trim().toLowerCase()) return true
  for (const m of userAgent.matchAll(PRODUCT)) if (m[0].toLowerCase() === a) return true
  return false
}

/** Keeps the statements addressed to everyone or to `userAgent`. */
export function forAgent<T extends { readonly agent?: string }>(signals: T[], userAgent: string | undefined): T[] {
  if (userAgent === undefined) return signals
  return signals.filter((s) => s.agent === undefined || agentMatches(s.agent, userAgent))
}
