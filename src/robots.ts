/**
 * `noai-tag/robots`: the site-level carriers (docs/spec.md §11.3 to §11.5).
 *
 * Read: robots.txt (RFC 9309 groups and longest match, aipref `Content-Usage`, Content Signals,
 * RSL `License`), Spawning ai.txt, W3C TDMRep's `/.well-known/tdmrep.json`, the NoAI Tag site
 * policy at `/.well-known/noai-tag/policy.json`, and RSL licence documents: pure functions over
 * text that return plain, cacheable data, and `*Signals` functions that say what a file means for
 * one URL as `FoundSignal`s.
 *
 * Write: robots.txt lines, tdmrep.json, ai.txt and the response headers to serve them with, all
 * from one site policy.
 *
 * Fetching is the caller's (or `checkUrl`'s): `robotsStatusPolicy` says what a robots.txt status
 * means. This subpath uses Web APIs only and loads neither jose nor any audio code.
 *
 * @example
 * ```ts
 * import { parseRobotsTxt, robotsSignals, robotsStatusPolicy } from 'noai-tag/robots'
 * const res = await fetch('https://example.com/robots.txt')
 * if (robotsStatusPolicy(res.status) === 'parse') {
 *   const robots = parseRobotsTxt(await res.text(), { url: res.url })
 *   const signals = robotsSignals(robots, 'https://example.com/track.mp3', { userAgent: 'ExampleBot' })
 * }
 * ```
 *
 * @module noai-tag/robots
 */
export { SITE_LIMITS } from './robots/limits.js'
export { SITE_PATHS } from './robots/site-paths.js'
export { SiteFileError, type SiteFileKind } from './robots/errors.js'
export type * from './robots/types.js'
export { parseRobotsTxt, type ParseRobotsTxtOptions } from './robots/parse-robots-txt.js'
export { robotsSignals, type RobotsSignalsOptions } from './robots/robots-signals.js'
export { robotsStatusPolicy, type RobotsFetchOutcome, type RobotsStatusAction } from './robots/robots-status-policy.js'
export { unreachableRobotsTxt, type UnreachableRobotsTxtOptions } from './robots/unreachable-robots-txt.js'
export { parseAiTxt, type ParseAiTxtOptions } from './robots/parse-ai-txt.js'
export { aiTxtSignals, type AiTxtSignalsOptions } from './robots/ai-txt-signals.js'
export { parseTdmrepJson, type TdmrepJson, type TdmrepRule, type ParseTdmrepJsonOptions } from './robots/parse-tdmrep-json.js'
export { tdmrepSignals } from './robots/tdmrep-signals.js'
export {
  parseRsl,
  RSL_NAMESPACE,
  type Rsl,
  type RslContent,
  type RslLicense,
  type RslTerms,
  type RslPayment,
  type ParseRslOptions,
} from './robots/parse-rsl.js'
export { rslSignals } from './robots/rsl-signals.js'
export { validatePolicy, type PolicyValidationResult } from './robots/validate-policy.js'
export { parsePolicy } from './robots/parse-policy.js'
export { policySignals, type PolicySignalsOptions } from './robots/policy-signals.js'
export type { NoaiPolicy, PolicyDefault, PolicyRule, PolicyEssence } from './model/_policy.generated.js'
export { AI_CRAWLERS, type AiCrawler, type AiCrawlerPurpose } from './robots/ai-crawlers.js'
export { robotsTxtFor, type RobotsTxtForOptions } from './robots/robots-txt-for.js'
export { tdmrepJsonFor, type TdmrepRuleOut } from './robots/tdmrep-json-for.js'
export { aiTxtFor } from './robots/ai-txt-for.js'
export { wellKnownHeaders, type ServedFileKind, type WellKnownHeadersOptions } from './robots/well-known-headers.js'
