/**
 * The items of a scan and the lines it writes (`noai scan`, docs/scan.md).
 *
 * @module
 */

/** One thing to scan: a file, a URL, or an input line that names neither. */
export type ScanItem =
  | { readonly kind: 'path'; readonly key: string; readonly input?: Readonly<Record<string, unknown>> }
  | { readonly kind: 'url'; readonly key: string; readonly input?: Readonly<Record<string, unknown>> }
  /** An input line that could not be read as an item (bad JSON, no path or url, too long). */
  | { readonly kind: 'invalid'; readonly key: string; readonly error: ErrorObject }
  /** A directory of the walk that could not be read: reported as one line, the scan goes on. */
  | { readonly kind: 'unreadable'; readonly key: string; readonly error: ErrorObject }

/** An error, as a report line shows it. */
export interface ErrorObject {
  /** A stable code: `ERR_NOAI_*` (docs/api: `NoaiTagErrorCode`). */
  readonly code: string
  /** For URLs: what went wrong (`timeout`, `network-error`, `http-status`...). */
  readonly reason?: string
  readonly message: string
}

/** One line of the report. Fields are absent when they do not apply. */
export interface ScanLine {
  /** The file, as walked or as listed. */
  readonly path?: string
  /** The URL, as listed. */
  readonly url?: string
  /** The other fields of a JSON input line, echoed; or the text of an input line that is not an item. */
  readonly input?: unknown
  /** The use asked about (a v1 use). */
  readonly use: string
  readonly verdict: 'allow' | 'deny' | 'unknown'
  /** The statements that spoke to the use. */
  readonly reasons: readonly ScanReason[]
  /** Files: the container (`mp3`, `flac`, `ogg`, `mp4`, `wav`, `aiff`). */
  readonly format?: string
  /** Files: the NoAI Tag found. */
  readonly tag?: TagSummary
  /** A signed tag: what verifying it gave. */
  readonly verification?: VerificationSummary
  /** Files: the audio reader's warnings. */
  readonly warnings?: readonly string[]
  /** URLs: the final HTTP status. */
  readonly status?: number
  /** URLs: the URL read after redirects, when it differs. */
  readonly finalUrl?: string
  /** URLs: the response's media type. */
  readonly contentType?: string
  /** URLs: a site-level statement denied the use, so the resource was not requested. */
  readonly decidedBeforeFetching?: true
  readonly error?: ErrorObject
}

/** A decision reason, compacted for a report line. */
export interface ScanReason {
  readonly signal: string
  readonly source: { readonly kind: string; readonly url?: string; readonly name?: string; readonly line?: number }
  readonly scope: 'resource' | 'site'
  readonly agent?: string
  /** What it stated about the related uses, in the compact form (`train-ai=n, search=y`). */
  readonly usage: string
  /** Its answer for the use: `allowed`, `denied` or `unknown`. */
  readonly value: string
  readonly decisive: boolean
  /** Absent when applied; else why not (`other-agent`, `expired`...). */
  readonly status?: string
  readonly note?: string
}

/** The NoAI Tag of a file, summarised. */
export interface TagSummary {
  /** `signed` (a JWS), `unsigned` (JSON), `readable-only` (only the `NOAI` line) or `invalid` (a document that is not a valid tag). */
  readonly document: 'signed' | 'unsigned' | 'readable-only' | 'invalid'
  readonly issuer?: string
  /** The tag's usage in the compact form (the readable line's, for `readable-only`). */
  readonly usage?: string
  /** The readable line does not say what the document says (docs/spec.md §8.3). */
  readonly mismatch?: true
}

/** What verifying a signed tag gave (docs/spec.md §13.9). */
export interface VerificationSummary {
  /** `invalid`, `valid`, `trusted`, or `not-verified` (no key source given). */
  readonly state: 'invalid' | 'valid' | 'trusted' | 'not-verified'
  readonly codes: readonly string[]
  /** Whether the binding to the audio essence (or the URL) was checked. */
  readonly binding: 'checked' | 'not-checked'
  readonly issuer?: string
}
