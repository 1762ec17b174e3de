/**
 * Writing Spawning's `/ai.txt` from a site policy (docs/spec.md §7.1, §11.4).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { NoaiPolicy } from '../model/_policy.generated.js'
import { pathRuleLines } from './_emit.js'

/**
 * Writes an ai.txt for a site policy, or returns `undefined` when AI training is denied nowhere
 * (ai.txt exists to deny training; with nothing to deny, serve no file). `Disallow` lines cover
 * the paths where the answer for `train-ai` is denied; `Allow` lines the rule paths where it is
 * allowed (an explicit `Allow` reads as allowing training, docs/spec.md §7.2). ai.txt cannot say
 * "unknown": a rule path whose answer is unknown gets `Disallow` when a less specific `Allow` could
 * match its paths, and no line otherwise. A reader thus never
 * reads an allow the policy does not give.
 *
 * @throws InvalidArgumentError when `policy` has no default statement.
 * @example
 * ```ts
 * import { aiTxtFor } from 'noai-tag/robots'
 * aiTxtFor({ version: 1, issuer: 'https://music.example', updated: '2026-11-26T00:00:00Z', default: { usage: { 'train-ai': 'denied' } } })
 * // '# Spawning AI\n# AI training preferences of https://music.example (NoAI Tag site policy)\nUser-Agent: *\nDisallow: /\n'
 * ```
 */
export function aiTxtFor(policy: NoaiPolicy): string | undefined {
  if (typeof policy !== 'object' || policy === null || typeof policy.default !== 'object' || policy.default === null) {
    throw new InvalidArgumentError('policy must be a site policy with a default statement')
  }
  const rules = pathRuleLines(policy, 'train-ai', { allowMeansAllowed: true })
  if (rules.length === 0) return undefined
  return ['# Spawning AI', `# AI training preferences of ${policy.issuer} (NoAI Tag site policy)`, 'User-Agent: *', ...rules, ''].join('\n')
}
