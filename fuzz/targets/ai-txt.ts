// Fuzz target ai-txt: parseAiTxt and aiTxtSignals (Spawning's ai.txt, the robots.txt grammar).
// See fuzz/targets/_robots-grammar.ts.
import fc from 'fast-check'
import { aiTxtFor, aiTxtSignals, parseAiTxt } from '../../src/robots.js'
import { policyArb } from '../_arbitraries.js'
import { corpus, webBodies } from '../_seeds.js'
import { grammarTarget } from './_robots-grammar.js'

export default grammarTarget({
  name: 'ai-txt',
  about: 'ai.txt: parseAiTxt and aiTxtSignals on mutated and generated files',
  parse: (text, options) => parseAiTxt(text, options),
  signals: (parsed, url, userAgent) => aiTxtSignals(parsed, url, { userAgent }),
  seeds: () => [
    ...corpus('ai-txt'),
    ...webBodies((r) => r.path === '/robots.txt').slice(0, 6),
    ...fc
      .sample(policyArb, { numRuns: 8, seed: 5 })
      .map((p) => aiTxtFor(p))
      .filter((t): t is string => t !== undefined),
  ],
})
