// The shortcuts of the head scanner (src/html/_scanner.ts) against the HTML rules they stand for:
// `</script>` and `</title>` ended without the general tag path, white space between tags stepped
// over, tags whose attributes are not read skipped whole (a `>` inside a quoted value does not end
// them), attribute names recognised in place, and character references that cannot form a word.
// Every case is also read in pieces of any size, which takes the general paths.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readHtmlSignals, readHtmlSignalsSync, type HtmlReadResult } from '../src/html.js'
import { chunks, countingStream } from './http-web-helpers.js'

const enc = new TextEncoder()
const essence = (r: HtmlReadResult) => ({ signals: r.signals, stoppedAt: r.stoppedAt, offset: r.offset, rsl: r.rsl, notes: r.notes })
const kinds = (html: string) => readHtmlSignalsSync(html).signals.map((s) => `${s.signal}${s.agent !== undefined ? `@${s.agent}` : ''}`)
const ROBOTS = '<meta name="robots" content="noai">'

/** The same result whole and in pieces of `size` bytes (pieces take the scanner's resume paths). */
async function sameInPieces(html: string, sizes = [1, 2, 3, 5, 8, 13]): Promise<void> {
  const want = essence(readHtmlSignalsSync(html))
  const bytes = enc.encode(html)
  for (const size of sizes) {
    const got = await readHtmlSignals(countingStream(chunks(bytes, size)).stream, { contentType: 'text/html; charset=utf-8' })
    expect(essence(got), `${JSON.stringify(html.slice(0, 60))} in pieces of ${size}`).toEqual(want)
  }
}

describe('head scanner shortcuts keep the HTML rules', () => {
  it('script end tags in any case, with white space or a slash before >; look-alikes do not end it', async () => {
    for (const end of ['</script>', '</SCRIPT>', '</Script >', '</script\n>', '</script/>', '</script\tx="1">']) {
      const html = `<head><script>var a = 1 < 2;${end}${ROBOTS}</head>`
      expect(kinds(html), end).toEqual(['robots-meta'])
      await sameInPieces(html)
    }
    for (const inner of ['</scripts>', '</scrip>', '<\\/script>', '</ script>']) {
      const html = `<head><script>x = "${inner}${ROBOTS}"</script></head>`
      expect(kinds(html), inner).toEqual([])
      await sameInPieces(html)
    }
  })

  it('raw text end tags (title, style, textarea in the body) in any case', async () => {
    for (const html of [
      `<head><title>a ${ROBOTS}</TITLE>${ROBOTS}</head>`,
      `<head><title>a</title >${ROBOTS}</head>`,
      `<head><style>p > a { x: '</styl' }</STYLE\n>${ROBOTS}</head>`,
      `<head><title>a</titles>${ROBOTS}</title>${ROBOTS}</head>`,
    ]) {
      expect(kinds(html), html).toEqual(['robots-meta'])
      await sameInPieces(html)
    }
  })

  it('a > inside a quoted value of a tag whose attributes are not read does not end that tag', async () => {
    for (const html of [
      `<html lang="a>b"><head data-x='>'>${ROBOTS}</head>`,
      `<head><noscript data-x="</noscript>">${ROBOTS}</noscript></head>`,
      `<head><base target="_blank>" href="/x">${ROBOTS}</head>`,
      `<head><title data-x=">">t</title>${ROBOTS}</head>`,
      // A quote inside an unquoted value or a name does not start a value: the tag ends at the first >.
      `<head><html a=b"c>${ROBOTS}</head>`,
      `<head><html a"b>${ROBOTS}</head>`,
    ]) {
      expect(kinds(html), html).toEqual(['robots-meta'])
      await sameInPieces(html)
    }
    // Inside a quoted value, the meta is not one.
    const hidden = `<head><link rel="x" title="a > ${ROBOTS.replace(/"/g, "'")} b">${ROBOTS.replace('noai', 'index')}</head>`
    expect(kinds(hidden)).toEqual([])
    await sameInPieces(hidden)
  })

  it('upper- and mixed-case tags and attribute names; names that only start like a wanted one are not it', async () => {
    expect(kinds('<HEAD><META NAME="ROBOTS" CONTENT="NOAI"><Meta NaMe=GPTBot CoNtEnT=noai></HEAD><body>')).toEqual(['robots-meta', 'robots-meta@GPTBot'])
    expect(kinds('<head><LINK REL="LICENSE" TYPE="application/rsl+xml" HREF="/l.rsl"></head>')).toEqual(['rsl'])
    expect(kinds('<head><meta names="robots" content="noai"><meta name="robots" contents="noai"><meta data-name="robots" content="noai"></head>')).toEqual([])
    expect(kinds('<head><link rels="license" rel="stylesheet" type="application/rsl+xml" href="/l.rsl"></head>')).toEqual([])
    expect(kinds('<head><SCRIPT TYPE="application/noai-tag+json" DATA-NOAI-FOR="/a.mp3">{}</SCRIPT></head>')).toEqual(['noai-tag'])
    await sameInPieces('<HEAD><META NAME="ROBOTS" CONTENT="NOAI"><LINK REL=noai-tag HREF=/t.jws></HEAD>')
  })

  it('comments hide markup, however they end; their dashes do not confuse the end', async () => {
    for (const html of [
      `<head><!-- ${ROBOTS} -->${ROBOTS.replace('noai', 'noimageai')}</head>`,
      `<head><!-- a -- b --!>${ROBOTS}</head>`,
      `<head><!-- ---- ${ROBOTS} ------>${ROBOTS}</head>`,
      `<head><!-->${ROBOTS}</head>`,
    ]) {
      expect(kinds(html), html).toHaveLength(1)
      await sameInPieces(html)
    }
    expect(kinds(`<head><!-- --!- ${ROBOTS} --></head>`)).toEqual([])
  })

  it('white space between tags is skipped; other text ends the head before what follows', async () => {
    expect(readHtmlSignalsSync(`<head>\n\t \r\n${ROBOTS}\n\n</head>`).signals).toHaveLength(1)
    const r = readHtmlSignalsSync(`<head>\n x${ROBOTS}</head>`)
    expect(r).toMatchObject({ stoppedAt: 'body', offset: 8 })
    expect(r.signals).toEqual([])
    // U+00A0 and vertical tab are not HTML white space.
    expect(readHtmlSignalsSync(`<head>\u00a0${ROBOTS}</head>`).stoppedAt).toBe('body')
    expect(readHtmlSignalsSync(`<head>\v${ROBOTS}</head>`).stoppedAt).toBe('body')
    await sameInPieces(`<head>\n\t \r\n${ROBOTS}\n \n</head>`)
  })

  it('unterminated constructs state nothing', async () => {
    for (const html of [`<head>${ROBOTS.slice(0, -1)}`, `<head><meta name="robots" content="noai`, `<head><script>${ROBOTS}`, `<head><title>${ROBOTS}`, `<head><!-- ${ROBOTS}`, '<head><meta name="robots" content=noai']) {
      const r = readHtmlSignalsSync(html)
      expect(r.signals, html).toEqual([])
      expect(r.stoppedAt, html).toBe('eof')
      await sameInPieces(html, [1, 4])
    }
  })

  it('character references: only a numeric one can spell noai; named ones never form or join a word', () => {
    expect(kinds('<head><meta name="GPTBot" content="n&#111;ai"><meta name="CCBot" content="&#x6E;oimageai"></head>')).toEqual(['robots-meta@GPTBot', 'robots-meta@CCBot'])
    expect(kinds('<head><meta name="GPTBot" content="no&amp;ai"><meta name="CCBot" content="no&shy;ai"><meta name="robots" content="no&nbsp;ai, noarch&amp;ive"></head>')).toEqual([])
    expect(kinds('<head><meta name="robots" content="noarc&#104;ive"></head>')).toEqual(['bing'])
  })

  it('a CR where a name has `-` is not that name (CR | 0x20 is `-`): no statement, no element kept', async () => {
    // noai\rtag and tdm\rpolicy are neither our names nor product tokens; bingbot\r is not bingbot.
    for (const name of ['noai\rtag', 'tdm\rpolicy', 'tdm\rreservation']) {
      const html = `<head><meta name="${name}" content="noai"><link rel="noai\rtag" href="/t.jws"></head>`
      expect(kinds(html), JSON.stringify(name)).toEqual([])
      expect(readHtmlSignalsSync(html).notes).toEqual([])
      await sameInPieces(html)
    }
    expect(kinds('<head><meta name="noai-tag" content="train-ai=n"><meta name="TDM-Reservation" content="1"></head>')).toEqual(['noai-tag', 'tdmrep'])
  })

  it('strings, bytes and pieces agree on random markup built from the shortcuts\' edge cases (property)', async () => {
    const unit = fc.constantFrom(
      '<', '>', '/', '"', "'", '=', ' ', '\n', '-', '!', 'a',
      '<head>', '</head>', '<meta ', 'name=robots ', 'content="noai"', "content='noimageai'", 'NAME=GPTBot ', '<script>', '</script>', '</SCRIPT >',
      '<title>', '</title>', '<!--', '-->', '--!>', '<link rel=license type="application/rsl+xml" href=/l>', '<html lang="a>b">', 'x="a>b"', '&#111;', '&amp;',
    )
    await fc.assert(
      fc.asyncProperty(fc.array(unit, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), async (units, size) => {
        const html = units.join('')
        const want = essence(readHtmlSignalsSync(html))
        expect(essence(readHtmlSignalsSync(enc.encode(html), { contentType: 'text/html; charset=utf-8' }))).toEqual(want)
        const got = await readHtmlSignals(countingStream(chunks(enc.encode(html), size)).stream, { contentType: 'text/html; charset=utf-8' })
        expect(essence(got)).toEqual(want)
      }),
      { numRuns: 300, seed: 4 },
    )
  })
})
