import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { JsonParseError, LimitExceededError, MEDIA_TYPES, POLICY_SCHEMA_ID, TAG_SCHEMA_ID, WELL_KNOWN, InvalidArgumentError } from '../src/index.js'
import { SITE_LIMITS, SITE_PATHS, SiteFileError, parsePolicy, policySignals, validatePolicy, wellKnownHeaders, type NoaiPolicy } from '../src/robots.js'

const addFormats = addFormatsModule.default
const schema = JSON.parse(readFileSync(new URL('../schema/v1/policy.schema.json', import.meta.url), 'utf8')) as { $id: string }
const tagSchema = JSON.parse(readFileSync(new URL('../schema/v1/tag.schema.json', import.meta.url), 'utf8')) as { $id: string }

const POLICY: NoaiPolicy = {
  $schema: POLICY_SCHEMA_ID,
  version: 1,
  issuer: 'https://music.example',
  default: { usage: { 'train-ai': 'denied', search: 'allowed' }, license: 'https://music.example/licensing', contact: 'mailto:rights@music.example' },
  rules: [
    { path: '/press/', usage: { all: 'allowed' } },
    { path: '/stems/*.wav$', usage: { ai: 'denied', 'org.example.voice': 'denied' }, license: 'https://music.example/stems-licence' },
    { path: '/stems/*.flac', usage: { tdm: 'denied' } },
  ],
  keys: 'https://keys.music.example/.well-known/noai-tag/jwks.json',
  rsl: 'https://music.example/license.rsl',
  essence: [{ format: 'mp3', sha256: 'a'.repeat(64) }, { format: 'flac', sha256: 'b'.repeat(64), usage: { all: 'denied' } }],
  updated: '2026-11-26T12:00:00Z',
}

describe('policy schema (schema/v1/policy.schema.json)', () => {
  it('has the standard\'s $id and compiles in ajv strict mode with the tag schema', () => {
    expect(schema.$id).toBe(POLICY_SCHEMA_ID)
    const ajv = new Ajv2020({ strict: true, allErrors: true })
    addFormats(ajv)
    ajv.addSchema(tagSchema)
    const validate = ajv.compile(schema)
    expect(tagSchema.$id).toBe(TAG_SCHEMA_ID)
    expect(validate(POLICY)).toBe(true)
    expect(validate({ ...POLICY, default: { usage: { 'train-ai': 'no' } } })).toBe(false)
  })
  it('validatePolicy accepts a full policy and a minimal one', () => {
    expect(validatePolicy(POLICY)).toEqual({ ok: true, policy: POLICY })
    expect(validatePolicy({ version: 1, issuer: 'https://a.example', default: { usage: { all: 'denied' } }, updated: '2026-01-01T00:00:00Z' }).ok).toBe(true)
  })
  it('reports every issue with a JSON Pointer, like validateTag', () => {
    const r = validatePolicy({
      version: 2,
      issuer: 'https://Music.example/',
      default: { usage: {} },
      rules: [{ path: 'press/', usage: { search: 'yes' } }],
      essence: [{ format: 'mp3', sha256: 'A'.repeat(64) }],
      updated: 'yesterday',
      extra: true,
    })
    expect(r.ok).toBe(false)
    const paths = !r.ok ? r.issues.map((i) => `${i.path} ${i.keyword}`) : []
    expect(paths).toEqual(
      expect.arrayContaining([
        '/version const',
        '/issuer pattern',
        '/default/usage minProperties',
        '/rules/0/path pattern',
        '/rules/0/usage/search enum',
        '/essence/0/sha256 pattern',
        '/updated format',
        '/extra additionalProperties',
      ]),
    )
    expect(validatePolicy({ version: 1 }).ok).toBe(false)
    expect(validatePolicy('policy').ok).toBe(false)
    expect(validatePolicy({ ...POLICY, rules: Array(1001).fill({ path: '/', usage: { all: 'denied' } }) }).ok).toBe(false)
    expect(validatePolicy({ ...POLICY, essence: Array(2049).fill({ format: 'mp3', sha256: 'a'.repeat(64) }) }).ok).toBe(false)
  })
})

describe('parsePolicy', () => {
  it('parses and validates', () => {
    expect(parsePolicy(JSON.stringify(POLICY))).toEqual(POLICY)
  })
  it('throws typed errors', () => {
    expect(() => parsePolicy('{"version": 1, "version": 1}')).toThrow(JsonParseError)
    expect(() => parsePolicy('\ufeff{}')).toThrow(JsonParseError)
    expect(() => parsePolicy(' '.repeat(SITE_LIMITS.maxPolicyBytes + 1))).toThrow(LimitExceededError)
    try {
      parsePolicy('{"version": 1}')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(SiteFileError)
      expect((e as SiteFileError).file).toBe('policy')
      expect((e as SiteFileError).code).toBe('ERR_NOAI_MALFORMED_INPUT')
      expect((e as SiteFileError).issues.length).toBeGreaterThan(0)
    }
  })
})

describe('policySignals', () => {
  const at = (path: string) => policySignals(POLICY, `https://music.example${path}`)
  it('the default applies where no rule matches', () => {
    const s = at('/tracks/1.mp3')
    expect(s).toHaveLength(1)
    expect(s[0]).toMatchObject({
      signal: 'noai-tag',
      scope: 'site',
      usage: { 'train-ai': 'denied', search: 'allowed' },
      source: { kind: 'policy', url: `https://music.example${WELL_KNOWN.policy}`, name: '/default' },
    })
    expect(s[0]!.tokens).toContainEqual({ token: 'license', value: 'https://music.example/licensing', read: 'ignored', note: expect.any(String) })
  })
  it('the longest matching rule replaces the default', () => {
    expect(at('/press/photo.jpg')[0]).toMatchObject({ usage: { all: 'allowed' }, source: { name: '/rules/0' } })
    const wav = at('/stems/a/b.wav')
    expect(wav[0]).toMatchObject({ usage: { ai: 'denied' }, source: { name: '/rules/1' } })
    expect(wav[0]!.tokens).toContainEqual(expect.objectContaining({ token: 'org.example.voice', read: 'ignored' }))
    expect(at('/stems/a/b.wav?x')[0]!.source.name).toBe('/default')
    expect(at('/stems/a.flac')[0]).toMatchObject({ usage: { tdm: 'denied' }, source: { name: '/rules/2' } })
  })
  it('equally long matching rules all apply', () => {
    const p: NoaiPolicy = { ...POLICY, rules: [{ path: '/a*', usage: { search: 'allowed' } }, { path: '/*b', usage: { search: 'denied' } }] }
    expect(policySignals(p, '/ab').map((s) => s.source.name)).toEqual(['/rules/0', '/rules/1'])
  })
  it('reports essence entries matching the caller\'s digests', () => {
    const s = policySignals(POLICY, 'https://cdn.example/x.flac', { essence: [{ format: 'flac', sha256: 'B'.repeat(64) }, { format: 'mp3', sha256: 'c'.repeat(64) }] })
    expect(s.map((x) => x.source.name)).toEqual(['/default', '/essence/1'])
    expect(s[1]!.usage).toEqual({ all: 'denied' })
    expect(s[0]!.source.url).toBe(`https://cdn.example${SITE_PATHS.policy}`)
    const mp3 = policySignals(POLICY, 'https://music.example/x.mp3', { essence: [{ format: 'mp3', sha256: 'a'.repeat(64) }], policyUrl: 'https://music.example/p.json' })
    expect(mp3[1]).toMatchObject({ usage: POLICY.default.usage, source: { url: 'https://music.example/p.json', name: '/essence/0' } })
  })
  it('refuses bad arguments', () => {
    expect(() => policySignals({} as NoaiPolicy, '/')).toThrow(InvalidArgumentError)
    expect(() => policySignals(POLICY, 'mailto:x@y.z')).toThrow(InvalidArgumentError)
    expect(() => policySignals(POLICY, 'https://other.example/a', { policyUrl: 'https://music.example/.well-known/noai-tag/policy.json' })).toThrow(InvalidArgumentError)
  })
})

describe('wellKnownHeaders', () => {
  it('gives content type, caching, CORS and nosniff per file', () => {
    expect(wellKnownHeaders('policy')).toEqual({
      'Content-Type': MEDIA_TYPES.policy,
      'Cache-Control': 'public, max-age=3600',
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
    })
    expect(wellKnownHeaders('tdmrep.json')['Content-Type']).toBe('application/json')
    expect(wellKnownHeaders('robots.txt')['Content-Type']).toBe('text/plain; charset=utf-8')
    expect(wellKnownHeaders('ai.txt', { maxAgeSeconds: 60 })['Cache-Control']).toBe('public, max-age=60')
    expect(() => wellKnownHeaders('jwks' as 'policy')).toThrow(InvalidArgumentError)
    expect(() => wellKnownHeaders('policy', { maxAgeSeconds: -1 })).toThrow(InvalidArgumentError)
    expect(SITE_PATHS).toEqual({ robotsTxt: '/robots.txt', aiTxt: '/ai.txt', tdmrep: '/.well-known/tdmrep.json', policy: WELL_KNOWN.policy })
  })
})
