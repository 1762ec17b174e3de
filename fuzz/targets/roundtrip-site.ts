// Fuzz target roundtrip-site: generated valid site policies. Properties: the policy's JSON parses
// back (parsePolicy) to an equal value; the robots.txt lines, tdmrep.json and ai.txt written from
// it parse back without a single warning (tdmrep.json with one rule per rule written); and for each
// rule's literal path, policySignals states exactly the usage of one of the policy's statements.
import fc from 'fast-check'
import { knownUsage } from '../../src/index.js'
import { aiTxtFor, parseAiTxt, parsePolicy, parseRobotsTxt, parseTdmrepJson, policySignals, robotsTxtFor, tdmrepJsonFor, type NoaiPolicy } from '../../src/robots.js'
import { policyArb } from '../_arbitraries.js'
import { call, deepEqual, defineTarget, fail, jsonCodec, show } from '../_target.js'

export function checkSite(policy: NoaiPolicy): void {
  const parsed = call('parsePolicy', () => parsePolicy(JSON.stringify(policy)))
  if (!parsed.ok) fail('parsePolicy', `a generated policy does not parse: ${parsed.error.message}`)
  if (!deepEqual(parsed.value, policy)) fail('parsePolicy', `parsed back ${show(parsed.value)}`)
  const robots = call('robotsTxtFor', () => robotsTxtFor(policy))
  if (!robots.ok) fail('robotsTxtFor', `${robots.error.code}: ${robots.error.message}`)
  const r = parseRobotsTxt(robots.value)
  if (r.warnings.length > 0) fail('parseRobotsTxt(robotsTxtFor)', `warnings ${show(r.warnings)} for ${show(robots.value, 400)}`)
  const tdm = call('tdmrepJsonFor', () => tdmrepJsonFor(policy))
  if (!tdm.ok) fail('tdmrepJsonFor', `${tdm.error.code}: ${tdm.error.message}`)
  const t = call('parseTdmrepJson(tdmrepJsonFor)', () => parseTdmrepJson(JSON.stringify(tdm.value)))
  if (!t.ok) fail('parseTdmrepJson(tdmrepJsonFor)', `${t.error.code}: ${t.error.message}`)
  if (t.value.warnings.length > 0 || t.value.rules.length !== tdm.value.length) fail('parseTdmrepJson(tdmrepJsonFor)', `${t.value.rules.length} rules of ${tdm.value.length}, warnings ${show(t.value.warnings)}`)
  const ai = call('aiTxtFor', () => aiTxtFor(policy))
  if (!ai.ok) fail('aiTxtFor', `${ai.error.code}: ${ai.error.message}`)
  if (ai.value !== undefined) {
    const a = parseAiTxt(ai.value)
    if (a.warnings.length > 0) fail('parseAiTxt(aiTxtFor)', `warnings ${show(a.warnings)}`)
  }
  const statements = [policy.default.usage, ...(policy.rules ?? []).map((x) => x.usage)].map((u) => knownUsage(u))
  for (const rule of policy.rules ?? []) {
    // An absolute URL: a rule path may start with `//`, which as a bare reference would name a host.
    const path = `https://site.example${rule.path.replace(/\*/g, '').replace(/\$$/, '')}`
    const s = call('policySignals', () => policySignals(policy, path))
    if (!s.ok) fail('policySignals', `${s.error.code} for ${show(path)}: ${s.error.message}`)
    const mine = s.value.filter((x) => x.signal === 'noai-tag')
    if (mine.length === 0 && statements.some((u) => Object.keys(u).length > 0)) continue
    for (const x of mine) if (Object.keys(x.usage).length > 0 && !statements.some((u) => deepEqual(u, x.usage))) fail('policySignals', `usage ${show(x.usage)} for ${show(path)} is none of the policy's statements`)
  }
}

export default defineTarget<NoaiPolicy>({
  name: 'roundtrip-site',
  about: 'generated site policies: parsePolicy, and robots.txt/tdmrep.json/ai.txt written from them parse back cleanly',
  codec: jsonCodec<NoaiPolicy>(),
  ext: '.json',
  shrink: 'none',
  async load() {
    return { seeds: fc.sample(policyArb, { numRuns: 6, seed: 23 }), arbitrary: policyArb, check: checkSite }
  },
})
