/**
 * What a parsed tdmrep.json says about one URL (W3C TDMRep; docs/spec.md §11.4).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js'
import type { FoundSignal } from '../signals/types.js'
import { mapStatement, type PendingToken } from './_map.js'
import { compilePattern, patternMatches, requestTarget, type CompiledPattern, type RequestTarget } from './_pattern.js'
import type { TdmrepJson } from './parse-tdmrep-json.js'
import { SITE_PATHS } from './site-paths.js'

const compiled = new WeakMap<TdmrepJson, CompiledPattern[]>()

function patternsOf(file: TdmrepJson): CompiledPattern[] {
  let list = compiled.get(file)
  if (list === undefined) {
    list = file.rules.map((r) => compilePattern(r.location))
    compiled.set(file, list)
  }
  return list
}

/**
 * Reads what a parsed tdmrep.json says about one URL. The first rule whose `location` matches the
 * URL's path wins (TDMRep: "the most specific match is the first in sequence"); patterns use the
 * robots.txt wildcards and match case-sensitively after percent-normalisation (RFC 9309 §2.2.2).
 * Through the mapping table (signal `tdmrep`): `tdm-reservation: 1` denies `tdm`, `0` allows it,
 * any other value is unset (a signal with no usage and a note). `tdm-policy` is reported as a
 * token, with a note that agents should not process it when the reservation is 0. No matching
 * rule: no signal.
 *
 * @param url - an absolute http(s) URL or a path starting with `/`
 * @throws InvalidArgumentError for a bad URL or a `file` that is not a parse result.
 * @example
 * ```ts
 * import { parseTdmrepJson, tdmrepSignals } from 'noai-tag/robots'
 * const file = parseTdmrepJson('[{"location": "/previews/*.mp3", "tdm-reservation": 0}, {"location": "/", "tdm-reservation": 1}]')
 * tdmrepSignals(file, '/previews/a.mp3')[0]?.usage // { tdm: 'allowed' }
 * tdmrepSignals(file, '/tracks/a.flac')[0]?.usage  // { tdm: 'denied' }
 * ```
 */
export function tdmrepSignals(file: TdmrepJson, url: string): FoundSignal[] {
  if (typeof file !== 'object' || file === null || !Array.isArray(file.rules)) throw new InvalidArgumentError('file must be the result of parseTdmrepJson()')
  return tdmrepSignalsAt(file, requestTarget(url))
}

/** {@link tdmrepSignals} for a URL already split by `requestTarget` (a crawler has it in hand). @internal */
export function tdmrepSignalsAt(file: TdmrepJson, target: RequestTarget): FoundSignal[] {
  const patterns = patternsOf(file)
  const rule = file.rules.find((_r, i) => patternMatches(patterns[i]!, target.path))
  if (rule === undefined) return []
  const pending: PendingToken[] = [
    rule.reservation === null
      ? { token: 'tdm-reservation', value: 'invalid', stated: null, note: 'Not 0 or 1: unset (TDMRep: a protocol error).' }
      : { token: 'tdm-reservation', value: String(rule.reservation), stated: rule.reservation === 1 ? 'denied' : 'allowed' },
  ]
  if (rule.policy !== undefined) {
    const note = rule.reservation === 1 ? 'TDM policy: the terms under which mining may be licensed (not fetched).' : 'TDM policy given with no reservation: agents should not process it (TDMRep).'
    pending.push({ token: 'tdm-policy', value: rule.policy, stated: null, note })
  }
  const m = mapStatement('tdmrep', pending)
  const fileUrl = file.url ?? (target.origin !== undefined ? `${target.origin}${SITE_PATHS.tdmrep}` : undefined)
  return [
    {
      signal: 'tdmrep',
      source: { kind: 'tdmrep.json', ...(fileUrl !== undefined ? { url: fileUrl } : {}), name: `/${rule.index}`, ...(rule.line > 0 ? { line: rule.line } : {}), text: rule.text },
      scope: 'site',
      usage: m.usage,
      tokens: m.tokens,
    },
  ]
}
