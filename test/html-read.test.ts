import { describe, expect, it } from 'vitest'
import { readHtmlSignalsSync, type WebSignal } from '../src/html.js'
import { TAG, fakeJws } from './http-web-helpers.js'

const URL_ = 'https://music.example/track/1'
const read = (html: string, options = {}) => readHtmlSignalsSync(html, { url: URL_, ...options })
const kinds = (signals: readonly WebSignal[]) => signals.map((s) => `${s.signal}${s.agent !== undefined ? `@${s.agent}` : ''}`)

describe('readHtmlSignals: what is read (docs/spec.md §11.2)', () => {
  it('robots meta: noai/noimageai for every agent, line numbers and source', () => {
    const r = read('<!doctype html>\n<html>\n<head>\n<meta name="robots" content="noindex, noai, noimageai">\n</head><body>')
    expect(r.stoppedAt).toBe('head-end')
    expect(r.signals).toHaveLength(1)
    const [s] = r.signals
    expect(s).toMatchObject({ signal: 'robots-meta', scope: 'resource', usage: { ai: 'denied' } })
    expect(s?.agent).toBeUndefined()
    expect(s?.source).toEqual({ kind: 'html', name: 'robots', line: 4, text: 'noindex, noai, noimageai', url: URL_ })
  })
  it('agent-specific robots meta: a product-token name is the agent; standard names are not agents', () => {
    const r = read('<head><meta name="GPTBot" content="noai"><meta name="description" content="noai"><meta name="og:x" content="noai"><meta name="CCBot" content="noindex"></head>')
    expect(kinds(r.signals)).toEqual(['robots-meta@GPTBot'])
    expect(kinds(read('<head><meta name="GPTBot" content="noai"></head>', { userAgent: 'CCBot/2.0' }).signals)).toEqual([])
    expect(kinds(read('<head><meta name="GPTBot" content="noai"></head>', { userAgent: 'Mozilla/5.0 (compatible; GPTBot/1.2)' }).signals)).toEqual(['robots-meta@GPTBot'])
  })
  it('noarchive/nocache are reported as bing for robots and bingbot only', () => {
    const r = read('<head><meta name="robots" content="noarchive"><meta name="bingbot" content="nocache"><meta name="googlebot" content="noarchive"></head>')
    expect(kinds(r.signals)).toEqual(['bing', 'bing@bingbot'])
    expect(r.signals.every((s) => Object.keys(s.usage).length === 0)).toBe(true)
  })
  it('TDMRep meta: reservation and policy (resolved against the page and <base>)', () => {
    const r = read('<head><base href="/base/"><meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="policy.json"></head>')
    expect(r.signals).toHaveLength(1)
    expect(r.signals[0]).toMatchObject({ signal: 'tdmrep', usage: { tdm: 'denied' } })
    expect(r.signals[0]?.tokens[1]).toMatchObject({ token: 'tdm-policy', value: 'https://music.example/base/policy.json' })
    expect(read('<head><meta name="tdm-reservation" content="yes"></head>').signals[0]?.usage).toEqual({})
  })
  it('our meta: the compact form for the page', () => {
    const [s] = read('<head><meta name="noai-tag" content="train-ai=n, search=y"></head>').signals
    expect(s).toMatchObject({ signal: 'noai-tag', usage: { 'train-ai': 'denied', search: 'allowed' } })
    expect(s?.for).toBeUndefined()
    const [bad] = read('<head><meta name="noai-tag" content="Train-AI=n"></head>').signals
    expect(bad?.usage).toEqual({})
    expect(bad?.tokens[0]?.note).toMatch(/not a valid compact form/)
  })
  it('our scripts: JSON and JWS documents, about the page or about embedded media', () => {
    const json = JSON.stringify(TAG)
    const jws = fakeJws({ ...TAG, usage: { all: 'denied' } })
    const r = read(
      `<head><script type="application/noai-tag+json">\n ${json} \n</script>` +
        `<script type="Application/NOAI-TAG+JWS; x=1" data-noai-for="../audio/1.mp3">  ${jws}\n</script></head>`,
    )
    expect(r.signals).toHaveLength(2)
    const [page, media] = r.signals
    expect(page).toMatchObject({ signal: 'noai-tag', usage: { 'train-ai': 'denied', search: 'allowed' } })
    expect(page?.tag?.license).toBe(TAG.license)
    expect(page?.for).toBeUndefined()
    expect(media).toMatchObject({ signal: 'noai-tag', jws, for: 'https://music.example/audio/1.mp3', usage: { all: 'denied' } })
  })
  it('a document about the page wins over the compact form; a disagreement is a mismatch', () => {
    const json = JSON.stringify(TAG).replace(/</g, '\\u003c')
    const same = read(`<head><meta name="noai-tag" content="search=y, train-ai=n"><script type="application/noai-tag+json">${json}</script></head>`)
    expect(same.signals).toHaveLength(1)
    expect(same.signals[0]?.mismatch).toBeUndefined()
    const differ = read(`<head><meta name="noai-tag" content="train-ai=y"><script type="application/noai-tag+json">${json}</script></head>`)
    expect(differ.signals).toHaveLength(1)
    expect(differ.signals[0]).toMatchObject({ mismatch: true, usage: { 'train-ai': 'denied', search: 'allowed' } })
    // a media document does not displace the page's compact form
    const media = read(`<head><meta name="noai-tag" content="train-ai=y"><script type="application/noai-tag+json" data-noai-for="a.mp3">${json}</script></head>`)
    expect(media.signals.map((s) => [s.for, s.usage])).toEqual([
      [undefined, { 'train-ai': 'allowed' }],
      ['https://music.example/track/a.mp3', { 'train-ai': 'denied', search: 'allowed' }],
    ])
  })
  it('an unreadable document states nothing and the compact form is not used instead', () => {
    const r = read('<head><meta name="noai-tag" content="train-ai=n"><script type="application/noai-tag+json">{"version":1}</script></head>')
    expect(r.signals).toHaveLength(1)
    expect(r.signals[0]?.usage).toEqual({})
    expect(r.signals[0]?.tokens[0]?.note).toMatch(/cannot be read/)
    const dup = read('<head><script type="application/noai-tag+json">{"version":1,"version":1}</script></head>')
    expect(dup.signals[0]?.usage).toEqual({})
  })
  it('links: RSL licence and rel=noai-tag, to fetch; inline RSL text returned', () => {
    const r = read('<head><link rel="stylesheet" href="a.css"><LINK REL="License" TYPE="application/rsl+xml" HREF="/l.rsl"><link rel="alternate noai-tag" href="t.jws"><link rel="license" href="/cc"><script type="application/rsl+xml"> <rsl/> </script></head>')
    expect(kinds(r.signals)).toEqual(['rsl', 'noai-tag', 'rsl'])
    expect(r.signals[0]?.tokens[0]?.value).toBe('https://music.example/l.rsl')
    expect(r.signals[1]?.tokens[0]?.value).toBe('https://music.example/track/t.jws')
    expect(r.rsl).toEqual(['<rsl/>'])
  })
})

describe('readHtmlSignals: HTML syntax', () => {
  it('ignores markup inside comments, scripts, styles, titles, textareas and templates', () => {
    const html =
      '<head><!-- <meta name="robots" content="noai"> --><script>var s = "<meta name=robots content=noai>"; if (a<b) x()</script>' +
      '<style>/* <meta name=robots content=noai> */</style><title><meta name=robots content=noai></title>' +
      '<template><meta name="robots" content="noai"><div>x</div></template><meta name="robots" content="noimageai"></head>'
    const r = read(html)
    expect(r.signals.map((s) => s.tokens.map((t) => t.token))).toEqual([['noimageai']])
    expect(r.stoppedAt).toBe('head-end')
  })
  it('handles the script data escape states (<!-- and a nested <script>)', () => {
    const html = '<head><script><!-- document.write("<script></script><meta name=robots content=noai>") --></script><meta name="robots" content="noimageai"></head>'
    expect(read(html).signals.map((s) => s.tokens.map((t) => t.token))).toEqual([['noimageai']])
  })
  it('empty and odd comments, doctype, processing instructions, CDATA as a bogus comment', () => {
    const html = '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN"><!----><!--><!---><head><![CDATA[ a > b ]]><!--a--!><meta name=robots content=noai></head>'
    const r = read(html)
    // HTML §13.2.5.42: in HTML content <![CDATA[ starts a bogus comment that ends at the first ">"
    expect(r.stoppedAt).toBe('body')
    const ok = read('<!----><!--><!---><head><!--a--!><meta name=robots content=noai></head>')
    expect(ok.signals).toHaveLength(1)
  })
  it('uppercase tags and attributes, unquoted and single-quoted values, entities', () => {
    const r = read(`<HEAD><META NAME=Robots CONTENT=NOAI><Meta name='GPTBot' content='noimageai'><meta name="tdm-policy" content="https://x.example/p?a=1&amp;b=2&#x26;c&#61;3"><meta name=&quot;x content="noai"></HEAD>`)
    expect(kinds(r.signals)).toEqual(['tdmrep', 'robots-meta', 'robots-meta@GPTBot'])
    expect(r.signals[0]?.tokens[0]?.value).toBe('https://x.example/p?a=1&b=2&c=3')
  })
  it('the first of duplicate attributes wins; attributes without values; / separators', () => {
    expect(read('<head><meta name="robots" name="x" content="noai"></head>').signals).toHaveLength(1)
    expect(kinds(read('<head><meta name="x" name="robots" content="noai"></head>').signals)).toEqual(['robots-meta@x'])
    expect(read('<head><meta/name="robots"/content="noai"/></head>').signals).toHaveLength(1)
    expect(read('<head><meta async name="robots" content="noai"></head>').signals).toHaveLength(1)
    // a quoted value may contain ">" and quotes of the other kind
    expect(read(`<head><meta content="a > b 'c'" name="robots"><meta name="robots" content="noai"></head>`).signals).toHaveLength(1)
  })
  it('stops at the first element of the body, at non-white-space text, or at </head>', () => {
    expect(read('<head><meta name=robots content=noai><div><meta name=robots content=noimageai>').stoppedAt).toBe('body')
    expect(read('<head><meta name=robots content=noai><div>').signals).toHaveLength(1)
    const text = read('<head>\n  hello <meta name=robots content=noai>')
    expect(text.stoppedAt).toBe('body')
    expect(text.offset).toBe(9)
    expect(text.signals).toEqual([])
    const end = read('<head></head><meta name=robots content=noai>')
    expect(end.stoppedAt).toBe('head-end')
    expect(end.offset).toBe(13)
    expect(read('<meta name=robots content=noai></html>').stoppedAt).toBe('body')
    expect(read('<html><head><meta name=robots content=noai>').stoppedAt).toBe('eof')
  })
  it('reads meta inside <noscript> in the head without ending the head', () => {
    const r = read('<head><noscript><img src="pixel"><meta name="robots" content="noai"></noscript><meta name="GPTBot" content="noai"></head>')
    expect(kinds(r.signals)).toEqual(['robots-meta', 'robots-meta@GPTBot'])
    expect(r.stoppedAt).toBe('head-end')
  })
  it('our scripts in the body are read only with scanBodyForTags', () => {
    const html = `<head><title>t</title></head><body><p>player</p><!-- <script type="application/noai-tag+json">x</script> --><textarea><script type="application/noai-tag+json">x</script></textarea><script type="application/noai-tag+json" data-noai-for="a.mp3">${JSON.stringify(TAG)}</script><meta name=robots content=noai></body>`
    expect(read(html).signals).toEqual([])
    const r = read(html, { scanBodyForTags: true })
    expect(r.stoppedAt).toBe('eof')
    expect(r.signals.map((s) => [s.signal, s.for])).toEqual([['noai-tag', 'https://music.example/track/a.mp3']])
  })
  it('in the body, only scripts about embedded media count', () => {
    const json = JSON.stringify(TAG)
    const html = `<head></head><body><script type="application/noai-tag+json">${json}</script><script type="application/rsl+xml"><rsl/></script><script type="application/noai-tag+json" data-noai-for=" ">${json}</script><script type="application/noai-tag+json" data-noai-for="b.mp3">${json}</script>`
    const r = read(html, { scanBodyForTags: true })
    expect(r.signals.map((s) => s.for)).toEqual(['https://music.example/track/b.mp3'])
    expect(r.rsl).toEqual([])
  })
  it('a string starting with a byte order mark', () => {
    const html = '\ufeff<head><meta name=robots content=noai></head>'
    const r = read(html)
    expect(r.signals).toHaveLength(1)
    expect(r.offset).toBe(html.length)
  })
})
