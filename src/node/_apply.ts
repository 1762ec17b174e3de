// Applying an edit plan to a file safely (docs/spec.md §10.3). Internal; the public operations are
// writeAudioFile and removeAudioTagFromFile.
//
// - A lock file `<file>.noai-lock` (exclusive create) is held around the whole operation.
// - In place: the file must not have changed since it was read (size, mtime, inode); only the
//   patched metadata bytes are written (pwrite), then fsync; the entries are read back, and on any
//   failure the old bytes of the patched ranges are written back.
// - Rewrite: a temp file `.<name>.noai-<random>.tmp` in the same folder (exclusive create, the
//   original's mode, and owner when running as root), the segments streamed into it in bounded
//   chunks, fsync, then re-read: our entries and the essence digest must equal the expected ones;
//   the original must still be unchanged; rename over the original; fsync the folder. On any error
//   the temp file is removed and the original is untouched.
// - A symlink is written through to its target; a file with several hard links is patched in place
//   when the plan allows, and otherwise refused unless `breakHardLinks`.
import { randomBytes } from 'node:crypto'
import type { Stats } from 'node:fs'
import { open, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { AUDIO_LIMITS } from '../audio/limits.js'
import { resolveHandler } from '../audio/registry.js'
import type { ContainerHandler, EditPlan, EditSegment, TagEntries } from '../audio/types.js'
import { ConcurrentModificationError, AudioFileError } from './errors.js'
import { handleSource, type FileByteSource } from './file-source.js'
import { stage } from './_hooks.js'
import { withLock } from './_lock.js'
import type { AudioFileWriteResult, WriteAudioFileOptions } from './write-audio-file.js'
import { essenceHex, verifyEntries } from './_verify.js'

const unchangedSince = (a: Stats, b: Stats): boolean => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino && a.dev === b.dev

async function writeAll(h: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const r = await h.write(bytes, done, bytes.length - done, position + done)
    done += r.bytesWritten
  }
}

async function patchInPlace(path: string, st0: Stats, plan: Extract<EditPlan, { kind: 'in-place' }>, handler: ContainerHandler, entries: TagEntries | null): Promise<number> {
  const h = await open(path, 'r+')
  try {
    if (!unchangedSince(st0, await h.stat())) throw new ConcurrentModificationError(path, 'changed')
    const src = handleSource(h, st0.size, path)
    const old = await Promise.all(plan.patches.map((p) => src.read(p.offset, p.bytes.length)))
    let written = 0
    try {
      for (const p of plan.patches) {
        await writeAll(h, p.bytes, p.offset)
        written += p.bytes.length
      }
      await h.sync()
      await stage('after-patch', path)
      await verifyEntries(handler, src, entries, path)
    } catch (e) {
      for (const [i, p] of plan.patches.entries()) await writeAll(h, old[i]!, p.offset)
      await h.sync()
      throw e
    }
    return written
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

async function copySegments(src: FileByteSource, dst: FileHandle, segments: readonly EditSegment[], signal: AbortSignal | undefined): Promise<number> {
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

async function syncFolder(dir: string): Promise<void> {
  const d = await open(dir, 'r').catch(() => undefined)
  if (!d) return
  await d.sync().catch(() => undefined) // not supported everywhere (e.g. some network file systems)
  await d.close()
}

interface RewriteJob {
  readonly original: string
  readonly dest: string
  readonly st0: Stats
  readonly src: FileByteSource
  readonly handler: ContainerHandler
  readonly entries: TagEntries | null
  readonly segments: readonly EditSegment[]
  readonly signal: AbortSignal | undefined
}

async function rewrite(job: RewriteJob): Promise<number> {
  const expected = await essenceHex(job.handler, job.src, job.signal)
  const tmp = join(dirname(job.dest), `.${basename(job.dest)}.noai-${randomBytes(6).toString('hex')}.tmp`)
  const mode = job.st0.mode & 0o7777
  const t = await open(tmp, 'wx+', mode)
  let renamed = false
  try {
    const written = await copySegments(job.src, t, job.segments, job.signal)
    await stage('after-copy', tmp)
    await t.chmod(mode)
    if (process.getuid?.() === 0) await t.chown(job.st0.uid, job.st0.gid).catch(() => undefined)
    await t.sync()
    const tsrc = handleSource(t, written, tmp)
    await verifyEntries(job.handler, tsrc, job.entries, job.dest)
    if ((await essenceHex(job.handler, tsrc, job.signal)) !== expected) {
      throw new AudioFileError(job.dest, 'verification-failed', 'the essence digest of the written file differs from the original')
    }
    await stage('before-rename', tmp)
    if (!unchangedSince(job.st0, await stat(job.original))) throw new ConcurrentModificationError(job.original, 'changed')
    await t.close()
    await rename(tmp, job.dest)
    renamed = true
    await syncFolder(dirname(job.dest))
    return written
  } finally {
    if (!renamed) {
      await t.close().catch(() => undefined)
      await unlink(tmp).catch(() => undefined)
    }
  }
}

/** Plans and applies a write (`entries`) or a removal (`null`) to a file. */
export async function applyToFile(path: string, entries: TagEntries | null, options: WriteAudioFileOptions): Promise<AudioFileWriteResult> {
  const original = await realpath(path)
  const out = options.out === undefined ? undefined : resolve(options.out)
  const dest = out === undefined || out === original ? original : out
  return withLock(dest, async () => {
    const h = await open(original, 'r')
    try {
      const st0 = await h.stat()
      if (!st0.isFile()) throw new AudioFileError(original, 'not-a-file', 'not a regular file')
      const src = handleSource(h, st0.size, original)
      const opts = options.signal ? { signal: options.signal } : {}
      const handler = await resolveHandler(src, opts)
      const plan = await handler.planWrite(src, entries, opts)
      await stage('after-plan', original)
      const result = (method: AudioFileWriteResult['method'], bytesWritten: number): AudioFileWriteResult => ({ path: dest, format: handler.format, method, bytesWritten })
      if (dest === original) {
        if (plan.kind === 'unchanged') return result('unchanged', 0)
        if (plan.kind === 'in-place' && options.inPlace !== false) return result('in-place', await patchInPlace(original, st0, plan, handler, entries))
        if (options.inPlace === true) throw new AudioFileError(original, 'not-in-place', 'the tag does not fit the existing padding; a rewrite is needed (inPlace: true)')
        if (st0.nlink > 1 && !options.breakHardLinks) {
          throw new AudioFileError(original, 'hard-links', `the file has ${st0.nlink} hard links and a rewrite would break them (breakHardLinks: true allows it)`)
        }
      }
      const segments = segmentsOf(plan, st0.size)
      const written = await rewrite({ original, dest, st0, src, handler, entries, segments, signal: options.signal })
      return result('rewrite', written)
    } finally {
      await h.close()
    }
  })
}
