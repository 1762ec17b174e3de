/**
 * What a site policy says about one URL, or about a recording by its essence digest (docs/spec.md
 * §11.4).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { NoaiPolicy, PolicyEssence } from '../model/_policy.generated.js'
import type { UsagePreferences } from '../model/tag.js'
import type { FoundSignal, ReadToken } from '../signals/types.js'
import { knownUsage } from '../vocabulary/resolve.js'
import { isUse } from '../vocabulary/uses.js'
import { originOf, requestTarget } from './_pattern.js'
import { statementsFor } from './_policy.js'
import { clip } from './_text.js'
import { SITE_PATHS } from './site-paths.js'

/** Options of {@link policySignals}. */
export interface PolicySignalsOptions {
  /**
   * Where the policy was fetched from.
   * @defaultValue the policy path on the URL's origin (else on the issuer)
   */
  readonly policyUrl?: string
  /**
   * Essence digests of the recording at the URL, when the caller has computed them: entries of the
   * policy's `essence` list with the same format and digest are reported too.
   */
  readonly essence?: readonly { readonly format: string; readonly sha256: string }[]
}

function tokensOf(usage: UsagePreferences): ReadToken[] {
  return Object.entries(usage).flatMap(([use, value]): ReadToken[] => {
    if (value === undefined) return []
    const v = value === 'denied' ? 'denied' : 'allowed'
    return [isUse(use) ? { token: use, value: v, read: v } : { token: use, value: v, read: 'ignored', note: 'not a use of v1; ignored (docs/spec.md §6.4)' }]
  })
}

function statementSignal(url: string, pointer: string, usage: UsagePreferences, text: string, extra: ReadToken[] = []): FoundSignal {
  return {
    signal: 'noai-tag',
    source: { kind: 'policy', url, name: pointer, text: clip(text) },
    scope: 'site',
    usage: knownUsage(usage),
    tokens: [...tokensOf(usage), ...extra],
  }
}

const essenceKey = (e: { readonly format: string; readonly sha256: string }): string => `${e.format}:${e.sha256.toLowerCase()}`

/**
 * Reads what a site policy says about one URL: the rule whose `path` pattern matches with the
 * longest pattern (robots.txt wildcards, percent-normalised, case-sensitive) states the complete
 * preferences for the URL, replacing the default; equally long matching rules all apply (one signal
 * each, so that combining them makes the most restrictive win); with no matching rule, the default
 * applies. Each signal is `noai-tag`, scope `site`, source kind `policy`. A `license` is reported as
 * an ignored token.
 *
 * With `options.essence`, every entry of the policy's `essence` list with the same format and
 * digest is reported as well (its own usage, or the default's): the site says it tagged that
 * recording, so the statement holds even when the file's own tag was stripped.
 *
 * A policy applies only to URLs on the origin it was fetched from, whatever its `issuer` says
 * (docs/spec.md §11.4.1): pass that URL as `policyUrl`.
 *
 * @param url - an absolute http(s) URL or a path starting with `/`
 * @throws InvalidArgumentError for a bad URL, a URL on another origin than `policyUrl`, or a
 *   `policy` that is not an object.
 * @example
 * ```ts
 * import { policySignals, type NoaiPolicy } from 'noai-tag/robots'
 * const policy: NoaiPolicy = { version: 1, issuer: 'https://music.example', updated: '2026-11-26T00:00:00Z',
 *   default: { usage: { 'train-ai': 'denied', search: 'allowed' } },
 *   rules: [{ path: '/press/', usage: { all: 'allowed' } }] }
 * policySignals(policy, 'https://music.example/press/kit.zip')[0]?.usage // { all: 'allowed' }
 * policySignals(policy, 'https://music.example/tracks/1.mp3')[0]?.usage // { 'train-ai': 'denied', search: 'allowed' }
 * ```
 */
export function policySignals(policy: NoaiPolicy, url: string, options: PolicySignalsOptions = {}): FoundSignal[] {
  if (typeof policy !== 'object' || policy === null || typeof policy.default !== 'object' || policy.default === null) {
    throw new InvalidArgumentError('policy must be a site policy (see parsePolicy/validatePolicy)')
  }
  const target = requestTarget(url)
  const fetchedFrom = originOf(options.policyUrl)
  if (fetchedFrom !== undefined && target.origin !== undefined && fetchedFrom !== target.origin) {
    throw new InvalidArgumentError(`${url.slice(0, 200)} is not on ${fetchedFrom}: a site policy applies to its own origin only (docs/spec.md §11.4.1)`)
  }
  const from = options.policyUrl ?? `${target.origin ?? policy.issuer}${SITE_PATHS.policy}`
  const out = statementsFor(policy, target.path).map((s) => {
    const license: ReadToken[] = s.license !== undefined ? [{ token: 'license', value: s.license, read: 'ignored', note: 'Terms under which denied uses may be licensed.' }] : []
    return statementSignal(from, s.pointer, s.usage, JSON.stringify({ path: s.path, usage: s.usage }), license)
  })
  if (options.essence !== undefined && policy.essence !== undefined) {
    const wanted = new Set(options.essence.map(essenceKey))
    policy.essence.forEach((e: PolicyEssence, i) => {
      if (!wanted.has(essenceKey(e))) return
      const note: ReadToken = { token: 'essence', value: `${e.format}:${e.sha256}`, read: 'ignored', note: 'The site lists this recording as tagged: its statement holds even if the file lost its tag.' }
      out.push(statementSignal(from, `/essence/${i}`, e.usage ?? policy.default.usage, JSON.stringify(e), [note]))
    })
  }
  return out
}
