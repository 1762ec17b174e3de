// Determining the character encoding of an HTML byte stream (HTML §13.2.3): a byte order mark,
// then the transport layer (the Content-Type charset parameter), then the prescan of the first
// 1024 bytes for <meta charset> / <meta http-equiv="Content-Type" content="…charset=…">, else
// windows-1252 (HTML's default for documents without any other information). Labels are resolved
// by the platform's TextDecoder (WHATWG Encoding). Internal.

/** Where the encoding came from. */
export type EncodingSource = 'bom' | 'content-type' | 'meta' | 'default'

/** The encoding name (as `TextDecoder.encoding` reports it) for a label, or undefined. */
export function encodingFor(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding
  } catch {
    return undefined
  }
}

/** The encoding a byte order mark announces and its length. */
export function sniffBom(b: Uint8Array): { encoding: string; length: number } | undefined {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 }
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 }
  return undefined
}

/** Whether the first bytes could still be the start of a byte order mark (more bytes are needed). */
export function mayBeBomPrefix(b: Uint8Array): boolean {
  if (b.length === 0) return true
  if (b.length === 1) return b[0] === 0xef || b[0] === 0xfe || b[0] === 0xff
  return b.length === 2 && b[0] === 0xef && b[1] === 0xbb
}

const isWs = (c: number) => c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20
const isAlpha = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a
const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c)

/**
 * HTML §2.5.x "algorithm for extracting a character encoding from a meta element": the label after
 * `charset=` in a Content-Type-like string, or undefined.
 */
export function charsetParameter(s: string): string | undefined {
  let from = 0
  for (;;) {
    const at = s.toLowerCase().indexOf('charset', from)
    if (at < 0) return undefined
    let i = at + 7
    while (i < s.length && isWs(s.charCodeAt(i))) i++
    if (s[i] !== '=') {
      from = at + 7
      continue
    }
    i++
    while (i < s.length && isWs(s.charCodeAt(i))) i++
    const q = s[i]
    if (q === '"' || q === "'") {
      const end = s.indexOf(q, i + 1)
      return end < 0 ? undefined : s.slice(i + 1, end)
    }
    let end = i
    while (end < s.length && !isWs(s.charCodeAt(end)) && s[end] !== ';') end++
    return end > i ? s.slice(i, end) : undefined
  }
}

/** HTML §13.2.3.2.1 "get an attribute" over bytes; returns the attribute and the next position. */
function getAttribute(b: Uint8Array, i: number, n: number): { name: string; value: string; next: number } | undefined {
  while (i < n && (isWs(b[i]!) || b[i] === 0x2f)) i++
  if (i >= n || b[i] === 0x3e) return undefined
  let name = ''
  let value = ''
  for (;;) {
    if (i >= n) return undefined
    const c = b[i]!
    if (c === 0x3d && name !== '') {
      i++
      break
    }
    if (isWs(c)) {
      while (i < n && isWs(b[i]!)) i++
      if (b[i] !== 0x3d) return { name, value, next: i }
      i++
      break
    }
    if (c === 0x2f || c === 0x3e) return { name, value, next: i }
    name += String.fromCharCode(lower(c))
    i++
  }
  while (i < n && isWs(b[i]!)) i++
  if (i >= n) return undefined
  const q = b[i]!
  if (q === 0x22 || q === 0x27) {
    i++
    for (;;) {
      if (i >= n) return undefined
      if (b[i] === q) return { name, value, next: i + 1 }
      value += String.fromCharCode(lower(b[i]!))
      i++
    }
  }
  if (q === 0x3e) return { name, value, next: i }
  for (;;) {
    if (i >= n) return undefined
    const c = b[i]!
    if (isWs(c) || c === 0x3e) return { name, value, next: i }
    value += String.fromCharCode(lower(c))
    i++
  }
}

function startsWithCi(b: Uint8Array, i: number, ascii: string): boolean {
  if (i + ascii.length > b.length) return false
  for (let k = 0; k < ascii.length; k++) if (lower(b[i + k]!) !== ascii.charCodeAt(k)) return false
  return true
}

/** HTML §13.2.3.2 "prescan a byte stream to determine its encoding", over the given bytes. */
export function prescan(b: Uint8Array): string | undefined {
  const n = b.length
  let i = 0
  while (i < n) {
    if (b[i] !== 0x3c) {
      i++
      continue
    }
    if (startsWithCi(b, i, '<!--')) {
      let j = i + 2
      for (; j + 2 < n; j++) if (b[j] === 0x2d && b[j + 1] === 0x2d && b[j + 2] === 0x3e) break
      if (j + 2 >= n) return undefined
      i = j + 3
      continue
    }
    if (startsWithCi(b, i, '<meta') && i + 5 < n && (isWs(b[i + 5]!) || b[i + 5] === 0x2f)) {
      i += 6
      const seen = new Set<string>()
      let gotPragma = false
      let needPragma: boolean | undefined
      let charset: string | undefined
      for (;;) {
        const a = getAttribute(b, i, n)
        if (!a) break
        i = a.next
        if (seen.has(a.name)) continue
        seen.add(a.name)
        if (a.name === 'http-equiv') {
          if (a.value === 'content-type') gotPragma = true
        } else if (a.name === 'content') {
          const cs = charsetParameter(a.value)
          if (cs !== undefined && charset === undefined) {
            charset = cs
            needPragma = true
          }
        } else if (a.name === 'charset') {
          charset = a.value
          needPragma = false
        }
      }
      if (needPragma === undefined || (needPragma && !gotPragma) || charset === undefined) continue
      const enc = encodingFor(charset)
      if (enc === undefined) continue
      if (enc === 'utf-16le' || enc === 'utf-16be') return 'utf-8'
      if (enc === 'x-user-defined') return 'windows-1252'
      return enc
    }
    const c1 = b[i + 1]
    if (c1 !== undefined && (isAlpha(c1) || (c1 === 0x2f && b[i + 2] !== undefined && isAlpha(b[i + 2]!)))) {
      i += c1 === 0x2f ? 2 : 1
      while (i < n && !isWs(b[i]!) && b[i] !== 0x3e) i++
      for (;;) {
        const a = getAttribute(b, i, n)
        if (!a) break
        i = a.next
      }
      i++
      continue
    }
    if (c1 === 0x21 || c1 === 0x2f || c1 === 0x3f) {
      const end = b.indexOf(0x3e, i + 1)
      if (end < 0) return undefined
      i = end + 1
      continue
    }
    i++
  }
  return undefined
}

/** The encoding of a `Content-Type` value's charset parameter, when it names one the platform knows. */
export function contentTypeEncoding(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined
  const semi = contentType.indexOf(';')
  if (semi < 0) return undefined
  const label = charsetParameter(contentType.slice(semi + 1))
  return label === undefined ? undefined : encodingFor(label)
}
