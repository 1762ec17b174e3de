// The `Link` field (RFC 8288 §3): `<uri-reference>; param=value; param="quoted", <…>; …`.
// Only what the readers need is kept: the target, the `rel` (first occurrence, RFC 8288 §3.3) as
// lower-case relation types, and `type`. Internal.

/** One link of a `Link` field. */
export interface ParsedLink {
  readonly target: string
  /** Relation types, lower-cased (RFC 8288 §2.1.1: they compare case-insensitively). */
  readonly rel: readonly string[]
  /** The `type` parameter, lower-cased and trimmed, when present. */
  readonly type?: string
}

const WS = /[ \t]/

function skipWs(s: string, i: number): number {
  while (i < s.length && WS.test(s[i]!)) i++
  return i
}

/**
 * Parses the links of one field value (several field lines joined with `, `). Stops at the first
 * syntax error (the links before it are kept) or after `max` links; `truncated` says so.
 */
export function parseLinks(value: string, max: number): { links: ParsedLink[]; truncated: boolean; error?: string } {
  const links: ParsedLink[] = []
  let i = 0
  const n = value.length
  for (;;) {
    while (i < n && (value[i] === ',' || WS.test(value[i]!))) i++
    if (i >= n) return { links, truncated: false }
    if (links.length >= max) return { links, truncated: true }
    if (value[i] !== '<') return { links, truncated: false, error: `expected "<" at ${i}` }
    const close = value.indexOf('>', i + 1)
    if (close < 0) return { links, truncated: false, error: 'unterminated <uri-reference>' }
    const target = value.slice(i + 1, close).trim()
    i = close + 1
    let rel: string[] | undefined
    let type: string | undefined
    for (;;) {
      i = skipWs(value, i)
      if (i >= n || value[i] === ',') break
      if (value[i] !== ';') return { links, truncated: false, error: `expected ";" or "," at ${i}` }
      i = skipWs(value, i + 1)
      const nameStart = i
      while (i < n && !'=;, \t'.includes(value[i]!)) i++
      const name = value.slice(nameStart, i).toLowerCase()
      i = skipWs(value, i)
      let v = ''
      if (value[i] === '=') {
        i = skipWs(value, i + 1)
        if (value[i] === '"') {
          i++
          let out = ''
          while (i < n && value[i] !== '"') {
            if (value[i] === '\\' && i + 1 < n) i++
            out += value[i]
            i++
          }
          if (i >= n) return { links, truncated: false, error: 'unterminated quoted-string' }
          i++
          v = out
        } else {
          const vs = i
          while (i < n && !';,'.includes(value[i]!)) i++
          v = value.slice(vs, i).trim()
        }
      }
      if (name === 'rel' && rel === undefined) rel = v.toLowerCase().split(/[ \t]+/).filter(Boolean)
      else if (name === 'type' && type === undefined) type = v.trim().toLowerCase()
    }
    links.push(type === undefined ? { target, rel: rel ?? [] } : { target, rel: rel ?? [], type })
  }
}
