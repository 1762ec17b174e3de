// The machinery behind readHtmlSignals and readHtmlSignalsSync: options, the byte decoder in front
// of the scanner (encoding determination, HTML §13.2.3), and the result. Internal.
import { InvalidArgumentError } from '../errors.js'
import { forAgent } from '../http/_util.js'
import type { WebSignal } from '../http/types.js'
import { buildSignals } from './_build.js'
import { contentTypeEncoding, mayBeBomPrefix, prescan, sniffBom, type EncodingSource } from './_charset.js'
import { decodeAttribute } from './_entities.js'
import { HeadScanner, type StopReason } from './_scanner.js'
import { HTML_LIMITS } from './limits.js'
import { concatBytes } from '../_internal/bytes.js'

/** Options of {@link readHtmlSignals} and {@link readHtmlSignalsSync}. */
export interface ReadHtmlSignalsOptions {
  /** URL of the page: recorded in `source.url`, and the base for relative URLs (with `<base href>`). */
  readonly url?: string
  /** The response's `Content-Type`, whose `charset` parameter gives the encoding of byte input (after a byte order mark). */
  readonly contentType?: string
  /**
   * The most input read: bytes for byte and stream input, characters for string input. Reading
   * stops there (`stoppedAt: 'limit'`). Default `HTML_LIMITS.maxBytes` (1 MiB).
   */
  readonly maxBytes?: number
  /**
   * Go on after the head, up to `maxBytes`, looking for `<script type="application/noai-tag+…">`
   * elements in the body (docs/spec.md §11.2 allows them anywhere, so that a page can declare the
   * tag of an embedded player's media next to the player). Costs reading the whole page; default
   * `false`: only the head is read.
   */
  readonly scanBodyForTags?: boolean
  /**
   * The crawler's user agent (a product token such as `GPTBot`, or a whole `User-Agent` string).
   * When given, statements addressed to other agents (`<meta name="OtherBot" content="noai">`) are
   * left out; when absent, every statement is returned with its `agent`.
   */
  readonly userAgent?: string
}

/** What {@link readHtmlSignals} found, and how far it read. */
export interface HtmlReadResult {
  /** One statement per element (our documents and compact form combined as docs/spec.md §8.3 says). */
  readonly signals: WebSignal[]
  /**
   * Why reading stopped: `head-end` (after `</head>`), `body` (at the first element or text that
   * starts the body), `limit` (`maxBytes` reached), `eof` (the input ended). A stream that ends
   * exactly at `maxBytes` gives `limit`: the reader does not read past its limit to learn that the
   * stream has ended (the same bytes given whole give `eof`).
   */
  readonly stoppedAt: StopReason
  /**
   * How much input was taken: bytes for byte and stream input (for a stream, every byte of the
   * chunks pulled, so up to one chunk past the stop point); characters for string input (up to the
   * stop point).
   */
  readonly bytesRead: number
  /** Where reading stopped, as an offset in the decoded text (UTF-16 code units). */
  readonly offset: number
  /** The encoding the bytes were decoded with (`utf-8`, `windows-1252`, `utf-16le`...); absent for string input. */
  readonly charset?: string
  /** Where the encoding came from; absent for string input. */
  readonly charsetSource?: EncodingSource
  /** Text of inline RSL documents (`<script type="application/rsl+xml">`), for an RSL reader. */
  readonly rsl: readonly string[]
  /** What a reader may want to know about the input: limits met, tags skipped. */
  readonly notes: readonly string[]
}

export interface Settings {
  readonly url: string | undefined
  readonly contentType: string | undefined
  readonly maxBytes: number
  readonly scanBody: boolean
  readonly userAgent: string | undefined
}

export function settings(options: ReadHtmlSignalsOptions): Settings {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options must be an object')
  const maxBytes = options.maxBytes ?? HTML_LIMITS.maxBytes
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new InvalidArgumentError(`maxBytes must be a positive integer, not ${String(maxBytes)}`)
  return { url: options.url, contentType: options.contentType, maxBytes, scanBody: options.scanBodyForTags === true, userAgent: options.userAgent }
}

export function newScanner(s: Settings): HeadScanner {
  return new HeadScanner(
    {
      scanBody: s.scanBody,
      maxTagLength: HTML_LIMITS.maxTagLength,
      maxAttributes: HTML_LIMITS.maxAttributes,
      maxScriptText: HTML_LIMITS.maxScriptText,
      maxElements: HTML_LIMITS.maxElements,
    },
    decodeAttribute,
  )
}

export function result(scanner: HeadScanner, s: Settings, truncated: boolean, bytesRead: number, charset?: { name: string; source: EncodingSource }): HtmlReadResult {
  let stoppedAt = scanner.stoppedAt ?? 'eof'
  const notes = scanner.notes
  if (stoppedAt === 'eof' && truncated) {
    stoppedAt = 'limit'
    notes.push(`reading stopped at maxBytes = ${s.maxBytes}`)
  }
  const built = buildSignals(scanner.elements, scanner.baseHref, s.url, HTML_LIMITS.maxRslDocuments)
  let signals = s.userAgent === undefined ? built.signals : forAgent(built.signals, s.userAgent)
  if (signals.length > HTML_LIMITS.maxSignals) {
    notes.push(`${signals.length} statements; only the first maxSignals = ${HTML_LIMITS.maxSignals} are returned`)
    signals = signals.slice(0, HTML_LIMITS.maxSignals)
  }
  const offset = scanner.stopOffset
  if (charset === undefined) return { signals, stoppedAt, bytesRead, offset, rsl: built.rsl, notes }
  return { signals, stoppedAt, bytesRead, offset, charset: charset.name, charsetSource: charset.source, rsl: built.rsl, notes }
}

/** Reads a string (already decoded text). */
export function readString(text: string, s: Settings): HtmlReadResult {
  const scanner = newScanner(s)
  // A string built by concatenation is a rope; the engine flattens it in place on the first search,
  // after which every character access is direct. Without this the scan runs up to twice as slow.
  text.indexOf('<')
  // A byte order mark left at the start of decoded text is not content (offsets still count it).
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0
  const body = bom ? text.slice(1) : text
  const truncated = body.length > s.maxBytes
  scanner.feed(truncated ? body.slice(0, s.maxBytes) : body, true)
  const r = result(scanner, s, truncated, scanner.stopOffset + bom)
  return bom ? { ...r, offset: r.offset + bom } : r
}

/**
 * Bytes in, text out to the scanner: holds back the first bytes until the encoding is known (a byte
 * order mark, then the Content-Type charset, then the prescan of the first 1024 bytes, then
 * windows-1252), then decodes as it goes.
 */
export class ByteFeeder {
  readonly scanner: HeadScanner
  bytesRead = 0
  truncated = false
  charset: { name: string; source: EncodingSource } | undefined
  private held: Uint8Array[] = []
  private decoder: TextDecoder | undefined
  /** Whether the decoder has been given bytes in streaming mode. */
  private streaming = false
  private readonly s: Settings

  constructor(s: Settings) {
    this.s = s
    this.scanner = newScanner(s)
  }

  /** Takes the next chunk; returns whether reading is over (stopped, or the limit reached). */
  push(chunk: Uint8Array, final: boolean): boolean {
    if (this.scanner.stoppedAt !== undefined) return true
    let bytes = chunk
    const room = this.s.maxBytes - this.bytesRead
    if (bytes.length >= room) {
      if (bytes.length > room) {
        bytes = bytes.subarray(0, room)
        this.truncated = true
      }
      // Exactly at the limit: more input would be over it; treat as truncated unless this is the end.
      if (!final) this.truncated = true
      final = true
    }
    this.bytesRead += bytes.length
    if (!this.decoder) {
      if (bytes.length > 0) {
        this.held.push(bytes)
      }
      if (!this.chooseEncoding(final)) return false
      const held = this.held.length === 1 ? this.held[0]! : concatBytes(this.held)
      this.held = []
      return this.decode(held, final)
    }
    return this.decode(bytes, final)
  }

  private decode(bytes: Uint8Array, final: boolean): boolean {
    // Always decode in streaming mode, then flush: since 20.18.3 Node's non-streaming windows-1252
    // decode takes a Latin-1 fast path that loses bytes 0x80-0x9F (nodejs/node#60888), so a page
    // read whole and the same page read as a stream would differ (found by `npm run fuzz`, target html).
    // UTF-8 given whole is the exception: its non-streaming decode is exact, and several times faster.
    let text: string
    if (final && !this.streaming && this.decoder!.encoding === 'utf-8') text = this.decoder!.decode(bytes)
    else {
      this.streaming = true
      text = this.decoder!.decode(bytes, { stream: true })
      if (final) text += this.decoder!.decode()
    }
    return this.scanner.feed(text, final) || final
  }

  /** Decides the encoding once enough bytes are held; returns whether it did. */
  private chooseEncoding(final: boolean): boolean {
    const head = this.held.length === 1 ? this.held[0]! : concatBytes(this.held)
    if (this.held.length > 1) this.held = [head]
    if (!final && mayBeBomPrefix(head.subarray(0, 3))) return false
    const bom = sniffBom(head)
    let name: string | undefined
    let source: EncodingSource
    if (bom) {
      name = bom.encoding
      source = 'bom'
    } else if ((name = contentTypeEncoding(this.s.contentType)) !== undefined) {
      source = 'content-type'
    } else {
      if (!final && head.length < HTML_LIMITS.prescanBytes) return false
      name = prescan(head.subarray(0, HTML_LIMITS.prescanBytes))
      source = name !== undefined ? 'meta' : 'default'
      name ??= 'windows-1252'
    }
    this.decoder = new TextDecoder(name)
    this.charset = { name: this.decoder.encoding, source }
    return true
  }
}
