// Fuzz target html: the HTML carrier's head scanner. Inputs are page bytes: the web vectors' pages,
// hand-written pages (fuzz/corpus/html/: every element the reader knows, comments, CDATA, raw-text
// elements, noscript, template, charset declarations) and tagHtml's output, mutated with markup
// from a dictionary; and pages generated from a small grammar of head elements. The options (page
// URL, Content-Type charset, user agent, body scan, maxBytes) are derived from the input itself.
// Properties:
//   - readHtmlSignalsSync (bytes and string) and readHtmlSignals (a stream, in chunks) give a value
//     or a library error, in bounded time;
//   - the stream gives the same signals, stop reason, charset and RSL texts as the bytes;
//   - no invented statement: every stated token occurs in the decoded page (unless the page has
//     character references or escapes), a reported JWS occurs literally, and its tag is its payload.
import fc from 'fast-check'
import { readHtmlSignals, readHtmlSignalsSync, tagHtml, type HtmlReadResult, type ReadHtmlSignalsOptions } from '../../src/html.js'
import { hashSeed, mutateText, type Rng } from '../_mutate.js'
import { corpus, signedVectors, webResources } from '../_seeds.js'
import { bytesCodec, call, callAsync, checkNotInvented, deepEqual, defineTarget, fail, show } from '../_target.js'

const utf8 = new TextEncoder()
const lossy = new TextDecoder('utf-8')

const CONTENT_TYPES = [undefined, 'text/html', 'text/html; charset=utf-8', 'text/html; charset="UTF-16LE"', 'text/html;charset=windows-1251', 'text/html; charset=bogus', 'text/html; charset=replacement', 'text/html; charset=x-user-defined', 'text/html; charset=iso-2022-jp', 'text/html; charset=', 'charset=utf-8']
const AGENTS = [undefined, 'GPTBot', 'Mozilla/5.0 (compatible; ExampleBot/1.0)', '', '*']

/** Options derived from the input bytes (check() sees only the input). */
export function htmlOptions(bytes: Uint8Array): ReadHtmlSignalsOptions & { chunk: number } {
  const h = hashSeed(bytes.length, bytes[0] ?? 0, bytes[bytes.length >> 1] ?? 0, bytes[bytes.length - 1] ?? 0)
  const contentType = CONTENT_TYPES[h % CONTENT_TYPES.length]
  const userAgent = AGENTS[(h >>> 4) % AGENTS.length]
  const maxBytes = (h >>> 8) % 7 === 0 ? 1 + ((h >>> 11) % 2048) : undefined
  return {
    url: (h >>> 14) % 5 === 0 ? 'https://site.example/music/page.html' : 'https://site.example/',
    ...(contentType !== undefined ? { contentType } : {}),
    ...(userAgent !== undefined ? { userAgent } : {}),
    ...(maxBytes !== undefined ? { maxBytes } : {}),
    scanBodyForTags: ((h >>> 17) & 1) === 1,
    // Small chunks for small pages only: a stream of a million one-byte chunks measures the stream, not the reader.
    chunk: Math.max([1, 7, 64, 1000, 65_536][(h >>> 18) % 5]!, Math.ceil(bytes.length / 4096)),
  }
}

function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) controller.close()
      else {
        controller.enqueue(bytes.slice(at, at + chunk))
        at += chunk
      }
    },
  })
}

/** The page as the reader decoded it (for the no-invented property). */
function decoded(bytes: Uint8Array, r: HtmlReadResult): string {
  try {
    // Streaming, then flush: Node 20's one-shot windows-1252 decode loses bytes 0x80-0x9F (nodejs/node#60888).
    const d = new TextDecoder(r.charset ?? 'utf-8')
    return d.decode(bytes, { stream: true }) + d.decode()
  } catch {
    return Buffer.from(bytes).toString('latin1')
  }
}

const comparable = (r: HtmlReadResult) => ({ signals: r.signals, stoppedAt: r.stoppedAt, charset: r.charset, rsl: r.rsl })

export async function checkHtml(bytes: Uint8Array): Promise<void> {
  const { chunk, ...options } = htmlOptions(bytes)
  const sync = call('readHtmlSignalsSync(bytes)', () => readHtmlSignalsSync(bytes, options))
  if (sync.ok) {
    const text = decoded(bytes, sync.value)
    checkNotInvented('readHtmlSignalsSync(bytes)', sync.value.signals, text, /[&\\]/.test(text))
  }
  const text = lossy.decode(bytes)
  const str = call('readHtmlSignalsSync(string)', () => readHtmlSignalsSync(text, options))
  if (str.ok) checkNotInvented('readHtmlSignalsSync(string)', str.value.signals, text, /[&\\]/.test(text))
  const streamed = await callAsync('readHtmlSignals(stream)', () => readHtmlSignals(streamOf(bytes, chunk), options))
  if (sync.ok !== streamed.ok) fail('readHtmlSignals(stream)', `bytes ${sync.ok ? 'read' : `threw ${sync.error.code}`}, the stream ${streamed.ok ? 'read' : `threw ${streamed.error.code}`}`)
  // A stream that ends exactly at maxBytes reports `limit`: the reader does not read past its limit
  // to learn that the stream ended (documented on HtmlReadResult.stoppedAt). Found by a long run.
  const atLimit = options.maxBytes === bytes.length && streamed.ok && sync.ok && streamed.value.stoppedAt === 'limit' && sync.value.stoppedAt === 'eof'
  if (sync.ok && streamed.ok && !deepEqual(comparable(sync.value), { ...comparable(streamed.value), ...(atLimit ? { stoppedAt: 'eof' } : {}) })) {
    fail('readHtmlSignals(stream)', `chunks of ${chunk} bytes give ${show(comparable(streamed.value), 400)}; the whole bytes give ${show(comparable(sync.value), 400)}`)
  }
}

/** Markup that matters to the scanner. */
export const HTML_DICT = [
  '<head>', '</head>', '<html>', '<body>', '<meta name="noai-tag" content="train-ai=n, search=y">', '<meta name="robots" content="noai, noimageai">',
  '<meta name="GPTBot" content="noai">', '<meta name="tdm-reservation" content="1">', '<meta name=tdm-policy content=https://x.example/p>',
  '<meta charset="utf-16le">', '<meta charset=windows-1252>', '<meta http-equiv="content-type" content="text/html; charset=utf-8">',
  '<script type="application/noai-tag+json">', '<script type="application/noai-tag+jws">', '<script type="application/rsl+xml">', '</script>', '<script>',
  '<link rel="noai-tag" href="/t.jws">', '<link rel="license" type="application/rsl+xml" href="l.rsl">', '<base href="https://other.example/x/">',
  '<!--', '-->', '<!-->', '<![CDATA[', ']]>', '<!DOCTYPE html>', '<?php ?>', '<noscript>', '</noscript>', '<template>', '</template>', '<style>', '</style>',
  '<title>', '</title>', '<textarea>', '<plaintext>', '<svg>', '<math>', '&amp;', '&#x3c;', '&#60;', '&lt', '&nbsp;', '&#0;', '&#x110000;',
  'data-noai-for="a.mp3"', ' name="robots"', ' content="noai"', "='", '="', '/>', '\ufeff', '\xfe\xff', '\0',
]

function tagVariants(): string[] {
  const tag = { version: 1 as const, subject: { self: true as const }, usage: { 'train-ai': 'denied' as const, search: 'allowed' as const, 'x.y': 'denied' as const }, issued: '2026-11-26T00:00:00Z', license: 'https://a.example/l' }
  const jws = signedVectors().find((v) => v.file === 'valid-ed25519.json')!.jws
  return [tagHtml(tag), tagHtml(tag, { for: 'media/a.mp3' }), tagHtml({ usage: { all: 'denied' } }), `<head>${tagHtml({ usage: { 'train-ai': 'denied', search: 'allowed' } }, { jws })}</head><body>`]
}

/** Pages generated from a grammar of head elements and junk between them. */
const ATTR_VALUE = fc.oneof(
  fc.constantFrom('noai', 'noimageai', 'noai, noimageai', 'NOAI', 'train-ai=n, search=y', 'all=n', 'ai=y', '1', '0', 'utf-16', 'https://x.example/a', 'noai-tag', 'robots', 'GPTBot', 'application/noai-tag+json', 'application/rsl+xml', 'license'),
  fc.string({ maxLength: 20 }),
)
const ATTR = fc.tuple(fc.constantFrom('name', 'content', 'NAME', 'rel', 'href', 'type', 'charset', 'http-equiv', 'data-noai-for', 'x'), ATTR_VALUE, fc.constantFrom('"', "'", '')).map(([n, v, q]) => (q === '' ? `${n}=${v.replace(/[\s>]/g, '')}` : `${n}=${q}${v.replaceAll(q, '')}${q}`))
const ELEMENT = fc.oneof(
  fc.tuple(fc.constantFrom('meta', 'link', 'META', 'base'), fc.array(ATTR, { maxLength: 4 })).map(([t, as]) => `<${t} ${as.join(' ')}>`),
  fc.tuple(fc.constantFrom('application/noai-tag+json', 'application/noai-tag+jws', 'application/rsl+xml', 'text/javascript'), fc.oneof(fc.json(), fc.string({ maxLength: 60 }))).map(([type, body]) => `<script type="${type}">${body}</script>`),
  fc.constantFrom(...HTML_DICT),
  fc.string({ maxLength: 12 }),
)
export const HTML_PAGE = fc.tuple(fc.constantFrom('', '<!doctype html>', '\ufeff<html>', '<html><head>'), fc.array(ELEMENT, { maxLength: 24 })).map(([start, els]) => utf8.encode(start + els.join('\n')))

export default defineTarget<Uint8Array>({
  name: 'html',
  about: 'HTML head scanner (readHtmlSignalsSync on bytes and strings, readHtmlSignals on streams) on mutated and generated pages',
  codec: bytesCodec,
  ext: '.html',
  shrink: 'bytes',
  async load() {
    const pages = [
      ...webResources()
        .filter((r) => r.body !== undefined && /html/.test(r.headers['content-type'] ?? ''))
        .map((r) => r.body!),
      ...corpus('html'),
      ...tagVariants(),
    ]
    const unique = [...new Set(pages)]
    const seeds = unique.map((p) => utf8.encode(p))
    return {
      seeds,
      mutate(r: Rng) {
        const text = mutateText(r.pick(unique), r, HTML_DICT, unique)
        if (r.chance(0.1)) return utf8.encode(text).map((b) => (r.chance(0.01) ? r.int(256) : b))
        return r.chance(0.05) ? Uint8Array.from(Buffer.from(`\ufeff${text}`, 'utf16le')) : utf8.encode(text)
      },
      arbitrary: HTML_PAGE,
      check: checkHtml,
    }
  },
})
