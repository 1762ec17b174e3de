/**
 * Scanning one URL (docs/scan.md "What decides a URL's verdict"): checked as `noai check` does,
 * with one cache of site files for the whole scan. Loaded by scan-item.ts when the first URL comes,
 * so that a scan of files does not load the crawler.
 *
 * @module
 */
import { createCrawlCache, type CrawlCache } from '../../crawl/_cache-state.js'
import { checkUrl } from '../../crawl/check-url.js'
import { itemError } from './item-error.js'
import { compactReason, verificationOf } from './line-parts.js'
import type { LineHead, ScanContext } from './scan-item.js'
import type { ScanLine } from './types.js'

/** The site-file cache of each scan (one per context: robots.txt and the site files, fetched once per origin). */
const caches = new WeakMap<ScanContext, CrawlCache>()

function cacheOf(ctx: ScanContext): CrawlCache {
  let cache = caches.get(ctx)
  if (cache === undefined) {
    cache = createCrawlCache()
    caches.set(ctx, cache)
  }
  return cache
}

/**
 * Scans one URL and returns its report line. Never rejects: a failure is a line with `error`.
 *
 * @example
 * ```ts
 * const line = await scanUrl({ url: 'https://music.example/1', use: 'train-ai' }, 'https://music.example/1', ctx)
 * ```
 */
export async function scanUrl(head: LineHead, url: string, ctx: ScanContext): Promise<ScanLine> {
  try {
    const r = await checkUrl(url, {
      use: ctx.use,
      userAgent: ctx.userAgent,
      cache: cacheOf(ctx),
      verify: ctx.verify,
      verifyAudioBinding: ctx.verify !== false && ctx.verifyBinding,
      ...(ctx.timeoutMs !== undefined ? { limits: { timeoutMs: ctx.timeoutMs } } : {}),
      ...(ctx.now !== undefined ? { now: ctx.now } : {}),
    })
    const verification = verificationOf(r.reasons)
    return {
      ...head,
      verdict: r.verdict,
      reasons: r.reasons.map(compactReason),
      ...(verification !== undefined ? { verification } : {}),
      ...(r.status !== undefined ? { status: r.status } : {}),
      ...(r.finalUrl !== undefined && r.finalUrl !== r.url ? { finalUrl: r.finalUrl } : {}),
      ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
      ...(r.decidedBeforeFetching ? { decidedBeforeFetching: true as const } : {}),
      ...(r.error !== undefined ? { error: { code: 'ERR_NOAI_FETCH', reason: r.error.code, message: r.error.message } } : {}),
    }
  } catch (e) {
    return { ...head, verdict: 'unknown', reasons: [], error: itemError(e) }
  }
}
