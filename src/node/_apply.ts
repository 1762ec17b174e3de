// Applying an edit plan to a file safely (docs/spec.md §10.3.3). Internal; the public operations
// are writeAudioFile and removeAudioTagFromFile.
//
// - A lock file `<file>.noai-lock` (./_lock.ts) is held around the whole operation; a stale one
//   (its owner died) is taken over.
// - In place: the plan's patches are joined into one contiguous range (the unchanged bytes between
//   them included), at most FILE_WRITE_LIMITS.maxInPlaceSpanBytes, else the file is rewritten. The
//   file must not have changed since it was read (size, mtime, ctime, inode). The range's old and
//   new bytes are journaled in the lock file and flushed; then ONE write puts the new bytes in
//   place (the commit), fsync; the entries are read back, and on any failure the old bytes are
//   written back. A process killed at any point leaves the old bytes or the new ones; a power
//   failure during the write is repaired from the journal by the next writer (./_journal.ts).
// - Rewrite: a temp file `.<name>.noai-<random>.tmp` in the same folder (exclusive create, the
//   original's mode, and owner when running as root), the segments streamed into it in bounded
//   chunks, fsync, then re-read: our entries and the essence digest must equal the expected ones;
//   the original must still be unchanged; rename over the original (the commit); fsync the folder.
//   On any error the temp file is removed and the original is untouched.
// - A file that is not writable (permissions, read-only mount) is refused before anything is
//   written, also by the rewrite path (a rename would replace it even so).
// - A symlink is written through to its target; a file with several hard links is patched in place
//   when the plan allows, and otherwise refused unless `breakHardLinks`.
//
// Every file-system call goes through a WriteFs (./_fs.ts): NODE_FS, or a test's wrapper that
// injects faults.
import { randomBytes } from 'node:crypto'
import { constants, type BigIntStats } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { AUDIO_LIMITS } from '../audio/limits.js'
import { resolveHandler } from '../audio/registry.js'
import type { ContainerHandler, EditPlan, EditSegment, TagEntries } from '../audio/types.js'
import { ConcurrentModificationError, AudioFileError } from './errors.js'
import { handleSource, type FileByteSource } from './file-source.js'
import { errorCode, NODE_FS, readAt, syncFolder, writeAll, type WriteFs, type WriteHandle } from './_fs.js'
import { stage } from './_hooks.js'
import { tempName, withLock, type HeldLock } from './_lock.js'
import { FILE_WRITE_LIMITS } from './limits.js'
import type { AudioFileWriteResult, WriteAudioFileOptions } from './write-audio-file.js'
import { essenceHex, verifyEntries } from './_verify.js'

const unchangedSince = (a: BigIntStats, b: BigIntStats): boolean =>
  a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev

/** One contiguous range to write in place. */
interface Span {
  readonly offset: number
  readonly bytes: Uint8Array
}

/** The patches of an in-place plan as one range, or undefined when they span more than the limit. */
async function joinPatches(src: FileByteSource, plan: Extract<EditPlan, { kind: 'in-place' }>): Promise<Span | undefined> {
  const patches = [...plan.patches].sort((a, b) => a.offset - b.offset)
  if (patches.length === 0) return undefined
  const start = patches[0]!.offset
  const end = Math.max(...patches.map((p) => p.offset + p.bytes.length))
  if (end - start > FILE_WRITE_LIMITS.maxInPlaceSpanBytes) return undefined
  if (patches.length === 1) return patches[0]!
  const bytes = new Uint8Array(end - start)
  const gaps = await src.read(start, end - start)
  if (gaps.length !== bytes.length) throw new ConcurrentModificationError(src.path, 'changed')
  bytes.set(gaps)
  for (const p of patches) bytes.set(p.bytes, p.offset - start)
  return { offset: start, bytes }
}

interface InPlaceJob {
  readonly fs: WriteFs
  readonly path: string
  readonly st0: BigIntStats
  readonly span: Span
  readonly handler: ContainerHandler
  readonly entries: TagEntries | null
  readonly lock: HeldLock
}

async function patchInPlace(job: InPlaceJob): Promise<number> {
  const { fs, path, st0, span } = job
  const h = await fs.open(path, 'r+')
  try {
    if (!unchangedSince(st0, await h.stat({ bigint: true }))) throw new ConcurrentModificationError(path, 'changed')
    const old = await readAt(h, span.offset, span.bytes.length)
    if (old.length !== span.bytes.length) throw new ConcurrentModificationError(path, 'changed')
    await job.lock.journal({ offset: span.offset, old, new: span.bytes, size: st0.size, ino: st0.ino, dev: st0.dev })
    try {
      await writeAll(h, span.bytes, span.offset) // the commit: one write
      await h.sync()
      await stage('after-patch', path)
      await verifyEntries(job.handler, handleSource(h, Number(st0.size), path), job.entries, path)
    } catch (e) {
      await writeAll(h, old, span.offset)
      await h.sync()
      throw e
    }
    return span.bytes.length
  } finally {
    await h.close()
  }
}

function segmentsOf(plan: EditPlan, size: number): readonly EditSegment[] {
  if (plan.kind === 'rewrite') return plan.segments
  const out: EditSegment[] = []
  let at = 0
  for (const p of plan.kind === 'in-place' ? [...plan.patches].sort((a, b) => a.offset - b.offset) : []) {
    if (p.offset > at) out.push({ copyFrom: at, length: p.offset - at })
    out.push({ bytes: p.bytes })
    at = p.offset + p.bytes.length
  }
  if (size > at) out.push({ copyFrom: at, length: size - at })
  return out
}

async function copySegments(src: FileByteSource, dst: WriteHandle, segments: readonly EditSegment[], signal: AbortSignal | undefined): Promise<number> {
  let pos = 0
  for (const s of segments) {
    if ('bytes' in s) {
      await writeAll(dst, s.bytes, pos)
      pos += s.bytes.length
      continue
    }
    for (let at = s.copyFrom; at < s.copyFrom + s.length; ) {
      if (signal?.aborted) throw signal.reason
      const chunk = await src.read(at, Math.min(AUDIO_LIMITS.ioChunkBytes, s.copyFrom + s.length - at))
      if (chunk.length === 0) throw new ConcurrentModificationError(src.path, 'changed')
      await writeAll(dst, chunk, pos)
      pos += chunk.length
      at += chunk.length
    }
  }
  return pos
}

interface RewriteJob {
  readonly fs: WriteFs
  readonly original: string
  readonly dest: string
  readonly st0: BigIntStats
  readonly src: FileByteSource
  readonly handler: ContainerHandler
  readonly entries: TagEntries | null
  readonly segments: readonly EditSegment[]
  readonly signal: AbortSignal | undefined
}

async function rewrite(job: RewriteJob): Promise<number> {
  const { fs } = job
  const expected = await essenceHex(job.handler, job.src, job.signal)
  const tmp = join(dirname(job.dest), tempName(basename(job.dest), randomBytes(6).toString('hex')))
  const mode = Number(job.st0.mode & 0o7777n)
  const t = await fs.open(tmp, 'wx+', mode)
  let renamed = false
  try {
    const written = await copySegments(job.src, t, job.segments, job.signal)
    await stage('after-copy', tmp)
    await t.chmod(mode)
    if (process.getuid?.() === 0) await t.chown(Number(job.st0.uid), Number(job.st0.gid)).catch(() => undefined)
    await t.sync()
    const tsrc = handleSource(t, written, tmp)
    await verifyEntries(job.handler, tsrc, job.entries, job.dest)
    if ((await essenceHex(job.handler, tsrc, job.signal)) !== expected) {
      throw new AudioFileError(job.dest, 'verification-failed', 'the essence digest of the written file differs from the original')
    }
    await stage('before-rename', tmp)
    if (!unchangedSince(job.st0, await fs.stat(job.original, { bigint: true }))) throw new ConcurrentModificationError(job.original, 'changed')
    await t.close()
    await fs.rename(tmp, job.dest) // the commit
    renamed = true
    await syncFolder(fs, dirname(job.dest))
    return written
  } finally {
    if (!renamed) {
      await t.close().catch(() => undefined)
      await fs.unlink(tmp).catch(() => undefined)
    }
  }
}

/** Refuses a destination that exists and may not be written (a rename would replace it even so). */
async function assertWritable(fs: WriteFs, path: string): Promise<void> {
  try {
    await fs.access(path, constants.W_OK)
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e
  }
}

/**
 * Plans and applies a write (`entries`) or a removal (`null`) to a file. `fs` is for tests only
 * (fault injection); the public operations never pass it.
 */
export async function applyToFile(path: string, entries: TagEntries | null, options: WriteAudioFileOptions, fs: WriteFs = NODE_FS): Promise<AudioFileWriteResult> {
  const original = await fs.realpath(path)
  const out = options.out === undefined ? undefined : resolve(options.out)
  const dest = out === undefined || out === original ? original : out
  return withLock(fs, dest, async (lock) => {
    const h = await fs.open(original, 'r')
    try {
      const st0 = await h.stat({ bigint: true })
      if (!st0.isFile()) throw new AudioFileError(original, 'not-a-file', 'not a regular file')
      const src = handleSource(h, Number(st0.size), original)
      const opts = options.signal ? { signal: options.signal } : {}
      const handler = await resolveHandler(src, opts)
      const plan = await handler.planWrite(src, entries, opts)
      await stage('after-plan', original)
      const result = (method: AudioFileWriteResult['method'], bytesWritten: number): AudioFileWriteResult => ({ path: dest, format: handler.format, method, bytesWritten })
      if (dest === original) {
        if (plan.kind === 'unchanged') return result('unchanged', 0)
        const span = plan.kind === 'in-place' && options.inPlace !== false ? await joinPatches(src, plan) : undefined
        if (span) return result('in-place', await patchInPlace({ fs, path: original, st0, span, handler, entries, lock }))
        if (options.inPlace === true) {
          const why = plan.kind === 'in-place' ? `the changes span more than ${FILE_WRITE_LIMITS.maxInPlaceSpanBytes} bytes` : 'the tag does not fit the existing padding'
          throw new AudioFileError(original, 'not-in-place', `${why}; a rewrite is needed (inPlace: true)`)
        }
        if (st0.nlink > 1n && !options.breakHardLinks) {
          throw new AudioFileError(original, 'hard-links', `the file has ${st0.nlink} hard links and a rewrite would break them (breakHardLinks: true allows it)`)
        }
      }
      await assertWritable(fs, dest)
      const segments = segmentsOf(plan, Number(st0.size))
      const written = await rewrite({ fs, original, dest, st0, src, handler, entries, segments, signal: options.signal })
      return result('rewrite', written)
    } finally {
      await h.close()
    }
  })
}
