/**
 * Example: a Crawlee crawler (CheerioCrawler) that asks noai-tag, before downloading anything, may
 * I use this URL for <use>? It skips the pages and media whose answer is deny, logs why, and
 * downloads the rest.
 *
 * How it plugs into Crawlee: every URL found enters the request queue twice.
 *
 * 1. As a CHECK request (`skipNavigation: true`: Crawlee does not download it). Its handler calls
 *    `checkUrl()`, which reads what a polite crawler would, and no more: the origin's robots.txt and
 *    well-known files (once per origin, from a cache shared by the whole crawl), then the
 *    response's header fields and only the head of an HTML page, or only the tag embedded in an
 *    audio file (by Range requests). A denied URL stops here: its body is never downloaded.
 * 2. As a FETCH request, only when the answer is not deny. Crawlee downloads it; pages are parsed
 *    for more links (`<a href>`, `<audio src>`, `<source src>`, `<img src>`), which enter as CHECK
 *    requests.
 *
 * The checks go through Crawlee's queue and concurrency like any request, so they scale with the
 * crawler (and a shared `CrawlStore` can hold the site files for many workers). "unknown" (no
 * statement either way) is never turned into an answer silently: `--on-unknown crawl|skip` is the
 * caller's choice, and the log says which applied.
 *
 * Crawlee's storage is kept in memory: nothing is written to ./storage.
 *
 * Run:
 *   npx tsx examples/server/server.ts --port 0            # prints http://127.0.0.1:PORT
 *   npx tsx examples/crawler/crawl.ts --start http://127.0.0.1:PORT/ --use train-ai
 * Options: --user-agent UA, --on-unknown crawl|skip (default crawl), --max-requests N,
 *   --jsonl (one JSON object per line), --allow-http-loopback (verify tags signed by a loopback
 *   issuer, as the example server's are).
 */
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { CheerioCrawler, Configuration, log, type CheerioCrawlingContext } from 'crawlee'
import { checkUrl, createCrawlCache, type CheckResult, type DecisionReason } from 'noai-tag/crawl'

/** Options of {@link crawl}. */
export interface CrawlOptions {
  /** Where the crawl starts. */
  readonly start: string
  /** The use the crawl's data is for (docs/spec.md §5.1), e.g. `train-ai`. */
  readonly use: string
  /** The crawler's User-Agent; its product token selects robots.txt groups. */
  readonly userAgent: string
  /** What to do with a URL nothing speaks about. */
  readonly onUnknown: 'crawl' | 'skip'
  /** Most requests (checks and downloads together). */
  readonly maxRequests: number
  /** Verify tags signed by http://127.0.0.1 issuers (demos and tests only). */
  readonly allowHttpLoopback: boolean
  /** Called with every event. */
  readonly log: (event: CrawlEvent) => void
}

/** One reason, as logged: the standard, where it was found and what it says. */
export interface LoggedReason {
  readonly signal: string
  readonly where: string
  readonly text?: string
  readonly value: string
}

/** What the crawler reports. */
export type CrawlEvent =
  | { readonly event: 'skip'; readonly url: string; readonly verdict: 'deny' | 'unknown'; readonly use: string; readonly decidedBeforeFetching: boolean; readonly reasons: readonly LoggedReason[]; readonly notes: readonly string[] }
  | { readonly event: 'allow' | 'unknown'; readonly url: string; readonly use: string; readonly reasons: readonly LoggedReason[] }
  | { readonly event: 'fetched'; readonly url: string; readonly status: number; readonly contentType: string; readonly bytes: number; readonly links: number }
  | { readonly event: 'done'; readonly checked: number; readonly fetched: number; readonly skipped: number }

/** The media types downloaded besides HTML: the media a page embeds. */
const MEDIA_TYPES = ['audio/mpeg', 'audio/mp4', 'audio/flac', 'audio/ogg', 'audio/wav', 'audio/x-wav', 'audio/aiff', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']

/** The links a page leads to: pages and the media it embeds. */
const LINKS = 'a[href], audio[src], source[src], img[src]'

function where(r: DecisionReason): string {
  const s = r.source
  return [s.kind, s.url, s.name, s.line !== undefined ? `line ${s.line}` : undefined].filter((x) => x !== undefined).join(' ')
}

/** The reasons that decided the verdict (for unknown: the statements reported but not applied). */
function reasonsOf(r: CheckResult): LoggedReason[] {
  const shown = r.verdict === 'unknown' ? r.reasons : r.reasons.filter((x) => x.decisive)
  return shown.map((x) => ({ signal: x.signal, where: where(x), ...(x.source.text !== undefined ? { text: x.source.text } : {}), value: x.status === 'applied' ? x.value : `${x.value} (${x.status}, not applied)` }))
}

const withoutFragment = (u: string): string => u.split('#')[0]!

/**
 * Crawls from `options.start`, on the start URL's origin only, skipping every URL whose answer for
 * `options.use` is deny (and, with `onUnknown: 'skip'`, unknown).
 *
 * @example
 * ```ts
 * await crawl({ start: 'http://127.0.0.1:8080/', use: 'train-ai', userAgent: 'ExampleBot/1.0',
 *   onUnknown: 'crawl', maxRequests: 100, allowHttpLoopback: true, log: (e) => console.log(e) })
 * ```
 */
export async function crawl(options: CrawlOptions): Promise<void> {
  // One cache for the whole crawl: each origin's site files are fetched once (pass a store shared
  // by all workers, e.g. Keyv over Redis, to `createCrawlCache` when the crawl is distributed).
  const cache = createCrawlCache()
  let checked = 0
  let fetched = 0
  let skipped = 0
  const check = (url: string) => ({ url, label: 'CHECK', skipNavigation: true, uniqueKey: `check:${withoutFragment(url)}` })

  const crawler = new CheerioCrawler(
    {
      maxRequestsPerCrawl: options.maxRequests,
      maxConcurrency: 4,
      maxRequestRetries: 1,
      requestHandlerTimeoutSecs: 30,
      additionalMimeTypes: MEDIA_TYPES,
      // The same identity for Crawlee's downloads as for the checks.
      preNavigationHooks: [
        (_ctx, gotOptions) => {
          gotOptions.headers = { ...gotOptions.headers, 'user-agent': options.userAgent }
        },
      ],
      async requestHandler(ctx: CheerioCrawlingContext) {
        const { request } = ctx
        if (request.label === 'CHECK') {
          checked++
          const r = await checkUrl(request.url, {
            use: options.use,
            userAgent: options.userAgent,
            cache,
            verify: { allowHttpLoopback: options.allowHttpLoopback },
          })
          const skip = r.verdict === 'deny' || (r.verdict === 'unknown' && options.onUnknown === 'skip')
          if (skip) {
            skipped++
            options.log({ event: 'skip', url: request.url, verdict: r.verdict as 'deny' | 'unknown', use: r.use, decidedBeforeFetching: r.decidedBeforeFetching, reasons: reasonsOf(r), notes: r.notes })
            return
          }
          options.log({ event: r.verdict as 'allow' | 'unknown', url: request.url, use: r.use, reasons: reasonsOf(r) })
          await ctx.crawler.addRequests([{ url: request.url, label: 'FETCH' }])
          return
        }
        fetched++
        const body = ctx.body
        let links: string[] = []
        if (ctx.contentType.type === 'text/html' || ctx.contentType.type === 'application/xhtml+xml') {
          const base = ctx.request.loadedUrl ?? request.url
          links = ctx
            .$(LINKS)
            .toArray()
            .map((el) => ctx.$(el).attr('href') ?? ctx.$(el).attr('src'))
            .filter((x): x is string => typeof x === 'string' && URL.canParse(x, base))
            .map((x) => withoutFragment(new URL(x, base).href))
          await ctx.enqueueLinks({ urls: links, strategy: 'same-origin', transformRequestFunction: (req) => ({ ...req, ...check(req.url) }) })
        }
        options.log({ event: 'fetched', url: request.url, status: ctx.response.statusCode ?? 0, contentType: ctx.contentType.type, bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.length, links: links.length })
      },
    },
    // Crawlee's request queue, datasets and statistics stay in memory: nothing under ./storage.
    new Configuration({ persistStorage: false, purgeOnStart: false }),
  )
  await crawler.run([check(options.start)])
  options.log({ event: 'done', checked, fetched, skipped })
}

function formatEvent(e: CrawlEvent): string {
  switch (e.event) {
    case 'skip': {
      const lines = [`skip     ${e.url}  (${e.verdict} for ${e.use}${e.decidedBeforeFetching ? ', decided before fetching' : ''})`]
      for (const r of e.reasons) lines.push(`           ${r.signal}: ${r.value}, ${r.where}${r.text !== undefined ? `: ${JSON.stringify(r.text)}` : ''}`)
      if (e.reasons.length === 0) lines.push('           no statement speaks to this use (--on-unknown skip)')
      return lines.join('\n')
    }
    case 'allow':
    case 'unknown': {
      const why = e.event === 'unknown' ? 'no statement either way; crawled because --on-unknown crawl' : e.reasons.map((r) => `${r.signal} (${r.where})`).join('; ')
      return `${e.event.padEnd(8)} ${e.url}  ${why}`
    }
    case 'fetched':
      return `fetched  ${e.url}  HTTP ${e.status}, ${e.contentType}, ${e.bytes} bytes, ${e.links} links`
    case 'done':
      return `done: ${e.checked} checked, ${e.fetched} fetched, ${e.skipped} skipped`
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      start: { type: 'string' },
      use: { type: 'string' },
      'user-agent': { type: 'string', default: 'ExampleBot/1.0 (+https://example.com/bot)' },
      'on-unknown': { type: 'string', default: 'crawl' },
      'max-requests': { type: 'string', default: '200' },
      jsonl: { type: 'boolean', default: false },
      'allow-http-loopback': { type: 'boolean', default: false },
    },
  })
  if (values.start === undefined || values.use === undefined) throw new Error('usage: crawl.ts --start URL --use USE [--user-agent UA] [--on-unknown crawl|skip] [--max-requests N] [--jsonl] [--allow-http-loopback]')
  const onUnknown = values['on-unknown']
  if (onUnknown !== 'crawl' && onUnknown !== 'skip') throw new Error(`--on-unknown is crawl or skip, not ${onUnknown}`)
  const maxRequests = Number(values['max-requests'])
  if (!Number.isSafeInteger(maxRequests) || maxRequests < 1) throw new Error('--max-requests must be a positive integer')
  log.setLevel(log.LEVELS.WARNING)
  const jsonl = values.jsonl
  await crawl({
    start: values.start,
    use: values.use,
    userAgent: values['user-agent'],
    onUnknown,
    maxRequests,
    allowHttpLoopback: values['allow-http-loopback'],
    log: (e) => console.log(jsonl ? JSON.stringify(e) : formatEvent(e)),
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(2)
  })
}
