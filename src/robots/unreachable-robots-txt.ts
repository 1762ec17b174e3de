/**
 * The parsed form of a robots.txt that could not be fetched (RFC 9309 §2.3.1.4, docs/spec.md
 * §11.3).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { RobotsTxt, RobotsUnreachableReason } from './types.js'

/** Options of {@link unreachableRobotsTxt}. */
export interface UnreachableRobotsTxtOptions {
  /** Where robots.txt was requested. */
  readonly url?: string
}

const REASONS: readonly RobotsUnreachableReason[] = ['server-error', 'too-many-requests', 'timeout', 'network-error']

/**
 * A `RobotsTxt` for a robots.txt that was unreachable (5xx, 429, timeout, network error): it has
 * one `*` group with `Disallow: /`, and `robotsSignals` reports a complete disallow with the reason,
 * for every crawler. Like any parse result it is plain data and can be cached; RFC 9309 §2.4 lets
 * a crawler keep using an earlier copy instead.
 *
 * @throws InvalidArgumentError for an unknown reason.
 * @example
 * ```ts
 * import { robotsStatusPolicy, unreachableRobotsTxt, parseRobotsTxt } from 'noai-tag/robots'
 * const action = robotsStatusPolicy(res.status)
 * const robots = action === 'parse' ? parseRobotsTxt(await res.text(), { url })
 *   : action === 'disallow-all' ? unreachableRobotsTxt(res.status === 429 ? 'too-many-requests' : 'server-error', { url })
 *   : undefined // no robots.txt: no crawl rules
 * ```
 */
export function unreachableRobotsTxt(reason: RobotsUnreachableReason, options: UnreachableRobotsTxtOptions = {}): RobotsTxt {
  if (!REASONS.includes(reason)) throw new InvalidArgumentError(`reason must be one of ${REASONS.join(', ')}, got ${String(reason)}`)
  return {
    format: 'robots.txt',
    ...(options.url !== undefined ? { url: options.url } : {}),
    groups: [{ line: 0, userAgents: [{ value: '*', token: '*', line: 0 }], rules: [{ type: 'disallow', pattern: '/', line: 0 }], contentUsage: [], contentSignals: [] }],
    sitemaps: [],
    licenses: [],
    warnings: [],
    truncated: false,
    parsedBytes: 0,
    unreachable: reason,
  }
}
