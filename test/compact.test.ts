import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, LIMITS, USES, formatCompact, parseCompact } from '../src/index.js'

describe('compact form (docs/spec.md §8)', () => {
  it('serialises in canonical order with y/n tokens', () => {
    expect(formatCompact({ 'ai-input': 'allowed', search: 'allowed', 'train-ai': 'denied' })).toBe('search=y, train-ai=n, ai-input=y')
    expect(formatCompact({ 'org.b': 'denied', 'org.a': 'allowed', all: 'denied' })).toBe('all=n, org.a=y, org.b=n')
  })
  it('rejects labels and values it cannot write', () => {
    expect(() => formatCompact({ 'Train-AI': 'denied' })).toThrow(InvalidArgumentError)
    expect(() => formatCompact({ 'train-ai': 'no' as 'denied' })).toThrow(/expected "allowed" or "denied"/)
  })
  it('parses aipref-style dictionaries with the aipref rules', () => {
    expect(parseCompact('train-ai=n, search=y')).toEqual({ ok: true, usage: { 'train-ai': 'denied', search: 'allowed' }, ignored: [] })
    // duplicate keys: last wins (RFC 9651 §4.2.2)
    expect(parseCompact('train-ai=n, train-ai=y')).toMatchObject({ ok: true, usage: { 'train-ai': 'allowed' } })
    // parameters are ignored, values other than the tokens y/n are ignored
    const r = parseCompact('search=y;cc=cr, train-ai="n", ai-input=yes, tdm=?1')
    expect(r).toEqual({
      ok: true,
      usage: { search: 'allowed' },
      ignored: [
        { key: 'search', reason: 'has-parameters-ignored' },
        { key: 'train-ai', reason: 'not-a-token' },
        { key: 'ai-input', reason: 'not-y-or-n' },
        { key: 'tdm', reason: 'not-a-token' },
      ],
    })
    // unknown keys are kept for reporting; readers ignore them when resolving
    expect(parseCompact('org.example.voice=n')).toMatchObject({ ok: true, usage: { 'org.example.voice': 'denied' } })
  })
  it('treats a parse failure as no statement', () => {
    for (const bad of ['Train-AI=n', 'train-ai=n,', '=n', 'train-ai=n;;', '\u00e9=n']) {
      expect(parseCompact(bad).ok, bad).toBe(false)
    }
    expect(parseCompact('').ok).toBe(true)
    expect(parseCompact(`a=n, ${'b'.repeat(LIMITS.maxCompactLength)}=y`)).toMatchObject({ ok: false })
  })
  it('does not pollute prototypes', () => {
    const r = parseCompact('__proto__=n, constructor=y')
    expect(r.ok).toBe(false) // '_' cannot start an RFC 9651 key
    const r2 = parseCompact('constructor=y')
    expect(r2.ok && Object.getPrototypeOf(r2.usage)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).constructor).toBe(Object)
  })
  it('round-trips any usage map (property)', () => {
    const label = fc.oneof(fc.constantFrom(...USES), fc.stringMatching(/^[a-z][a-z0-9_.-]{0,12}$/))
    const usage = fc.dictionary(label, fc.constantFrom('allowed' as const, 'denied' as const), { maxKeys: 12 })
    fc.assert(
      fc.property(usage, (u) => {
        const r = parseCompact(formatCompact(u))
        expect(r.ok).toBe(true)
        if (r.ok) expect(r.usage).toEqual(u)
      }),
    )
  })
})
