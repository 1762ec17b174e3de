/**
 * Our two fields in a Vorbis comment list (docs/spec.md §9.6, §10.5, §10.6): `NOAI` (the readable
 * line) and `NOAI_TAG` (the document). Names are matched ASCII case-insensitively on read and
 * written upper-case exactly as in AUDIO_KEYS.
 *
 * Writing removes every field named `NOAI` or `NOAI_TAG` (in any case) and appends `NOAI=…` then
 * `NOAI_TAG=…` at the end of the list; every other field keeps its bytes and its order.
 *
 * @module
 */
import { AUDIO_KEYS } from '../../constants.js'
import { InvalidArgumentError, LimitExceededError } from '../../errors.js'
import { AUDIO_LIMITS } from '../limits.js'
import type { TagEntries } from '../types.js'
import type { VorbisComment, VorbisField } from './parse.js'

const READABLE = AUDIO_KEYS.vorbis.readable
const DOCUMENT = AUDIO_KEYS.vorbis.document

/** What a comment list says about our entries. */
export interface OurVorbisEntries {
  readonly readable?: string
  readonly document?: string
  /** Oddities met (a repeated field, a value that is not UTF-8). */
  readonly warnings: readonly string[]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf8Lenient = new TextDecoder('utf-8')

function isOurs(f: VorbisField): boolean {
  return f.key === READABLE || f.key === DOCUMENT
}

function valueOf(f: VorbisField, warnings: string[]): string {
  const bytes = f.raw.subarray(f.raw.indexOf(0x3d) + 1)
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    warnings.push(`Vorbis comment field ${f.key} is not valid UTF-8; decoded with replacement characters`)
    text = utf8Lenient.decode(bytes)
  }
  return text.replace(/\0+$/, '')
}

/**
 * Finds our entries. When a field is repeated, the first occurrence wins and a warning says so.
 *
 * @example
 * ```ts
 * const { readable, document } = readOurVorbisEntries(vc)
 * ```
 */
export function readOurVorbisEntries(vc: VorbisComment): OurVorbisEntries {
  const warnings: string[] = []
  let readable: string | undefined
  let document: string | undefined
  for (const f of vc.fields) {
    if (f.key === READABLE) {
      if (readable === undefined) readable = valueOf(f, warnings)
      else warnings.push(`Vorbis comment field ${READABLE} appears more than once; the first is used`)
    } else if (f.key === DOCUMENT) {
      if (document === undefined) document = valueOf(f, warnings)
      else warnings.push(`Vorbis comment field ${DOCUMENT} appears more than once; the first is used`)
    }
  }
  for (const f of vc.fields) if (f.key === undefined) warnings.push('Vorbis comment has a field without a valid NAME= prefix (kept as is)')
  return { ...(readable === undefined ? {} : { readable }), ...(document === undefined ? {} : { document }), warnings: [...new Set(warnings)] }
}

const encoder = new TextEncoder()

/**
 * Checks the entries to write: each value at most AUDIO_LIMITS.maxEntryBytes bytes of UTF-8, the
 * document ASCII only (docs/spec.md §9.6).
 *
 * @throws InvalidArgumentError for a non-string value or a non-ASCII document.
 * @throws LimitExceededError for a value over the limit.
 */
export function encodeEntries(entries: TagEntries): { readonly readable: Uint8Array; readonly document: Uint8Array } {
  if (typeof entries.readable !== 'string' || typeof entries.document !== 'string') {
    throw new InvalidArgumentError('entries.readable and entries.document must be strings')
  }
  if (!/^[\x00-\x7f]*$/.test(entries.document)) throw new InvalidArgumentError('entries.document must be ASCII (escape non-ASCII JSON as \\uXXXX)')
  const readable = encoder.encode(`${READABLE}=${entries.readable}`)
  const document = encoder.encode(`${DOCUMENT}=${entries.document}`)
  const max = AUDIO_LIMITS.maxEntryBytes
  if (readable.byteLength - READABLE.length - 1 > max) throw new LimitExceededError('maxEntryBytes', max, readable.byteLength - READABLE.length - 1, 'NOAI value')
  if (document.byteLength - DOCUMENT.length - 1 > max) throw new LimitExceededError('maxEntryBytes', max, document.byteLength - DOCUMENT.length - 1, 'NOAI_TAG value')
  return { readable, document }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * The comment list with our entries written (or, with `null`, removed), or `undefined` when
 * nothing would change: removing entries that are not there, or writing entries that are already
 * the last two fields, byte for byte, with no other occurrence of our names.
 *
 * @example
 * ```ts
 * const next = withOurVorbisEntries(vc, { readable: 'train-ai=n', document: jws }) ?? vc
 * ```
 */
export function withOurVorbisEntries(vc: VorbisComment, entries: TagEntries | null): VorbisComment | undefined {
  const others = vc.fields.filter((f) => !isOurs(f))
  if (entries === null) return others.length === vc.fields.length ? undefined : { ...vc, fields: others }
  const { readable, document } = encodeEntries(entries)
  const n = vc.fields.length
  if (others.length === n - 2 && sameBytes(vc.fields[n - 2]!.raw, readable) && sameBytes(vc.fields[n - 1]!.raw, document)) return undefined
  const ours: VorbisField[] = [
    { raw: readable, key: READABLE },
    { raw: document, key: DOCUMENT },
  ]
  return { ...vc, fields: [...others, ...ours] }
}

/** The vendor string written when a FLAC file gets its first VORBIS_COMMENT block. */
export const NEW_VENDOR: Uint8Array = encoder.encode('noai-tag')
