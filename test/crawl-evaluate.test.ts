// evaluate(): each standard's own precedence first, then any deny wins across standards
// (docs/spec.md §6, §11.6); user agents, embedded media, expiry, and signed tags.
import { describe, expect, it } from 'vitest'
import { evaluate, type DecisionReason } from '../src/crawl.js'
import { readHtmlSignalsSync } from '../src/html.js'
import { readHttpSignals } from '../src/http.js'
import { InvalidArgumentError, MAPPING_TABLE, normalizeUse, type FoundSignal } from '../src/index.js'
import { aiTxtSignals, parseAiTxt, parseRobotsTxt, parseRsl, parseTdmrepJson, robotsSignals, rslSignals, tdmrepSignals } from '../src/robots.js'
import { signTag } from '../src/sign.js'
import { ISSUER_KEYS, NOW, privateJwk, TAG, tagWith } from './sign-fixtures.js'

const URL_A = 'https://site.example/music/a.html'

const header = (fields: Record<string, string>, url = URL_A): FoundSignal[] => readHttpSignals(fields, { url })
const page = (head: string, url = URL_A): FoundSignal[] => readHtmlSignalsSync(`<html><head>${head}</head><body></body></html>`, { url }).signals
const robots = (text: string, ua = 'ExampleBot', url = URL_A): FoundSignal[] =>
  robotsSignals(parseRobotsTxt(text, { url: 'https://site.example/robots.txt' }), url, { userAgent: ua })

const statuses = (reasons: readonly DecisionReason[]): string[] => reasons.map((r) => `${r.signal}/${r.source.kind}:${r.status}:${r.value}${r.decisive ? '*' : ''}`)

describe('evaluate: the use asked about', () => {
  it('throws InvalidArgumentError for an unknown use or a user agent without a product token', async () => {
    await expect(evaluate([], { use: 'teleport' })).rejects.toThrow(InvalidArgumentError)
    await expect(evaluate([], { use: 'train-ai', userAgent: '/1.0' })).rejects.toThrow(InvalidArgumentError)
    await expect(evaluate('x' as never, { use: 'train-ai' })).rejects.toThrow(InvalidArgumentError)
  })

  it('accepts every alias of the mapping table and answers for the use it names (docs/spec.md §7.3)', async () => {
    const signals = header({ 'NoAI-Tag': 'ai=n' })
    const names = new Set(MAPPING_TABLE.map((r) => r.token).filter((t) => normalizeUse(t) !== undefined))
    expect(names.size).toBeGreaterThan(20)
    for (const name of names) {
      const d = await evaluate(signals, { use: name })
      expect(d.use, name).toBe(normalizeUse(name))
    }
    expect((await evaluate(signals, { use: 'ai-train' })).use).toBe('train-ai')
    expect((await evaluate(signals, { use: 'genai' })).verdict).toBe('deny')
  })

  it('with no statement the verdict is unknown, never allow or deny', async () => {
    const d = await evaluate([], { use: 'train-ai' })
    expect(d).toMatchObject({ verdict: 'unknown', use: 'train-ai', reasons: [], unrelated: 0 })
    // Statements about other uses only: still unknown, and counted as unrelated.
    const s = await evaluate(header({ 'NoAI-Tag': 'search=y' }), { use: 'train-ai' })
    expect(s).toMatchObject({ verdict: 'unknown', reasons: [], unrelated: 1 })
  })

  it('answers for the use with the vocabulary tree: a narrower deny denies the broader ask, an allow never widens', async () => {
    const s = header({ 'NoAI-Tag': 'train-genai=n, search=y' })
    expect((await evaluate(s, { use: 'train-genai' })).verdict).toBe('deny')
    expect((await evaluate(s, { use: 'ai' })).verdict).toBe('deny')
    expect((await evaluate(s, { use: 'ai-input' })).verdict).toBe('unknown')
    expect((await evaluate(s, { use: 'search' })).verdict).toBe('allow')
    const narrowAllow = header({ 'NoAI-Tag': 'train-genai=y' })
    expect((await evaluate(narrowAllow, { use: 'train-ai' })).verdict).toBe('unknown')
  })
})

describe('evaluate: combining standards (docs/spec.md §6.2)', () => {
  it('any deny wins across header, HTML and robots.txt, whatever the order', async () => {
    const h = header({ 'Content-Usage': 'train-ai=y, search=y' })
    const p = page('<meta name="noai-tag" content="train-ai=y">')
    const r = robots('User-agent: *\nAllow: /\nContent-Usage: /music/ train-ai=n\n')
    for (const signals of [[...h, ...p, ...r], [...r, ...p, ...h]]) {
      const d = await evaluate(signals, { use: 'train-genai', userAgent: 'ExampleBot' })
      expect(d.verdict).toBe('deny')
      const robotsReason = d.reasons.find((x) => x.source.kind === 'robots.txt')!
      expect(robotsReason).toMatchObject({ signal: 'aipref', status: 'applied', value: 'denied', decisive: true, uses: ['train-ai'] })
      expect(robotsReason.source).toMatchObject({ url: 'https://site.example/robots.txt', name: 'Content-Usage', line: 3 })
      // The allows are reported, applied, and not decisive.
      expect(d.reasons.filter((x) => x.value === 'allowed').every((x) => x.status === 'applied' && !x.decisive)).toBe(true)
      expect(d.reasons).toHaveLength(3)
    }
  })

  it('allows when every applied statement allows, naming the decisive ones', async () => {
    const d = await evaluate([...header({ 'Content-Usage': 'search=y' }), ...page('<meta name="noai-tag" content="search=y, train-ai=n">')], { use: 'search' })
    expect(d.verdict).toBe('allow')
    expect(d.reasons.map((r) => r.decisive)).toEqual([true, true])
    expect(d.reasons[0]!.source).toMatchObject({ kind: 'http-header', name: 'Content-Usage', url: URL_A })
    expect(d.reasons[1]!.source).toMatchObject({ kind: 'html', name: 'noai-tag', line: 1 })
  })

  it('RSL prohibitions override its permissions (docs/spec.md §7.1)', async () => {
    const rsl = parseRsl('<rsl xmlns="https://rslstandard.org/rsl"><content url="/"><license><prohibits type="usage">all</prohibits><permits type="usage">search</permits></license></content></rsl>')
    const d = await evaluate(rslSignals(rsl, URL_A), { use: 'search' })
    expect(d.verdict).toBe('deny')
    expect(statuses(d.reasons)).toEqual(['rsl/rsl:applied:denied*', 'rsl/rsl:applied:allowed'])
  })

  it('ai.txt speaks to AI training only', async () => {
    const ai = parseAiTxt('User-Agent: *\nDisallow: *.html\n')
    const s = aiTxtSignals(ai, URL_A, { userAgent: 'ExampleBot' })
    expect((await evaluate(s, { use: 'train-ai' })).verdict).toBe('deny')
    expect((await evaluate(s, { use: 'search' })).verdict).toBe('unknown')
  })
})

describe('evaluate: TDMRep precedence (tdmrep.json < header < HTML meta)', () => {
  const file = (reservation: number): FoundSignal[] => tdmrepSignals(parseTdmrepJson(JSON.stringify([{ location: '/', 'tdm-reservation': reservation }]), { url: 'https://site.example/.well-known/tdmrep.json' }), URL_A)

  it('the header supersedes tdmrep.json, and the HTML meta supersedes the header', async () => {
    const a = await evaluate([...file(1), ...header({ 'tdm-reservation': '0' })], { use: 'tdm' })
    expect(a.verdict).toBe('allow')
    expect(statuses(a.reasons)).toEqual(['tdmrep/tdmrep.json:superseded:denied', 'tdmrep/http-header:applied:allowed*'])
    expect(a.reasons[0]!.note).toMatch(/supersedes/)
    const b = await evaluate([...header({ 'tdm-reservation': '0' }), ...page('<meta name="tdm-reservation" content="1">'), ...file(0)], { use: 'tdm' })
    expect(b.verdict).toBe('deny')
    expect(statuses(b.reasons)).toEqual(['tdmrep/http-header:superseded:allowed', 'tdmrep/html:applied:denied*', 'tdmrep/tdmrep.json:superseded:allowed'])
  })

  it('a technique that states nothing does not reset an earlier one', async () => {
    const d = await evaluate([...header({ 'tdm-reservation': '1' }), ...page('<meta name="tdm-reservation" content="yes">')], { use: 'tdm' })
    expect(d.verdict).toBe('deny')
    expect(statuses(d.reasons)).toEqual(['tdmrep/http-header:applied:denied*'])
  })

  it('precedence stays within TDMRep: another standard\'s deny still wins', async () => {
    const d = await evaluate([...file(1), ...header({ 'tdm-reservation': '0', 'Content-Usage': 'train-ai=n' })], { use: 'tdm' })
    expect(d.verdict).toBe('deny')
  })
})

describe('evaluate: user agents (RFC 9309 §2.2.1)', () => {
  const text = 'User-agent: *\nAllow: /\n\nUser-agent: GPTBot\nDisallow: /music/\n'

  it('a group for another agent is reported, not applied; for the caller it is applied (case-insensitive)', async () => {
    const other = await evaluate(robots(text, 'ExampleBot'), { use: 'train-ai', userAgent: 'ExampleBot' })
    expect(other.verdict).toBe('unknown')
    expect(other.reasons).toMatchObject([{ signal: 'robots-txt', agent: 'GPTBot', status: 'other-agent', value: 'denied', decisive: false }])
    expect(other.reasons[0]!.note).toMatch(/Addressed to GPTBot/)
    const own = await evaluate(robots(text, 'gptbot'), { use: 'train-ai', userAgent: 'gptbot/1.2 (+https://openai.com/gptbot)' })
    expect(own.verdict).toBe('deny')
    expect(own.userAgent).toBe('gptbot')
    expect(own.reasons[0]).toMatchObject({ status: 'applied', decisive: true, source: { line: 5, name: 'Disallow' } })
  })

  it('X-Robots-Tag agent prefixes and robots meta names address one agent', async () => {
    const s = [...header({ 'X-Robots-Tag': 'OtherBot: noai' }), ...page('<meta name="ExampleBot" content="noai">')]
    const d = await evaluate(s, { use: 'train-ai', userAgent: 'ExampleBot' })
    expect(d.verdict).toBe('deny')
    expect(statuses(d.reasons)).toEqual(['robots-meta/http-header:other-agent:denied', 'robots-meta/html:applied:denied*'])
  })

  it('without a user agent, statements addressed to named agents are not applied', async () => {
    const d = await evaluate(page('<meta name="ExampleBot" content="noai">'), { use: 'train-ai' })
    expect(d.verdict).toBe('unknown')
    expect(d.reasons[0]!.note).toMatch(/no user agent was given/)
  })
})

describe('evaluate: which resource a statement is about', () => {
  const tagJson = JSON.stringify({ version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-01-01T00:00:00Z' })
  const media = page(`<script type="application/noai-tag+json" data-noai-for="/audio/a.mp3">${tagJson}</script>`, 'https://site.example/track/1')

  it('a tag about embedded media applies to that media only', async () => {
    const forPage = await evaluate(media, { use: 'train-ai', url: 'https://site.example/track/1' })
    expect(forPage.verdict).toBe('unknown')
    expect(forPage.reasons[0]).toMatchObject({ status: 'other-resource', for: 'https://site.example/audio/a.mp3' })
    const forMedia = await evaluate(media, { use: 'train-ai', url: 'https://site.example/audio/a.mp3#t=1' })
    expect(forMedia.verdict).toBe('deny')
  })

  it('noimageai in a header applies to images and pages, not to audio', async () => {
    const s = header({ 'X-Robots-Tag': 'noimageai' })
    expect((await evaluate(s, { use: 'ai', contentType: 'image/png' })).verdict).toBe('deny')
    const audio = await evaluate(s, { use: 'ai', contentType: 'audio/mpeg' })
    expect(audio.verdict).toBe('unknown')
    expect(audio.reasons[0]).toMatchObject({ status: 'not-image' })
    expect((await evaluate(header({ 'X-Robots-Tag': 'noai, noimageai' }), { use: 'ai', contentType: 'audio/mpeg' })).verdict).toBe('deny')
  })

  it('an expired tag document is no longer a statement (docs/spec.md §4.7)', async () => {
    const doc = JSON.stringify({ version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2020-01-01T00:00:00Z', expires: '2021-01-01T00:00:00Z' })
    const s = page(`<script type="application/noai-tag+json">${doc}</script>`)
    const d = await evaluate(s, { use: 'train-ai', now: new Date('2026-01-01T00:00:00Z') })
    expect(d.verdict).toBe('unknown')
    expect(d.reasons[0]).toMatchObject({ status: 'expired' })
    expect((await evaluate(s, { use: 'train-ai', now: new Date('2020-06-01T00:00:00Z') })).verdict).toBe('deny')
  })
})

describe('evaluate: signed tags (docs/spec.md §13)', () => {
  const URL_T = 'https://issuer.example/track/1'
  const signedHeader = async (usage: Record<string, 'allowed' | 'denied'>, url = URL_T): Promise<FoundSignal[]> => {
    const jws = await signTag(tagWith({ usage }), privateJwk('test-ed25519'))
    return header({ 'NoAI-Tag-JWS': `"${jws}"` }, url)
  }

  it('a valid tag keeps its allows; the verification is part of the reason', async () => {
    const s = await signedHeader({ search: 'allowed', 'train-ai': 'denied' })
    const d = await evaluate(s, { use: 'search', url: URL_T, now: NOW, verify: { keys: ISSUER_KEYS, trust: ['https://issuer.example'] } })
    expect(d.verdict).toBe('allow')
    expect(d.reasons[0]!.verification).toMatchObject({ state: 'trusted', binding: 'checked', issuer: 'https://issuer.example', allowsDropped: false })
  })

  it('a tag copied onto another URL keeps only its denies (url-not-covered)', async () => {
    const s = await signedHeader({ search: 'allowed', 'train-ai': 'denied' }, 'https://elsewhere.example/x')
    const opts = { url: 'https://elsewhere.example/x', now: NOW, verify: { keys: ISSUER_KEYS } }
    const search = await evaluate(s, { use: 'search', ...opts })
    expect(search.verdict).toBe('unknown')
    expect(search.reasons[0]!.verification).toMatchObject({ state: 'invalid', allowsDropped: true })
    expect(search.reasons[0]!.verification!.codes).toContain('url-not-covered')
    expect(search.reasons[0]!.note).toMatch(/allows are ignored/)
    expect((await evaluate(s, { use: 'train-ai', ...opts })).verdict).toBe('deny')
  })

  it('a forged tag (signature mismatch) keeps only its denies', async () => {
    const jws = await signTag(tagWith({ usage: { all: 'allowed' } }), privateJwk('test-ed25519'))
    const [h, , sig] = jws.split('.')
    const forgedPayload = Buffer.from(JSON.stringify(tagWith({ usage: { all: 'allowed', 'ai-input': 'denied' } }))).toString('base64url')
    const s = header({ 'NoAI-Tag-JWS': `"${h}.${forgedPayload}.${sig}"` }, URL_T)
    const d = await evaluate(s, { use: 'ai-input', url: URL_T, now: NOW, verify: { keys: ISSUER_KEYS } })
    expect(d.verdict).toBe('deny')
    expect(d.reasons[0]!.verification!.codes).toContain('signature-mismatch')
    expect(d.reasons[0]!.usage).toEqual({ 'ai-input': 'denied' })
    expect((await evaluate(s, { use: 'search', url: URL_T, now: NOW, verify: { keys: ISSUER_KEYS } })).verdict).toBe('unknown')
  })

  it('verify: false and requireTrusted drop the allows of tags that are not verified or not trusted', async () => {
    const s = await signedHeader({ search: 'allowed' })
    const off = await evaluate(s, { use: 'search', url: URL_T, now: NOW, verify: false })
    expect(off.verdict).toBe('unknown')
    expect(off.reasons[0]!.verification).toMatchObject({ state: 'not-verified', allowsDropped: true })
    const untrusted = await evaluate(s, { use: 'search', url: URL_T, now: NOW, verify: { keys: ISSUER_KEYS, requireTrusted: true } })
    expect(untrusted.verdict).toBe('unknown')
    expect(untrusted.reasons[0]!.verification!.state).toBe('valid')
    const valid = await evaluate(s, { use: 'search', url: URL_T, now: NOW, verify: { keys: ISSUER_KEYS } })
    expect(valid.verdict).toBe('allow')
  })

  it('a tag in audio is bound by its essence, and the unsigned tag of TAG needs no verification', async () => {
    const jws = await signTag(TAG, privateJwk('test-ed25519'))
    const audio: FoundSignal = { signal: 'noai-tag', source: { kind: 'audio', name: 'NOAI_TAG' }, scope: 'resource', usage: { search: 'allowed', 'train-ai': 'denied' }, tokens: [], tag: TAG, jws }
    const wrong = await evaluate([audio], { use: 'search', now: NOW, essence: { format: 'flac', sha256: '0'.repeat(64) }, verify: { keys: ISSUER_KEYS } })
    expect(wrong.verdict).toBe('unknown')
    expect(wrong.reasons[0]!.verification!.codes).toContain('content-hash-mismatch')
    const right = await evaluate([audio], { use: 'search', now: NOW, essence: TAG.subject!.essence![0]!, verify: { keys: ISSUER_KEYS } })
    expect(right.verdict).toBe('allow')
    expect(right.reasons[0]!.verification!.binding).toBe('checked')
  })
})
