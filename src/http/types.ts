/**
 * What the web carriers return: a {@link FoundSignal} with two optional members that only web
 * carriers set.
 *
 * @module
 */
import type { FoundSignal } from '../signals/types.js'

/**
 * A statement found in HTTP header fields or in HTML: a {@link FoundSignal}, plus two members that
 * only web carriers set. It is assignable to `FoundSignal`.
 *
 * @example
 * ```ts
 * import { readHtmlSignalsSync } from 'noai-tag/html'
 * const { signals } = readHtmlSignalsSync('<script type="application/noai-tag+json" data-noai-for="a.mp3">…</script>')
 * signals[0]?.for // the absolute URL of a.mp3 when options.url is given
 * ```
 */
export interface WebSignal extends FoundSignal {
  /**
   * For a tag declared with `data-noai-for` (docs/spec.md §11.2): the URL of the embedded media
   * the statement is about, resolved against the page's base URL (as written when the page URL is
   * not known). Absent: the statement is about the carrier itself (the response or the page).
   */
  readonly for?: string
  /**
   * `true` when the same carrier also holds the compact form (the `NoAI-Tag` field, the
   * `<meta name="noai-tag">` element) and it does not state exactly the document's `usage`
   * (docs/spec.md §8.3). The document's `usage` is used regardless; `tokens` holds an `ignored`
   * token for the compact form whose note starts with `mismatch:`.
   */
  readonly mismatch?: boolean
}
