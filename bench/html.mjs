// Benchmark: head-only extraction of AI-usage signals from real pages (issue 4, Performance).
// Candidates, on the same pages, each stopping where the head ends (ours decides where; the others
// stop at the same point), with identical findings asserted before timing:
//   ours          readHtmlSignalsSync (string input) from noai-tag/html
//   htmlparser2   a Parser with callbacks applying the same rules, paused where the head ends
//   cheerio       cheerio.load of the same head prefix + a selector query for the same elements
// Goals (ms per page, ratio = theirs ÷ ours): htmlparser2 >= 5, cheerio >= 20.
// Pages: $NOAI_HTML_CORPUS, else ../shared/corpus/html-pages next to the repository (the 258 pages
// of htmlparser-benchmark), else a small set generated here. Signals are injected into the heads
// of every third page so that there is something to find.
// Run `npm run build` first; BENCH_SMOKE=1 for a short run (see bench/README.md).
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as cheerio from 'cheerio'
import { Parser } from 'htmlparser2'
import { SMOKE, RUNS, compareThroughput, dist, finish, fmt, result, table } from './_lib.mjs'

const { readHtmlSignalsSync } = await import(pathToFileURL(dist('html.js')).href)

// ---- pages ------------------------------------------------------------------------------------

const root = fileURLToPath(new URL('..', import.meta.url))
const corpusDir = process.env.NOAI_HTML_CORPUS ?? resolve(root, '../shared/corpus/html-pages')

function generatedPages() {
  const pages = []
  for (let i = 0; i < 40; i++) {
    const metas = Array.from({ length: 10 + (i % 15) }, (_, k) => `<meta property="og:x${k}" content="value ${k} of page ${i}">`).join('\n')
    const links = Array.from({ length: 8 }, (_, k) => `<link rel="stylesheet" href="/css/${i}-${k}.css">`).join('\n')
    const script = `<script>var data${i} = ${JSON.stringify(Array.from({ length: 60 + i * 5 }, (_, k) => ({ k, s: 'x'.repeat(k % 17) })))};</script>`
    const body = `<p>${'Lorem ipsum dolor sit amet. '.repeat(400)}</p>`
    pages.push(`<!DOCTYPE html>\n<html lang="en"><head>\n<meta charset="utf-8">\n<title>Page ${i}</title>\n${metas}\n<!-- a comment with <meta name="robots" content="noai"> inside -->\n${links}\n${script}\n<style>body { color: red }</style>\n</head>\n<body>${body}</body></html>`)
  }
  return pages
}

let pages
if (existsSync(corpusDir)) {
  pages = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => readFileSync(join(corpusDir, f), 'utf8').replace(/^\uFEFF/, ''))
  console.log(`html: ${pages.length} pages from ${corpusDir}`)
} else {
  pages = generatedPages()
  console.log(`html: corpus not found at ${corpusDir} (set NOAI_HTML_CORPUS); using ${pages.length} generated pages`)
}

const TAG_JSON = JSON.stringify({ version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z' })
const INJECTIONS = [
  '<meta name="robots" content="noai, noimageai">',
  '<meta name="GPTBot" content="noai">\n<meta name="tdm-reservation" content="1">\n<meta name="tdm-policy" content="https://example.org/tdm-policy.json">',
  `<meta name="noai-tag" content="search=y, train-ai=n">\n<script type="application/noai-tag+json">${TAG_JSON}</script>`,
  '<link rel="license" type="application/rsl+xml" href="/license.rsl">\n<META NAME=robots CONTENT="NOAI, noarchive">',
  `<script type="application/noai-tag+json" data-noai-for="/audio/track.mp3">${TAG_JSON}</script>\n<link rel="noai-tag" href="/tags/page.jws">`,
]
const HEAD_OPEN = /<head(?:\s[^>]*)?>/i
// Pages arrive as flat strings (from a decoder, `response.text()`); a page spliced together here
// would be a rope, which every candidate reads more slowly, so it is copied back into one piece.
const flat = (text) => Buffer.from(text, 'utf8').toString('utf8')
pages = pages.map((page, i) => {
  if (i % 3 !== 0) return page
  const inject = `\n${INJECTIONS[(i / 3) % INJECTIONS.length]}\n`
  const m = HEAD_OPEN.exec(page)
  if (m) return flat(page.slice(0, m.index + m[0].length) + inject + page.slice(m.index + m[0].length))
  return flat(inject + page)
})

// ---- one normalised list of findings, from any candidate ----------------------------------------

const MAX_TEXT = 512
const clip = (t) => (t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}…` : t)
const ASCII_WS = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g
const essence = (t) => (t === undefined ? '' : t.split(';')[0].trim().toLowerCase())
// Agent-specific robots meta: the name is a product token and not a standard metadata name.
const AGENT_NAME = /^[A-Za-z0-9_.-]+$/
const STANDARD_NAMES = new Set([
  'application-name', 'author', 'description', 'generator', 'keywords', 'referrer', 'theme-color', 'color-scheme', 'viewport',
  'creator', 'publisher', 'copyright', 'format-detection', 'google-site-verification', 'title', 'language', 'rating', 'revisit-after',
])
const OURS = new Set(['application/noai-tag+jws', 'application/noai-tag+json'])
const RSL = 'application/rsl+xml'

/** The findings of a page from elements { tag, attrs, text }: the rules of docs/spec.md §11.2. */
function findingsOf(elements) {
  const out = []
  const compacts = []
  let selfDocs = 0
  let reservations = 0
  let policy
  for (const e of elements) {
    const a = e.attrs
    if (e.tag === 'meta') {
      if (a.name === undefined) continue
      const name = a.name.trim()
      const lname = name.toLowerCase()
      const content = a.content ?? ''
      if (lname === 'noai-tag') compacts.push(['noai-tag', '*', name, clip(content), ''])
      else if (lname === 'tdm-reservation') {
        reservations++
        out.push(['tdmrep', '*', name, clip(content), ''])
      } else if (lname === 'tdm-policy') policy ??= ['tdmrep', '*', name, clip(content), '']
      else if (name !== '') {
        const d = content.split(',').map((x) => x.trim().toLowerCase())
        const agent = lname === 'robots' ? '*' : name
        const special = ['robots', 'bingbot', 'msnbot'].includes(lname)
        if (!special && (!AGENT_NAME.test(name) || STANDARD_NAMES.has(lname) || content.length > 512)) continue
        if (d.includes('noai') || d.includes('noimageai')) out.push(['robots-meta', agent, name, clip(content), ''])
        if (['robots', 'bingbot', 'msnbot'].includes(lname) && (d.includes('noarchive') || d.includes('nocache'))) out.push(['bing', agent, name, clip(content), ''])
      }
    } else if (e.tag === 'link') {
      const rel = (a.rel ?? '').toLowerCase().split(/[\t\n\f\r ]+/)
      const href = (a.href ?? '').replace(ASCII_WS, '')
      if (href === '') continue
      if (rel.includes('license') && essence(a.type) === RSL) out.push(['rsl', '*', 'license', clip(href), ''])
      if (rel.includes('noai-tag')) out.push(['noai-tag', '*', 'noai-tag', clip(href), ''])
    } else if (e.tag === 'script') {
      const type = essence(a.type)
      const text = e.text.replace(ASCII_WS, '')
      if (type === RSL) out.push(['rsl', '*', type, clip(text), ''])
      else if (OURS.has(type)) {
        const f = (a['data-noai-for'] ?? '').replace(ASCII_WS, '')
        if (f === '') selfDocs++
        out.push(['noai-tag', '*', type, clip(text), f])
      }
    }
  }
  if (reservations === 0 && policy) out.push(policy)
  if (selfDocs === 0) out.push(...compacts)
  return out.map((t) => t.join('\u0001')).sort()
}

function oursFindings(r) {
  return r.signals.map((s) => [s.signal, s.agent ?? '*', s.source.name, s.source.text, s.for ?? ''].join('\u0001')).sort()
}

// ---- the candidates ----------------------------------------------------------------------------

const ours = (page) => readHtmlSignalsSync(page)

const HEAD = new Set(['html', 'head', 'base', 'basefont', 'bgsound', 'link', 'meta', 'title', 'noscript', 'noframes', 'style', 'script', 'template'])
const RAW = new Set(['script', 'style', 'title', 'textarea', 'noframes', 'xmp', 'iframe', 'noembed'])
const NON_WS = /[^\t\n\f\r ]/
let h2 // per-page state of the htmlparser2 candidate
const parser = new Parser(
  {
    onopentag(name, attrs) {
      if (h2.done) return
      if (RAW.has(name)) h2.raw = name
      if (h2.template > 0) {
        if (name === 'template') h2.template++
        return
      }
      if (!h2.noscript && !HEAD.has(name)) return stopH2()
      if (name === 'template') h2.template++
      else if (name === 'noscript') h2.noscript = true
      else if (name === 'meta' || name === 'link') h2.elements.push({ tag: name, attrs, text: '' })
      else if (name === 'script') h2.script = { tag: 'script', attrs, text: '' }
    },
    ontext(text) {
      if (h2.done) return
      if (h2.script) h2.script.text += text
      else if (h2.raw === undefined && h2.template === 0 && !h2.noscript && NON_WS.test(text)) stopH2()
    },
    onclosetag(name, implied) {
      if (h2.done) return
      if (name === h2.raw) h2.raw = undefined
      if (name === 'script' && h2.script) {
        h2.elements.push(h2.script)
        h2.script = undefined
      } else if (name === 'template') {
        if (h2.template > 0) h2.template--
      } else if (h2.template > 0 || implied) {
        // inside a template, or closed by the parser rather than by an end tag
      } else if (name === 'noscript') h2.noscript = false
      else if (!h2.noscript && (name === 'head' || name === 'body' || name === 'html' || name === 'br')) stopH2()
    },
  },
  { decodeEntities: true },
)
function stopH2() {
  h2.done = true
  parser.pause()
}
function viaHtmlparser2(page) {
  h2 = { elements: [], done: false, template: 0, noscript: false, raw: undefined, script: undefined }
  parser.reset()
  parser.end(page)
  return h2.elements
}

const stopAt = new Map()
function viaCheerio(page) {
  const $ = cheerio.load(page.slice(0, stopAt.get(page)), { scriptingEnabled: false })
  const out = []
  $('meta, link, script').each((_, el) => {
    if ($(el).closest('template').length > 0) return
    out.push({ tag: el.tagName, attrs: el.attribs, text: el.tagName === 'script' ? $(el).text() : '' })
  })
  return out
}

// ---- same findings, then time -----------------------------------------------------------------

let found = 0
let mismatches = 0
for (const [i, page] of pages.entries()) {
  const r = ours(page)
  stopAt.set(page, r.offset)
  const a = oursFindings(r)
  const b = findingsOf(viaHtmlparser2(page))
  const c = findingsOf(viaCheerio(page))
  found += a.length
  if (JSON.stringify(a) !== JSON.stringify(b) || JSON.stringify(a) !== JSON.stringify(c)) {
    mismatches++
    console.error(`bench/html: page #${i}: findings differ (stopped at ${r.offset}, ${r.stoppedAt})`)
    console.error('  ours       ', a)
    console.error('  htmlparser2', b)
    console.error('  cheerio    ', c)
  }
}
if (mismatches > 0) {
  console.error(`bench/html: ${mismatches} page(s) with different findings`)
  process.exit(2)
}
const meanHead = pages.reduce((n, p) => n + stopAt.get(p), 0) / pages.length
console.log(`html: ${found} findings on ${pages.length} pages, identical for all three; mean stop offset ${fmt(meanHead)} characters`)

const { ops: m, ratio } = compareThroughput(
  { ours: (p) => ours(p).signals.length >= 0, htmlparser2: (p) => viaHtmlparser2(p).length >= 0, cheerio: (p) => viaCheerio(p).length >= 0 },
  pages,
  { ms: SMOKE ? 30 : 1500 },
)
const perPage = (opsPerSecond) => 1000 / opsPerSecond
console.log(`html: ${SMOKE ? 'smoke run' : 'full run'}, median of ${RUNS}, Node ${process.versions.node}`)
table([
  ['candidate (head only)', 'ms/page', 'pages/s', 'ratio (theirs / ours)'],
  ['noai-tag readHtmlSignalsSync', fmt(perPage(m.ours), 4), fmt(m.ours), '1.00'],
  ['htmlparser2 Parser, paused', fmt(perPage(m.htmlparser2), 4), fmt(m.htmlparser2), ratio('ours', 'htmlparser2').toFixed(2)],
  ['cheerio load + select', fmt(perPage(m.cheerio), 4), fmt(m.cheerio), ratio('ours', 'cheerio').toFixed(2)],
])
console.log('')
finish([result('html', 'vs-htmlparser2', ratio('ours', 'htmlparser2'), 5), result('html', 'vs-cheerio', ratio('ours', 'cheerio'), 20)])
