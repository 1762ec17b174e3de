/**
 * A strict RFC 8259 JSON parser for tag documents (docs/spec.md §4.10): it rejects a byte order
 * mark, duplicate member names and nesting deeper than a bound, never assigns through `__proto__`,
 * and can record the position of every value so that errors point at a line.
 *
 * `JSON.parse` silently keeps the last of duplicate names; for a signed statement that would let a
 * reader and a verifier see different documents, so the standard forbids duplicates.
 *
 * @module
 */
import { JsonParseError } from '../errors.js'

/** Position of a value in the source text. */
export interface JsonPosition {
  readonly offset: number
  readonly line: number
  readonly column: number
}

/** Options of {@link parseJsonStrict}. */
export interface ParseJsonOptions {
  /** Deepest nesting allowed. */
  readonly maxDepth: number
  /** Record a JSON Pointer → position map. */
  readonly positions?: boolean
}

/** Result of {@link parseJsonStrict}. */
export interface ParsedJson {
  readonly value: unknown
  /** JSON Pointer → position of the value (of the value only; member names are not recorded). */
  readonly positions: Map<string, JsonPosition> | undefined
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d])

/**
 * Member names (colons outside strings) and the deepest nesting of JSON text that `JSON.parse`
 * accepted, in one pass over its characters.
 */
function shapeOf(text: string): { members: number; depth: number } {
  let members = 0
  let depth = 0
  let deepest = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // A string: skip to its closing quote (an escape skips the character after the backslash).
      for (i++; text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++
    } else if (c === 0x3a) members++
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return { members, depth: deepest }
}

/** Own members of every object in a parsed value, or -1 when it holds a number that is not finite. */
function membersOf(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : -1
  if (typeof value !== 'object' || value === null) return 0
  let n = 0
  const values = Array.isArray(value) ? value : Object.values(value)
  if (!Array.isArray(value)) n += values.length
  for (const v of values) {
    const m = membersOf(v)
    if (m < 0) return -1
    n += m
  }
  return n
}

/**
 * The value of text that `JSON.parse` takes, when the strict parser would give the same value:
 * no byte order mark, nesting within the bound, no number out of range, and as many members in the
 * parsed objects as there are member names in the text (`JSON.parse` keeps one of duplicates).
 * Otherwise `undefined`, and the strict parser runs and reports the problem where it is.
 */
function parseFast(text: string, maxDepth: number): { value: unknown } | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Not JSON (or nested too deep for the engine's stack): the strict parser says where.
    return undefined
  }
  const shape = shapeOf(text)
  if (shape.depth > maxDepth || membersOf(value) !== shape.members) return undefined
  return { value }
}

/**
 * Parses JSON text strictly. Without positions, the text is first parsed with `JSON.parse` and
 * checked for what it lets through (the grammar of both is RFC 8259's): the strict parser below
 * runs only for text that fails those checks, to report the problem with its line and column.
 *
 * @throws JsonParseError with the line and column of the first problem.
 */
export function parseJsonStrict(text: string, options: ParseJsonOptions): ParsedJson {
  if (!options.positions) {
    const fast = parseFast(text, options.maxDepth)
    if (fast !== undefined) return { value: fast.value, positions: undefined }
  }
  return parseStrictly(text, options)
}

function parseStrictly(text: string, options: ParseJsonOptions): ParsedJson {
  const positions = options.positions ? new Map<string, JsonPosition>() : undefined
  let i = 0

  const fail = (message: string, at = i): never => {
    let line = 1
    let col = 1
    for (let k = 0; k < at && k < text.length; k++) {
      if (text.charCodeAt(k) === 0x0a) {
        line++
        col = 1
      } else col++
    }
    throw new JsonParseError(message, { offset: at, line, column: col })
  }
  // Line starts, computed once when positions are wanted; lookups are a binary search.
  const lineStarts: number[] = []
  if (positions) {
    lineStarts.push(0)
    for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 0x0a) lineStarts.push(k + 1)
  }
  const here = (): JsonPosition => {
    let lo = 0
    let hi = lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lineStarts[mid]! <= i) lo = mid
      else hi = mid - 1
    }
    return { offset: i, line: lo + 1, column: i - lineStarts[lo]! + 1 }
  }
  const skipWs = (): void => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++
  }

  const parseString = (): string => {
    // text[i] === '"'
    i++
    let out = ''
    let start = i
    for (;;) {
      if (i >= text.length) fail('unterminated string')
      const c = text.charCodeAt(i)
      if (c === 0x22) {
        out += text.slice(start, i)
        i++
        return out
      }
      if (c < 0x20) fail('control character in string (must be escaped)')
      if (c === 0x5c) {
        out += text.slice(start, i)
        const e = text[i + 1]
        i += 2
        switch (e) {
          case '"': out += '"'; break
          case '\\': out += '\\'; break
          case '/': out += '/'; break
          case 'b': out += '\b'; break
          case 'f': out += '\f'; break
          case 'n': out += '\n'; break
          case 'r': out += '\r'; break
          case 't': out += '\t'; break
          case 'u': {
            const hex = text.slice(i, i + 4)
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape', i - 2)
            out += String.fromCharCode(parseInt(hex, 16))
            i += 4
            break
          }
          default:
            fail('invalid escape in string', i - 2)
        }
        start = i
        continue
      }
      i++
    }
  }

  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
  const parseNumber = (): number => {
    NUMBER.lastIndex = i
    const m = NUMBER.exec(text)
    if (!m || m[0] === '-' || m[0].length === 0) fail('invalid number')
    i += m![0].length
    const n = Number(m![0])
    if (!Number.isFinite(n)) fail('number out of range', i - m![0].length)
    return n
  }

  const parseValue = (pointer: string, depth: number): unknown => {
    skipWs()
    if (i >= text.length) fail('unexpected end of input')
    if (positions) positions.set(pointer, here())
    const c = text[i]
    if (c === '{') {
      if (depth >= options.maxDepth) fail(`nesting deeper than ${options.maxDepth}`)
      i++
      const obj: Record<string, unknown> = {}
      const seen = new Set<string>()
      skipWs()
      if (text[i] === '}') {
        i++
        return obj
      }
      for (;;) {
        skipWs()
        if (text[i] !== '"') fail('expected a member name (a string)')
        const keyAt = i
        const key = parseString()
        if (seen.has(key)) fail(`duplicate member name ${JSON.stringify(key)}`, keyAt)
        seen.add(key)
        skipWs()
        if (text[i] !== ':') fail("expected ':' after member name")
        i++
        const child = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
        const value = parseValue(child, depth + 1)
        // Never assign through the prototype chain: `__proto__` becomes an ordinary own member.
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
        skipWs()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === '}') {
          i++
          return obj
        }
        fail("expected ',' or '}' in object")
      }
    }
    if (c === '[') {
      if (depth >= options.maxDepth) fail(`nesting deeper than ${options.maxDepth}`)
      i++
      const arr: unknown[] = []
      skipWs()
      if (text[i] === ']') {
        i++
        return arr
      }
      for (;;) {
        arr.push(parseValue(`${pointer}/${arr.length}`, depth + 1))
        skipWs()
        if (text[i] === ',') {
          i++
          continue
        }
        if (text[i] === ']') {
          i++
          return arr
        }
        fail("expected ',' or ']' in array")
      }
    }
    if (c === '"') return parseString()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber()
    if (text.startsWith('true', i)) {
      i += 4
      return true
    }
    if (text.startsWith('false', i)) {
      i += 5
      return false
    }
    if (text.startsWith('null', i)) {
      i += 4
      return null
    }
    return fail(`unexpected character ${JSON.stringify(c)}`)
  }

  if (text.charCodeAt(0) === 0xfeff) fail('document starts with a byte order mark (U+FEFF); remove it', 0)
  const value = parseValue('', 0)
  skipWs()
  if (i < text.length) fail('unexpected text after the JSON value')
  return { value, positions }
}
