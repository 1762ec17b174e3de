// Crawls the demo site as an AI crawler would (noai-tag/crawl): one `checkUrl` per URL and use,
// sharing one cache so that the site files are fetched once, with signed tags verified against the
// demo's key set and the demo issuer trusted.
import { checkUrl, createCrawlCache } from 'noai-tag/crawl'
import { createKeyResolver } from 'noai-tag/sign'
import { mediaPath, pagePath } from './tracks.mjs'

/** The crawler the demo plays. */
export const CRAWLER = 'ExampleAIBot/1.0'

/** The uses it asks about for every URL. */
export const USES = ['train-ai', 'search']

/** The URLs to check, in reading order: the index, then each track's page and its media file. */
export function urlsOf(tracks) {
  return ['/', ...tracks.flatMap((t) => [pagePath(t), mediaPath(t)])]
}

/**
 * What to check: every URL for every use as {@link CRAWLER}, then one check as GPTBot, which the
 * site's robots.txt keeps out of the private paths (a `Disallow` denies every use, even search).
 */
export function planOf(tracks) {
  const plan = urlsOf(tracks).flatMap((path) => USES.map((use) => ({ path, use, userAgent: CRAWLER })))
  const privateTrack = tracks.find((t) => t.private)
  if (privateTrack !== undefined) plan.push({ path: pagePath(privateTrack), use: 'search', userAgent: 'GPTBot/1.2' })
  return plan
}

/**
 * Runs the plan, one check at a time (the order of the table; a polite crawler would also spread
 * its requests). `checkUrl` reports network problems as results, so only a bug or an abort throws.
 */
export async function crawl(origin, tracks, { signal } = {}) {
  const cache = createCrawlCache()
  // The demo's issuer is http://127.0.0.1:PORT: a key set on plain http is fetched only for a
  // loopback origin and only with this explicit opt-in (docs/spec.md §14); never in production.
  const resolver = createKeyResolver({ allowHttpLoopback: true })
  const verify = { resolver, trust: [origin] }
  const rows = []
  for (const step of planOf(tracks)) {
    const result = await checkUrl(origin + step.path, {
      use: step.use,
      userAgent: step.userAgent,
      cache,
      verify,
      // Hash the audio essence of signed audio so that a tag copied onto other audio is caught.
      verifyAudioBinding: true,
      ...(signal !== undefined ? { signal } : {}),
    })
    rows.push({ ...step, result })
  }
  return rows
}
