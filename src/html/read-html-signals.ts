/**
 * Reads the AI-usage statements of an HTML page, from a string, bytes or a stream, reading only as
 * far as it must (docs/spec.md §11.2).
 *
 * @module
 */
import { InvalidArgumentError, NoaiTagError } from '../errors.js'
import { ByteFeeder, result, settings, type HtmlReadResult, type ReadHtmlSignalsOptions } from './_read.js'
import { readHtmlSignalsSync } from './read-html-signals-sync.js'

export type { HtmlReadResult, ReadHtmlSignalsOptions } from './_read.js'

function isStream(x: unknown): x is ReadableStream<Uint8Array> {
  return typeof x === 'object' && x !== null && typeof (x as ReadableStream).getReader === 'function'
}

/**
 * Reads the AI-usage statements of an HTML page: one {@link WebSignal} per statement, each with
 * scope `resource`, `source.kind` `html` and the element's line.
 *
 * What is read (docs/spec.md §11.2):
 * - `<meta name="noai-tag" content="…">` (signal `noai-tag`): the compact form, for the page.
 * - `<script type="application/noai-tag+jws">` / `"application/noai-tag+json"` (signal `noai-tag`):
 *   a signed tag (attached as `jws`, its payload decoded **without verifying**) or a tag document,
 *   about the page or, with `data-noai-for`, about the embedded media at that URL (`for`). A
 *   document about the page takes precedence over the compact form; a disagreement sets `mismatch`.
 * - `<meta name="robots" content="noai, noimageai">` (signal `robots-meta`, every agent) and the
 *   same directives under a meta name that is a user-agent product token (not a standard name such
 *   as `description`), addressed to that agent (`<meta name="GPTBot" content="noai">` →
 *   `agent: 'GPTBot'`); `noarchive`/`nocache` under `robots`, `bingbot` or `msnbot` (signal `bing`,
 *   reported, not mapped). Comma-separated, case-insensitive.
 * - `<meta name="tdm-reservation">` / `<meta name="tdm-policy">` (signal `tdmrep`).
 * - `<link rel="license" type="application/rsl+xml" href>` and `<script type="application/rsl+xml">`
 *   (signal `rsl`; the inline text is returned in `rsl`), `<link rel="noai-tag" href>` (signal
 *   `noai-tag`): the URL to fetch is the value of an `ignored` token.
 *
 * How it reads: a small streaming tokenizer (not a general HTML parser) that follows HTML's
 * tokenization and "in head" rules as far as needed: comments, doctype, CDATA and processing
 * instructions are skipped as HTML skips them; `<script>`, `<style>`, `<title>`, `<textarea>`,
 * `<template>` content is not read as markup; `<noscript>` content in the head is read (as with
 * scripting disabled) without ending the head; attribute names are case-insensitive, values may be
 * quoted or not, the first of duplicate attributes wins, character references are decoded. It
 * stops after `</head>`, or at the first element or text that belongs in the body, or at
 * `maxBytes`; with `scanBodyForTags` it goes on through the body looking only for our `<script>`
 * elements. A stream is cancelled as soon as reading stops.
 *
 * Bytes are decoded as HTML says (§13.2.3): a byte order mark (UTF-8, UTF-16LE/BE), else the
 * `charset` of `options.contentType`, else a `<meta charset>` or `http-equiv` declaration within
 * the first 1024 bytes, else windows-1252. Malformed input never throws: it ends the head (binary
 * junk) or runs into `maxBytes`; time and memory are linear in what is read.
 *
 * @param input The page: a string (already decoded), bytes, or a stream of bytes (a fetch body).
 * @throws InvalidArgumentError for an input of another type or a bad `maxBytes`;
 *   NoaiTagError (`ERR_NOAI_IO`) when the stream fails.
 * @example
 * ```ts
 * import { readHtmlSignals } from 'noai-tag/html'
 * const res = await fetch(url)
 * const { signals, stoppedAt } = await readHtmlSignals(res.body!, { url, contentType: res.headers.get('content-type') ?? undefined })
 * for (const s of signals) console.log(s.signal, s.agent ?? '*', s.usage)
 * ```
 */
export async function readHtmlSignals(input: string | Uint8Array | ReadableStream<Uint8Array>, options: ReadHtmlSignalsOptions = {}): Promise<HtmlReadResult> {
  if (!isStream(input)) return readHtmlSignalsSync(input, options)
  const s = settings(options)
  const feeder = new ByteFeeder(s)
  let reader: ReadableStreamDefaultReader<Uint8Array>
  try {
    reader = input.getReader()
  } catch (e) {
    throw new InvalidArgumentError('the stream cannot be read (it is locked or not a byte stream)', { cause: e })
  }
  let ended = false
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (e) {
        throw new NoaiTagError('ERR_NOAI_IO', 'reading the HTML stream failed', { cause: e })
      }
      if (chunk.done) {
        ended = true
        feeder.push(new Uint8Array(0), true)
        break
      }
      const value: unknown = chunk.value
      if (!(value instanceof Uint8Array)) throw new InvalidArgumentError('the stream must yield Uint8Array chunks')
      if (feeder.push(value, false)) break
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
  return result(feeder.scanner, s, feeder.truncated, feeder.bytesRead, feeder.charset)
}
