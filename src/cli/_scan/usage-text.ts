/**
 * The compact form of a usage map for report lines, remembered: a scan meets the same few usage
 * maps (a label's tags all say the same thing) thousands of times, and serialising one through
 * `structured-headers` costs several times more than recognising it.
 *
 * @module
 */
import { formatCompact } from '../../compact/format.js'

/** Distinct usage maps remembered; the memo starts over when it is full (bounds memory). */
export const USAGE_MEMO_ENTRIES = 1024

const memo = new Map<string, string>()

/**
 * `formatCompact(usage)`, remembered by the map's members and values (in their order). Throws as
 * `formatCompact` does (nothing is remembered then).
 *
 * @example
 * ```ts
 * usageText({ 'train-ai': 'denied', search: 'allowed' }) // 'search=y, train-ai=n'
 * ```
 */
export function usageText(usage: Readonly<Record<string, 'allowed' | 'denied' | undefined>>): string {
  // The key lists the members with a value, each name JSON-quoted (so that no two maps share a
  // key) and followed by y or n. A value other than allowed/denied is left to formatCompact, which
  // refuses it.
  let key = ''
  for (const k of Object.keys(usage)) {
    const v = usage[k]
    if (v === undefined) continue
    if (v !== 'allowed' && v !== 'denied') return formatCompact(usage)
    key += `${JSON.stringify(k)}${v === 'allowed' ? 'y' : 'n'}`
  }
  let text = memo.get(key)
  if (text === undefined) {
    text = formatCompact(usage)
    if (memo.size >= USAGE_MEMO_ENTRIES) memo.clear()
    memo.set(key, text)
  }
  return text
}
