// What a fuzz target is, and the checks every target shares.
//
// A target module (fuzz/targets/<name>.ts) default-exports a Target: a name, how its inputs are
// stored (codec, file extension), and `load()`, which reads its seed corpus and returns the seeds,
// a structure-aware mutator and/or a fast-check arbitrary, and `check(input)`. `check` runs the
// reader(s) on one input and throws a Violation when a property fails:
//   crash     a call threw something that is not a library error (isNoaiTagError is false);
//   slow      a call took longer than SLOW_MS, twice in a row;
//   hang      an async call had not settled after HANG_MS (a synchronous hang is caught by the
//             runner's watchdog, an out-of-memory by the worker's heap limit);
//   property  a target property failed (an invented tag, a round trip that does not hold...).
import type fc from 'fast-check'
import { isNoaiTagError, type NoaiTagError } from '../src/errors.js'
import type { Rng } from './_mutate.js'

/** A call that takes longer than this (measured twice) is a failure. */
export const SLOW_MS = Number(process.env.NOAI_FUZZ_SLOW_MS ?? 2_000)
/** An async call still pending after this is a hang. */
export const HANG_MS = Number(process.env.NOAI_FUZZ_HANG_MS ?? 10_000)

export type ViolationKind = 'crash' | 'slow' | 'hang' | 'property' | 'oom' | 'memory'

/** A property failed for one input. */
export class Violation extends Error {
  override name = 'Violation'
  readonly kind: ViolationKind
  /** The call or check that failed. */
  readonly op: string
  readonly detail: string
  constructor(kind: ViolationKind, op: string, detail: string) {
    super(`${op}: ${kind}: ${detail}`)
    this.kind = kind
    this.op = op
    this.detail = detail
  }
}

/** How a target's inputs are stored in a file (and in the watchdog's shared buffer). */
export interface Codec<I> {
  encode(input: I): Uint8Array
  decode(bytes: Uint8Array): I
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

export const bytesCodec: Codec<Uint8Array> = { encode: (b) => b, decode: (b) => b }
export const textCodec: Codec<string> = { encode: (s) => utf8.encode(s), decode: (b) => fromUtf8.decode(b) }
export const jsonCodec = <T>(): Codec<T> => ({
  encode: (v) => utf8.encode(`${JSON.stringify(v, null, 1)}\n`),
  decode: (b) => JSON.parse(fromUtf8.decode(b)) as T,
})

/** What `load()` gives the runner. */
export interface Loaded<I> {
  /** The seed corpus (real fixtures and vectors): every seed is checked first and must pass. */
  readonly seeds: readonly I[]
  /** A structure-aware mutant for case `index`, drawn with `r`. */
  readonly mutate?: (r: Rng, index: number) => I
  /** Generated inputs (fast-check shrinks a failing one). */
  readonly arbitrary?: fc.Arbitrary<I>
  /** Runs the reader(s) on one input; throws a Violation when a property fails. */
  check(input: I): Promise<void> | void
}

export interface Target<I> {
  /** The name used by `--target` and in regression file names. */
  readonly name: string
  /** One line: what is fuzzed. */
  readonly about: string
  readonly codec: Codec<I>
  /** Extension of a saved input (`.mp3`, `.txt`, `.json`...). */
  readonly ext: string | ((input: I) => string)
  /** How a failing mutant is minimised: delta debugging over bytes or characters, or not at all. */
  readonly shrink: 'bytes' | 'text' | 'none'
  load(): Promise<Loaded<I>>
}

/** Declares a target (an identity function that fixes the type parameter). */
export const defineTarget = <I>(t: Target<I>): Target<I> => t

// --- Calling the library --------------------------------------------------------------------------

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: NoaiTagError }

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 8).join('\n')}`
  return `non-Error thrown: ${String(e)}`
}

function classify<T>(op: string, error: unknown): Outcome<T> {
  if (error instanceof Violation) throw error
  if (!isNoaiTagError(error)) throw new Violation('crash', op, describe(error))
  return { ok: false, error }
}

/** Runs a synchronous call: its value, or the library error it threw; anything else is a crash. */
export function call<T>(op: string, fn: () => T): Outcome<T> {
  const start = performance.now()
  let out: Outcome<T>
  try {
    out = { ok: true, value: fn() }
  } catch (e) {
    out = classify<T>(op, e)
  }
  const ms = performance.now() - start
  if (ms > SLOW_MS) {
    const again = performance.now()
    try {
      fn()
    } catch {
      // The outcome was classified above.
    }
    const ms2 = performance.now() - again
    if (ms2 > SLOW_MS) throw new Violation('slow', op, `took ${ms.toFixed(0)} ms, then ${ms2.toFixed(0)} ms (bound ${SLOW_MS} ms)`)
  }
  return out
}

const HUNG = Symbol('hung')

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; out: { value: T } | { error: unknown } | typeof HUNG }> {
  const start = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const v = await Promise.race([fn(), new Promise<typeof HUNG>((resolve) => (timer = setTimeout(() => resolve(HUNG), HANG_MS)))])
    return { ms: performance.now() - start, out: v === HUNG ? HUNG : { value: v as T } }
  } catch (error) {
    return { ms: performance.now() - start, out: { error } }
  } finally {
    clearTimeout(timer)
  }
}

/** Runs an async call: its value or library error; a crash, a hang or (twice) a slow call is a Violation. */
export async function callAsync<T>(op: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  const first = await timed(fn)
  if (first.out === HUNG) throw new Violation('hang', op, `still pending after ${HANG_MS} ms`)
  const out: Outcome<T> = 'value' in first.out ? { ok: true, value: first.out.value } : classify<T>(op, first.out.error)
  if (first.ms > SLOW_MS) {
    const second = await timed(fn)
    if (second.out === HUNG || second.ms > SLOW_MS) throw new Violation('slow', op, `took ${first.ms.toFixed(0)} ms, then ${second.out === HUNG ? `over ${HANG_MS}` : second.ms.toFixed(0)} ms (bound ${SLOW_MS} ms)`)
  }
  return out
}

/** Fails the property with a message. */
export function fail(op: string, detail: string): never {
  throw new Violation('property', op, detail)
}

/** A value for messages: JSON, cut short. */
export const show = (v: unknown, max = 200): string => {
  let s: string
  try {
    s = JSON.stringify(v) ?? String(v)
  } catch {
    s = String(v)
  }
  return s.length > max ? `${s.slice(0, max)}…` : s
}

/** Deep equality of JSON-like values (own enumerable keys, order-insensitive for objects). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const bb = b as unknown[]
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

// --- "A reader never reports a tag the input does not contain" ------------------------------------

const escapeRegExp = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')

/**
 * Whether `text` occurs in `bytes` as UTF-8 (ASCII), Latin-1, UTF-16LE or UTF-16BE (the ID3v2
 * encodings). A U+FFFD in `text` is what a decoder makes of bytes invalid in its encoding: in UTF-8
 * 1 to 4 bytes >= 0x80, in UTF-16 one code unit. (The check of test/audio-fuzz.test.ts.)
 */
export function occursInBytes(bytes: Uint8Array, text: string): boolean {
  const hay = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const pieces = text.split(/(\ufffd+)/)
  const pattern = (encoding: 'utf8' | 'utf16le' | 'latin1', swap = false): RegExp =>
    new RegExp(
      pieces
        .map((p, i) => {
          if (i % 2 === 1) return encoding === 'utf8' ? `[\\x80-\\xff]{${p.length},${4 * p.length}}` : `[\\s\\S]{${2 * p.length}}`
          const b = Buffer.from(p, encoding)
          return escapeRegExp((swap ? b.swap16() : b).toString('latin1'))
        })
        .join(''),
    )
  const patterns = [pattern('utf8'), pattern('utf16le'), pattern('utf16le', true)]
  if (!/[^\u0000-\u00ff]/.test(text)) patterns.push(pattern('latin1'))
  return patterns.some((re) => re.test(hay))
}

/** A base64url segment decoded (lenient), or undefined. */
export function b64urlJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}

interface SignalLike {
  readonly signal: string
  readonly usage: Readonly<Record<string, string | undefined>>
  readonly tokens: readonly { readonly token: string; readonly value: string; readonly read: string }[]
  readonly tag?: unknown
  readonly jws?: string
  readonly source?: { readonly name?: string }
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/** Statement tokens that a reader writes itself (a rule name), with the value that must occur instead. */
const SYNTHETIC_TOKENS: ReadonlySet<string> = new Set(['disallow', 'allow', 'user-agent', 'content-usage', 'content-signal', 'license'])

/**
 * The no-invented-statement property of the text carriers: every signal that states a preference
 * has a stated token (or, for a rule name the reader writes itself, its value) that occurs in the
 * input, compared case-insensitively; a reported JWS occurs literally; a reported tag is exactly
 * the JWS payload when there is a JWS. `lenient` skips the token check for inputs where escapes
 * (character references, JSON or XML escapes) may spell a token differently from the input.
 */
export function checkNotInvented(op: string, signals: readonly SignalLike[], input: string, lenient: boolean): void {
  const hay = input.toLowerCase()
  for (const s of signals) {
    if (s.jws !== undefined && !COMPACT_JWS.test(s.jws)) {
      // Text that is not a compact JWS (an RFC 9651 String may unescape to anything): it must state nothing.
      if (Object.keys(s.usage).length > 0 || s.tag !== undefined) fail(op, `a statement from ${show(s.jws, 80)}, which is not a compact JWS`)
    } else if (s.jws !== undefined) {
      if (!input.includes(s.jws)) fail(op, `reported JWS ${show(s.jws, 80)} does not occur in the input`)
      if (s.tag !== undefined) {
        const payload = b64urlJson(s.jws.split('.')[1] ?? '')
        if (!deepEqual(payload, s.tag)) fail(op, `reported tag ${show(s.tag)} is not the payload of the reported JWS ${show(payload)}`)
      }
    }
    if (s.tag !== undefined && s.jws === undefined && !lenient) {
      // A tag document: its issue time is a date-time (no character needs escaping in JSON).
      const issued = (s.tag as { issued?: unknown }).issued
      if (typeof issued !== 'string' || (!input.includes(issued) && !input.includes('\\'))) fail(op, `reported tag ${show(s.tag)} does not occur in the input`)
    }
    const stated = s.tokens.filter((t) => t.read === 'allowed' || t.read === 'denied')
    if (Object.keys(s.usage).length > 0 && stated.length === 0 && s.tag === undefined) fail(op, `signal ${s.signal} states ${show(s.usage)} with no stated token`)
    if (lenient) continue
    for (const t of stated) {
      const token = t.token.toLowerCase()
      const found = SYNTHETIC_TOKENS.has(token) ? hay.includes(t.value.toLowerCase()) || hay.includes(token) : hay.includes(token)
      if (!found && s.tag === undefined) fail(op, `signal ${s.signal} reports token ${show(t.token)}=${show(t.value)} (${t.read}), which does not occur in the input`)
    }
  }
}
