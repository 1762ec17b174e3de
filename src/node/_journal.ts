// The journal of an in-place write (docs/spec.md §10.3.3, step 4): before the one write that
// changes the file, the writer appends to its lock file the range's offset, the file's identity,
// and the range's old and new bytes with their SHA-256, and flushes it. After a crash, whoever takes
// the stale lock over finds the range holding either the old bytes or the new ones (nothing to do),
// or, after a power failure during the write, a mix of the two sector by sector: it writes the old
// bytes back. Any other content means someone else changed the file since: it is left alone.
// Internal.
import { createHash } from 'node:crypto'
import { errorCode, readAt, writeAll, type WriteFs } from './_fs.js'

/** Granularity at which a torn write is recognised: the classic disk sector. */
export const SECTOR_BYTES = 512

/** One journaled in-place write. */
export interface Journal {
  /** Offset of the range in the file. */
  readonly offset: number
  /** The range's bytes before the write. */
  readonly old: Uint8Array
  /** The range's bytes after the write (same length). */
  readonly new: Uint8Array
  /** Identity of the file: size, inode, device (an in-place write keeps them). */
  readonly size: bigint
  readonly ino: bigint
  readonly dev: bigint
}

interface Header {
  readonly journal: 1
  readonly offset: number
  readonly length: number
  readonly size: string
  readonly ino: string
  readonly dev: string
  readonly old: string
  readonly new: string
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
const utf8 = new TextEncoder()

/** The journal header line; the old bytes and then the new bytes follow it. */
export function journalHeader(j: Journal): Uint8Array {
  const h: Header = { journal: 1, offset: j.offset, length: j.old.length, size: String(j.size), ino: String(j.ino), dev: String(j.dev), old: sha256(j.old), new: sha256(j.new) }
  return utf8.encode(`${JSON.stringify(h)}\n`)
}

/** Parses what follows the owner record in a lock file; undefined unless it is one complete journal. */
export function parseJournal(bytes: Uint8Array): Journal | undefined {
  const nl = bytes.indexOf(0x0a)
  if (nl < 0) return undefined
  let h: Partial<Header>
  try {
    h = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, nl))) as Partial<Header>
  } catch {
    return undefined
  }
  const { offset, length } = h
  if (h.journal !== 1 || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset! < 0 || length! < 0) return undefined
  if (typeof h.size !== 'string' || typeof h.ino !== 'string' || typeof h.dev !== 'string' || !/^\d+$/.test(h.size + h.ino + h.dev)) return undefined
  const payload = bytes.subarray(nl + 1)
  if (payload.length !== 2 * length!) return undefined // cut short: the write it announces never happened
  const old = payload.subarray(0, length)
  const next = payload.subarray(length)
  if (sha256(old) !== h.old || sha256(next) !== h.new) return undefined
  return { offset: offset!, old, new: next, size: BigInt(h.size), ino: BigInt(h.ino), dev: BigInt(h.dev) }
}

const same = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/** Whether every sector of `cur` (aligned on absolute file offsets) equals the old or the new bytes. */
function tornBetween(cur: Uint8Array, j: Journal): boolean {
  for (let at = 0; at < cur.length; ) {
    const end = Math.min(cur.length, at + SECTOR_BYTES - ((j.offset + at) % SECTOR_BYTES))
    const c = cur.subarray(at, end)
    if (!same(c, j.old.subarray(at, end)) && !same(c, j.new.subarray(at, end))) return false
    at = end
  }
  return true
}

/** What recovery did. */
export type Recovery = 'clean' | 'rolled-back' | 'skipped'

/** Brings the file back to a whole state after an interrupted in-place write (see the file comment). */
export async function recoverFromJournal(fs: WriteFs, file: string, j: Journal): Promise<Recovery> {
  let h
  try {
    h = await fs.open(file, 'r+')
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return 'skipped'
    throw e
  }
  try {
    const st = await h.stat({ bigint: true })
    if (st.size !== j.size || st.ino !== j.ino || st.dev !== j.dev) return 'skipped'
    const cur = await readAt(h, j.offset, j.old.length)
    if (same(cur, j.old) || same(cur, j.new)) return 'clean'
    if (cur.length !== j.old.length || !tornBetween(cur, j)) return 'skipped'
    await writeAll(h, j.old, j.offset)
    await h.sync()
    return 'rolled-back'
  } finally {
    await h.close()
  }
}
