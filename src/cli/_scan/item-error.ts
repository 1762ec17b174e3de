/**
 * Errors as report lines show them: `{ code, message }`, with a stable `ERR_NOAI_*` code.
 *
 * @module
 */
import { isNoaiTagError } from '../../errors.js'
import type { ErrorObject } from './types.js'

/**
 * The error object of a failed item: the library's own code, `ERR_NOAI_IO` for a file system error
 * (ENOENT, EACCES, EISDIR...), `ERR_UNKNOWN` for anything else (a bug: please report it).
 *
 * @example
 * ```ts
 * itemError(Object.assign(new Error('no such file'), { code: 'ENOENT' })) // { code: 'ERR_NOAI_IO', message: 'ENOENT: no such file' }
 * ```
 */
export function itemError(e: unknown): ErrorObject {
  if (isNoaiTagError(e)) return { code: e.code, message: e.message }
  const message = e instanceof Error ? e.message : String(e)
  const sys = (e as { code?: unknown } | null)?.code
  if (typeof sys === 'string') return { code: 'ERR_NOAI_IO', message: message.startsWith(sys) ? message : `${sys}: ${message}` }
  return { code: 'ERR_UNKNOWN', message }
}
