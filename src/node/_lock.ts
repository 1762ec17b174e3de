// The lock file `<path>.noai-lock`, created exclusively around a whole write (docs/spec.md §10.3).
// Internal.
import { open, unlink } from 'node:fs/promises'
import { ConcurrentModificationError } from './errors.js'

/** Suffix of the lock file next to the file being written. */
export const LOCK_SUFFIX = '.noai-lock'

/** Runs `fn` holding the lock of `path`; a second writer gets ConcurrentModificationError('locked'). */
export async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = path + LOCK_SUFFIX
  let handle
  try {
    handle = await open(lock, 'wx', 0o600)
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') throw new ConcurrentModificationError(path, 'locked', { cause: e })
    throw e
  }
  try {
    await handle.writeFile(`${process.pid}\n`)
    await handle.close()
    return await fn()
  } finally {
    await unlink(lock).catch(() => undefined)
  }
}
