/**
 * Parsing Spawning's `/ai.txt` (docs/spec.md §11.4): the robots.txt grammar, with path patterns and
 * file-extension globs such as `*.mp3`, read as AI-training preferences.
 *
 * @module
 */
import { parseRobotsGrammar, type ParseRobotsTxtOptions } from './parse-robots-txt.js'
import type { RobotsTxt } from './types.js'

/** Options of {@link parseAiTxt}: the same as for robots.txt. */
export type ParseAiTxtOptions = ParseRobotsTxtOptions

/**
 * Parses an ai.txt file with the robots.txt grammar and limits (`format: 'ai.txt'` in the result).
 * Evaluate it with `aiTxtSignals`. Lines that only mean something in robots.txt (Content-Usage,
 * Content-Signal, License) are kept in the parse but not read from an ai.txt.
 *
 * @param text - the body of `/ai.txt`, decoded as UTF-8
 * @throws InvalidArgumentError when `text` is not a string.
 * @example
 * ```ts
 * import { parseAiTxt, aiTxtSignals } from 'noai-tag/robots'
 * const ai = parseAiTxt('# Spawning AI\nUser-Agent: *\nDisallow: *.mp3\n')
 * aiTxtSignals(ai, 'https://example.com/a/b.mp3', { userAgent: 'ExampleBot' })[0]?.usage // { 'train-ai': 'denied' }
 * ```
 */
export function parseAiTxt(text: string, options: ParseAiTxtOptions = {}): RobotsTxt {
  return parseRobotsGrammar(text, 'ai.txt', options)
}
