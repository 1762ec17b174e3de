/**
 * Writes the HTML head elements that carry a tag (docs/spec.md §11.2).
 *
 * @module
 */
import { formatCompact } from '../compact/format.js'
import { HTML_NAMES } from '../constants.js'
import { InvalidArgumentError } from '../errors.js'
import { writeTokens } from '../vocabulary/write-tokens.js'
import { checkJws, usageOf, type TagOrUsage } from '../http/_derive.js'

/** Options of {@link tagHtml}. */
export interface TagHtmlOptions {
  /** The signed tag (a compact JWS) to embed. Its payload must state the same `usage` as `tag`. */
  readonly jws?: string
  /**
   * URL (relative to the page) of the embedded media the tag is about, e.g. the audio file of a
   * track page's player: written as `data-noai-for` on the `<script>`. The page-level elements
   * (meta noai-tag, robots, TDMRep) are then not written: they would speak for the page.
   */
  readonly for?: string
  /** Write `<meta name="noai-tag">` (the compact form). Default `true`. */
  readonly compact?: boolean
  /** Write the document as `<script type="application/noai-tag+json">` when `tag` is a full document and no `jws` is given. Default `true`. */
  readonly document?: boolean
  /** Write `<meta name="robots" content="noai, noimageai">` when AI training is denied. Default `true`. */
  readonly robotsMeta?: boolean
  /** Write `<meta name="tdm-reservation">` (and `tdm-policy`). Default `true`. */
  readonly tdm?: boolean
  /** The TDMRep policy URL written with `tdm-reservation` 1. Default: the tag's `license`. */
  readonly licenseUrl?: string
}

const ATTRIBUTE_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for a double-quoted attribute value. */
function attr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ATTRIBUTE_ESCAPES[c]!)
}

const meta = (name: string, content: string) => `<meta name="${attr(name)}" content="${attr(content)}">`

/**
 * The head elements for a page that carries a tag (or for media it embeds), one per line, escaped
 * for HTML:
 *
 * - `<meta name="noai-tag" content="…">`: the compact form of the tag's whole `usage`.
 * - `<script type="application/noai-tag+jws">` holding `options.jws`, or else
 *   `<script type="application/noai-tag+json">` holding the document, with every `<` written as
 *   `\u003c` so that the text can never contain `</script`; with `options.for`, the script carries
 *   `data-noai-for`.
 * - `<meta name="tdm-reservation" content="1|0">` from the answer for `tdm` (and
 *   `<meta name="tdm-policy">` with the licence URL when reserved).
 * - `<meta name="robots" content="noai, noimageai">` when the answer for `train-ai` is denied.
 *
 * Producers SHOULD put these in the `<head>`; a `<script>` with `data-noai-for` MAY also be placed
 * in the body next to the player (docs/spec.md §11.2).
 *
 * @param tag A tag document (validated) or `{ usage }`.
 * @throws TagValidationError when a tag document is not valid; InvalidArgumentError for a usage
 *   map that cannot be serialised, a malformed or mismatching `jws`, or `for` without a document
 *   or `jws`.
 * @example
 * ```ts
 * import { tagHtml } from 'noai-tag/html'
 * tagHtml({ usage: { 'train-ai': 'denied', search: 'allowed' } })
 * // <meta name="noai-tag" content="search=y, train-ai=n">
 * // <meta name="tdm-reservation" content="1">
 * // <meta name="robots" content="noai, noimageai">
 * ```
 */
export function tagHtml(tag: TagOrUsage, options: TagHtmlOptions = {}): string {
  const { usage, document } = usageOf(tag)
  const lines: string[] = []
  const forUrl = options.for
  if (forUrl !== undefined && (typeof forUrl !== 'string' || forUrl.trim() === '')) throw new InvalidArgumentError('for must be a non-empty URL')
  const page = forUrl === undefined
  if (page && options.compact !== false) {
    const compact = formatCompact(usage)
    if (compact !== '') lines.push(meta(HTML_NAMES.meta, compact))
  }
  const forAttr = page ? '' : ` ${HTML_NAMES.forAttribute}="${attr(forUrl)}"`
  if (options.jws !== undefined) {
    checkJws(options.jws, usage)
    lines.push(`<script type="${HTML_NAMES.scriptSigned}"${forAttr}>${options.jws}</script>`)
  } else if (document !== undefined && options.document !== false) {
    const json = JSON.stringify(document).replace(/</g, '\\u003c')
    lines.push(`<script type="${HTML_NAMES.scriptJson}"${forAttr}>${json}</script>`)
  } else if (!page) {
    throw new InvalidArgumentError('a tag for embedded media (for) needs a tag document or a jws: a usage map alone has no HTML form for media')
  }
  if (page && options.tdm !== false) {
    const t = writeTokens('tdmrep', usage).find((w) => w.token === 'tdm-reservation')
    if (t) {
      lines.push(meta('tdm-reservation', t.value === 'denied' ? '1' : '0'))
      const policy = options.licenseUrl ?? document?.license
      if (t.value === 'denied' && policy !== undefined) lines.push(meta('tdm-policy', policy))
    }
  }
  if (page && options.robotsMeta !== false) {
    const directives = writeTokens('robots-meta', usage)
      .filter((t) => t.value === 'denied')
      .map((t) => t.token)
    if (directives.length > 0) lines.push(meta('robots', directives.join(', ')))
  }
  return lines.join('\n')
}
