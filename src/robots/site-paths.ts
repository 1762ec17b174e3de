/**
 * Where the site-level files live on an origin (docs/spec.md §11.3, §11.4).
 *
 * @module
 */
import { WELL_KNOWN } from '../constants.js'

/**
 * The paths of the site-level files a crawler reads, on the origin of the URL it checks.
 *
 * @example
 * ```ts
 * import { SITE_PATHS } from 'noai-tag/robots'
 * new URL(SITE_PATHS.tdmrep, 'https://example.com/a/b.mp3').href // 'https://example.com/.well-known/tdmrep.json'
 * ```
 */
export const SITE_PATHS = {
  /** robots.txt (RFC 9309 §2.3). */
  robotsTxt: '/robots.txt',
  /** Spawning ai.txt: at the root, not under /.well-known/. */
  aiTxt: '/ai.txt',
  /** W3C TDMRep's file on the origin server. */
  tdmrep: '/.well-known/tdmrep.json',
  /** The NoAI Tag site policy (docs/spec.md §9.3). */
  policy: WELL_KNOWN.policy,
} as const
