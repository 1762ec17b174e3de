// The lock file `<path>.noai-lock` (docs/spec.md §10.3.3, step 1), held around a whole write.
// Internal.
//
// - Taking it: exclusive create, then one write of the owner record, a JSON line
//   `{"noaiLock":1,"pid":…,"host":…,"boot":…,"nonce":…}`. An in-place write later appends its
//   journal (./_journal.ts) and flushes the lock file and its folder.
// - Releasing it: unlink, only if the lock file is still the one this writer created.
// - A lock that exists is live, unless it is stale:
//   - its record names this host, and its process is not running (or ran before the last boot);
//   - or it is empty and older than FILE_WRITE_LIMITS.emptyLockStaleMs (its writer was stopped
//     between creating it and writing the record).
//   A lock of another host, or one whose content is not a record, is live: it is removed by hand.
// - Taking a stale lock over: apply its journal, if any (the lock still keeps every other writer
//   out); rename it aside to `<lock>.<random>.stale` and check that the renamed file is the one
//   judged (else another writer took it over meanwhile: put its lock back, report `locked`); remove
//   it; then take the lock as usual; holding it, delete what dead writers of this file left
//   behind: temp files `.<name>.noai-<hex>.tmp` and `<lock>.<hex>.stale` files.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { ConcurrentModificationError } from './errors.js'
import { errorCode, readAt, syncFolder, writeAll, type WriteFs, type WriteHandle } from './_fs.js'
import { journalHeader, parseJournal, recoverFromJournal, type Journal } from './_journal.js'
import { FILE_WRITE_LIMITS } from './limits.js'

/** Suffix of the lock file next to the file being written. */
export const LOCK_SUFFIX = '.noai-lock'

/** A temp file of a rewrite of `name`: `.<name>.noai-<12 hex>.tmp`. */
export const tempName = (name: string, hex: string): string => `.${name}.noai-${hex}.tmp`

/** What the holder of a lock can do with it. */
export interface HeldLock {
  /** Appends the journal of an in-place write to the lock file and flushes it (file and folder). */
  journal(j: Journal): Promise<void>
}

interface OwnerRecord {
  readonly noaiLock: 1
  readonly pid: number
  readonly host: string
  readonly boot: string | null
  readonly nonce: string
}

interface Held {
  readonly handle: WriteHandle
  readonly ino: bigint
  readonly dev: bigint
  end: number
}

/** Identity of a lock file as judged: a rename aside must move this very file. */
interface Identity {
  readonly ino: bigint
  readonly dev: bigint
  readonly size: bigint
  readonly mtimeNs: bigint
}

type Verdict = { readonly kind: 'gone' | 'live' } | { readonly kind: 'stale'; readonly id: Identity; readonly journal: Journal | undefined }

let boot: Promise<string | null> | undefined
/** Linux's boot id: a lock written before the last boot is stale whatever its pid. */
const bootId = (): Promise<string | null> =>
  (boot ??= readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (s) => s.trim() || null,
    () => null,
  ))

const noop = (): void => undefined
const sameId = (a: Identity, b: Identity): boolean => a.ino === b.ino && a.dev === b.dev && a.size === b.size && a.mtimeNs === b.mtimeNs

function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errorCode(e) === 'EPERM' // it exists, as another user
  }
}

function parseRecord(line: Uint8Array): OwnerRecord | undefined {
  try {
    const r = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(line)) as Partial<OwnerRecord> | null
    if (r?.noaiLock !== 1 || !Number.isSafeInteger(r.pid) || r.pid! <= 0 || typeof r.host !== 'string') return undefined
    if (r.boot !== null && typeof r.boot !== 'string') return undefined
    return r as OwnerRecord
  } catch {
    return undefined
  }
}

async function create(fs: WriteFs, lock: string): Promise<Held | undefined> {
  let handle: WriteHandle
  try {
    handle = await fs.open(lock, 'wx', 0o644) // readable, so that other users' writers can judge it
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return undefined
    throw e
  }
  try {
    const record: OwnerRecord = { noaiLock: 1, pid: process.pid, host: hostname(), boot: await bootId(), nonce: randomBytes(8).toString('hex') }
    const bytes = new TextEncoder().encode(`${JSON.stringify(record)}\n`)
    await writeAll(handle, bytes, 0)
    const st = await handle.stat({ bigint: true })
    return { handle, ino: st.ino, dev: st.dev, end: bytes.length }
  } catch (e) {
    await handle.close().catch(noop)
    await fs.unlink(lock).catch(noop)
    throw e
  }
}

async function release(fs: WriteFs, lock: string, held: Held): Promise<void> {
  await held.handle.close().catch(noop)
  const st = await fs.stat(lock, { bigint: true }).catch(() => undefined)
  if (st && st.ino === held.ino && st.dev === held.dev) await fs.unlink(lock).catch(noop)
}

async function judge(fs: WriteFs, lock: string): Promise<Verdict> {
  let h: WriteHandle
  try {
    h = await fs.open(lock, 'r')
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return { kind: 'gone' }
    if (errorCode(e) === 'EACCES' || errorCode(e) === 'EPERM') return { kind: 'live' } // cannot tell: honour it
    throw e
  }
  try {
    const st = await h.stat({ bigint: true })
    const id: Identity = { ino: st.ino, dev: st.dev, size: st.size, mtimeNs: st.mtimeNs }
    if (st.size === 0n) {
      const age = Date.now() - Number(st.mtimeNs / 1_000_000n)
      return age > FILE_WRITE_LIMITS.emptyLockStaleMs ? { kind: 'stale', id, journal: undefined } : { kind: 'live' }
    }
    const head = await readAt(h, 0, Math.min(Number(st.size), FILE_WRITE_LIMITS.maxLockRecordBytes))
    const nl = head.indexOf(0x0a)
    const record = nl < 0 ? undefined : parseRecord(head.subarray(0, nl))
    if (!record || record.host !== hostname()) return { kind: 'live' }
    const now = await bootId()
    const rebooted = record.boot !== null && now !== null && record.boot !== now
    if (!rebooted && (record.pid === process.pid || running(record.pid))) return { kind: 'live' }
    // Stale. Read its journal, if the file is not larger than a journal can be.
    const most = FILE_WRITE_LIMITS.maxLockRecordBytes * 2 + 2 * FILE_WRITE_LIMITS.maxInPlaceSpanBytes
    let journal: Journal | undefined
    if (st.size > BigInt(nl + 1) && st.size <= BigInt(most)) journal = parseJournal((await readAt(h, 0, Number(st.size))).subarray(nl + 1))
    return { kind: 'stale', id, journal }
  } finally {
    await h.close()
  }
}

async function identity(fs: WriteFs, path: string): Promise<Identity | undefined> {
  const st = await fs.stat(path, { bigint: true }).catch(() => undefined)
  return st && { ino: st.ino, dev: st.dev, size: st.size, mtimeNs: st.mtimeNs }
}

/** Takes a stale lock out of the way (see the file comment); returns without doing it when it went away meanwhile. */
async function takeOver(fs: WriteFs, file: string, lock: string, stale: Extract<Verdict, { kind: 'stale' }>): Promise<void> {
  if (stale.journal) {
    const now = await identity(fs, lock)
    if (!now || !sameId(now, stale.id)) return // taken over by someone else meanwhile: look again
    await recoverFromJournal(fs, file, stale.journal)
  }
  const aside = `${lock}.${randomBytes(6).toString('hex')}.stale`
  try {
    await fs.rename(lock, aside)
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return
    throw e
  }
  const moved = await identity(fs, aside)
  if (!moved || !sameId(moved, stale.id)) {
    // Another writer took the stale lock over and locked the file between our look and our rename:
    // give its lock back and stay out.
    await fs.link(aside, lock).catch(noop)
    await fs.unlink(aside).catch(noop)
    throw new ConcurrentModificationError(file, 'locked')
  }
  await fs.unlink(aside)
}

/** Deletes what dead writers of `file` left next to it (called holding the lock, after a takeover). */
async function sweep(fs: WriteFs, file: string): Promise<void> {
  const dir = dirname(file)
  const name = basename(file)
  const names = await fs.readdir(dir).catch((): string[] => [])
  const temp = new RegExp(`^\\.${escape(name)}\\.noai-[0-9a-f]{12}\\.tmp$`)
  const aside = new RegExp(`^${escape(name + LOCK_SUFFIX)}\\.[0-9a-f]+\\.stale$`)
  for (const n of names) if (temp.test(n) || aside.test(n)) await fs.unlink(join(dir, n)).catch(noop)
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Most attempts at taking a lock that keeps changing hands (each attempt is a look and at most one takeover). */
const ATTEMPTS = 4

/**
 * Runs `fn` holding the lock of `path`; a second writer gets ConcurrentModificationError('locked').
 * A stale lock is taken over, after applying its journal (see the file comment).
 */
export async function withLock<T>(fs: WriteFs, path: string, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  const lock = path + LOCK_SUFFIX
  let tookOver = false
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const held = await create(fs, lock)
    if (!held) {
      const verdict = await judge(fs, lock)
      if (verdict.kind === 'live') throw new ConcurrentModificationError(path, 'locked')
      if (verdict.kind === 'stale') {
        await takeOver(fs, path, lock, verdict)
        tookOver = true
      }
      continue
    }
    try {
      if (tookOver) await sweep(fs, path)
      return await fn({
        async journal(j) {
          const header = journalHeader(j)
          for (const part of [header, j.old, j.new]) {
            await writeAll(held.handle, part, held.end)
            held.end += part.length
          }
          await held.handle.sync()
          await syncFolder(fs, dirname(lock))
        },
      })
    } finally {
      await release(fs, lock, held)
    }
  }
  throw new ConcurrentModificationError(path, 'locked')
}
