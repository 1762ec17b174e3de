/**
 * Limits of the HTTP carrier (docs/spec.md §11.1). Every length or count read from a response's
 * header fields is checked against one of these named constants before it is parsed.
 *
 * @module
 */
import { SIGN_LIMITS } from '../sign/sign-limits.js'

/**
 * The limits {@link readHttpSignals} enforces. A field over a limit is not parsed: the reader
 * reports it (an `ignored` token with a note) and it states nothing.
 *
 * @example
 * ```ts
 * import { HTTP_LIMITS } from 'noai-tag/http'
 * HTTP_LIMITS.maxHeaderValueLength // 8192
 * ```
 */
export const HTTP_LIMITS = {
  /**
   * Longest value of one field (all its field lines combined), in characters, for every field read
   * except `NoAI-Tag-JWS`. 8 KiB is the usual limit of HTTP servers for one field line.
   */
  maxHeaderValueLength: 8_192,
  /**
   * Longest `NoAI-Tag-JWS` value: one signed tag of the largest size the standard allows
   * (`SIGN_LIMITS.maxTokenLength`) plus its two quotes.
   */
  maxSignedTagFieldLength: SIGN_LIMITS.maxTokenLength + 2,
  /** Field lines of one field name that are read; further lines are ignored and reported. */
  maxFieldLines: 16,
  /** Links of a `Link` field that are read; further links are ignored and reported. */
  maxLinks: 32,
  /** Agent groups (`GPTBot: noai`) of `X-Robots-Tag` that are read; further groups are ignored. */
  maxAgents: 16,
  /** Most statements returned for one response. */
  maxSignals: 64,
  /** Longest `source.text` of a statement, in characters (longer text is cut, ending in `…`). */
  maxSourceText: 512,
} as const
