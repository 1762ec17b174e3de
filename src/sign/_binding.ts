// Binding a signed tag to content (docs/spec.md §13.6): the audio essence digest the caller
// computed, or the URL the caller fetched, must be one the tag's subject names. Internal.
import type { NoaiTag } from '../model/tag.js'
import { on } from './_jws.js'
import { VERIFY_CODES, type VerifyCode } from './codes.js'

/** A normalised binding request: what the caller holds. */
export interface BindingRequest {
  readonly essence?: { readonly format: string; readonly sha256: string }
  readonly url?: URL
}

/** Outcome of the binding checks: whether any comparison was made, and the findings. */
export interface BindingOutcome {
  readonly checked: boolean
  readonly codes: VerifyCode[]
}

/** Checks every binding the caller asked for; with none asked, reports `binding-not-checked`. */
export function checkBinding(tag: NoaiTag, req: BindingRequest): BindingOutcome {
  if (req.essence === undefined && req.url === undefined) return { checked: false, codes: [VERIFY_CODES.bindingNotChecked] }
  const codes: VerifyCode[] = []
  let checked = false
  if (req.essence !== undefined) {
    const entries = tag.subject.essence
    if (entries === undefined) codes.push(VERIFY_CODES.bindingNotPossible)
    else {
      checked = true
      const { format, sha256 } = req.essence
      if (on('binding') && !entries.some((e) => e.format === format && e.sha256 === sha256)) codes.push(VERIFY_CODES.contentHashMismatch)
    }
  }
  if (req.url !== undefined) {
    const { urls, urlPatterns } = tag.subject
    if (urls === undefined && urlPatterns === undefined) codes.push(VERIFY_CODES.bindingNotPossible)
    else {
      checked = true
      if (on('binding') && !urlCovered(req.url, urls ?? [], urlPatterns ?? [])) codes.push(VERIFY_CODES.urlNotCovered)
    }
  }
  return { checked, codes: [...new Set(codes)] }
}

// docs/spec.md §4.3.3: compared after RFC 3986 §6.2.2 normalisation. WHATWG URL parsing lowers
// the scheme and host, drops a default port and removes dot segments; percent-encodings are
// upper-cased here, and the fragment is removed.
const PERCENT = /%[0-9a-f]{2}/gi
const upperPercent = (s: string): string => (s.includes('%') ? s.replace(PERCENT, (m) => m.toUpperCase()) : s)
const withoutFragment = (u: URL): string => upperPercent(u.hash === '' ? u.href : u.href.slice(0, u.href.length - u.hash.length))

function normalise(text: string): string | undefined {
  try {
    return withoutFragment(new URL(text))
  } catch {
    return undefined
  }
}

/** Whether `url` is one of `urls` (after WHATWG URL normalisation, fragments ignored) or matches a pattern. */
export function urlCovered(url: URL, urls: readonly string[], patterns: readonly string[]): boolean {
  const target = withoutFragment(url)
  if (urls.some((u) => normalise(u) === target)) return true
  const rest = upperPercent(url.pathname + url.search)
  return patterns.some((p) => patternMatches(p, url.origin, rest))
}

const PATTERN = /^(https?:\/\/[^/]+)(\/.*)?$/

/**
 * robots.txt-style matching (RFC 9309 §2.2.3) of a URL pattern: the origin must be equal (no
 * wildcard there, so `https://a.example` never matches `https://a.example.evil`), and the pattern's
 * path is matched against the path and query, `*` matching any characters and a final `$`
 * anchoring the end; otherwise the pattern is a prefix.
 */
export function patternMatches(pattern: string, origin: string, pathAndQuery: string): boolean {
  const m = PATTERN.exec(pattern)
  if (m === null) return false
  let patternOrigin: string
  try {
    patternOrigin = new URL(m[1]!).origin
  } catch {
    return false
  }
  if (patternOrigin !== origin) return false
  let path = upperPercent(m[2] ?? '/')
  const anchored = path.endsWith('$')
  if (anchored) path = path.slice(0, -1)
  return wildcardMatch(path, pathAndQuery, anchored)
}

/**
 * Glob match with `*` only, in O(pattern × text) at worst and without regular expressions (no
 * catastrophic backtracking on hostile patterns). Unanchored means the pattern may match a prefix.
 */
function wildcardMatch(pattern: string, text: string, anchored: boolean): boolean {
  let p = 0
  let t = 0
  let star = -1
  let mark = 0
  for (;;) {
    if (p === pattern.length && (!anchored || t === text.length)) return true
    if (p < pattern.length && pattern[p] === '*') {
      star = p++
      mark = t
    } else if (p < pattern.length && t < text.length && pattern[p] === text[t]) {
      p++
      t++
    } else if (star >= 0 && mark < text.length) {
      p = star + 1
      t = ++mark
    } else return false
  }
}
