/**
 * The error of the site-level readers: a tdmrep.json, site policy or RSL document that cannot be
 * read at all (docs/spec.md §11.4, §11.5). A file that can be read but says nothing usable is not an
 * error: its reader returns no statement and warnings.
 *
 * @module
 */
import { NoaiTagError, type ValidationIssue } from '../errors.js'

/** The site-level files whose readers throw {@link SiteFileError}. */
export type SiteFileKind = 'tdmrep.json' | 'policy' | 'rsl'

/**
 * A site-level file is malformed: not the JSON array TDMRep requires, not a valid site policy, or
 * XML that is not well-formed or declares a DOCTYPE. Code `ERR_NOAI_MALFORMED_INPUT`.
 *
 * Size and count limits throw `LimitExceededError` instead, and text that is not JSON throws
 * `JsonParseError`.
 *
 * @example
 * ```ts
 * try { parseTdmrepJson('{"tdm-reservation": 1}') }
 * catch (e) { if (e instanceof SiteFileError) console.error(e.file, e.message) } // 'tdmrep.json', 'tdmrep.json must be a JSON array...'
 * ```
 */
export class SiteFileError extends NoaiTagError {
  override name = 'SiteFileError' as const
  /** Which file was malformed. */
  readonly file: SiteFileKind
  /** For a site policy that fails validation: every issue found. */
  readonly issues: readonly ValidationIssue[]
  constructor(file: SiteFileKind, message: string, options?: { cause?: unknown; issues?: readonly ValidationIssue[] }) {
    super('ERR_NOAI_MALFORMED_INPUT', message, options)
    this.file = file
    this.issues = options?.issues ?? []
  }
}
