// Our two entries are iTunes freeform items in moov/udta/meta/ilst (docs/spec.md §9.6, §10.7.3):
// `----` holding `mean` "com.apple.iTunes", `name` "NOAI" or "NOAI_TAG", and one `data` box of
// type 1 (UTF-8) and locale 0. Internal.
import { AUDIO_KEYS } from '../../constants.js'
import { ascii, u32be } from '../_read.js'
import { AUDIO_LIMITS } from '../limits.js'
import { LimitExceededError } from '../../errors.js'
import { box, concat, putU32 } from './_bytes.js'
import { childrenOf, find, payloadOf, type Box } from './_box.js'
import type { BoxIO } from './_io.js'

/** Which of our entries an item holds. */
export type OurKey = 'readable' | 'document'

/** One child of `ilst`; ours carry their key and value. */
export interface IlstItem {
  readonly box: Box
  readonly key?: OurKey
  /** The value, exactly as stored minus trailing NULs (ours only). */
  readonly value?: string
  /** Why an item of ours could not be read as text. */
  readonly problem?: string
}

/** `data` type indicators (Apple "Well-known types"): 1 is UTF-8; 0 (implicit) is read as UTF-8 too. */
const DATA_TYPE_UTF8 = 1
const DATA_TYPE_IMPLICIT = 0

/** Strict UTF-8 (a decoder without `stream` keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const MEAN = AUDIO_KEYS.mp4.mean
const NAMES: Readonly<Record<string, OurKey>> = { [AUDIO_KEYS.mp4.readable]: 'readable', [AUDIO_KEYS.mp4.document]: 'document' }

/**
 * Reads the children of `ilst` and identifies ours (only ours are read beyond headers); with
 * `values: false` (writing) their values are not decoded, so an oversized item of ours can still be
 * replaced or removed.
 */
export async function readItems(io: BoxIO, ilst: Box, options: { readonly values: boolean }): Promise<IlstItem[]> {
  const items: IlstItem[] = []
  for (const child of await childrenOf(io, ilst)) items.push(child.type === '----' ? await readFreeform(io, child, options.values) : { box: child })
  return items
}

async function readFreeform(io: BoxIO, item: Box, values: boolean): Promise<IlstItem> {
  const parts = await childrenOf(io, item)
  const mean = find(parts, 'mean')
  const name = find(parts, 'name')
  if (!mean || !name || (await fullBoxText(io, mean, MEAN.length)) !== MEAN) return { box: item }
  const key = NAMES[((await fullBoxText(io, name, 8)) ?? '').toUpperCase()]
  if (!key || !values) return key ? { box: item, key } : { box: item }
  const data = find(parts, 'data')
  if (!data || data.end - payloadOf(data) < 8) return { box: item, key, problem: 'has no data box' }
  const length = data.end - payloadOf(data) - 8
  if (length > AUDIO_LIMITS.maxEntryBytes) throw new LimitExceededError('maxEntryBytes', AUDIO_LIMITS.maxEntryBytes, length, `MP4 ----:${MEAN}:${key === 'readable' ? 'NOAI' : 'NOAI_TAG'} value`)
  const bytes = io.peek(payloadOf(data), 8 + length) ?? (await io.bytes(payloadOf(data), 8 + length, 'data box'))
  const type = u32be(bytes, 0) & 0xff_ffff
  if (type !== DATA_TYPE_UTF8 && type !== DATA_TYPE_IMPLICIT) return { box: item, key, problem: `has data type ${type}, not 1 (UTF-8)` }
  try {
    const value = UTF8.decode(bytes.subarray(8)).replace(/\0+$/, '')
    return { box: item, key, value }
  } catch {
    return { box: item, key, problem: 'is not valid UTF-8' }
  }
}

/** The text of a `mean` or `name` box (FullBox: 4 bytes version and flags, then the string), when at most `max` bytes. */
async function fullBoxText(io: BoxIO, b: Box, max: number): Promise<string | undefined> {
  const length = b.end - payloadOf(b) - 4
  if (length < 0 || length > max) return undefined
  return ascii(io.peek(payloadOf(b) + 4, length) ?? (await io.bytes(payloadOf(b) + 4, length, `${b.type} box`))).replace(/\0+$/, '')
}

/** The bytes of one freeform item of ours. */
export function freeformItem(name: string, value: string): Uint8Array {
  const te = new TextEncoder()
  const zero = new Uint8Array(4)
  const type = new Uint8Array(8)
  putU32(type, 0, DATA_TYPE_UTF8)
  return box('----', box('mean', zero, te.encode(MEAN)), box('name', zero, te.encode(name)), box('data', type, te.encode(value)))
}

/** Both items of ours, readable line first. */
export function ourItems(entries: { readonly readable: string; readonly document: string }): Uint8Array {
  return concat([freeformItem(AUDIO_KEYS.mp4.readable, entries.readable), freeformItem(AUDIO_KEYS.mp4.document, entries.document)])
}
