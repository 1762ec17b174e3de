// Fuzz target policy: the site policy file (/.well-known/noai-tag/policy.json). parsePolicy on
// mutated and generated policies, then policySignals for paths from the policy's rules and the
// writers that derive robots.txt lines, tdmrep.json and ai.txt from it. Properties: a value or a
// library error in bounded time; what parsePolicy accepts is what JSON.parse reads and
// validatePolicy accepts; the result survives JSON; policySignals gives statements (or refuses a
// URL) and invents none; the writers never fail on a policy parsePolicy accepted.
import fc from 'fast-check'
import { aiTxtFor, parsePolicy, policySignals, robotsTxtFor, tdmrepJsonFor, validatePolicy } from '../../src/robots.js'
import { policyArb } from '../_arbitraries.js'
import { mutateJson, type Rng } from '../_mutate.js'
import { webBodies } from '../_seeds.js'
import { call, deepEqual, defineTarget, fail, show, textCodec } from '../_target.js'
import { checkJsonSafe, checkSignals, sitePaths } from './_site-json.js'

const KEYS = ['version', 'issuer', 'default', 'rules', 'usage', 'path', 'license', 'contact', 'keys', 'rsl', 'essence', 'updated', 'format', 'sha256', 'train-ai', 'all', 'search', '$schema']
const VALUES = ['allowed', 'denied', '/', '/*', '/a$', '/music/*.mp3', 'https://site.example', 'https://site.example/l', '2026-11-26T00:00:00Z', { 'train-ai': 'denied' }, [{ path: '/x', usage: { all: 'denied' } }]]

export function checkPolicy(text: string): void {
  const parsed = call('parsePolicy', () => parsePolicy(text))
  if (!parsed.ok) return
  const policy = parsed.value
  let native: unknown
  try {
    native = JSON.parse(text)
  } catch {
    fail('parsePolicy', 'accepted text that JSON.parse rejects')
  }
  if (!deepEqual(native, policy)) fail('parsePolicy', `read ${show(policy)}, JSON.parse reads ${show(native)}`)
  if (!validatePolicy(native).ok) fail('parsePolicy', 'accepted a value validatePolicy rejects')
  checkJsonSafe('parsePolicy', policy)
  const policyUrl = 'https://site.example/.well-known/noai-tag/policy.json'
  checkSignals('policySignals', text, sitePaths((policy.rules ?? []).map((r) => r.path)), (url) => policySignals(policy, url, { policyUrl }), /\\/.test(text))
  const writers: [string, () => unknown][] = [['robotsTxtFor', () => robotsTxtFor(policy)], ['tdmrepJsonFor', () => tdmrepJsonFor(policy)], ['aiTxtFor', () => aiTxtFor(policy)]]
  for (const [op, write] of writers) {
    const w = call(op, write)
    if (!w.ok) fail(op, `cannot write from a policy parsePolicy accepted: ${w.error.code}: ${w.error.message}`)
  }
}

export default defineTarget<string>({
  name: 'policy',
  about: 'site policy: parsePolicy, policySignals and the robots.txt/tdmrep.json/ai.txt writers on mutated and generated policies',
  codec: textCodec,
  ext: '.json',
  shrink: 'text',
  async load() {
    const seeds = [...new Set([...webBodies((r) => r.path.endsWith('policy.json')), ...fc.sample(policyArb, { numRuns: 8, seed: 13 }).map((p) => JSON.stringify(p, null, 1))])]
    return {
      seeds,
      mutate: (r: Rng) => mutateJson(r.pick(seeds), r, KEYS, VALUES, ['{', '}', '[', ']', ',', '"usage":{}', '"path":"/"'], seeds),
      arbitrary: policyArb.map((p) => JSON.stringify(p)),
      check: checkPolicy,
    }
  },
})
