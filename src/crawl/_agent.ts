/**
 * Which statements are addressed to the caller (docs/spec.md §11.3.3, §11.6): a statement names an
 * agent as written (a robots.txt group's product token, an `X-Robots-Tag` prefix, a robots meta
 * name); it applies to a caller whose product token is equal, compared case-insensitively
 * (RFC 9309 §2.2.1).
 *
 * @internal
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import { productToken } from '../robots/parse-robots-txt.js'

/** The last user agent whose token was accepted, and its token. */
let last: { readonly userAgent: string | undefined; readonly token: string | undefined } = { userAgent: undefined, token: undefined }

/**
 * The caller's product token: the leading run of letters, digits, `_` and `-` of its user agent
 * (`ExampleBot/1.0 (+https://example.com/bot)` → `ExampleBot`), or `undefined` when none is given.
 *
 * @throws InvalidArgumentError for a user agent that does not start with a product token.
 * @internal
 */
export function callerToken(userAgent: string | undefined): string | undefined {
  if (userAgent === undefined) return undefined
  if (typeof userAgent !== 'string') throw new InvalidArgumentError(`userAgent must be a string, not ${typeof userAgent}`)
  // A crawler passes the same user agent every time: its token is worked out once.
  if (userAgent === last.userAgent) return last.token
  const token = productToken(userAgent.trim())
  if (token === '' || token === '*') {
    throw new InvalidArgumentError(`userAgent must start with a product token (letters, digits, "_" and "-"), such as "ExampleBot", not ${JSON.stringify(userAgent.slice(0, 80))}`)
  }
  last = { userAgent, token }
  return token
}

/** Whether a statement addressed to `agent` applies to the caller whose product token is `token`. @internal */
export function addressedTo(agent: string, token: string | undefined): boolean {
  if (token === undefined) return false
  if (agent === token) return true
  // A product token is ASCII, so only an agent of its length once trimmed can equal it lower-cased
  // (lower-casing never turns other characters into ASCII ones of another count).
  let a = agent
  if (a.length !== token.length && (a = a.trim()).length !== token.length) return false
  return a.toLowerCase() === token.toLowerCase()
}
