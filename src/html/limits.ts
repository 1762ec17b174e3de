/**
 * Limits of the HTML carrier (docs/spec.md §11.2). The scanner's time and memory are linear in the
 * bytes it reads, and it reads at most `maxBytes`.
 *
 * @module
 */
import { SIGN_LIMITS } from '../sign/sign-limits.js'

/**
 * The limits {@link readHtmlSignals} enforces. `maxBytes` can be changed per call; the others are
 * fixed.
 *
 * @example
 * ```ts
 * import { HTML_LIMITS } from 'noai-tag/html'
 * HTML_LIMITS.maxBytes // 1048576: reading stops there (stoppedAt: 'limit')
 * ```
 */
export const HTML_LIMITS = {
  /** Default for `options.maxBytes`: the most input read (bytes; characters for string input). */
  maxBytes: 1_048_576,
  /** Longest tag (`<` to `>`) whose attributes are read; a longer tag is skipped and reported. */
  maxTagLength: 65_536,
  /** Attributes of one tag that are looked at; later attributes are skipped (as duplicates are). */
  maxAttributes: 256,
  /**
   * Longest text of a `<script>` of our types (or of RSL) that is kept: a signed tag of the largest
   * size the standard allows (`SIGN_LIMITS.maxTokenLength`) with room for white space.
   */
  maxScriptText: SIGN_LIMITS.maxTokenLength + 4_096,
  /** Elements of interest (meta, link, script of our types) kept per page; later ones are reported. */
  maxElements: 256,
  /** Most statements returned for one page. */
  maxSignals: 64,
  /** Inline RSL documents (`<script type="application/rsl+xml">`) kept per page. */
  maxRslDocuments: 4,
  /** Bytes the encoding prescan looks at (HTML §13.2.3.2). */
  prescanBytes: 1_024,
} as const
