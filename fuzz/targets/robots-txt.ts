// Fuzz target robots-txt: parseRobotsTxt and robotsSignals (RFC 9309 groups, Allow/Disallow,
// aipref Content-Usage, Content Signals, RSL License). See fuzz/targets/_robots-grammar.ts.
import fc from 'fast-check'
import { parseRobotsTxt, robotsSignals, robotsTxtFor } from '../../src/robots.js'
import { policyArb } from '../_arbitraries.js'
import { corpus, webBodies } from '../_seeds.js'
import { grammarTarget } from './_robots-grammar.js'

export default grammarTarget({
  name: 'robots-txt',
  about: 'robots.txt: parseRobotsTxt and robotsSignals on mutated and generated files',
  parse: (text, options) => parseRobotsTxt(text, options),
  signals: (parsed, url, userAgent) => robotsSignals(parsed, url, { userAgent }),
  seeds: () => [...webBodies((r) => r.path.endsWith('.txt')), ...corpus('robots-txt'), ...fc.sample(policyArb, { numRuns: 6, seed: 3 }).map((p) => robotsTxtFor(p))],
})
