/**
 * What a parsed RSL licence document says about one URL (docs/spec.md §7.1, §11.5).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { FoundSignal } from '../signals/types.js'
import { mapStatement, type PendingToken } from './_map.js'
import { compilePattern, patternMatches, requestTarget, type CompiledPattern, type RequestTarget } from './_pattern.js'
import { clip } from './_text.js'
import type { Rsl, RslContent, RslLicense, RslTerms } from './parse-rsl.js'

interface Scope {
  readonly origin: string | undefined
  readonly pattern: CompiledPattern | undefined
}

const scopes = new WeakMap<Rsl, Scope[]>()

/** A content's `url`: a full URL (its origin must match) or a path pattern. */
function scopeOf(content: RslContent): Scope {
  const m = /^(https?:\/\/[^/?#]*)(.*)$/i.exec(content.url)
  if (m) {
    let origin: string | undefined
    try {
      origin = new URL(m[1]!).origin
    } catch {
      return { origin: undefined, pattern: undefined }
    }
    return { origin, pattern: compilePattern(m[2] === '' ? '/' : m[2]!) }
  }
  if (!content.url.startsWith('/') && !content.url.startsWith('*')) return { origin: undefined, pattern: undefined }
  return { origin: undefined, pattern: compilePattern(content.url) }
}

function scopesOf(rsl: Rsl): Scope[] {
  let list = scopes.get(rsl)
  if (list === undefined) {
    list = rsl.contents.map(scopeOf)
    scopes.set(rsl, list)
  }
  return list
}

/** The most specific matching contents: the longest path pattern; equally long ones all apply. */
function matchingContents(rsl: Rsl, target: RequestTarget): RslContent[] {
  const list = scopesOf(rsl)
  let best: RslContent[] = []
  let bestLength = -1
  rsl.contents.forEach((content, i) => {
    const s = list[i]!
    if (s.pattern === undefined) return
    if (s.origin !== undefined && target.origin !== undefined && s.origin !== target.origin) return
    const len = s.pattern.normalized.length
    if (len < bestLength || !patternMatches(s.pattern, target.path)) return
    if (len > bestLength) {
      best = [content]
      bestLength = len
    } else best.push(content)
  })
  return best
}

/** Why a licence's permissions are conditional, or an empty list when they are not. */
function conditions(content: RslContent, license: RslLicense): string[] {
  const why: string[] = []
  if (content.server !== undefined) why.push(`a licence must be obtained from ${content.server}`)
  const paid = license.payment.filter((p) => p.type.toLowerCase() !== 'free')
  if (paid.length > 0) why.push(`payment terms apply (${paid.map((p) => p.type || 'unspecified').join(', ')})`)
  if (license.permits.user.length > 0) why.push(`only for users: ${license.permits.user.join(' ')}`)
  if (license.permits.geo.length > 0) why.push(`only in: ${license.permits.geo.join(' ')}`)
  if (license.prohibits.user.length > 0) why.push(`not for users: ${license.prohibits.user.join(' ')}`)
  if (license.prohibits.geo.length > 0) why.push(`not in: ${license.prohibits.geo.join(' ')}`)
  return why
}

function scopeTokens(terms: RslTerms, kind: 'permits' | 'prohibits'): PendingToken[] {
  return (['user', 'geo'] as const).flatMap((type) =>
    terms[type].map((t) => ({ token: t, value: `${kind} type="${type}"`, stated: null, note: `Limits who or where the licence applies (${type}); not a use.` })),
  )
}

function signal(rsl: Rsl, content: RslContent, kind: 'permits' | 'prohibits', pending: PendingToken[]): FoundSignal {
  const m = mapStatement('rsl', pending)
  const server = content.server !== undefined ? ` server="${content.server}"` : ''
  return {
    signal: 'rsl',
    source: { kind: 'rsl', ...(rsl.url !== undefined ? { url: rsl.url } : {}), name: kind, text: clip(`<content url="${content.url}"${server}> <${kind}>`) },
    scope: 'site',
    usage: m.usage,
    tokens: m.tokens,
  }
}

function licenseSignals(rsl: Rsl, content: RslContent, license: RslLicense): FoundSignal[] {
  const out: FoundSignal[] = []
  const serverNote = content.server !== undefined ? `A licence must be obtained from ${content.server} (RSL server attribute).` : undefined
  const prohibits: PendingToken[] = [
    ...license.prohibits.usage.map((t) => ({ token: t, value: 'prohibits', stated: 'denied' as const, ...(serverNote ? { note: serverNote } : {}) })),
    ...scopeTokens(license.prohibits, 'prohibits'),
  ]
  if (prohibits.length > 0) out.push(signal(rsl, content, 'prohibits', prohibits))
  const why = conditions(content, license)
  const permits: PendingToken[] = [
    ...license.permits.usage.map((t) =>
      why.length === 0
        ? { token: t, value: 'permits', stated: 'allowed' as const }
        : { token: t, value: 'permits', stated: null, note: `Permitted only on conditions (${why.join('; ')}): not read as an allow.` },
    ),
    ...scopeTokens(license.permits, 'permits'),
  ]
  if (permits.length > 0) out.push(signal(rsl, content, 'permits', permits))
  return out
}

/**
 * Reads what a parsed RSL document says about one URL. The `<content>` elements whose `url`
 * matches (a full URL must be on the URL's origin; patterns use robots.txt wildcards) are narrowed
 * to the most specific: the longest pattern wins, equally long ones all apply. For each of their
 * licences:
 *
 * - `<prohibits type="usage">` tokens → one `rsl` signal denying the mapped uses (signal `rsl` of
 *   the mapping table, docs/spec.md §7.2);
 * - `<permits type="usage">` tokens → a second, separate `rsl` signal allowing them, so that
 *   prohibitions override permissions when the signals are combined (docs/spec.md §7.1). A
 *   permission is read as an allow only when it is unconditional: no `server` (a licence must be
 *   obtained), no payment other than `free`, and no `user` or `geo` limits. Otherwise its tokens are
 *   reported with the conditions and not mapped, since a crawler without the licence has no
 *   permission.
 *
 * `user` and `geo` tokens are reported as ignored tokens (they limit who may use the licence).
 *
 * @param url - an absolute http(s) URL or a path starting with `/`
 * @throws InvalidArgumentError for a bad URL or an `rsl` that is not a parse result.
 * @example
 * ```ts
 * import { parseRsl, rslSignals } from 'noai-tag/robots'
 * const rsl = parseRsl('<rsl xmlns="https://rslstandard.org/rsl"><content url="/"><license><prohibits type="usage">all</prohibits><permits type="usage">search</permits></license></content></rsl>')
 * rslSignals(rsl, 'https://example.com/a').map((s) => s.usage) // [{ all: 'denied' }, { search: 'allowed' }]: search stays denied when combined
 * ```
 */
export function rslSignals(rsl: Rsl, url: string): FoundSignal[] {
  if (typeof rsl !== 'object' || rsl === null || !Array.isArray(rsl.contents)) throw new InvalidArgumentError('rsl must be the result of parseRsl()')
  const target = requestTarget(url)
  return matchingContents(rsl, target).flatMap((content) => content.licenses.flatMap((license) => licenseSignals(rsl, content, license)))
}
