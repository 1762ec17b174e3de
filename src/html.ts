/**
 * `noai-tag/html`: the HTML carrier (docs/spec.md §11.2). {@link readHtmlSignals} reads every
 * AI-usage statement in a page's head (ours, robots `noai`/`noimageai` meta, TDMRep meta, RSL and
 * `noai-tag` links) with a streaming scanner that stops where the head ends; {@link tagHtml} writes
 * the head elements for a tag.
 *
 * Web APIs only; loads neither jose nor any audio code. Signed tags are decoded, not verified:
 * verify `jws` with `noai-tag/sign` before letting its allows count.
 *
 * @example
 * ```ts
 * import { readHtmlSignals, tagHtml } from 'noai-tag/html'
 * const head = tagHtml({ usage: { 'train-ai': 'denied' } })
 * const { signals } = await readHtmlSignals(`<head>${head}</head>`)
 * signals.map((s) => s.signal) // ['noai-tag', 'tdmrep', 'robots-meta']
 * ```
 *
 * @module noai-tag/html
 */
export { readHtmlSignals, type HtmlReadResult, type ReadHtmlSignalsOptions } from './html/read-html-signals.js'
export { readHtmlSignalsSync } from './html/read-html-signals-sync.js'
export { tagHtml, type TagHtmlOptions } from './html/tag-html.js'
export { HTML_LIMITS } from './html/limits.js'
export type { EncodingSource } from './html/_charset.js'
export type { StopReason } from './html/_scanner.js'
export type { WebSignal } from './http/types.js'
export type { TagOrUsage } from './http/_derive.js'
export type { FoundSignal, SignalSource, SignalSourceKind, ReadToken } from './signals/types.js'
