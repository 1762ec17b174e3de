/**
 * Writes the HTTP response header fields that carry a tag (docs/spec.md §11.1).
 *
 * @module
 */
import { formatCompact } from '../compact/format.js'
import { HTTP_FIELDS, LINK_REL, MEDIA_TYPES } from '../constants.js'
import { InvalidArgumentError } from '../errors.js'
import { writeTokens } from '../vocabulary/write-tokens.js'
import { checkJws, usageOf, type TagOrUsage } from './_derive.js'

export type { TagOrUsage } from './_derive.js'

/** Options of {@link tagHeaders}. */
export interface TagHeadersOptions {
  /**
   * The signed tag (a compact JWS) to send as `NoAI-Tag-JWS`. Its payload must state the same
   * `usage` as `tag` (it is decoded, not verified, to check).
   */
  readonly jws?: string
  /**
   * URL of a tag document or signed tag to announce with `Link: <url>; rel="noai-tag"`. The
   * `type` parameter is the media type of a signed tag when the URL ends in `.jws`, else of a tag
   * document.
   */
  readonly link?: string
  /** The TDMRep policy URL sent as `tdm-policy` with `tdm-reservation: 1`. Default: the tag's `license`. */
  readonly licenseUrl?: string
  /** Send `NoAI-Tag` (the compact form). Default `true`. */
  readonly compact?: boolean
  /** Send aipref's `Content-Usage`. Default `true`. */
  readonly contentUsage?: boolean
  /** Send TDMRep's `tdm-reservation` (and `tdm-policy`). Default `true`. */
  readonly tdm?: boolean
  /** Send `X-Robots-Tag: noai, noimageai` when AI training is denied. Default `true`. */
  readonly xRobots?: boolean
}

const URL_REF = /^[^\s<>"]+$/

/**
 * The header fields for a response whose content a tag describes, derived from the tag through the
 * mapping table (docs/spec.md §7.1, "Writing"), so that crawlers which only know another signal
 * still see the tag's denies:
 *
 * - `NoAI-Tag`: the compact form of the tag's whole `usage` (docs/spec.md §8.1), extension uses
 *   included, so that a reader comparing it with `NoAI-Tag-JWS` finds no mismatch.
 * - `NoAI-Tag-JWS`: `options.jws` as an RFC 9651 String.
 * - `Content-Usage` (aipref): `train-ai` from the answer for `train-genai` (its meaning since
 *   aipref-vocab-07) and `search` from the answer for `search`; `y`/`n`, a key only when the
 *   answer is allowed or denied. A deny of a broader use (`all=n`, `ai=n`) is thus written as
 *   `train-ai=n`.
 * - `tdm-reservation` (TDMRep): `1` when the answer for `tdm` is denied (any part of text and data
 *   mining denied), `0` when allowed; with `1`, `tdm-policy` is the licence URL when there is one.
 * - `X-Robots-Tag: noai, noimageai` when the answer for `train-ai` is denied.
 * - `Link: <url>; rel="noai-tag"` when `options.link` is given.
 *
 * Fields with nothing to say are left out. The result is a plain record, usable with
 * `new Headers(record)`, `res.set(record)` or `res.writeHead(200, record)`.
 *
 * @param tag A tag document (validated) or `{ usage }`.
 * @throws TagValidationError when a tag document is not valid; InvalidArgumentError for a usage
 *   map that cannot be serialised, a malformed or mismatching `jws`, or a malformed URL.
 * @example
 * ```ts
 * import { tagHeaders } from 'noai-tag/http'
 * tagHeaders({ usage: { 'train-ai': 'denied', search: 'allowed' } })
 * // {
 * //   'NoAI-Tag': 'search=y, train-ai=n',
 * //   'Content-Usage': 'search=y, train-ai=n',
 * //   'tdm-reservation': '1',
 * //   'X-Robots-Tag': 'noai, noimageai'
 * // }
 * ```
 */
export function tagHeaders(tag: TagOrUsage, options: TagHeadersOptions = {}): Record<string, string> {
  const { usage, document } = usageOf(tag)
  const out: Record<string, string> = {}
  const compact = formatCompact(usage)
  if (options.compact !== false && compact !== '') out[HTTP_FIELDS.tag] = compact
  if (options.jws !== undefined) {
    checkJws(options.jws, usage)
    out[HTTP_FIELDS.signedTag] = `"${options.jws}"`
  }
  if (options.contentUsage !== false) {
    const aipref: Record<string, 'allowed' | 'denied'> = {}
    for (const t of writeTokens('aipref', usage)) aipref[t.token] = t.value
    const value = formatCompact(aipref)
    if (value !== '') out['Content-Usage'] = value
  }
  if (options.tdm !== false) {
    const t = writeTokens('tdmrep', usage).find((w) => w.token === 'tdm-reservation')
    if (t) {
      out['tdm-reservation'] = t.value === 'denied' ? '1' : '0'
      const policy = options.licenseUrl ?? document?.license
      if (t.value === 'denied' && policy !== undefined) {
        if (!URL_REF.test(policy)) throw new InvalidArgumentError('licenseUrl must be a URL without white space, quotes or angle brackets')
        out['tdm-policy'] = policy
      }
    }
  }
  if (options.xRobots !== false) {
    const directives = writeTokens('robots-meta', usage)
      .filter((t) => t.value === 'denied')
      .map((t) => t.token)
    if (directives.length > 0) out['X-Robots-Tag'] = directives.join(', ')
  }
  if (options.link !== undefined) {
    if (typeof options.link !== 'string' || !URL_REF.test(options.link)) throw new InvalidArgumentError('link must be a URL without white space, quotes or angle brackets')
    const type = options.link.split(/[?#]/)[0]!.endsWith('.jws') ? MEDIA_TYPES.signedTag : MEDIA_TYPES.tag
    out.Link = `<${options.link}>; rel="${LINK_REL}"; type="${type}"`
  }
  return out
}
