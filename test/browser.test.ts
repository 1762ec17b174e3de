// The browser-facing subpaths in a real browser (Debian's Chromium, driven by playwright-core): the
// checks of test/_web-checks.ts, bundled by esbuild with the BUILT subpaths (dist/) as ES modules
// with code splitting, served from a loopback server and run in the page, must give exactly what
// the sources give in Node: validation, HTTP header and HTML (string and stream) reading, every
// signed conformance vector verified with the browser's Web Crypto (Ed25519 and ES256, with keys
// from the vectors and with keys the browser makes), and every audio conformance vector read and
// hashed from a Blob. noai-tag/crawl runs on a page of its own, to show that its signing and audio
// code is fetched only when a check meets a signed tag and an audio file.
// Then the browser example (examples/browser): its page checks a file dropped on it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startExample, type RunningExample } from '../examples/browser/server.js'
import {
  AUDIO_DIR,
  AUDIO_VECTORS,
  CHECK_CALLS,
  ROOT,
  SIGNED_AUDIO_FILE,
  WEB_SUBPATHS,
  bundleEntries,
  distBuilt,
  expectSameAsNode,
  expectedResults,
  specifier,
  webCheckInput,
  type Outcome,
  type WebResults,
} from './_web-harness.js'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']
const CHECKS = `${ROOT}test/_web-checks.ts`

/** Runs in the page: each check's outcome as a value (a thrown error becomes `{ ok: false }`). */
const PAGE_PRELUDE = `
const load = async (file) => {
  const res = await fetch('/vectors/audio/' + encodeURIComponent(file))
  if (!res.ok) throw new Error('HTTP ' + res.status + ' for ' + file)
  return res.blob()
}
const wrap = (fn) => async (input) => {
  try { return { ok: true, value: await fn(input) } } catch (e) { return { ok: false, error: String((e && e.stack) || e) } }
}
`

const BROWSER_SUBPATHS = WEB_SUBPATHS.filter((s) => s !== './crawl')
const variable = (subpath: string): string => `m${BROWSER_SUBPATHS.indexOf(subpath as never)}`

/** Every subpath but crawl, and their checks, on `window.noaiChecks`. */
function checksEntry(): string {
  const fns = [...new Set(BROWSER_SUBPATHS.map((s) => CHECK_CALLS[s].fn)), 'checkSignedAudio']
  return [
    ...BROWSER_SUBPATHS.map((s) => `import * as ${variable(s)} from ${JSON.stringify(specifier(s))}`),
    `import { ${fns.join(', ')} } from ${JSON.stringify(CHECKS)}`,
    PAGE_PRELUDE,
    'globalThis.noaiChecks = {',
    ...BROWSER_SUBPATHS.map((s) => `  ${JSON.stringify(s)}: wrap((input) => ${CHECK_CALLS[s].call.replace(/\bm\b/, variable(s))}),`),
    `  'audio+sign': wrap((input) => checkSignedAudio(${variable('./audio')}, ${variable('./sign')}, input, load, ${JSON.stringify(SIGNED_AUDIO_FILE)})),`,
    '}',
  ].join('\n')
}

/** noai-tag/crawl alone, as a crawler in a browser or a worker would load it. */
const crawlEntry = (): string =>
  [`import * as m from 'noai-tag/crawl'`, `import { checkCrawl } from ${JSON.stringify(CHECKS)}`, PAGE_PRELUDE, `globalThis.noaiChecks = { './crawl': wrap((input) => checkCrawl(m, input, load)) }`].join('\n')

const html = (script: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>noai-tag checks</title><script type="module" src="/bundle/${script}"></script></head><body></body></html>`

interface Served {
  readonly type: string
  readonly body: string | Uint8Array
}

/** A loopback server of fixed files. */
async function serve(files: ReadonlyMap<string, Served>): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/favicon.ico') return void res.writeHead(204).end()
    const file = files.get(path)
    if (file === undefined) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

const resourcePaths = (page: Page): Promise<string[]> => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname))

describe.skipIf(!existsSync(CHROMIUM) || !distBuilt())(`in Chromium (needs Debian's chromium at ${CHROMIUM}, and dist/: npm run build)`, () => {
  const input = webCheckInput()
  const userDataDir = mkdtempSync(join(tmpdir(), 'noai-chromium-'))
  const pageErrors: string[] = []
  let expected: WebResults
  let site: Awaited<ReturnType<typeof serve>>
  let context: BrowserContext

  const newPage = async (): Promise<Page> => {
    const page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`)
    })
    return page
  }

  beforeAll(async () => {
    const built = await bundleEntries(
      { checks: checksEntry(), 'crawl-checks': crawlEntry() },
      { splitting: true, entryNames: '[name]', chunkNames: '[name]-[hash]' },
    )
    const files = new Map<string, Served>([
      ['/', { type: 'text/html; charset=utf-8', body: html('checks.js') }],
      ['/crawl.html', { type: 'text/html; charset=utf-8', body: html('crawl-checks.js') }],
    ])
    for (const f of built.outputFiles) files.set(`/bundle/${f.path.slice(f.path.lastIndexOf('/') + 1)}`, { type: 'text/javascript', body: f.contents })
    for (const v of AUDIO_VECTORS) files.set(`/vectors/audio/${v.file}`, { type: 'application/octet-stream', body: new Uint8Array(readFileSync(`${AUDIO_DIR}${v.file}`)) })
    site = await serve(files)
    expected = await expectedResults(input)
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await context?.close()
    await site?.close()
    rmSync(userDataDir, { recursive: true, force: true })
  })

  describe('the subpaths in a page', () => {
    const outcomes = new Map<string, Outcome>()
    beforeAll(async () => {
      const page = await newPage()
      await page.goto(`${site.origin}/`)
      await page.waitForFunction(() => 'noaiChecks' in globalThis)
      for (const name of [...BROWSER_SUBPATHS, 'audio+sign']) {
        outcomes.set(name, await page.evaluate(([n, i]) => (globalThis as unknown as { noaiChecks: Record<string, (x: unknown) => Promise<Outcome>> }).noaiChecks[n]!(i), [name, input] as const))
      }
      await page.close()
    }, 120_000)

    it('has Web Crypto (a secure context: a loopback origin)', async () => {
      const page = await newPage()
      await page.goto(`${site.origin}/`)
      expect(await page.evaluate(() => [isSecureContext, typeof crypto.subtle, typeof (globalThis as { process?: unknown }).process, typeof (globalThis as { Buffer?: unknown }).Buffer])).toEqual([
        true,
        'object',
        'undefined',
        'undefined',
      ])
      await page.close()
    })

    it.each([...BROWSER_SUBPATHS, 'audio+sign'])('%s gives in Chromium what the sources give in Node', (name) => {
      expectSameAsNode(name, outcomes.get(name), expected)
    })
  })

  it('noai-tag/crawl works in a page, and fetches its signing and audio code only when a check needs it', async () => {
    const page = await newPage()
    await page.goto(`${site.origin}/crawl.html`)
    await page.waitForFunction(() => 'noaiChecks' in globalThis)
    const lazy = /\/(_sign-code|_audio-code|flac)-[\w-]+\.js$/
    const before = await resourcePaths(page)
    expect(before.some((p) => p === '/bundle/crawl-checks.js')).toBe(true)
    expect(before.filter((p) => lazy.test(p))).toEqual([])
    const outcome = await page.evaluate((i) => (globalThis as unknown as { noaiChecks: Record<string, (x: unknown) => Promise<Outcome>> }).noaiChecks['./crawl']!(i), input)
    expectSameAsNode('./crawl', outcome, expected)
    const after = (await resourcePaths(page)).filter((p) => lazy.test(p)).map((p) => p.replace(/^\/bundle\/(\w+?)-.*$/, '$1'))
    expect(new Set(after)).toEqual(new Set(['_sign', '_audio', 'flac']))
    await page.close()
  })

  describe('examples/browser', () => {
    let example: RunningExample
    let page: Page
    beforeAll(async () => {
      example = await startExample({ port: 0, issuerPort: 0 })
      page = await newPage()
      await page.goto(example.siteUrl)
    }, 60_000)
    afterAll(async () => {
      await page?.close()
      await example?.close()
    })

    const done = (name: string) => page.waitForSelector(`#result[data-done="${name}"]`, { timeout: 20_000 })
    const text = async (id: string) => ((await page.textContent(`#${id}`)) ?? '').trim()
    const uses = () => page.$$eval('#uses tr', (rows) => Object.fromEntries((rows as HTMLTableRowElement[]).slice(1).map((r) => [r.cells[0]!.textContent, r.cells[1]!.textContent])))

    it('verifies a file dropped on the page: the tag, "valid" document, "trusted" signature, keys fetched cross-origin with CORS', async () => {
      await page.evaluate(async () => {
        const blob = await (await fetch('/sample.flac')).blob()
        const data = new DataTransfer()
        data.items.add(new File([blob], 'dropped.flac', { type: 'audio/flac' }))
        document.getElementById('drop')!.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }))
      })
      await done('dropped.flac')
      expect(await text('status')).toBe('NoAI tag found, signed and verified')
      expect(await text('readable')).toBe('search=y, train-ai=n')
      expect(await text('document')).toBe('valid NoAI Tag v1 document')
      expect(await text('state')).toBe('trusted')
      expect(await text('codes')).toBe('(none)')
      expect(await text('issuer')).toBe(example.issuer)
      expect(JSON.parse(await text('tag'))).toMatchObject({ issuer: example.issuer, usage: { search: 'allowed', 'train-ai': 'denied' } })
      expect(await uses()).toMatchObject({ search: 'allowed', 'train-ai': 'denied', 'train-genai': 'denied', 'ai-input': 'unknown' })
      // The page and the issuer are two origins: the key set was fetched with CORS, once.
      const siteOrigin = new URL(example.siteUrl).origin
      expect(siteOrigin).not.toBe(example.issuer)
      expect(example.keySetRequests).toEqual([{ origin: siteOrigin }])
    })

    it('rejects the same tag on another recording (file input): invalid, content-hash-mismatch', async () => {
      const forged = new Uint8Array(await (await fetch(new URL('forged.mp3', example.siteUrl))).arrayBuffer())
      await page.setInputFiles('#file', { name: 'forged.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from(forged) })
      await done('forged.mp3')
      expect(await text('readable')).toBe('search=y, train-ai=n')
      expect(await text('state')).toBe('invalid')
      expect(await text('codes')).toContain('content-hash-mismatch')
      expect(await uses()).toEqual({})
    })

    it('says "valid", not "trusted", when the issuer is not in the trust list; and reports untagged files', async () => {
      await page.fill('#trust', '')
      await page.click('a[href="/sample.flac"]')
      await done('sample.flac')
      expect(await text('state')).toBe('valid')
      expect(await text('codes')).toBe('issuer-untrusted')
      await page.setInputFiles('#file', { name: 'untagged.ogg', mimeType: 'audio/ogg', buffer: readFileSync(`${AUDIO_DIR}ogg-vorbis-untagged.ogg`) })
      await done('untagged.ogg')
      expect(await text('status')).toBe('no NoAI tag in this file')
      expect(await text('format')).toBe('ogg (vorbis)')
    })

    it('wrote no errors to the console', () => {
      expect(pageErrors).toEqual([])
    })
  })
})
