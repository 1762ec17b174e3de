/**
 * Values of the AI-usage lines of robots.txt: `Content-Usage` (draft-ietf-aipref-attach §3.2) and
 * `Content-Signal` (Cloudflare Content Signals Policy).
 *
 * @internal
 * @module
 */
import { parseCompact } from '../compact/parse.js'
import type { ContentSignalEntry, RobotsContentSignal, RobotsContentUsage } from './types.js'

/**
 * Reads a Content-Usage value: when it starts with `/`, the path runs to the first SP or HTAB and
 * the rest is the preference; otherwise the whole value is the preference and the path is `/`
 * (earlier revisions of the draft allowed a rule without a path).
 */
export function contentUsageRule(value: string, line: number): RobotsContentUsage {
  let path = '/'
  let pref = value
  if (value.startsWith('/')) {
    const ws = value.search(/[ \t]/)
    path = ws < 0 ? value : value.slice(0, ws)
    pref = ws < 0 ? '' : value.slice(ws).trim()
  }
  const parsed = parseCompact(pref)
  if (!parsed.ok) return { path, value: pref, preferences: null, ignored: [parsed.error], line }
  return { path, value: pref, preferences: parsed.usage, ignored: parsed.ignored.filter((i) => i.reason !== 'has-parameters-ignored').map((i) => i.key), line }
}

/**
 * Reads a Content-Signal value: comma-separated `key=value` entries, whitespace optional. Keys and
 * values are lower-cased (both spellings are seen); entries without `=` are kept with an empty
 * value so that the reader can report them.
 */
export function contentSignalLine(value: string, line: number): RobotsContentSignal {
  const entries: ContentSignalEntry[] = []
  for (const raw of value.split(',')) {
    const item = raw.trim()
    if (item === '') continue
    const eq = item.indexOf('=')
    const key = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase()
    const val = eq < 0 ? '' : item.slice(eq + 1).trim().toLowerCase()
    entries.push({ key, value: val })
  }
  return { value, entries, line }
}
