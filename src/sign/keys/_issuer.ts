/**
 * Issuer origins (docs/spec.md §14.1): an issuer is the ASCII serialisation of an origin
 * (RFC 6454 §6.2): `https://host[:port]`, lower-case, without a default port, path or trailing
 * slash. Plain http is allowed only for loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`) and
 * only when the caller opts in.
 *
 * @internal
 * @module
 */
import { KEYS_TEST_HOOKS } from './_hooks.js'

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])
const LOOPBACK_IPV4 = /^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/

function parse(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/** Whether `text` is exactly the serialisation of an http(s) origin. @internal */
export function isOrigin(text: unknown): boolean {
  if (typeof text !== 'string') return false
  const url = parse(text)
  return url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text
}

/** Whether `url` is an http URL on a loopback host. @internal */
export function isHttpLoopback(url: URL): boolean {
  return url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || LOOPBACK_IPV4.test(url.hostname))
}

/**
 * Why keys may not be fetched from `issuer`, or `undefined` if they may.
 * @internal
 */
export function issuerProblem(issuer: unknown, allowHttpLoopback: boolean): string | undefined {
  if (KEYS_TEST_HOOKS.skipIssuerCheck) return undefined
  if (typeof issuer !== 'string') return 'issuer is not a string'
  if (!isOrigin(issuer)) {
    return `issuer ${JSON.stringify(issuer.slice(0, 200))} is not an origin (scheme://host[:port], lower-case, no path, no trailing slash)`
  }
  const url = new URL(issuer)
  if (url.protocol === 'https:') return undefined
  if (!isHttpLoopback(url)) return `issuer ${issuer} is not https; plain http is allowed only for loopback origins`
  if (!allowHttpLoopback) return `issuer ${issuer} is an http loopback origin, allowed only with the allowHttpLoopback option`
  return undefined
}
