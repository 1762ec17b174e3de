import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HTML_LIMITS, readHtmlSignals, readHtmlSignalsSync, type HtmlReadResult } from '../src/html.js'
import { InvalidArgumentError, isNoaiTagError } from '../src/index.js'
import { TAG, chunks, countingStream } from './http-web-helpers.js'

const enc = new TextEncoder()
const page = (head: string, body = '<p>body</p>') => `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Track &amp; more</title>\n${head}\n</head>\n<body>${body}</body></html>`
const essence = (r: HtmlReadResult) => ({ signals: r.signals, stoppedAt: r.stoppedAt, offset: r.offset, rsl: r.rsl })

function utf16(text: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2)
  out.set(littleEndian ? [0xff, 0xfe] : [0xfe, 0xff])
  const view = new DataView(out.buffer)
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian)
  return out
}

describe('readHtmlSignals: character encodings (HTML §13.2.3)', () => {
  const head = '<meta name="GPTBot" content="noai"><meta name="tdm-policy" content="https://x.example/polic\u00e9"><meta name="tdm-reservation" content="1">'
  it('UTF-16LE and UTF-16BE with a byte order mark', async () => {
    for (const le of [true, false]) {
      const r = await readHtmlSignals(utf16(page(head), le))
      expect(r.charset).toBe(le ? 'utf-16le' : 'utf-16be')
      expect(r.charsetSource).toBe('bom')
      expect(r.signals.map((s) => s.signal)).toEqual(['tdmrep', 'robots-meta'])
      expect(r.signals[0]?.tokens[1]?.value).toBe('https://x.example/polic%C3%A9')
    }
  })
  it('UTF-8 with a byte order mark wins over a Content-Type charset', () => {
    const r = readHtmlSignalsSync(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(page(head))]), { contentType: 'text/html; charset=iso-8859-2' })
    expect(r.charset).toBe('utf-8')
    expect(r.signals).toHaveLength(2)
  })
  it('windows-1252 without any declaration (the default), é as one byte', () => {
    const text = '<html><head><meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="/polic\u00e9"></head>'
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0))
    const r = readHtmlSignalsSync(bytes, { url: 'https://x.example/' })
    expect(r.charset).toBe('windows-1252')
    expect(r.charsetSource).toBe('default')
    expect(r.signals[0]?.source.text).toBe('1')
    expect(r.signals[0]?.tokens[1]?.value).toBe('https://x.example/polic%C3%A9')
    // the same bytes declared as UTF-8 decode é as U+FFFD
    expect(readHtmlSignalsSync(bytes, { url: 'https://x.example/', contentType: 'text/html;charset="utf-8"' }).signals[0]?.tokens[1]?.value).toBe('https://x.example/polic%EF%BF%BD')
  })
  it('the prescan finds <meta charset> and http-equiv in the first 1024 bytes, skipping comments', () => {
    const latin = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0))
    const a = readHtmlSignalsSync(enc.encode(`<!-- <meta charset="windows-1252"> --><meta charset='utf-8'><meta name="robots" content="noai \u00e9">`))
    expect([a.charset, a.charsetSource]).toEqual(['utf-8', 'meta'])
    const b = readHtmlSignalsSync(latin('<head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=ISO-8859-1"></head>'))
    expect([b.charset, b.charsetSource]).toEqual(['windows-1252', 'meta'])
    const c = readHtmlSignalsSync(latin('<meta content="text/html; charset=utf-16"><meta http-equiv="content-type">'))
    expect(c.charset).toBe('windows-1252') // content before http-equiv in another element: no pragma
    const d = readHtmlSignalsSync(latin('<meta http-equiv="content-type" content="text/html; charset=utf-16">'))
    expect(d.charset).toBe('utf-8') // a UTF-16 declaration in bytes that were read as ASCII means UTF-8
    const late = readHtmlSignalsSync(latin(`<head><title>${'x'.repeat(1100)}</title><meta charset="utf-8"></head>`))
    expect(late.charsetSource).toBe('default')
  })
  it('a Content-Type charset the platform does not know is ignored', () => {
    expect(readHtmlSignalsSync(enc.encode('<head></head>'), { contentType: 'text/html; charset=klingon' }).charset).toBe('windows-1252')
  })
})

describe('readHtmlSignals: bad input is bounded and never hangs', () => {
  it('10 MB with no </head> stops at maxBytes quickly (string, bytes and stream)', async () => {
    const big = `<html><head>${'<meta name="x" content="y">'.repeat(400_000)}`
    expect(big.length).toBeGreaterThan(10_000_000)
    let t = performance.now()
    const s = readHtmlSignalsSync(big)
    expect(performance.now() - t).toBeLessThan(2000)
    expect(s.stoppedAt).toBe('limit')
    expect(s.bytesRead).toBeLessThanOrEqual(HTML_LIMITS.maxBytes)
    const bytes = enc.encode(big)
    t = performance.now()
    const b = readHtmlSignalsSync(bytes)
    expect(performance.now() - t).toBeLessThan(2000)
    expect(b.stoppedAt).toBe('limit')
    expect(b.bytesRead).toBe(HTML_LIMITS.maxBytes)
    const st = countingStream(chunks(bytes, 65_536))
    const r = await readHtmlSignals(st.stream, { maxBytes: 200_000 })
    expect(r.stoppedAt).toBe('limit')
    expect(st.pulled()).toBeLessThanOrEqual(Math.ceil(200_000 / 65_536))
    expect(st.cancelled()).toBe(true)
  })
  it('10 MB inside one unterminated comment, script or attribute value', () => {
    for (const open of ['<!--', '<script>', '<title>', '<meta content="']) {
      const r = readHtmlSignalsSync(`<head>${open}${'a'.repeat(10_000_000)}`)
      expect(r.stoppedAt, open).toBe('limit')
    }
    expect(readHtmlSignalsSync('<head><!-- <meta name=robots content=noai>').stoppedAt).toBe('eof')
  })
  it('binary junk served as text/html ends quickly with no statement', () => {
    const junk = new Uint8Array(5_000_000)
    let x = 12345
    for (let i = 0; i < junk.length; i++) junk[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24
    const t = performance.now()
    const r = readHtmlSignalsSync(junk, { contentType: 'text/html' })
    expect(performance.now() - t).toBeLessThan(1000)
    expect(r.signals).toEqual([])
    expect(['body', 'limit', 'eof']).toContain(r.stoppedAt)
  })
  it('100 000 attributes in one tag are bounded; 1 MB tags are skipped and reported', () => {
    const many = `<head><meta ${'a=b '.repeat(100_000)}name="robots" content="noai"><meta name="robots" content="noimageai"></head>`
    const r = readHtmlSignalsSync(many)
    expect(r.signals.map((s) => s.tokens[0]?.token)).toEqual(['noimageai'])
    expect(r.notes.join(' ')).toMatch(/maxAttributes|maxTagLength/)
    const huge = `<head><meta name="robots" content="noai" data-x="${'x'.repeat(HTML_LIMITS.maxTagLength)}"><meta name="GPTBot" content="noai"></head>`
    const h = readHtmlSignalsSync(huge)
    expect(h.signals.map((s) => s.agent)).toEqual(['GPTBot'])
    expect(h.notes.join(' ')).toMatch(/maxTagLength/)
  })
  it('maxTagLength applies to the whole tag whatever the chunking (whole string, whole bytes, 17-byte chunks)', async () => {
    // The fuzz finding html-max-tag-length-by-chunk: the tag's last piece took it over the limit.
    const over = `<head><meta name="noai-tag" ${'x'.repeat(65_530)}>`
    const at = (length: number) => `<head><meta name="noai-tag" ${'x'.repeat(length - '<meta name="noai-tag" >'.length)}></head>`
    for (const [html, read] of [
      [over, false],
      [at(HTML_LIMITS.maxTagLength + 1), false],
      [at(HTML_LIMITS.maxTagLength), true],
    ] as const) {
      const whole = readHtmlSignalsSync(html)
      const bytes = readHtmlSignalsSync(enc.encode(html))
      const streamed = await readHtmlSignals(countingStream(chunks(enc.encode(html), 17)).stream)
      const big = await readHtmlSignals(countingStream(chunks(enc.encode(html), 40_000)).stream)
      expect(whole.signals.length, `${html.length} characters`).toBe(read ? 1 : 0)
      for (const r of [bytes, streamed, big]) {
        expect(essence(r)).toEqual(essence(whole))
        expect(r.notes.some((n) => n.includes('maxTagLength'))).toBe(!read)
      }
    }
  })
  it('a script of our type longer than the limit is reported, not read', () => {
    const r = readHtmlSignalsSync(`<head><script type="application/noai-tag+jws">${'a'.repeat(HTML_LIMITS.maxScriptText + 1)}</script></head>`)
    expect(r.signals[0]?.usage).toEqual({})
    expect(r.signals[0]?.tokens[0]?.note).toMatch(/maxScriptText/)
  })
  it('random input never throws and always stops', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom('<', '>', '/', '!', '-', '"', "'", '=', ' ', 'a', 'meta', 'head', 'script', 'name=robots', 'content=noai', '?', '[CDATA[', 'template', 'noscript', '\n') }), (s) => {
        const r = readHtmlSignalsSync(s)
        expect(['head-end', 'body', 'eof']).toContain(r.stoppedAt)
        expect(r.offset).toBeLessThanOrEqual(s.length)
      }),
    )
  })
  it('rejects inputs of the wrong type and bad maxBytes', async () => {
    expect(() => readHtmlSignalsSync(42 as never)).toThrow(InvalidArgumentError)
    await expect(readHtmlSignals({} as never)).rejects.toThrow(InvalidArgumentError)
    expect(() => readHtmlSignalsSync('', { maxBytes: 0 })).toThrow(InvalidArgumentError)
    expect(() => readHtmlSignalsSync('', { maxBytes: 1.5 })).toThrow(InvalidArgumentError)
  })
  it('a failing stream is an ERR_NOAI_IO error', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.error(new Error('connection reset'))
      },
    })
    const e = await readHtmlSignals(stream).catch((x: unknown) => x)
    expect(isNoaiTagError(e) && e.code).toBe('ERR_NOAI_IO')
  })
})

describe('readHtmlSignals: streams and pieces', () => {
  const html = page(
    `<!-- c --><script>if (a < b) { document.write("<\\/script>") }</script><script><!-- <script></script> --></script>
<META NAME="robots" CONTENT="noai,  noimageai"><meta name="GPTBot" content='noai'><link rel=license type="application/rsl+xml" href=/l.rsl>
<meta name="noai-tag" content="train-ai=n, search=y"><script type="application/noai-tag+json">${JSON.stringify(TAG)}</script>
<noscript><meta name="tdm-reservation" content="1"></noscript><template><meta name=robots content=noai></template>
<meta name="description" content="${'long text '.repeat(300)}"><meta name="tdm-policy" content="/p&amp;q?x=&#233;">`,
    `<script type="application/noai-tag+jws" data-noai-for="a.mp3">a.b.c</script>`,
  )
  const bytes = enc.encode(html)
  const url = 'https://x.example/t/1'

  it('strings, bytes and streams in chunks of any size give the same result', async () => {
    for (const scanBodyForTags of [false, true]) {
      const want = essence(readHtmlSignalsSync(html, { url, scanBodyForTags }))
      expect(want.signals.length).toBeGreaterThan(4)
      expect(essence(readHtmlSignalsSync(bytes, { url, scanBodyForTags, contentType: 'text/html; charset=utf-8' }))).toEqual(want)
      for (const size of [1, 2, 3, 7, 13, 64, 1000]) {
        const got = await readHtmlSignals(countingStream(chunks(bytes, size)).stream, { url, scanBodyForTags, contentType: 'text/html; charset=utf-8' })
        expect(essence(got), `chunks of ${size}`).toEqual(want)
      }
    }
  })
  it('pieces cut anywhere give the same result (property)', async () => {
    const want = essence(readHtmlSignalsSync(html, { url }))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), async (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), bytes.length]
        const parts = points.slice(1).map((p, i) => bytes.slice(points[i], p))
        const got = await readHtmlSignals(countingStream(parts).stream, { url, contentType: 'text/html; charset=utf-8' })
        expect(essence(got)).toEqual(want)
      }),
      { numRuns: 60 },
    )
  })
  it('cancels the stream when it stops, having pulled no more than the head and one chunk', async () => {
    const headEnd = enc.encode(html.slice(0, html.indexOf('</head>') + 7)).length
    for (const size of [1, 7, 100]) {
      const st = countingStream(chunks(bytes, size))
      const r = await readHtmlSignals(st.stream, { contentType: 'text/html; charset=utf-8' })
      expect(r.stoppedAt).toBe('head-end')
      expect(st.cancelled(), `size ${size}`).toBe(true)
      expect(st.pulled() * size, `size ${size}`).toBeLessThanOrEqual(headEnd + size)
      expect(r.bytesRead).toBeLessThanOrEqual(headEnd + size)
    }
  })
  it('does not cancel a stream it read to the end', async () => {
    const st = countingStream(chunks(enc.encode('<head><meta name=robots content=noai>'), 5))
    const r = await readHtmlSignals(st.stream)
    expect(r.stoppedAt).toBe('eof')
    expect(st.cancelled()).toBe(false)
  })
})
