/**
 * Shards of a scan (`noai scan --shard I/N`): an item belongs to shard `fnv1a32(key) mod N`, where
 * the key is the item's `path` or `url` exactly as the report line shows it (UTF-8). Any batch
 * engine can therefore split a dataset into N jobs with no coordination, and anyone can recompute
 * which shard a report line came from.
 *
 * @module
 */
import { CliInputError } from '../_io.js'

/** Largest shard count accepted (a guard against typos such as `--shard 0/10000000000`). */
export const MAX_SHARDS = 1_000_000

/** One shard of N. */
export interface Shard {
  /** 0-based index, `0 <= index < count`. */
  readonly index: number
  readonly count: number
}

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193

/**
 * The 32-bit FNV-1a hash of a string's UTF-8 bytes (http://www.isthe.com/chongo/tech/comp/fnv/),
 * as an unsigned integer.
 *
 * @example
 * ```ts
 * fnv1a32('') // 2166136261
 * fnv1a32('a') // 3826002220
 * ```
 */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i)
    // UTF-8 without allocating: code points from UTF-16 (lone surrogates as U+FFFD, as TextEncoder does).
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(i + 1)
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        i++
      } else c = 0xfffd
    }
    if (c < 0x80) h = Math.imul(h ^ c, FNV_PRIME)
    else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME)
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME)
    } else if (c < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME)
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME)
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME)
    } else {
      h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME)
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), FNV_PRIME)
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME)
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME)
    }
  }
  return h >>> 0
}

/**
 * Parses `I/N` (`0 <= I < N`).
 *
 * @throws CliInputError (exit status 2) for anything else.
 * @example
 * ```ts
 * parseShard('2/8') // { index: 2, count: 8 }
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || !(count >= 1 && count <= MAX_SHARDS) || !(index < count)) {
    throw new CliInputError(`--shard must be I/N with 0 <= I < N <= ${MAX_SHARDS} (for example 0/4), not ${JSON.stringify(text)}`)
  }
  return { index, count }
}

/**
 * Whether an item (by its key, the `path` or `url` of its report line) is in a shard.
 *
 * @example
 * ```ts
 * [0, 1, 2].filter((i) => inShard('data/a.mp3', { index: i, count: 3 })).length // 1
 * ```
 */
export function inShard(key: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || fnv1a32(key) % shard.count === shard.index
}
