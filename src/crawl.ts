/**
 * `noai-tag/crawl`: the crawler's decision (docs/spec.md §11.6). {@link evaluate} combines the
 * statements of every carrier found for a URL into `allow`, `deny` or `unknown` for one use, with a
 * reason per statement; {@link checkUrl} fetches what is needed, politely and with bounds, and
 * decides: the site files of the origin (cached, shareable between workers through a Keyv-style
 * store), then the response's header fields, then only the head of a page or the tag embedded in
 * audio.
 *
 * Web APIs only. The signing code is loaded (with `import()`) only when a signed tag is met, and
 * the audio readers only when an audio response is.
 *
 * @example
 * ```ts
 * import { checkUrl } from 'noai-tag/crawl'
 * const r = await checkUrl('https://music.example/track/1', { use: 'train-genai', userAgent: 'ExampleBot/1.0' })
 * console.log(r.verdict) // 'deny'
 * for (const reason of r.reasons) console.log(reason.signal, reason.source.kind, reason.source.name, reason.value, reason.decisive)
 * ```
 *
 * @module noai-tag/crawl
 */
export { evaluate, type EvaluateOptions, type EvaluateVerifyOptions } from './crawl/evaluate.js'
export { checkUrl, type CheckUrlOptions, type CheckResult, type CheckError, type CrawlFetch, type ResourceErrorCode } from './crawl/check-url.js'
export { createCrawlCache, type CrawlCache } from './crawl/_cache-state.js'
export { createMemoryCrawlStore, type CrawlStore, type MemoryCrawlStoreOptions } from './crawl/store.js'
export { CRAWL_LIMITS, DEFAULT_USER_AGENT, type CrawlLimits } from './crawl/limits.js'
export type { Decision, DecisionReason, ReasonStatus, ReasonVerification, Verdict } from './crawl/types.js'
export type { FoundSignal, SignalSource, SignalSourceKind, ReadToken } from './signals/types.js'
