/**
 * The `kid` syntax of NoAI Tag key sets (docs/spec.md §14.2): 1 to 128 characters from
 * `A-Z a-z 0-9 . _ -`. A `kid` is an opaque lookup key: it is compared as a string and never
 * becomes part of a URL, a path or a cache key.
 *
 * @internal
 * @module
 */
import { KEYS_TEST_HOOKS } from './_hooks.js'
import { KEY_SET_LIMITS } from './limits.js'

const KID = new RegExp(`^[A-Za-z0-9._-]{1,${KEY_SET_LIMITS.maxKidLength}}$`)

/** Whether `kid` is a syntactically valid key id. @internal */
export function isValidKid(kid: unknown): kid is string {
  if (KEYS_TEST_HOOKS.skipKidSyntaxCheck) return typeof kid === 'string'
  return typeof kid === 'string' && KID.test(kid)
}

/** A short, safe rendering of an untrusted `kid` for messages. @internal */
export function showKid(kid: unknown): string {
  const s = typeof kid === 'string' ? kid : String(kid)
  return JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}…` : s)
}
