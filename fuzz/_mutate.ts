// Seeded randomness and structure-aware mutators shared by the fuzz targets.
//
// Every mutant is derived from (run seed, target, index) alone through `caseRng`, so that one index
// reproduces without replaying the run. Three families:
//   - bytes: the audio container mutations of test/audio-fuzz.test.ts (size fields of box, chunk,
//     page, block and frame headers found by their magic, truncation, duplication, deletion, junk,
//     repeated headers for deep nesting or many siblings, Ogg lacing set to 255s) and splices;
//   - text: character and line edits plus insertions from a per-target dictionary of the tokens
//     that matter to the grammar (field names, delimiters, markup), and pathological repeats;
//   - JSON: the value tree is edited (types swapped, members added, removed, duplicated, nested
//     deeper) and written back with random spacing; duplicate member names are made in the text.
import { concatBytes } from '../src/_internal/bytes.js'

/** A seeded source of numbers in [0, 1) with helpers. */
export interface Rng {
  (): number
  /** An integer in [0, n). */
  int(n: number): number
  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T
  /** True with probability p. */
  chance(p: number): boolean
}

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): Rng {
  let a = seed >>> 0
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
  const r = next as Rng
  r.int = (n) => Math.floor(next() * n)
  r.pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
  r.chance = (p) => next() < p
  return r
}

/** FNV-1a of the parts, mixed with a seed: the seed of one case. */
export function hashSeed(seed: number, ...parts: readonly (string | number)[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (const c of parts.join(':')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0
  return h
}

/** The PRNG of case `index` of `target` in a run with `seed`. */
export const caseRng = (seed: number, target: string, index: number): Rng => rng(hashSeed(seed, target, index))

// --- Bytes ----------------------------------------------------------------------------------------

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)

/** Magic of the headers the audio mutations aim at (the same list as test/audio-fuzz.test.ts). */
const AUDIO_MARKERS: readonly Uint8Array[] = [
  'ID3', 'TAG', 'APETAGEX', 'Xing', 'Info', 'TXXX', 'PRIV', 'GEOB', 'APIC', 'COMM',
  'fLaC', 'OggS', '\x01vorbis', '\x03vorbis', '\x05vorbis', 'OpusHead', 'OpusTags',
  'ftyp', 'moov', 'mdat', 'free', 'skip', 'udta', 'meta', 'ilst', 'trak', 'mdia', 'minf', 'stbl', 'stco', 'co64', 'stsz', 'stsc', 'stts', 'mvhd', 'hdlr', '----', 'mean', 'name', 'data', 'uuid', 'chpl',
  'RIFF', 'RF64', 'BW64', 'ds64', 'WAVE', 'fmt ', 'LIST', 'INFO', 'id3 ', 'ID3 ', 'bext', '_PMX', 'C2PA', 'junk', 'JUNK',
  'FORM', 'AIFF', 'AIFC', 'COMT', 'SSND', 'APPL', 'NOAI', 'NOAI_TAG',
].map(latin1)

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!
  for (let i = hay.indexOf(first, from); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(first, i + 1)) {
    let k = 1
    while (k < needle.length && hay[i + k] === needle[k]) k++
    if (k === needle.length) return i
  }
  return -1
}

/** Offsets of every header magic, of the FLAC metadata block headers and of a few MPEG frame syncs. */
export function landmarks(b: Uint8Array): number[] {
  const out: number[] = []
  for (const m of AUDIO_MARKERS) {
    for (let at = indexOf(b, m, 0); at >= 0 && out.length < 4096; at = indexOf(b, m, at + 1)) out.push(at)
  }
  const flac = indexOf(b, AUDIO_MARKERS[10]!, 0)
  if (flac >= 0) {
    let p = flac + 4
    for (let n = 0; n < 64 && p + 4 <= b.length; n++) {
      out.push(p)
      const last = (b[p]! & 0x80) !== 0
      p += 4 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
      if (last) break
    }
  }
  for (let i = 0, n = 0; i + 1 < b.length && n < 32; i++) {
    if (b[i] === 0xff && (b[i + 1]! & 0xe0) === 0xe0) {
      out.push(i)
      n++
    }
  }
  return out
}

const SPECIAL = [0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 255, 256, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x10000000]

export const concat = (...parts: readonly Uint8Array[]): Uint8Array => concatBytes(parts)

function writeInt(b: Uint8Array, at: number, value: number, width: number, le: boolean): void {
  for (let i = 0; i < width && at + i < b.length; i++) {
    const shift = 8 * (le ? i : width - 1 - i)
    if (at + i >= 0) b[at + i] = Math.floor(value / 2 ** shift) & 0xff
  }
}

const near = (r: Rng, b: Uint8Array, marks: readonly number[]): number =>
  marks.length > 0 && r() < 0.8 ? Math.min(b.length, Math.max(0, r.pick(marks) + r.pick([-8, -4, 0, 4, 6, 8, 12, 16, 26, 27]))) : r.int(b.length + 1)

type ByteMutation = (b: Uint8Array, r: Rng, marks: readonly number[], others: readonly Uint8Array[]) => Uint8Array

/** The byte mutations, by name. */
export const BYTE_MUTATIONS: Readonly<Record<string, ByteMutation>> = {
  flip(b, r) {
    const out = b.slice()
    for (let n = 1 + r.int(8); n > 0 && out.length > 0; n--) {
      const at = r.int(out.length)
      out[at] = r() < 0.5 ? out[at]! ^ (1 << r.int(8)) : r.int(256)
    }
    return out
  },
  'size-field'(b, r, marks) {
    const out = b.slice()
    const at = near(r, b, marks)
    const width = r.pick([1, 2, 3, 4, 4, 4, 8])
    const special = r() < 0.7
    let value = special ? r.pick(SPECIAL) : r.int(2 ** 32)
    if (!special && r() < 0.5) value = Math.max(0, b.length - at + r.pick([-9, -8, -1, 0, 1, 8, 1000]))
    writeInt(out, at, width === 8 ? value : value % 2 ** (8 * width), width, r() < 0.5)
    return out
  },
  truncate(b, r, marks) {
    return b.slice(0, r() < 0.5 ? near(r, b, marks) : r.int(b.length + 1))
  },
  duplicate(b, r, marks) {
    const from = near(r, b, marks)
    const len = Math.min(b.length - from, 1 + r.int(r() < 0.5 ? 64 : 4096))
    const to = near(r, b, marks)
    return concat(b.subarray(0, to), b.subarray(from, from + len), b.subarray(to))
  },
  delete(b, r, marks) {
    const from = near(r, b, marks)
    return concat(b.subarray(0, from), b.subarray(Math.min(b.length, from + 1 + r.int(512))))
  },
  junk(b, r, marks) {
    const at = near(r, b, marks)
    const kind = r.int(3)
    const n = 1 + r.int(256)
    const junk = kind === 0 ? Uint8Array.from({ length: n }, () => r.int(256)) : new Uint8Array(n).fill(kind === 1 ? 0 : 0xff)
    return concat(b.subarray(0, at), junk, b.subarray(at))
  },
  'repeat-header'(b, r, marks) {
    if (marks.length === 0) return b.slice()
    const m = r.pick(marks)
    const start = Math.max(0, m - 4)
    const header = b.slice(start, Math.min(b.length, start + 8 + r.int(8)))
    const times = r.pick([2, 16, 256, 2000, 10_000])
    const rep = new Uint8Array(header.length * times)
    for (let i = 0; i < times; i++) rep.set(header, i * header.length)
    return concat(b.subarray(0, start), rep, b.subarray(start))
  },
  'ogg-lacing'(b, r, marks) {
    const out = b.slice()
    const pages = marks.filter((m) => b[m] === 0x4f && b[m + 1] === 0x67 && b[m + 2] === 0x67 && b[m + 3] === 0x53)
    if (pages.length === 0) return out
    const p = r.pick(pages)
    if (p + 27 > out.length) return out
    const segs = r() < 0.5 ? 255 : out[p + 26]!
    out[p + 26] = segs
    for (let i = 0; i < segs && p + 27 + i < out.length; i++) if (r() < 0.7) out[p + 27 + i] = 255
    return out
  },
  splice(b, r, marks, others) {
    // Crossover: the head of this input and the tail of another (often of another container).
    if (others.length === 0) return b.slice()
    const o = r.pick(others)
    return concat(b.subarray(0, near(r, b, marks)), o.subarray(r.int(o.length + 1)))
  },
}
const BYTE_NAMES = Object.keys(BYTE_MUTATIONS)

/** A mutant of `seed`: one to three byte mutations (names returned for the report). */
export function mutateBytes(seed: Uint8Array, r: Rng, others: readonly Uint8Array[] = []): { bytes: Uint8Array; steps: string[] } {
  let bytes = seed
  const steps: string[] = []
  for (let n = 1 + r.int(3); n > 0; n--) {
    const name = r.pick(BYTE_NAMES)
    bytes = BYTE_MUTATIONS[name]!(bytes, r, landmarks(bytes), others)
    steps.push(name)
  }
  return { bytes, steps }
}

// --- Text -----------------------------------------------------------------------------------------

/** Characters that break parsers: delimiters, white space of every kind, controls, non-BMP, BOM. */
const SPECIAL_TEXT = [
  '', ' ', '\t', '\n', '\r', '\r\n', '\0', '\x0b', '\x0c', '\x7f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffd',
  '"', "'", '\\', '/', '<', '>', '&', '=', ',', ';', ':', '?', '#', '*', '$', '%', '%00', '%2F', '%zz', '(', ')', '[', ']', '{', '}',
  '\u00e9', '\u0130', '\u017f', '\u212a', '\ud83d\ude00', '\u{10ffff}', 'A'.repeat(300), '-1', '0', '1e999', 'NaN', 'null', '__proto__', 'constructor',
]

/** Replaces lone surrogates with U+FFFD: every mutant is well-formed text that survives UTF-8. */
export function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

type TextMutation = (s: string, r: Rng, dict: readonly string[], others: readonly string[]) => string

const at = (s: string, r: Rng): number => r.int(s.length + 1)
const insert = (s: string, i: number, t: string): string => s.slice(0, i) + t + s.slice(i)

/** A place next to a delimiter (a line start, after `=`, `,`, `;`, `:`, `<`, `>`, `"`) or anywhere. */
function boundary(s: string, r: Rng): number {
  if (s.length === 0 || r() < 0.3) return at(s, r)
  for (let tries = 0; tries < 8; tries++) {
    const i = r.int(s.length)
    if ('\n=,;:<>" '.includes(s[i]!)) return i + (r() < 0.5 ? 1 : 0)
  }
  return at(s, r)
}

/** The text mutations, by name. */
export const TEXT_MUTATIONS: Readonly<Record<string, TextMutation>> = {
  'insert-token'(s, r, dict) {
    return dict.length === 0 ? s : insert(s, boundary(s, r), r.pick(dict))
  },
  'insert-special'(s, r) {
    return insert(s, boundary(s, r), r.pick(SPECIAL_TEXT))
  },
  'replace-char'(s, r) {
    if (s.length === 0) return s
    const i = r.int(s.length)
    return s.slice(0, i) + r.pick(SPECIAL_TEXT.filter((c) => c.length <= 2)) + s.slice(i + 1)
  },
  'delete-range'(s, r) {
    const i = at(s, r)
    return s.slice(0, i) + s.slice(i + 1 + r.int(r() < 0.7 ? 8 : 200))
  },
  'duplicate-range'(s, r) {
    const i = at(s, r)
    const piece = s.slice(i, i + 1 + r.int(r() < 0.5 ? 16 : 400))
    return insert(s, boundary(s, r), piece)
  },
  truncate(s, r) {
    return s.slice(0, at(s, r))
  },
  'flip-case'(s, r) {
    const i = at(s, r)
    const j = i + 1 + r.int(32)
    const piece = s.slice(i, j)
    return s.slice(0, i) + (r() < 0.5 ? piece.toUpperCase() : piece.toLowerCase()) + s.slice(j)
  },
  'repeat-many'(s, r, dict) {
    // Pathological sizes: one token or piece repeated thousands of times (quadratic behaviour, limits).
    const piece = dict.length > 0 && r() < 0.6 ? r.pick(dict) : s.slice(at(s, r)).slice(0, 1 + r.int(12)) || '<'
    return insert(s, boundary(s, r), piece.repeat(r.pick([64, 1000, 5000, 20_000])).slice(0, 400_000))
  },
  'line-op'(s, r) {
    const eol = s.includes('\r\n') ? '\r\n' : '\n'
    const lines = s.split(/\r\n|\n|\r/)
    const i = r.int(lines.length)
    const op = r.int(5)
    if (op === 0) lines.splice(r.int(lines.length + 1), 0, lines[i]!)
    else if (op === 1) lines.splice(i, 1)
    else if (op === 2) {
      const j = r.int(lines.length)
      ;[lines[i], lines[j]] = [lines[j]!, lines[i]!]
    } else if (op === 3) lines[i] = ' \t'.slice(0, 1 + r.int(2)) + lines[i]!
    else return lines.join(r.pick(['\n', '\r', '\r\n', '\n\n']))
    return lines.join(eol)
  },
  splice(s, r, _dict, others) {
    if (others.length === 0) return s
    const o = r.pick(others)
    return s.slice(0, at(s, r)) + o.slice(at(o, r))
  },
}
const TEXT_NAMES = Object.keys(TEXT_MUTATIONS)

/** A mutant of `seed`: one to four text mutations, well-formed. */
export function mutateText(seed: string, r: Rng, dict: readonly string[] = [], others: readonly string[] = []): string {
  let s = seed
  for (let n = 1 + r.int(4); n > 0; n--) s = TEXT_MUTATIONS[r.pick(TEXT_NAMES)]!(s, r, dict, others)
  return wellFormed(s)
}

// --- JSON -----------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

const EDGE_VALUES: readonly Json[] = [
  null, true, false, 0, -0, 1, -1, 0.5, 1.0e21, 2 ** 53, -(2 ** 53) - 2, 1e-7, '', ' ', '0', '1', 'allowed', 'denied', 'y', 'n',
  'https://a.example', 'http://127.0.0.1:8080', 'https://A.EXAMPLE', 'mailto:x@a.example', '2026-11-26T00:00:00Z', '2026-02-30T00:00:00Z',
  '1990-12-31T23:59:60Z', '/', '/*', '/a$', '*', '\u0000', '\ud83d\ude00', 'x'.repeat(2049), [], {}, [[[]]], { '': null },
]

/** Every node of a JSON value, with a setter (the root has none). */
function nodes(v: Json, out: { value: Json; set?: (x: Json) => void; parent?: Json[] | { [k: string]: Json } }[] = []) {
  const walk = (value: Json, set?: (x: Json) => void, parent?: Json[] | { [k: string]: Json }): void => {
    if (out.length > 2000) return
    out.push({ value, ...(set ? { set } : {}), ...(parent ? { parent } : {}) })
    if (Array.isArray(value)) value.forEach((x, i) => walk(x, (y) => (value[i] = y), value))
    else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) walk(value[k]!, (y) => (value[k] = y), value)
  }
  walk(v)
  return out
}

/** Most characters one edit may add by repetition. */
const MAX_JSON_GROWTH = 400_000
/** Mutated JSON text longer than this is cut (the readers' own limits are far below it). */
const MAX_JSON_TEXT = 2_000_000

/** A JSON value edited in place: one structural change. `keys` are member names worth adding. */
function editJson(root: Json, r: Rng, keys: readonly string[], values: readonly Json[]): Json {
  const all = nodes(root)
  const n = r.pick(all)
  const op = r.int(8)
  const pool = [...EDGE_VALUES, ...values]
  const fresh = (): Json => structuredClone(r.pick(pool))
  if (op === 0 && n.set) n.set(fresh())
  else if (op === 1 && n.value !== null && typeof n.value === 'object' && !Array.isArray(n.value)) {
    ;(n.value as Record<string, Json>)[keys.length > 0 && r() < 0.8 ? r.pick(keys) : `k${r.int(100)}`] = fresh()
  } else if (op === 2 && n.value !== null && typeof n.value === 'object') {
    if (Array.isArray(n.value)) n.value.splice(r.int(n.value.length + 1), r.int(2))
    else {
      const ks = Object.keys(n.value)
      if (ks.length > 0) delete (n.value as Record<string, Json>)[r.pick(ks)]
    }
  } else if (op === 3 && n.set) {
    let v = n.value
    for (let d = r.pick([1, 2, 8, 31, 33, 100]); d > 0; d--) v = r() < 0.5 ? [v] : { a: v }
    n.set(v)
  } else if (op === 4 && Array.isArray(n.value) && n.value.length > 0) {
    // Many copies of one item, at most about MAX_JSON_GROWTH characters of them (the mutator must not exhaust the heap itself).
    const item = r.pick(n.value)
    const size = (JSON.stringify(item) ?? '').length + 1
    for (let k = Math.min(r.pick([1, 10, 1000, 5000]), Math.floor(MAX_JSON_GROWTH / size)); k > 0; k--) n.value.push(structuredClone(item))
  } else if (op === 5 && n.set && typeof n.value === 'string') {
    const s = n.value
    n.set(r.pick([s.toUpperCase(), s + s, s.slice(1), ` ${s}`, `${s}\u0000`, s.repeat(100), s.replace(/\//g, '\\/')]))
  } else if (op === 6 && n.set && typeof n.value === 'number') n.set(r.pick([n.value + 1, -n.value, n.value / 3, 1e308 * 10 === Infinity ? 1e308 : 0, 2 ** 31]))
  else if (n.set) n.set(fresh())
  else return fresh()
  return root
}

/** Writes JSON with random spacing; sometimes with a repeated member (a duplicate name) or a BOM. */
function writeJson(v: Json, r: Rng): string {
  let text = JSON.stringify(v, null, r.pick([undefined, 0, 1, 2, '\t'])) ?? 'null'
  if (r() < 0.1) {
    // A duplicate member name: repeat the first `"name": value,` pair of some object.
    const m = /"([^"\\]{1,40})":\s*("[^"\\]*"|[0-9.eE+-]+|true|false|null)\s*,/.exec(text.slice(r.int(text.length)))
    if (m) text = text.replace(m[0], m[0] + m[0])
  }
  if (r() < 0.02) text = `\ufeff${text}`
  if (r() < 0.05) text = r.pick([`${text} `, `${text}\n`, `${text},`, `${text}${text}`, ` \n${text}`])
  return text
}

/**
 * A mutant of JSON text: when it parses, one to three structural edits of its value, written back;
 * otherwise (and sometimes anyway) text mutations.
 */
export function mutateJson(seed: string, r: Rng, keys: readonly string[] = [], values: readonly Json[] = [], dict: readonly string[] = [], others: readonly string[] = []): string {
  let value: Json | undefined
  if (r() < 0.75) {
    try {
      value = JSON.parse(seed.charCodeAt(0) === 0xfeff ? seed.slice(1) : seed) as Json
    } catch {
      value = undefined
    }
  }
  if (value === undefined) return mutateText(seed, r, dict, others)
  for (let n = 1 + r.int(3); n > 0; n--) {
    value = editJson(value, r, keys, values)
    if ((JSON.stringify(value) ?? '').length > MAX_JSON_TEXT) break
  }
  const text = writeJson(value, r).slice(0, MAX_JSON_TEXT)
  return wellFormed(r() < 0.15 ? mutateText(text, r, dict, others) : text)
}

export type { Json }
