/**
 * What a crawler does with the answer to its robots.txt request (RFC 9309 §2.3.1, docs/spec.md
 * §11.3).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'

/** The outcome of a robots.txt fetch, as {@link robotsStatusPolicy} takes it. */
export type RobotsFetchOutcome = number | 'timeout' | 'network-error'

/**
 * What to do with a robots.txt response:
 * - `'parse'`: parse the body (`parseRobotsTxt`) and follow it (RFC 9309 §2.3.1.1);
 * - `'none'`: there is no robots.txt, so no crawl rules apply (RFC 9309 §2.3.1.3);
 * - `'disallow-all'`: the file is unreachable, so assume complete disallow (RFC 9309 §2.3.1.4);
 *   `unreachableRobotsTxt` builds the parsed form that says so.
 */
export type RobotsStatusAction = 'parse' | 'none' | 'disallow-all'

/**
 * Maps the final status of a robots.txt fetch (after following redirects) to what the crawler
 * does:
 *
 * | Outcome | Action |
 * | --- | --- |
 * | 200–299 | `'parse'` |
 * | 300–399 (redirects left unfollowed, or more than five in a row, RFC 9309 §2.3.1.2) | `'none'` |
 * | 400–499 except 429 ("unavailable") | `'none'` |
 * | 429, 500–599 ("unreachable"), `'timeout'`, `'network-error'` | `'disallow-all'` |
 *
 * 429 counts as unreachable, as at Google: the server is asking the crawler to slow down, which is
 * not a statement that no rules exist. A crawler MAY switch an unreachable robots.txt that stays
 * unreachable for a long time (RFC 9309 suggests 30 days) to `'none'` or keep using a cached copy;
 * that choice belongs to the cache, not to this function.
 *
 * @param outcome - an HTTP status code (100–599), `'timeout'` or `'network-error'`
 * @throws InvalidArgumentError for anything else, including 1xx (not a final status).
 * @example
 * ```ts
 * import { robotsStatusPolicy } from 'noai-tag/robots'
 * robotsStatusPolicy(200)       // 'parse'
 * robotsStatusPolicy(404)       // 'none'
 * robotsStatusPolicy(503)       // 'disallow-all'
 * robotsStatusPolicy('timeout') // 'disallow-all'
 * ```
 */
export function robotsStatusPolicy(outcome: RobotsFetchOutcome): RobotsStatusAction {
  if (outcome === 'timeout' || outcome === 'network-error') return 'disallow-all'
  if (typeof outcome !== 'number' || !Number.isInteger(outcome) || outcome < 200 || outcome > 599) {
    throw new InvalidArgumentError(`robots.txt fetch outcome must be a final HTTP status (200-599), 'timeout' or 'network-error', got ${String(outcome)}`)
  }
  if (outcome < 300) return 'parse'
  if (outcome < 500 && outcome !== 429) return 'none'
  return 'disallow-all'
}
