import { describe, expect, it } from 'vitest'
import { formatCompact, parseCompact, parseTag, preferenceFor, resolvePreferences, normalizeUse } from '../src/index.js'

describe('core smoke', () => {
  it('parses, resolves and formats a tag', () => {
    const tag = parseTag('{"version":1,"subject":{"self":true},"usage":{"all":"denied","search":"allowed"},"issued":"2026-11-26T00:00:00Z"}')
    const r = resolvePreferences(tag.usage)
    expect(preferenceFor(r, 'search')).toBe('allowed')
    expect(preferenceFor(r, 'train-genai')).toBe('denied')
    expect(formatCompact(tag.usage)).toBe('all=n, search=y')
    expect(parseCompact('train-ai=n, search=y')).toEqual({ ok: true, usage: { 'train-ai': 'denied', search: 'allowed' }, ignored: [] })
    expect(normalizeUse('ai-train')).toBe('train-ai')
  })
})
