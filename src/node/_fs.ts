// The file-system operations of the write path (docs/spec.md §10.3.3), behind one small interface
// so that a test can wrap them: number every create, write, fsync, rename, link and unlink the
// writer makes, and stop the process (SIGKILL) or fail (ENOSPC, EIO) at any one of them. Internal:
// production code always uses NODE_FS; only tests pass another object to `applyToFile`.
import type { BigIntStats } from 'node:fs'
import { access, link, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises'

/** The part of a Node FileHandle the write path uses. */
export interface WriteHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>
  /** fsync(2). */
  sync(): Promise<void>
  stat(options: { bigint: true }): Promise<BigIntStats>
  chmod(mode: number): Promise<void>
  chown(uid: number, gid: number): Promise<void>
  close(): Promise<void>
}

/** The part of node:fs/promises the write path uses. */
export interface WriteFs {
  /** `flags` as for fs.open: `r`, `r+`, `wx`, `wx+`... */
  open(path: string, flags: string, mode?: number): Promise<WriteHandle>
  stat(path: string, options: { bigint: true }): Promise<BigIntStats>
  realpath(path: string): Promise<string>
  access(path: string, mode: number): Promise<void>
  rename(from: string, to: string): Promise<void>
  link(existing: string, created: string): Promise<void>
  unlink(path: string): Promise<void>
  readdir(path: string): Promise<string[]>
}

/** node:fs/promises itself. */
export const NODE_FS: WriteFs = {
  open: (path, flags, mode) => open(path, flags, mode),
  stat: (path, options) => stat(path, options),
  realpath: (path) => realpath(path),
  access: (path, mode) => access(path, mode),
  rename: (from, to) => rename(from, to),
  link: (existing, created) => link(existing, created),
  unlink: (path) => unlink(path),
  readdir: (path) => readdir(path),
}

/** The `code` of a Node system error, if any. */
export const errorCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** Writes all of `bytes` at `position` (a regular file takes them in one pwrite; the loop is for the rest). */
export async function writeAll(h: WriteHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const r = await h.write(bytes, done, bytes.length - done, position + done)
    done += r.bytesWritten
  }
}

/** Reads exactly `length` bytes at `position`, or fewer at the end of the file. */
export async function readAt(h: WriteHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length)
  let got = 0
  while (got < length) {
    const r = await h.read(out, got, length - got, position + got)
    if (r.bytesRead === 0) break
    got += r.bytesRead
  }
  return got === length ? out : out.subarray(0, got)
}

/** fsync of a folder, so that a rename or a new name in it is durable. Not supported everywhere: errors are ignored. */
export async function syncFolder(fs: WriteFs, dir: string): Promise<void> {
  const d = await fs.open(dir, 'r').catch(() => undefined)
  if (!d) return
  await d.sync().catch(() => undefined) // e.g. some network file systems
  await d.close().catch(() => undefined)
}
