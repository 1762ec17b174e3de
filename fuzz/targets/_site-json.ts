// Helpers shared by the site-file targets (tdmrep-json, policy, rsl).
import { call, checkNotInvented, deepEqual, fail, show } from '../_target.js'
import type { FoundSignal } from '../../src/signals/types.js'

/** Paths to ask about: made from the file's own patterns, and a few fixed ones. */
export function sitePaths(patterns: readonly string[]): string[] {
  const out = new Set(['/', '/a', '/music/a.mp3', '/press/kit.zip', '/%7Euser/x', '/\u00e9'])
  for (const p of patterns) {
    if (out.size >= 12) break
    const path = p.replace(/^https?:\/\/[^/]*/, '').replace(/\*/g, 'x').replace(/\$$/, '')
    if (path.startsWith('/')) out.add(path)
  }
  return [...out].map((p, i) => (i % 2 === 0 ? `https://site.example${p}` : p))
}

/** The parse result survives JSON (it is meant to be cached). */
export function checkJsonSafe(op: string, value: unknown): void {
  if (!deepEqual(JSON.parse(JSON.stringify(value)), value)) fail(op, 'the result does not survive JSON.stringify/JSON.parse')
}

/** Runs a signals function for each path: statements, or a library error for a URL it refuses; none invented. */
export function checkSignals(op: string, text: string, paths: readonly string[], signals: (url: string) => FoundSignal[], lenient: boolean): void {
  for (const url of paths) {
    const s = call(op, () => signals(url))
    if (!s.ok) {
      if (s.error.code !== 'ERR_NOAI_INVALID_ARGUMENT') fail(op, `threw ${s.error.code} for ${show(url)}: ${s.error.message}`)
      continue
    }
    checkNotInvented(op, s.value, text, lenient)
  }
}
