import { describe, expect, it } from 'vitest'
import {
  MAPPING_TABLE,
  USES,
  USE_DEFINITIONS,
  ancestorsOf,
  combinePreferences,
  descendantsOf,
  findMapping,
  knownUsage,
  mappingsOf,
  normalizeUse,
  preferenceFor,
  resolvePreferences,
  type Use,
} from '../src/index.js'

describe('the use tree (docs/spec.md §5.1)', () => {
  it('has one root and every parent defined before its child', () => {
    const roots = USES.filter((u) => USE_DEFINITIONS[u].parent === null)
    expect(roots).toEqual(['all'])
    for (const u of USES) {
      const p = USE_DEFINITIONS[u].parent
      if (p) expect(USES.indexOf(p)).toBeLessThan(USES.indexOf(u))
    }
  })
  it('walks ancestors and descendants', () => {
    expect(ancestorsOf('train-genai')).toEqual(['train-genai', 'train-ai', 'ai', 'tdm', 'all'])
    expect(descendantsOf('ai')).toEqual(['train-ai', 'train-genai', 'ai-input'])
    expect(descendantsOf('search')).toEqual([])
    expect(descendantsOf('all')).toHaveLength(USES.length - 1)
  })
  it('keeps search outside tdm (TDMRep: search engines are not TDM)', () => {
    expect(ancestorsOf('search')).not.toContain('tdm')
  })
})

describe('resolving one statement (§6.1)', () => {
  it('inherits from the nearest explicit ancestor', () => {
    const r = resolvePreferences({ ai: 'denied' })
    expect(r).toEqual({ all: 'unknown', search: 'unknown', tdm: 'unknown', ai: 'denied', 'train-ai': 'denied', 'train-genai': 'denied', 'ai-input': 'denied' })
  })
  it('lets a narrower explicit value override a broader one (old aipref strings)', () => {
    const r = resolvePreferences({ all: 'denied', search: 'allowed' })
    expect(r.search).toBe('allowed')
    expect(r['train-genai']).toBe('denied')
    const r2 = resolvePreferences({ 'train-ai': 'denied', 'train-genai': 'allowed' })
    expect(r2['train-genai']).toBe('allowed')
    expect(r2['train-ai']).toBe('denied')
  })
  it('ignores unknown uses and inherited object keys', () => {
    const usage = JSON.parse('{"org.example.voice":"denied","toString":"denied"}') as Record<string, 'denied'>
    expect(Object.values(resolvePreferences(usage)).every((v) => v === 'unknown')).toBe(true)
    expect(knownUsage({ 'train-ai': 'denied', 'org.example.voice': 'denied' })).toEqual({ 'train-ai': 'denied' })
  })
})

describe('combining statements (§6.2) and answering (§6.3)', () => {
  it('any deny wins across statements', () => {
    const c = combinePreferences([resolvePreferences({ ai: 'denied' }), resolvePreferences({ 'train-genai': 'allowed', search: 'allowed' })])
    expect(c['train-genai']).toBe('denied')
    expect(c.search).toBe('allowed')
  })
  it('is unknown with no statements', () => {
    expect(Object.values(combinePreferences([])).every((v) => v === 'unknown')).toBe(true)
  })
  it('is order-independent', () => {
    const a = resolvePreferences({ tdm: 'allowed', 'ai-input': 'denied' })
    const b = resolvePreferences({ all: 'denied', search: 'allowed' })
    expect(combinePreferences([a, b])).toEqual(combinePreferences([b, a]))
  })
  it('denies a broad use when a narrower use is denied, and never widens an allow', () => {
    const r = resolvePreferences({ 'train-genai': 'denied', search: 'allowed' })
    expect(preferenceFor(r, 'train-genai')).toBe('denied')
    expect(preferenceFor(r, 'ai')).toBe('denied')
    expect(preferenceFor(r, 'all')).toBe('denied')
    expect(preferenceFor(r, 'ai-input')).toBe('unknown')
    expect(preferenceFor(r, 'search')).toBe('allowed')
    const allowNarrow = resolvePreferences({ 'train-genai': 'allowed' })
    expect(preferenceFor(allowNarrow, 'train-ai')).toBe('unknown')
    expect(preferenceFor(allowNarrow, 'train-genai')).toBe('allowed')
  })
})

describe('the mapping table (§7.2)', () => {
  it('maps only to defined uses and lists each token once per signal', () => {
    const seen = new Set<string>()
    for (const r of MAPPING_TABLE) {
      for (const u of [r.denies, r.allows, r.writtenFrom]) if (u !== null) expect(USES).toContain(u)
      const id = `${r.signal}\u0000${r.token}`
      expect(seen.has(id), id).toBe(false)
      seen.add(id)
    }
  })
  it('never reads an allow wider than the deny of the same token (allow never widens)', () => {
    for (const r of MAPPING_TABLE) {
      if (r.denies && r.allows) expect(ancestorsOf(r.allows), `${r.signal} ${r.token}`).toContain(r.denies)
    }
  })
  it('covers every signal the standard names', () => {
    const tokens = (s: Parameters<typeof mappingsOf>[0]): string[] => mappingsOf(s).map((r) => r.token)
    expect(tokens('aipref')).toEqual(['train-ai', 'search'])
    expect(tokens('aipref-legacy').sort()).toEqual(['ai', 'ai-output', 'ai-use', 'all', 'bots', 'genai', 'inference', 'tdm', 'train-genai'])
    expect(tokens('content-signals')).toEqual(['ai-train', 'ai-input', 'search'])
    expect(tokens('tdmrep')).toEqual(['tdm-reservation'])
    expect(tokens('robots-meta')).toEqual(['noai', 'noimageai'])
    expect(tokens('iptc-plus')).toHaveLength(9)
    expect(tokens('cawg')).toEqual(['cawg.data_mining', 'cawg.ai_training', 'cawg.ai_generative_training', 'cawg.ai_inference'])
    expect(tokens('c2pa')).toHaveLength(4)
    expect(tokens('rsl').sort()).toEqual(['ai-all', 'ai-index', 'ai-input', 'ai-train', 'all', 'search'])
  })
  it('reads aipref train-ai deny broadly and allow narrowly (revision drift, §7.1)', () => {
    expect(findMapping('aipref', 'train-ai')).toMatchObject({ denies: 'train-ai', allows: 'train-genai', writtenFrom: 'train-genai' })
    expect(findMapping('cawg', 'cawg.ai_training')).toMatchObject({ denies: 'train-ai', allows: null })
  })
  it('explains every lossy row', () => {
    for (const r of MAPPING_TABLE) {
      const lossy = r.signal !== 'noai-tag' && (r.denies !== r.allows || r.writtenFrom !== null && r.writtenFrom !== r.denies)
      if (lossy && r.denies !== null && r.allows !== null) expect(r.loss.length, `${r.signal} ${r.token}`).toBeGreaterThan(0)
    }
  })
})

describe('use aliases (§7.3)', () => {
  it.each<[string, Use | undefined]>([
    ['train-ai', 'train-ai'],
    ['ai-train', 'train-ai'],
    ['genai', 'train-genai'],
    ['inference', 'ai-input'],
    ['ai-all', 'ai'],
    ['bots', 'all'],
    ['ai-use', 'ai-input'],
    ['ai-output', 'ai-input'],
    ['cawg.ai_generative_training', 'train-genai'],
    ['c2pa.data_mining', 'tdm'],
    ['tdm-reservation', 'tdm'],
    ['noai', 'ai'],
    ['DMI-PROHIBITED', 'all'],
    ['teleport', undefined],
    ['Train-AI', undefined],
  ])('%s → %s', (name, use) => {
    expect(normalizeUse(name)).toBe(use)
  })
})

describe('mapTokens (§7.1)', async () => {
  const { mapTokens } = await import('../src/index.js')
  it('reads denies widely and allows narrowly, and ignores unmapped tokens with a reason', () => {
    const r = mapTokens('aipref', [
      { token: 'train-ai', value: 'y', stated: 'allowed' },
      { token: 'search', value: 'n', stated: 'denied' },
      { token: 'teleport', value: 'n', stated: 'denied' },
    ])
    expect(r.usage).toEqual({ 'train-genai': 'allowed', search: 'denied' })
    expect(r.tokens[0]).toMatchObject({ token: 'train-ai', read: 'allowed' })
    expect(r.tokens[0]?.note).toMatch(/generative/)
    expect(r.tokens[2]).toMatchObject({ token: 'teleport', read: 'ignored' })
    expect(mapTokens('cawg', [{ token: 'cawg.ai_training', value: 'allowed', stated: 'allowed' }]).usage).toEqual({})
  })
  it('lets a deny win when two tokens map to the same use', () => {
    const r = mapTokens('rsl', [
      { token: 'ai-index', value: 'prohibits', stated: 'denied' },
      { token: 'ai-input', value: 'permits', stated: 'allowed' },
    ])
    expect(r.usage).toEqual({ 'ai-input': 'denied' })
  })
})

describe('writeTokens (§7.1 writing rules)', async () => {
  const { writeTokens } = await import('../src/index.js')
  it('expands broad denies into aipref keys and writes allows', () => {
    expect(writeTokens('aipref', { tdm: 'denied', search: 'allowed' })).toEqual([
      { token: 'train-ai', value: 'denied' },
      { token: 'search', value: 'allowed' },
    ])
    expect(writeTokens('aipref', { 'train-genai': 'allowed' })).toEqual([{ token: 'train-ai', value: 'allowed' }])
    expect(writeTokens('aipref', {})).toEqual([])
  })
  it('carries a deny on the narrowest tokens (rule 2)', () => {
    expect(writeTokens('rsl', { 'train-genai': 'denied' })).toEqual([{ token: 'ai-train', value: 'denied' }])
    expect(writeTokens('cawg', { 'train-genai': 'denied' })).toEqual([{ token: 'cawg.ai_generative_training', value: 'denied' }])
    // a broad deny is written broadly, and also on the narrower tokens
    expect(writeTokens('rsl', { all: 'denied' }).map((t) => t.token)).toEqual(['all', 'ai-all', 'ai-train', 'ai-input', 'search'])
    // all denied but search allowed: no narrower RSL token carries the tdm deny, so `all` is still
    // written (the row's loss note: RSL readers then also deny search)
    const mixed = writeTokens('rsl', { all: 'denied', search: 'allowed' })
    expect(mixed).toContainEqual({ token: 'search', value: 'allowed' })
    expect(mixed).toContainEqual({ token: 'all', value: 'denied' })
    // ai denied: carried by ai-all and below, never by `all`
    expect(writeTokens('rsl', { ai: 'denied' }).map((t) => t.token)).toEqual(['ai-all', 'ai-train', 'ai-input'])
  })
  it('writes TDMRep and robots noai from their written-from answers', () => {
    expect(writeTokens('tdmrep', { 'train-genai': 'denied' })).toEqual([{ token: 'tdm-reservation', value: 'denied' }])
    expect(writeTokens('robots-meta', { 'train-ai': 'denied' }).map((t) => t.token)).toEqual(['noai', 'noimageai'])
    expect(writeTokens('robots-meta', { 'ai-input': 'denied' })).toEqual([])
  })
  it('picks one IPTC value in the fixed order (rule 3)', () => {
    const one = (u: Record<string, 'allowed' | 'denied'>) => writeTokens('iptc-plus', u).map((t) => t.token)
    expect(one({ search: 'denied' })).toEqual(['DMI-PROHIBITED'])
    expect(one({ tdm: 'denied', search: 'allowed' })).toEqual(['DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING'])
    expect(one({ 'train-ai': 'denied' })).toEqual(['DMI-PROHIBITED-AIMLTRAINING'])
    expect(one({ 'train-genai': 'denied' })).toEqual(['DMI-PROHIBITED-GENAIMLTRAINING'])
    expect(one({ tdm: 'allowed' })).toEqual(['DMI-ALLOWED'])
    expect(one({})).toEqual([])
  })
  it('round-trips through the reading rules without losing a deny', async () => {
    const { mapTokens, preferenceFor, resolvePreferences, USES } = await import('../src/index.js')
    for (const signal of ['aipref', 'content-signals', 'rsl', 'cawg', 'tdmrep', 'robots-meta', 'iptc-plus'] as const) {
      for (const use of USES) {
        const written = writeTokens(signal, { [use]: 'denied' })
        const read = mapTokens(signal, written.map((t) => ({ token: t.token, value: t.value, stated: t.value })))
        const back = resolvePreferences(read.usage)
        // the denied use may be widened on the way, never lost (unless the signal cannot say it at all)
        if (written.length > 0) expect(preferenceFor(back, use), `${signal} ${use}`).toBe('denied')
      }
    }
  })
})
