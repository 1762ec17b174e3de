/**
 * Parsing `/.well-known/tdmrep.json` (W3C TDMRep, CG Final Report 2024-05-10, "TDM file on the
 * origin server"; docs/spec.md §11.4).
 *
 * @module
 */
import { LimitExceededError } from '../errors.js'
import { parseJsonStrict } from '../_internal/json.js'
import { SiteFileError } from './errors.js'
import { SITE_LIMITS } from './limits.js'
import { checkTextSize, clip } from './_text.js'

/** One rule of a tdmrep.json. */
export interface TdmrepRule {
  /** 0-based position in the array (first matching rule wins). */
  readonly index: number
  /** 1-based line of the rule in the file. */
  readonly line: number
  /** The `location` path pattern (robots.txt wildcards); a full URL's path when a URL was written. */
  readonly location: string
  /** `tdm-reservation`: 1 reserved, 0 not reserved, `null` for any other value (unset, a protocol error). */
  readonly reservation: 0 | 1 | null
  /** `tdm-policy`, when it is a string. */
  readonly policy?: string
  /** The rule as written, for explanations (at most 512 characters). */
  readonly text: string
}

/** A parsed tdmrep.json. */
export interface TdmrepJson {
  /** Where the file was fetched from, when the caller said. */
  readonly url?: string
  /** The usable rules, in file order. */
  readonly rules: readonly TdmrepRule[]
  /** Rules skipped or values not read, with their line. */
  readonly warnings: readonly { readonly line: number; readonly message: string }[]
}

/** Options of {@link parseTdmrepJson}. */
export interface ParseTdmrepJsonOptions {
  /** Where the file was fetched from; recorded in the result and in every signal's source. */
  readonly url?: string
}

type Warn = (line: number, message: string) => void

function location(value: unknown, line: number, warn: Warn): string | undefined {
  if (typeof value !== 'string' || value === '') {
    warn(line, 'rule without a "location" string skipped')
    return undefined
  }
  if (/^https?:\/\//i.test(value)) {
    // Seen in the wild though the spec asks for a path: read the URL's path.
    const rest = value.replace(/^https?:\/\/[^/?#]*/i, '')
    warn(line, `location ${JSON.stringify(clip(value))} is a URL; its path is used`)
    return rest === '' ? '/' : rest
  }
  if (!value.startsWith('/') && !value.startsWith('*')) warn(line, `location ${JSON.stringify(clip(value))} does not start with "/" or "*" and matches no path`)
  return value
}

function rule(value: unknown, index: number, line: number, warn: Warn): TdmrepRule | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    warn(line, `rule ${index} is not an object; skipped`)
    return undefined
  }
  const r = value as Record<string, unknown>
  const loc = location(r['location'], line, warn)
  if (loc === undefined) return undefined
  const res = r['tdm-reservation']
  const reservation = res === 0 || res === 1 ? res : null
  if (reservation === null) warn(line, `tdm-reservation ${clip(JSON.stringify(res) ?? 'missing')} is not 0 or 1: unset (TDMRep: a protocol error)`)
  const pol = r['tdm-policy']
  if (pol !== undefined && typeof pol !== 'string') warn(line, 'tdm-policy is not a string; ignored')
  return { index, line, location: loc, reservation, ...(typeof pol === 'string' ? { policy: pol } : {}), text: clip(JSON.stringify(value)) }
}

/**
 * Parses a tdmrep.json: a JSON array of rules `{ location, tdm-reservation, tdm-policy? }`. A rule
 * without a usable `location` is skipped with a warning; a `tdm-reservation` other than the
 * numbers 0 and 1 is kept as unset (`reservation: null`), as TDMRep requires. A leading byte order
 * mark is ignored; otherwise the JSON is read strictly (no duplicate member names).
 *
 * @throws LimitExceededError over `SITE_LIMITS.maxTdmrepBytes` or `maxTdmrepRules`;
 *   JsonParseError for text that is not JSON; SiteFileError (`ERR_NOAI_MALFORMED_INPUT`) when the
 *   JSON is not an array.
 * @example
 * ```ts
 * import { parseTdmrepJson, tdmrepSignals } from 'noai-tag/robots'
 * const file = parseTdmrepJson('[{"location": "/music/*", "tdm-reservation": 1, "tdm-policy": "https://label.example/tdm.json"}]')
 * tdmrepSignals(file, 'https://label.example/music/a.mp3')[0]?.usage // { tdm: 'denied' }
 * ```
 */
export function parseTdmrepJson(text: string, options: ParseTdmrepJsonOptions = {}): TdmrepJson {
  checkTextSize(text, 'maxTdmrepBytes', SITE_LIMITS.maxTdmrepBytes, 'tdmrep.json')
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const { value, positions } = parseJsonStrict(body, { maxDepth: SITE_LIMITS.maxJsonDepth, positions: true })
  if (!Array.isArray(value)) {
    const kind = value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
    throw new SiteFileError('tdmrep.json', `tdmrep.json must be a JSON array of rules (TDMRep), but it is ${kind}`)
  }
  if (value.length > SITE_LIMITS.maxTdmrepRules) throw new LimitExceededError('maxTdmrepRules', SITE_LIMITS.maxTdmrepRules, value.length, 'tdmrep.json rule count')
  const warnings: { line: number; message: string }[] = []
  const warn: Warn = (line, message) => {
    if (warnings.length < SITE_LIMITS.maxWarnings) warnings.push({ line, message })
  }
  const rules: TdmrepRule[] = []
  value.forEach((item, i) => {
    const r = rule(item, i, positions?.get(`/${i}`)?.line ?? 0, warn)
    if (r) rules.push(r)
  })
  return { ...(options.url !== undefined ? { url: options.url } : {}), rules, warnings }
}
