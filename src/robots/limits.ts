/**
 * Named limits of the site-level readers (docs/spec.md §11.3 to §11.5). Every length, count and
 * depth read from a robots.txt, ai.txt, tdmrep.json, site policy or RSL document is checked against
 * one of these constants, so that hostile files cost bounded time and memory.
 *
 * @module
 */

/**
 * Limits of the site-level readers.
 *
 * @example
 * ```ts
 * import { SITE_LIMITS } from 'noai-tag/robots'
 * SITE_LIMITS.maxRobotsBytes // 524288: RFC 9309 §2.5 asks for at least 500 KiB
 * ```
 */
export const SITE_LIMITS = {
  /**
   * Bytes of a robots.txt or ai.txt that are parsed; the rest is ignored and the result is marked
   * `truncated` (RFC 9309 §2.5: the parsing limit MUST be at least 500 KiB).
   */
  maxRobotsBytes: 524_288,
  /**
   * Longest robots.txt line, in characters; a longer line is ignored with a warning. The value is
   * Google's (2083 × 8: the longest URL most clients accept, with room for percent-encoding).
   */
  maxLineLength: 16_664,
  /** Most groups kept from one robots.txt; parsing stops at the limit (`truncated`). */
  maxGroups: 4_096,
  /** Most user-agent lines, Allow/Disallow, Content-Usage and Content-Signal lines kept in all. */
  maxRules: 65_536,
  /** Most `Sitemap` and `License` records kept from one robots.txt; further ones are ignored with a warning. */
  maxRecords: 1_024,
  /** Most warnings recorded per parsed file; further problems are counted, not recorded. */
  maxWarnings: 100,
  /** Most signals `robotsSignals` reports for groups of other user agents, per URL. */
  maxOtherAgentSignals: 256,
  /** Longest URL or path accepted by the `*Signals` functions, in characters. */
  maxUrlLength: 16_384,
  /** Largest tdmrep.json, in bytes of UTF-8. */
  maxTdmrepBytes: 524_288,
  /** Most rules in one tdmrep.json. */
  maxTdmrepRules: 4_096,
  /** Largest site policy document, in bytes of UTF-8 (docs/spec.md §11.4). */
  maxPolicyBytes: 524_288,
  /** Deepest JSON nesting in a tdmrep.json or site policy. */
  maxJsonDepth: 32,
  /** Largest RSL licence document, in bytes of UTF-8. */
  maxRslBytes: 524_288,
  /** Deepest element nesting in an RSL document. */
  maxRslDepth: 16,
  /** Most `<content>` elements read from one RSL document. */
  maxRslContents: 4_096,
  /** Most tokens read from one RSL `<permits>` or `<prohibits>` element. */
  maxRslTokens: 64,
} as const
