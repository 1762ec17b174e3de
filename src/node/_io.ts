// Wrapping Node file-system errors in typed errors. Internal.
import { isNoaiTagError } from '../errors.js'
import { AudioFileError } from './errors.js'

/** Runs `fn`; a Node system error (ENOENT, EACCES...) becomes an AudioFileError with reason `io`. */
export async function wrapIo<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (isNoaiTagError(e)) throw e
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') throw new AudioFileError(path, 'io', `${code}: ${(e as Error).message}`, { cause: e })
    throw e
  }
}
