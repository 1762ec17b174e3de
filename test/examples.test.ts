import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { formatCompact, parseTag, preferenceFor, resolvePreferences } from '../src/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const examples = readdirSync(`${root}examples`).filter((f) => f.endsWith('.json'))

describe('examples/', () => {
  it('has at least five example tag documents, all valid', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5)
    for (const f of examples) expect(() => parseTag(readFileSync(`${root}examples/${f}`)), f).not.toThrow()
  })
  it('covers the real cases the README promises', () => {
    const load = (f: string) => parseTag(readFileSync(`${root}examples/${f}`))
    const deny = resolvePreferences(load('deny-all-ai.json').usage)
    expect(preferenceFor(deny, 'ai')).toBe('denied')
    const sy = resolvePreferences(load('search-yes-training-no.json').usage)
    expect([preferenceFor(sy, 'search'), preferenceFor(sy, 'train-ai')]).toEqual(['allowed', 'denied'])
    expect(load('training-under-licence.json').license).toMatch(/^https:/)
    expect(load('platform-default.json').subject.urlPatterns?.length).toBeGreaterThan(0)
    expect(Object.keys(load('with-extension.json').ext ?? {}).length).toBeGreaterThan(0)
  })
  it('runs examples/decide.ts', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/decide.ts'], { cwd: root, encoding: 'utf8' })
    expect(out).toContain(`deny-all-ai.json`)
    expect(out).toContain(formatCompact({ search: 'allowed', 'train-ai': 'denied' }))
    expect(out).toMatch(/may I use it for search\s+→ allowed/)
    expect(out).toMatch(/may I use it for ai-input\s+→ denied/)
    expect(out).toMatch(/ai-train\s+→ denied\s+\(alias of train-ai\)/)
  })
})
