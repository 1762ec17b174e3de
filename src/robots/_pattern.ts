/**
 * robots.txt path patterns (RFC 9309 §2.2.2, §2.2.3), shared by robots.txt, ai.txt, tdmrep.json,
 * the site policy and RSL: `*` matches any run of characters, a final `$` anchors the end, the
 * match starts at the first octet of the path, and both the pattern and the path are
 * percent-normalised first so that `%62` and `b` compare equal while `%2F` and `/` do not.
 *
 * Matching is linear in practice (a greedy scan of the `*`-separated literals, which is exact for
 * patterns whose only wildcard is `*`): no regular expressions, so no backtracking blow-up.
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import { SITE_LIMITS } from './limits.js'

const HEX = '0123456789ABCDEF'

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1

/** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
const isUnreserved = (b: number): boolean =>
  (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e

function encodeCodePoint(ch: string): string {
  try {
    return encodeURIComponent(ch)
  } catch {
    return '%EF%BF%BD' // a lone surrogate: U+FFFD, as a UTF-8 encoder would write it
  }
}

/** Characters that never need rewriting (printable ASCII without `%`, `*`, `$`). */
const PLAIN = /^[\x21-\x23\x26-\x29\x2b-\x7e]*$/

/**
 * Percent-normalises a pattern (`kind: 'pattern'`: `*` and a final `$` stay wildcards) or a request
 * path (`kind: 'path'`: a literal `*` or `$` is written `%2A`/`%24`, so that a pattern can name it,
 * RFC 9309 §2.2.3). Escapes of unreserved characters are decoded, other escapes are upper-cased,
 * and characters outside printable ASCII are encoded as UTF-8 (RFC 9309 §2.2.2).
 */
export function normalizePathText(text: string, kind: 'pattern' | 'path'): string {
  if (PLAIN.test(text)) return text
  let out = ''
  const last = text.length - 1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x25 /* % */ && i + 2 <= last) {
      const h = hexValue(text.charCodeAt(i + 1))
      const l = hexValue(text.charCodeAt(i + 2))
      if (h >= 0 && l >= 0) {
        const b = h * 16 + l
        out += isUnreserved(b) ? String.fromCharCode(b) : `%${HEX[h]}${HEX[l]}`
        i += 2
        continue
      }
    }
    if (c === 0x2a /* * */) out += kind === 'pattern' ? '*' : '%2A'
    else if (c === 0x24 /* $ */) out += kind === 'pattern' && i === last ? '$' : '%24'
    else if (c > 0x20 && c < 0x7f) out += text[i]
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += encodeCodePoint(text.slice(i, i + 2))
      i++
    } else out += c < 0x80 ? `%${HEX[c >> 4]}${HEX[c & 15]}` : encodeCodePoint(text[i]!)
  }
  return out
}

/** A pattern ready for matching. */
export interface CompiledPattern {
  /** The normalised pattern; its length is the rule's specificity (RFC 9309 §2.2.2: "most octets"). */
  readonly normalized: string
  /** The literal runs between `*`s. */
  readonly parts: readonly string[]
  /** The pattern ended with `$`. */
  readonly anchored: boolean
}

/** Normalises and splits a pattern. */
export function compilePattern(pattern: string): CompiledPattern {
  const normalized = normalizePathText(pattern, 'pattern')
  const anchored = normalized.endsWith('$')
  const body = anchored ? normalized.slice(0, -1) : normalized
  return { normalized, parts: body.split('*'), anchored }
}

/** Whether a compiled pattern matches a normalised path, from the path's first octet. */
export function patternMatches(p: CompiledPattern, path: string): boolean {
  const parts = p.parts
  const first = parts[0]!
  if (parts.length === 1) return p.anchored ? path === first : path.startsWith(first)
  if (!path.startsWith(first)) return false
  let pos = first.length
  const lastIndex = parts.length - 1
  for (let i = 1; i < lastIndex; i++) {
    const part = parts[i]!
    if (part === '') continue
    const at = path.indexOf(part, pos)
    if (at < 0) return false
    pos = at + part.length
  }
  const tail = parts[lastIndex]!
  if (p.anchored) return path.length - tail.length >= pos && path.endsWith(tail)
  return tail === '' || path.indexOf(tail, pos) >= 0
}

/** The parts of a request URL that site-level rules are matched against. */
export interface RequestTarget {
  /** The origin (`https://example.com`), or `undefined` when a bare path was given. */
  readonly origin: string | undefined
  /** Path and query, percent-normalised, fragment removed (RFC 9309 §2.2.2). */
  readonly path: string
}

/**
 * Splits a URL (absolute http(s), or a path starting with a single `/`) into origin and normalised
 * path-and-query.
 *
 * @throws InvalidArgumentError for anything else.
 */
export function requestTarget(url: string, what = 'url'): RequestTarget {
  if (typeof url !== 'string') throw new InvalidArgumentError(`${what} must be a string`)
  if (url.length > SITE_LIMITS.maxUrlLength) throw new InvalidArgumentError(`${what} is ${url.length} characters, over ${SITE_LIMITS.maxUrlLength}`)
  // `/\` is `//` to the URL parser (a backslash is a slash in http URLs): a network-path reference
  // whose host would swallow the path (`/\a` → `http://a/`), or a TypeError when empty (found by `npm run fuzz`).
  if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) {
    const u = new URL(url, 'http://path.invalid')
    return { origin: undefined, path: normalizePathText(u.pathname + u.search, 'path') }
  }
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new InvalidArgumentError(`${what} ${JSON.stringify(url.slice(0, 200))} is not an absolute URL or a path starting with /`)
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InvalidArgumentError(`${what} must be an http or https URL, not ${u.protocol}`)
  return { origin: u.origin, path: normalizePathText((u.pathname || '/') + u.search, 'path') }
}

/** The origin of an http(s) URL, or `undefined` when it is not one. */
export function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined
  } catch {
    return undefined
  }
}
