/**
 * Response headers for the site-level files (docs/spec.md §11.4).
 *
 * @module
 */
import { MEDIA_TYPES } from '../constants.js'
import { InvalidArgumentError } from '../errors.js'

/** The site-level files {@link wellKnownHeaders} knows. */
export type ServedFileKind = 'robots.txt' | 'ai.txt' | 'tdmrep.json' | 'policy'

/** Options of {@link wellKnownHeaders}. */
export interface WellKnownHeadersOptions {
  /**
   * `Cache-Control: max-age`, in seconds.
   * @defaultValue 3600
   */
  readonly maxAgeSeconds?: number
}

/** Default `max-age` of the site-level files: an hour, well inside the 24 h robots.txt cache limit (RFC 9309 §2.4). */
const DEFAULT_MAX_AGE = 3_600

const CONTENT_TYPES: Record<ServedFileKind, string> = {
  'robots.txt': 'text/plain; charset=utf-8',
  'ai.txt': 'text/plain; charset=utf-8',
  'tdmrep.json': 'application/json',
  policy: MEDIA_TYPES.policy,
}

/**
 * The headers to serve a site-level file with: its `Content-Type` (`text/plain; charset=utf-8`
 * for robots.txt and ai.txt, `application/json` for tdmrep.json, `application/noai-policy+json`
 * for the site policy), `Cache-Control: public, max-age=3600`, `Access-Control-Allow-Origin: *`
 * (crawlers and checkers running in browsers may read them) and `X-Content-Type-Options: nosniff`.
 *
 * @throws InvalidArgumentError for an unknown kind or a bad `maxAgeSeconds`.
 * @example
 * ```ts
 * import { robotsTxtFor, wellKnownHeaders } from 'noai-tag/robots'
 * new Response(robotsTxtFor(policy), { headers: wellKnownHeaders('robots.txt') })
 * ```
 */
export function wellKnownHeaders(kind: ServedFileKind, options: WellKnownHeadersOptions = {}): Record<string, string> {
  if (!Object.hasOwn(CONTENT_TYPES, kind)) throw new InvalidArgumentError(`kind must be one of ${Object.keys(CONTENT_TYPES).join(', ')}, got ${String(kind)}`)
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_AGE
  if (!Number.isSafeInteger(maxAge) || maxAge < 0) throw new InvalidArgumentError(`maxAgeSeconds must be a non-negative integer, got ${String(maxAge)}`)
  return {
    'Content-Type': CONTENT_TYPES[kind],
    'Cache-Control': `public, max-age=${maxAge}`,
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
  }
}
