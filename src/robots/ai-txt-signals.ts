/**
 * What a parsed ai.txt says about one URL (docs/spec.md §11.4).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { FoundSignal } from '../signals/types.js'
import { decidingRule, indexOf } from './_groups.js'
import { mapStatement } from './_map.js'
import { requestTarget } from './_pattern.js'
import { clip } from './_text.js'
import { productToken } from './parse-robots-txt.js'
import type { RobotsTxt } from './types.js'

/** Options of {@link aiTxtSignals}. */
export interface AiTxtSignalsOptions {
  /** The crawler's product token, matched as in robots.txt (RFC 9309 §2.2.1). */
  readonly userAgent: string
}

/**
 * Reads what a parsed ai.txt says about one URL: the group for the crawler (else `*`), the rule
 * with the longest matching pattern (Allow wins ties, as in robots.txt), and through the mapping
 * table (docs/spec.md §7.2, signal `ai-txt`): a `Disallow` denies `train-ai`, an explicit `Allow`
 * allows it. No matching rule: no signal (ai.txt defines no default).
 *
 * @param url - an absolute http(s) URL or a path starting with `/`
 * @throws InvalidArgumentError for a bad URL, a `userAgent` without a product token, or a parse
 *   result that is not an ai.txt.
 * @example
 * ```ts
 * import { parseAiTxt, aiTxtSignals } from 'noai-tag/robots'
 * const ai = parseAiTxt('User-Agent: *\nDisallow: /\nAllow: /blog/\n')
 * aiTxtSignals(ai, '/blog/post', { userAgent: 'ExampleBot' })[0]?.usage // { 'train-ai': 'allowed' }
 * aiTxtSignals(ai, '/track.mp3', { userAgent: 'ExampleBot' })[0]?.usage // { 'train-ai': 'denied' }
 * ```
 */
export function aiTxtSignals(aiTxt: RobotsTxt, url: string, options: AiTxtSignalsOptions): FoundSignal[] {
  if (typeof aiTxt !== 'object' || aiTxt === null || aiTxt.format !== 'ai.txt') throw new InvalidArgumentError('aiTxt must be the result of parseAiTxt()')
  const token = typeof options?.userAgent === 'string' ? productToken(options.userAgent.trim()) : ''
  if (token === '' || token === '*') throw new InvalidArgumentError('options.userAgent must start with a product token (letters, "_" and "-")')
  const { path } = requestTarget(url)
  const index = indexOf(aiTxt)
  const mine = index.agents.get(token.toLowerCase()) ?? index.star
  if (mine === undefined) return []
  const rule = decidingRule(mine, path)
  if (rule === undefined) return []
  const name = rule.type === 'allow' ? 'Allow' : 'Disallow'
  // The table's ai-txt row is named for Disallow; an Allow is its allow form.
  const m = mapStatement('ai-txt', [{ token: 'Disallow', value: rule.pattern, stated: rule.type === 'allow' ? 'allowed' : 'denied' }])
  return [
    {
      signal: 'ai-txt',
      source: { kind: 'ai.txt', ...(aiTxt.url !== undefined ? { url: aiTxt.url } : {}), name, line: rule.line, text: clip(`${name}: ${rule.pattern}`) },
      scope: 'site',
      ...(mine !== index.star ? { agent: mine.token } : {}),
      usage: m.usage,
      tokens: m.tokens.map((t) => ({ ...t, token: name })),
    },
  ]
}
