/**
 * Parsing a site policy document (docs/spec.md §11.4): size limit, strict JSON, validation.
 *
 * @module
 */
import { parseJsonStrict } from '../_internal/json.js'
import type { NoaiPolicy } from '../model/_policy.generated.js'
import { SiteFileError } from './errors.js'
import { SITE_LIMITS } from './limits.js'
import { checkTextSize } from './_text.js'
import { validatePolicy } from './validate-policy.js'

/**
 * Parses and validates a site policy from the JSON text served at
 * `/.well-known/noai-tag/policy.json`. The JSON rules are those of tag documents (docs/spec.md
 * §4.10): no byte order mark, no duplicate member names, bounded depth.
 *
 * @throws LimitExceededError over `SITE_LIMITS.maxPolicyBytes`; JsonParseError for text that is
 *   not strict JSON; SiteFileError (`ERR_NOAI_MALFORMED_INPUT`, with `issues`) for JSON that is not
 *   a valid policy.
 * @example
 * ```ts
 * import { parsePolicy, policySignals } from 'noai-tag/robots'
 * const policy = parsePolicy(await (await fetch('https://music.example/.well-known/noai-tag/policy.json')).text())
 * policySignals(policy, 'https://music.example/tracks/1.mp3')
 * ```
 */
export function parsePolicy(text: string): NoaiPolicy {
  checkTextSize(text, 'maxPolicyBytes', SITE_LIMITS.maxPolicyBytes, 'site policy')
  const { value } = parseJsonStrict(text, { maxDepth: SITE_LIMITS.maxJsonDepth })
  const r = validatePolicy(value)
  if (!r.ok) {
    const first = r.issues[0]
    throw new SiteFileError('policy', `invalid site policy: ${first ? `${first.path || '/'}: ${first.message}` : 'not a policy'}${r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : ''}`, { issues: r.issues })
  }
  return r.policy
}
