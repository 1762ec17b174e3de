/**
 * `noai-tag/http`: the HTTP carrier (docs/spec.md §11.1). {@link readHttpSignals} reads every
 * AI-usage statement in a response's header fields (ours, aipref `Content-Usage`, Content Signals,
 * TDMRep, `X-Robots-Tag`, RSL and `noai-tag` links); {@link tagHeaders} writes the fields for a tag.
 *
 * Web APIs only; loads neither jose nor any audio code. Signed tags are decoded, not verified:
 * verify `jws` with `noai-tag/sign` before letting its allows count.
 *
 * @example
 * ```ts
 * import { readHttpSignals, tagHeaders } from 'noai-tag/http'
 * const headers = tagHeaders({ usage: { 'train-ai': 'denied' } })
 * readHttpSignals(headers).map((s) => s.signal) // ['noai-tag', 'aipref', 'tdmrep', 'robots-meta']
 * ```
 *
 * @module noai-tag/http
 */
export { readHttpSignals, type ReadHttpSignalsOptions, type HeaderInput } from './http/read-http-signals.js'
export { tagHeaders, type TagHeadersOptions, type TagOrUsage } from './http/tag-headers.js'
export { HTTP_LIMITS } from './http/limits.js'
export type { WebSignal } from './http/types.js'
export type { FoundSignal, SignalSource, SignalSourceKind, ReadToken } from './signals/types.js'
