// The streaming head scanner (docs/spec.md §11.2): a minimal HTML tokenizer that follows the
// tokenization states of HTML §13.2.5 only as far as needed to find tags reliably (comments, bogus
// comments, raw text and RCDATA elements, script data with its escaped states, attribute quoting)
// and the "in head" insertion mode (HTML §13.2.6.4.4) only as far as needed to know where the
// head ends. It extracts the few elements a reader of AI-usage signals needs and stops as soon as
// the head is over.
//
// Input arrives as decoded text in pieces of any size. Every construct that a piece leaves
// unfinished is resumed from a saved state, keeping only a few characters (or, for a tag, the tag
// itself, up to maxTagLength), so the work is linear in the input and the result does not depend on
// how the input was cut. Speed comes from jumping with indexOf over everything that is not a tag
// (text, script and style content, comments, quoted attribute values) and from never allocating
// for tags and attributes that do not matter. Internal.

/** The attributes a reader needs (values as written, character references not yet decoded). */
export interface TagAttributes {
  name: string | undefined
  content: string | undefined
  rel: string | undefined
  type: string | undefined
  href: string | undefined
  /** `data-noai-for` */
  noaiFor: string | undefined
}

/** An element of interest, with its attributes (values decoded). */
export interface RawElement {
  readonly tag: 'meta' | 'link' | 'script'
  /** Offset of its `<` in the decoded text. */
  readonly offset: number
  /** 1-based line of its `<`. */
  readonly line: number
  readonly attrs: Readonly<TagAttributes>
  /** For `<script>` elements whose text is kept: the text (untrimmed). */
  readonly text?: string
  /** Set when the text was longer than the limit (`text` is then absent). */
  readonly textTooLong?: boolean
  /** Found after the head ended (only with body scanning). */
  readonly inBody: boolean
}

/** Why scanning stopped. */
export type StopReason = 'head-end' | 'body' | 'limit' | 'eof'

/** Scanner settings. */
export interface ScannerOptions {
  readonly scanBody: boolean
  readonly maxTagLength: number
  readonly maxAttributes: number
  readonly maxScriptText: number
  readonly maxElements: number
}

/** Decodes the character references of an attribute value. */
export type AttributeDecoder = (value: string) => string

// Character codes.
const GT = 0x3e
const SLASH = 0x2f
const BANG = 0x21
const QMARK = 0x3f
const DASH = 0x2d
const EQ = 0x3d
const DQ = 0x22
const SQ = 0x27
const LT = 0x3c

/** HTML white space: TAB, LF, FF, CR, SPACE. */
const isWs = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d && c !== 0x0b)
/** The same as a table for the codes up to 0x20 (1: white space). */
const WS = new Uint8Array(0x21)
WS[0x09] = WS[0x0a] = WS[0x0c] = WS[0x0d] = WS[0x20] = 1
const isAlpha = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a
/** What ends a tag name: white space, `/` or `>` (NaN past the end of the text is not). */
const isDelimiter = (c: number): boolean => c === GT || c === SLASH || isWs(c)

// Stop tables for the tight loops: every stop character is below 0x3f, so most characters (letters)
// leave a loop after one comparison.
const stopTable = (chars: string): Uint8Array => {
  const t = new Uint8Array(0x3f)
  for (const ch of `${chars}\t\n\f\r `) t[ch.charCodeAt(0)] = 1
  return t
}
/** Ends an attribute name: white space, `/`, `>`, `=`. */
const NAME_STOP = stopTable('/>=')
/** Ends a tag name: white space, `/`, `>`. */
const TAG_NAME_STOP = stopTable('/>')
/** Ends an unquoted attribute value: white space, `>`. */
const VALUE_STOP = stopTable('>')

// Tag states (HTML §13.2.5.8, §13.2.5.32-42), reduced to what decides where a tag ends.
const T_NAME = 0
const T_BEFORE_ATTR = 1
const T_ATTR_NAME = 2
const T_AFTER_ATTR_NAME = 3
const T_BEFORE_VALUE = 4
const T_DQ = 5
const T_SQ = 6
const T_UNQ = 7

// Script data states (HTML §13.2.5.4, §13.2.5.15-31): whether `</script` ends the element.
const S_DATA = 0
const S_ESCAPED = 1
const S_DOUBLE = 2

// Insertion modes, as far as this scanner needs them.
const M_HEAD = 0
const M_NOSCRIPT = 1
const M_BODY = 2

// Pending (unfinished) constructs.
const P_NONE = 0
const P_TAG = 1
const P_COMMENT = 2
const P_BOGUS = 3
const P_RAW = 4
const P_SCRIPT = 5
const P_PLAINTEXT = 6

// Tag names the scanner tells apart (everything else is E_OTHER).
const E_OTHER = 0
const E_META = 1
const E_LINK = 2
const E_SCRIPT = 3
const E_BASE = 4
const E_NOSCRIPT = 5
const E_TEMPLATE = 6
const E_HEAD = 7
const E_HTML = 8
const E_BODY = 9
const E_BR = 10
const E_PLAINTEXT = 11
const E_BASEFONT = 12
const E_BGSOUND = 13
// Raw text and RCDATA elements (HTML §13.2.6.2): their content is not markup.
const E_STYLE = 20
const E_TITLE = 21
const E_TEXTAREA = 22
const E_XMP = 23
const E_IFRAME = 24
const E_NOEMBED = 25
const E_NOFRAMES = 26

const RAW_NAMES: Readonly<Record<number, string>> = {
  [E_STYLE]: 'style',
  [E_TITLE]: 'title',
  [E_TEXTAREA]: 'textarea',
  [E_XMP]: 'xmp',
  [E_IFRAME]: 'iframe',
  [E_NOEMBED]: 'noembed',
  [E_NOFRAMES]: 'noframes',
}
const NAMES: Readonly<Record<number, string>> = { ...RAW_NAMES, [E_META]: 'meta', [E_LINK]: 'link', [E_SCRIPT]: 'script', [E_BASE]: 'base' }

/** Whether s[at, at + word.length) is `word` (lower-case ASCII letters and `-`), ignoring ASCII case. */
function equalsCi(s: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    const c = s.charCodeAt(at + k)
    // CR (0x0d) | 0x20 is `-`: only a letter may differ in case.
    if ((c | 0x20) !== word.charCodeAt(k) || c === 0x0d) return false
  }
  return true
}

/** Whether s[at, at + 3) is the three lower-case letters c1 c2 c3, ignoring ASCII case. */
const is3 = (s: string, at: number, c1: number, c2: number, c3: number): boolean =>
  (s.charCodeAt(at) | 0x20) === c1 && (s.charCodeAt(at + 1) | 0x20) === c2 && (s.charCodeAt(at + 2) | 0x20) === c3

/** Whether `</script>` (any case, `>` right after the name) is at `at`. */
const isScriptEndAt = (s: string, at: number): boolean =>
  s.charCodeAt(at) === LT &&
  s.charCodeAt(at + 1) === SLASH &&
  (s.charCodeAt(at + 2) | 0x20) === 0x73 &&
  is3(s, at + 3, 0x63, 0x72, 0x69) &&
  (s.charCodeAt(at + 6) | 0x20) === 0x70 &&
  (s.charCodeAt(at + 7) | 0x20) === 0x74 &&
  s.charCodeAt(at + 8) === GT

/** The element of the tag name s[a, b), without allocating. */
function elementOf(s: string, a: number, b: number): number {
  const c = s.charCodeAt(a) | 0x20
  switch (b - a) {
    case 2:
      return equalsCi(s, a, 'br') ? E_BR : E_OTHER
    case 3:
      return equalsCi(s, a, 'xmp') ? E_XMP : E_OTHER
    case 4:
      if (c === 0x6d) return equalsCi(s, a, 'meta') ? E_META : E_OTHER
      if (c === 0x6c) return equalsCi(s, a, 'link') ? E_LINK : E_OTHER
      if (c === 0x62) return equalsCi(s, a, 'base') ? E_BASE : equalsCi(s, a, 'body') ? E_BODY : E_OTHER
      if (c === 0x68) return equalsCi(s, a, 'head') ? E_HEAD : equalsCi(s, a, 'html') ? E_HTML : E_OTHER
      return E_OTHER
    case 5:
      if (c === 0x73) return equalsCi(s, a, 'style') ? E_STYLE : E_OTHER
      if (c === 0x74) return equalsCi(s, a, 'title') ? E_TITLE : E_OTHER
      return E_OTHER
    case 6:
      if (c === 0x73) return equalsCi(s, a, 'script') ? E_SCRIPT : E_OTHER
      if (c === 0x69) return equalsCi(s, a, 'iframe') ? E_IFRAME : E_OTHER
      return E_OTHER
    case 7:
      if (c === 0x6e) return equalsCi(s, a, 'noembed') ? E_NOEMBED : E_OTHER
      if (c === 0x62) return equalsCi(s, a, 'bgsound') ? E_BGSOUND : E_OTHER
      return E_OTHER
    case 8:
      if (c === 0x6e) return equalsCi(s, a, 'noscript') ? E_NOSCRIPT : equalsCi(s, a, 'noframes') ? E_NOFRAMES : E_OTHER
      if (c === 0x74) return equalsCi(s, a, 'template') ? E_TEMPLATE : equalsCi(s, a, 'textarea') ? E_TEXTAREA : E_OTHER
      if (c === 0x62) return equalsCi(s, a, 'basefont') ? E_BASEFONT : E_OTHER
      return E_OTHER
    case 9:
      return equalsCi(s, a, 'plaintext') ? E_PLAINTEXT : E_OTHER
    default:
      return E_OTHER
  }
}

/** Elements allowed in the head (HTML §13.2.6.4.4): any other start tag ends it. */
function inHeadElement(e: number): boolean {
  return e !== E_OTHER && e !== E_BODY && e !== E_BR && e !== E_PLAINTEXT && e !== E_TEXTAREA && e !== E_XMP && e !== E_IFRAME && e !== E_NOEMBED
}

/** Where the wanted attributes' values are in the buffer (start -1: absent); nothing is sliced until needed. */
interface Spans {
  nameS: number
  nameE: number
  contentS: number
  contentE: number
  relS: number
  relE: number
  typeS: number
  typeE: number
  hrefS: number
  hrefE: number
  forS: number
  forE: number
}

const newSpans = (): Spans => ({ nameS: -1, nameE: -1, contentS: -1, contentE: -1, relS: -1, relE: -1, typeS: -1, typeE: -1, hrefS: -1, hrefE: -1, forS: -1, forE: -1 })


const AMP = 0x26

/** The MIME type essence of a `type` attribute (compared ASCII case-insensitively, parameters ignored). */
export function typeEssence(type: string | undefined): string {
  if (type === undefined) return ''
  const semi = type.indexOf(';')
  return (semi < 0 ? type : type.slice(0, semi)).trim().toLowerCase()
}

/** Script types whose text is kept: ours and inline RSL. */
const KEPT_SCRIPT_TYPES: ReadonlySet<string> = new Set(['application/noai-tag+jws', 'application/noai-tag+json', 'application/rsl+xml'])
const SPECIAL_META_NAMES: ReadonlySet<string> = new Set(['robots', 'noai-tag', 'tdm-reservation', 'tdm-policy', 'bingbot', 'msnbot'])
// Words looked for in a meta content. Decoding character references can only make one appear when
// the content has a numeric reference: the named references the decoder knows (_entities.ts) all
// stand for characters that are not ASCII letters, so they neither form nor join such a word.
const AI_WORD = /no(?:image)?ai/i
const ROBOTS_WORD = /no(?:image)?ai|noarchive|nocache/i

/** A script element whose text is being kept. */
interface KeptScript {
  readonly offset: number
  readonly line: number
  readonly attrs: TagAttributes
  readonly inBody: boolean
}

/** Longest content of a meta element with another name than robots that is checked for noai/noimageai. */
const MAX_AGENT_META_CONTENT = 512

/**
 * Standard metadata names (HTML §4.2.5.1 and the WHATWG MetaExtensions registry's most common
 * entries), by length: never the name of a crawler, so never read as an agent-specific robots meta.
 */
const STANDARD_META_NAMES: readonly (readonly string[])[] = (() => {
  const names = [
    'application-name', 'author', 'description', 'generator', 'keywords', 'referrer', 'theme-color', 'color-scheme', 'viewport',
    'creator', 'publisher', 'copyright', 'format-detection', 'google-site-verification', 'title', 'language', 'rating', 'revisit-after',
  ]
  const byLength: string[][] = []
  for (const n of names) (byLength[n.length] ??= []).push(n)
  return byLength
})()

/**
 * The characters of a user-agent product token (letters, digits, `_`, `-`, `.`; RFC 9309 §2.2.1
 * writes them with letters, `_` and `-`): a meta name made of anything else does not name a crawler.
 */
const AGENT_CHAR = (() => {
  const t = new Uint8Array(0x80)
  for (let c = 0; c < 0x80; c++) if (isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === DASH || c === 0x2e) t[c] = 1
  return t
})()

/** Whether the meta name s[a, b) (already trimmed) is a standard metadata name. */
function isStandardName(s: string, a: number, b: number): boolean {
  const standard = STANDARD_META_NAMES[b - a]
  if (standard) for (const name of standard) if (equalsCi(s, a, name)) return true
  return false
}

/**
 * The scanner. Call {@link HeadScanner.feed} with successive pieces of the decoded text; it returns
 * `true` once it has stopped.
 */
export class HeadScanner {
  readonly elements: RawElement[] = []
  readonly notes: string[] = []
  /** Why scanning stopped, once it has. */
  stoppedAt: StopReason | undefined
  /** Offset in the decoded text where scanning stopped (after `</head>`, at the `<` of the body...). */
  stopOffset = 0
  /** The first `<base href>` in the head (decoded). */
  baseHref: string | undefined

  private readonly o: ScannerOptions
  private readonly decode: AttributeDecoder
  private buf = ''
  /** Offset of buf[0] in the whole text. */
  private base = 0
  /** Where scanning resumes in buf. */
  private pos = 0
  private mode = M_HEAD
  private templateDepth = 0
  // Line counting: `line` is the line at offset `lineAt`.
  private line = 1
  private lineAt = 0
  private fixedLine = 0 // when not 0: the line of the tag being acted on (a resumed tag)
  // The pending construct.
  private pend = P_NONE
  private pStart = 0 // absolute offset: a tag's `<`, or where kept script text continues
  private pState = 0
  private pRaw = '' // raw text: the end tag name
  private pElement = E_OTHER // pending tag: its element, once the name is complete
  private pIsEnd = false
  private pLine = 0 // line of a pending tag's `<`
  private pParts: string[] = [] // pending tag: its text so far; kept script: its text so far
  private pLen = 0
  private pDrop = false // pending tag or kept text over its limit
  private kept: KeptScript | undefined
  // Limits met (each reported once).
  private attrsTruncated = false
  private elementsTruncated = false
  private dashes = -2 // escaped script data: index of the next `-->` in buf (-1 none, -2 unknown)
  // Reused for every tag (copied when an element is kept).
  private readonly scratch: Spans = newSpans()
  private readonly st = { state: T_BEFORE_ATTR }

  constructor(options: ScannerOptions, decode: AttributeDecoder) {
    this.o = options
    this.decode = decode
  }

  /** Scans the next piece of text; `final` when no more text follows. Returns whether scanning has stopped. */
  feed(text: string, final: boolean): boolean {
    if (this.stoppedAt !== undefined) return true
    if (this.pend === P_TAG) {
      // A tag left unfinished: look for its end in the new text only.
      this.buf = text
      this.base = this.pStart + this.pLen
      this.pos = 0
      this.dashes = -2
      if (!this.resumeTag()) return this.finishPiece(final)
    } else {
      if (this.pos < this.buf.length) {
        // Flatten the joined text once (see readString), so that scanning it is direct.
        this.buf = this.buf.slice(this.pos) + text
        this.buf.indexOf('<')
      } else this.buf = text
      this.base += this.pos
      this.pos = 0
      this.dashes = -2
    }
    this.run(final)
    return this.finishPiece(final)
  }

  private finishPiece(final: boolean): boolean {
    if (this.stoppedAt !== undefined) return true
    if (final) {
      this.stop('eof', this.pend === P_TAG ? this.pStart + this.pLen : this.base + this.buf.length)
      return true
    }
    // Count the lines of what the next piece will not keep.
    if (this.pend !== P_TAG) this.countLines(this.base + this.pos)
    return false
  }

  private stop(reason: StopReason, offset: number): void {
    this.stoppedAt = reason
    this.stopOffset = offset
    this.pend = P_NONE
  }

  /** Advances the line count to an absolute offset inside the current buffer. */
  private countLines(to: number): void {
    if (to <= this.lineAt) return
    const s = this.buf
    const end = to - this.base
    for (let i = s.indexOf('\n', Math.max(this.lineAt, this.base) - this.base); i >= 0 && i < end; i = s.indexOf('\n', i + 1)) this.line++
    this.lineAt = to
  }

  private lineOf(offset: number): number {
    if (this.fixedLine !== 0) return this.fixedLine
    this.countLines(offset)
    return this.line
  }

  /** Counts the line breaks in text[0, end) (text that the buffer does not keep: a pending tag's). */
  private countText(text: string, end: number): void {
    for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) this.line++
  }

  private push(e: RawElement): void {
    if (this.elements.length >= this.o.maxElements) {
      if (!this.elementsTruncated) this.notes.push(`more than maxElements = ${this.o.maxElements} elements of interest: later ones were not read`)
      this.elementsTruncated = true
      return
    }
    this.elements.push(e)
  }

  /** The head has ended at `offset`: stop, or go on in the body when scanning it. Returns whether scanning stopped. */
  private headEnds(offset: number): boolean {
    if (!this.o.scanBody) {
      this.stop('body', offset)
      return true
    }
    this.mode = M_BODY
    return false
  }

  // ---- the main loop ---------------------------------------------------------------------------

  private run(final: boolean): void {
    const s = this.buf
    const n = s.length
    let i = this.pos
    for (;;) {
      if (this.pend !== P_NONE) {
        i = this.resume(i, final)
        if (i < 0) return
        continue
      }
      let lt: number
      if (this.mode === M_HEAD && this.templateDepth === 0) {
        // Character tokens in the head: white space is ignored, anything else ends the head. The
        // white space between tags is stepped over, which finds the next `<` without a search.
        let c = 0
        while (i < n && (c = s.charCodeAt(i)) <= 0x20 && WS[c] === 1) i++
        if (i >= n) lt = -1
        else if (c === LT) lt = i
        else {
          if (this.headEnds(this.base + i)) return
          lt = s.indexOf('<', i)
        }
      } else lt = s.indexOf('<', i)
      if (lt < 0) {
        this.pos = n
        return
      }
      if (lt + 1 >= n) {
        // `<` at the end: what it starts depends on the next character.
        this.pos = lt
        if (final && this.mode === M_HEAD && this.templateDepth === 0) this.headEnds(this.base + lt)
        return
      }
      const c1 = s.charCodeAt(lt + 1)
      if (isAlpha(c1)) {
        i = this.tag(lt, false, final)
        if (i < 0) return
        continue
      }
      if (c1 === SLASH) {
        if (lt + 2 >= n) {
          this.pos = lt
          if (final && this.mode === M_HEAD && this.templateDepth === 0) this.headEnds(this.base + lt)
          return
        }
        const c2 = s.charCodeAt(lt + 2)
        if (isAlpha(c2)) {
          i = this.tag(lt, true, final)
          if (i < 0) return
          continue
        }
        if (c2 === GT) {
          i = lt + 3 // `</>` is ignored
          continue
        }
        this.begin(P_BOGUS, lt)
        i = lt + 2
        continue
      }
      if (c1 === BANG) {
        if (s.startsWith('<!--', lt)) {
          // `<!-->` and `<!--->` are complete (empty) comments (HTML §13.2.5.44-45).
          const c4 = lt + 4 < n ? s.charCodeAt(lt + 4) : -1
          const c5 = lt + 5 < n ? s.charCodeAt(lt + 5) : -1
          if (!final && (c4 < 0 || (c4 === DASH && c5 < 0))) {
            this.pos = lt
            return
          }
          if (c4 === GT) i = lt + 5
          else if (c4 === DASH && c5 === GT) i = lt + 6
          else {
            this.begin(P_COMMENT, lt)
            i = lt + 4
          }
          continue
        }
        if (!final && lt + 4 > n && '<!--'.startsWith(s.slice(lt))) {
          this.pos = lt
          return
        }
        // DOCTYPE, CDATA (a bogus comment in HTML content) and other `<!`: up to the next `>`.
        this.begin(P_BOGUS, lt)
        i = lt + 2
        continue
      }
      if (c1 === QMARK) {
        this.begin(P_BOGUS, lt)
        i = lt + 1
        continue
      }
      // A `<` that starts nothing is text.
      if (this.mode === M_HEAD && this.templateDepth === 0 && this.headEnds(this.base + lt)) return
      i = lt + 1
    }
  }

  private begin(kind: number, start: number): void {
    this.pend = kind
    this.pStart = this.base + start
    this.pState = 0
  }

  /** Continues a pending construct from index `i`; returns where scanning goes on, or -1 to wait for more text. */
  private resume(i: number, final: boolean): number {
    const s = this.buf
    const n = s.length
    switch (this.pend) {
      case P_COMMENT: {
        // HTML §13.2.5.43-52: a comment ends at `-->` or `--!>`.
        const a = s.indexOf('--', i)
        if (a < 0) return this.wait(Math.max(i, n - 1), final)
        if (a + 2 >= n) return this.wait(a, final)
        const c = s.charCodeAt(a + 2)
        if (c === GT) return this.done(a + 3)
        if (c === BANG) {
          if (a + 3 >= n) return this.wait(a, final)
          if (s.charCodeAt(a + 3) === GT) return this.done(a + 4)
        }
        return a + 1
      }
      case P_BOGUS: {
        const e = s.indexOf('>', i)
        return e < 0 ? this.wait(n, final) : this.done(e + 1)
      }
      case P_RAW:
        return this.rawEnd(i, final)
      case P_SCRIPT:
        return this.scriptEnd(i, final)
      default:
        return this.wait(n, final) // P_PLAINTEXT: the rest is text
    }
  }

  private done(i: number): number {
    this.pend = P_NONE
    return i
  }

  /** The construct goes on past the text: wait for more from `keep` on (or stop at the end of input). */
  private wait(keep: number, final: boolean): number {
    if (final) this.stop('eof', this.base + this.buf.length)
    else this.pos = keep
    return -1
  }

  // ---- raw text, RCDATA and script data ----------------------------------------------------

  /** Whether `</name` followed by a tag delimiter is at `lt`; undefined when the text ends first. */
  private endTagAt(lt: number, name: string): boolean | undefined {
    const s = this.buf
    const end = lt + 2 + name.length
    if (end >= s.length) return name.startsWith(s.slice(lt + 2).toLowerCase()) ? undefined : false
    if (!equalsCi(s, lt + 2, name)) return false
    const c = s.charCodeAt(end)
    return isWs(c) || c === SLASH || c === GT
  }

  /** Whether `<name` followed by a tag delimiter is at `lt`; undefined when the text ends first. */
  private startTagAt(lt: number, name: string): boolean | undefined {
    const s = this.buf
    const end = lt + 1 + name.length
    if (end >= s.length) return name.startsWith(s.slice(lt + 1).toLowerCase()) ? undefined : false
    if (!equalsCi(s, lt + 1, name)) return false
    const c = s.charCodeAt(end)
    return isWs(c) || c === SLASH || c === GT
  }

  /** Raw text and RCDATA (HTML §13.2.5.2-3, 9-14): up to `</name` and a delimiter. */
  private rawEnd(i: number, final: boolean): number {
    const s = this.buf
    const n = s.length
    for (;;) {
      const lt = s.indexOf('</', i)
      if (lt < 0) return this.wait(s.charCodeAt(n - 1) === LT ? n - 1 : n, final)
      const at = this.endTagAt(lt, this.pRaw)
      if (at === undefined) return this.wait(lt, final)
      if (at) {
        this.pend = P_NONE
        // `</title>`: the end tag of a raw text element changes nothing; scanning goes on after it.
        const gt = lt + 2 + this.pRaw.length
        if (s.charCodeAt(gt) === GT) return gt + 1
        return this.tag(lt, true, final)
      }
      i = lt + 2
    }
  }

  /**
   * Script data (HTML §13.2.5.4, §13.2.5.15-31): `</script` ends it, except that after `<!--` a
   * nested `<script` starts a double-escaped part that lasts until its own `</script`, and `-->`
   * ends the escaped part.
   */
  private scriptEnd(i: number, final: boolean): number {
    const s = this.buf
    const n = s.length
    let state = this.pState
    for (;;) {
      if (state !== S_DATA) {
        if (this.dashes === -2 || (this.dashes >= 0 && this.dashes < i)) this.dashes = s.indexOf('-->', i)
      }
      const lt = s.indexOf('<', i)
      if (state !== S_DATA && this.dashes >= 0 && (lt < 0 || this.dashes < lt)) {
        state = S_DATA
        i = this.dashes + 3
        continue
      }
      if (lt < 0) {
        // Keep a possible start of `-->` at the end.
        let k = n
        if (state !== S_DATA) while (k > i && n - k < 2 && s.charCodeAt(k - 1) === DASH) k--
        return this.pauseScript(k, state, final)
      }
      if (lt + 1 >= n) return this.pauseScript(lt, state, final)
      const c1 = s.charCodeAt(lt + 1)
      if (c1 === SLASH) {
        const at = this.endTagAt(lt, 'script')
        if (at === undefined) return this.pauseScript(lt, state, final)
        if (at) {
          if (state !== S_DOUBLE) return this.closeScript(lt, final)
          state = S_ESCAPED
        }
        i = lt + 2
        continue
      }
      if (state === S_DATA) {
        if (c1 === BANG) {
          if (lt + 4 > n) return this.pauseScript(lt, state, final)
          if (s.startsWith('<!--', lt)) {
            // The dashes of `<!--` count towards a closing `-->` (`<!-->` escapes nothing).
            state = S_ESCAPED
            i = lt + 2
            continue
          }
        }
      } else if (state === S_ESCAPED && (c1 | 0x20) === 0x73) {
        const at = this.startTagAt(lt, 'script')
        if (at === undefined) return this.pauseScript(lt, state, final)
        if (at) {
          state = S_DOUBLE
          i = lt + 7
          continue
        }
      }
      i = lt + 1
    }
  }

  private pauseScript(keep: number, state: number, final: boolean): number {
    this.pState = state
    this.dashes = -2
    this.keepText(keep)
    return this.wait(keep, final)
  }

  /** Moves the text of a kept script up to `upTo` into its parts (bounded by maxScriptText). */
  private keepText(upTo: number): void {
    if (!this.kept || this.pDrop) return
    const from = this.pStart - this.base
    if (upTo <= from) return
    this.pLen += upTo - from
    if (this.pLen > this.o.maxScriptText) {
      this.pDrop = true
      this.pParts = []
      return
    }
    this.pParts.push(this.buf.slice(from, upTo))
    this.pStart = this.base + upTo
  }

  /** The script ends at `lt` (its end tag is then scanned as a tag). */
  private closeScript(lt: number, final: boolean): number {
    this.keepText(lt)
    const k = this.kept
    if (k) {
      const text = this.pDrop ? undefined : this.pParts.join('')
      this.push(text === undefined ? { tag: 'script', offset: k.offset, line: k.line, attrs: k.attrs, textTooLong: true, inBody: k.inBody } : { tag: 'script', offset: k.offset, line: k.line, attrs: k.attrs, text, inBody: k.inBody })
      this.kept = undefined
      this.pParts = []
      this.pLen = 0
      this.pDrop = false
    }
    this.pState = S_DATA
    this.dashes = -2
    this.pend = P_NONE
    // `</script>`: an end tag that changes nothing; scanning goes on after it.
    if (this.buf.charCodeAt(lt + 8) === GT) return lt + 9
    return this.tag(lt, true, final)
  }

  // ---- tags ----------------------------------------------------------------------------------

  /**
   * Scans the tag at `lt`. Returns where scanning goes on, or -1 when it stopped or the tag is
   * unfinished (it is then pending).
   */
  private tag(lt: number, isEnd: boolean, final: boolean): number {
    const s = this.buf
    const n = s.length
    const nameStart = lt + (isEnd ? 2 : 1)
    let k: number
    let element: number
    const c0 = s.charCodeAt(nameStart) | 0x20
    // The names met most often in a head, without the generic loop.
    if (c0 === 0x6d && is3(s, nameStart + 1, 0x65, 0x74, 0x61) && isDelimiter(s.charCodeAt(nameStart + 4))) {
      element = E_META
      k = nameStart + 4
    } else if (c0 === 0x6c && is3(s, nameStart + 1, 0x69, 0x6e, 0x6b) && isDelimiter(s.charCodeAt(nameStart + 4))) {
      element = E_LINK
      k = nameStart + 4
    } else if (c0 === 0x73 && is3(s, nameStart + 1, 0x63, 0x72, 0x69) && (s.charCodeAt(nameStart + 4) | 0x20) === 0x70 && (s.charCodeAt(nameStart + 5) | 0x20) === 0x74 && isDelimiter(s.charCodeAt(nameStart + 6))) {
      element = E_SCRIPT
      k = nameStart + 6
    } else {
      k = nameStart + 1
      while (k < n) {
        const c = s.charCodeAt(k)
        if (c <= 0x3e && TAG_NAME_STOP[c] === 1) break
        k++
      }
      if (k >= n) return this.pendTag(lt, isEnd, T_NAME, E_OTHER, final)
      element = elementOf(s, nameStart, k)
    }
    // meta, link and script never end the head before their own end.
    if ((element === E_OTHER || element > E_SCRIPT) && this.endsHeadBefore(element, isEnd, lt)) return -1
    let attrs: Spans | null = null
    if (!isEnd && this.wantsAttributes(element)) attrs = this.scratch
    const st = this.st
    st.state = T_BEFORE_ATTR
    const end = attrs === null ? this.skipAttributes(s, k, n, st) : this.readAttributes(s, k, n, st, attrs)
    if (end < 0) return this.pendTag(lt, isEnd, st.state, element, final)
    if (attrs !== null && end - lt > this.o.maxTagLength) {
      this.notes.push(`a <${NAMES[element] ?? 'tag'}> of ${end - lt} characters at offset ${this.base + lt} is over maxTagLength = ${this.o.maxTagLength}: its attributes were not read`)
      return this.afterTag(element, isEnd, null, lt, end)
    }
    // The elements met most, acted on here as afterTag would (a call less per tag).
    if (attrs !== null) {
      if (element === E_META) {
        if (attrs.nameS >= 0 && this.metaMatters(attrs)) this.push({ tag: 'meta', offset: this.base + lt, line: this.lineOf(this.base + lt), attrs: this.attributes(attrs), inBody: false })
        return end
      }
      if (element === E_LINK) {
        if (this.linkMatters(attrs)) this.push({ tag: 'link', offset: this.base + lt, line: this.lineOf(this.base + lt), attrs: this.attributes(attrs), inBody: false })
        return end
      }
    }
    return this.afterTag(element, isEnd, attrs, lt, end)
  }

  /** The tag at `lt` is unfinished: keep its text (up to the limit) and wait for its end. */
  private pendTag(lt: number, isEnd: boolean, state: number, element: number, final: boolean): number {
    if (final) {
      // HTML §13.2.5: end of input inside a tag drops the tag.
      this.stop('eof', this.base + this.buf.length)
      return -1
    }
    this.countLines(this.base + lt)
    this.pLine = this.line
    const text = this.buf.slice(lt)
    this.countText(text, text.length)
    this.lineAt = this.base + this.buf.length
    this.pend = P_TAG
    this.pStart = this.base + lt
    this.pIsEnd = isEnd
    this.pState = state
    this.pElement = element
    this.pLen = text.length
    this.pDrop = text.length > this.o.maxTagLength
    this.pParts = this.pDrop ? [] : [text]
    this.pos = this.buf.length
    return -1
  }

  /**
   * Continues a pending tag in a new piece of text (the buffer). Returns whether scanning goes on
   * in this piece from `this.pos`.
   */
  private resumeTag(): boolean {
    const s = this.buf
    const n = s.length
    let state = this.pState
    let from = 0
    if (state === T_NAME) {
      let c = 0
      while (from < n && (c = s.charCodeAt(from)) !== GT && c !== SLASH && !isWs(c)) from++
      if (from < n) {
        // The name is complete: it may end the head before the tag itself ends.
        if (!this.pDrop) {
          const head = this.pParts.join('') + s.slice(0, from)
          this.pElement = elementOf(head, this.pIsEnd ? 2 : 1, head.length)
        }
        if (this.withBuffer('', this.pStart, () => this.endsHeadBefore(this.pElement, this.pIsEnd, 0))) return false
        state = T_BEFORE_ATTR
      }
    }
    const st = { state }
    const end = state === T_NAME ? -1 : this.resumeAttributes(s, from, n, st)
    if (end < 0) {
      this.pState = st.state
      this.pLen += n
      this.countText(s, n)
      this.lineAt = this.base + n
      if (!this.pDrop && this.pLen > this.o.maxTagLength) {
        this.pDrop = true
        this.pParts = []
      } else if (!this.pDrop) this.pParts.push(s)
      this.pos = n
      return false
    }
    this.countText(s, end)
    this.lineAt = this.base + end
    const start = this.pStart
    const tagLength = this.pLen + end
    // The limit is on the whole tag, whatever the pieces: a tag whose last piece takes it over the
    // limit is dropped as one read whole is (found by `npm run fuzz`, target html).
    const drop = this.pDrop || tagLength > this.o.maxTagLength
    const text = drop ? '' : this.pParts.join('') + s.slice(0, end)
    const element = this.pElement
    const isEnd = this.pIsEnd
    this.pend = P_NONE
    this.pParts = []
    this.pLen = 0
    this.pDrop = false
    let attrs: Spans | null = null
    if (!drop && !isEnd && this.wantsAttributes(element)) {
      // Read the complete tag again, with its attributes.
      attrs = newSpans()
        let k = 2
      let c = 0
      while (k < text.length && (c = text.charCodeAt(k)) !== GT && c !== SLASH && !isWs(c)) k++
      this.readAttributes(text, k, text.length, { state: T_BEFORE_ATTR }, attrs)
    }
    if (drop && !isEnd && this.wantsAttributes(element)) this.notes.push(`a <${NAMES[element] ?? 'tag'}> of ${tagLength} characters at offset ${start} is over maxTagLength = ${this.o.maxTagLength}: its attributes were not read`)
    // Act on the complete tag in a buffer of its own, then go on after it in this piece.
    this.fixedLine = this.pLine
    this.withBuffer(text, start, () => this.afterTag(element, isEnd, attrs, 0, drop ? tagLength : text.length))
    this.fixedLine = 0
    this.pos = end
    return this.stoppedAt === undefined
  }

  /** Runs `f` with the buffer temporarily set to `buf` at offset `base`. */
  private withBuffer<T>(buf: string, base: number, f: () => T): T {
    const savedBuf = this.buf
    const savedBase = this.base
    this.buf = buf
    this.base = base
    try {
      return f()
    } finally {
      this.buf = savedBuf
      this.base = savedBase
    }
  }

  /** Whether the tag at `lt` ends the head before its own end is needed (a start tag of the body, `</body>`...); stops if so. */
  private endsHeadBefore(element: number, isEnd: boolean, lt: number): boolean {
    if (this.mode !== M_HEAD || this.templateDepth > 0) return false
    if (isEnd ? element !== E_BODY && element !== E_HTML && element !== E_BR : inHeadElement(element)) return false
    return this.headEnds(this.base + lt)
  }

  private wantsAttributes(element: number): boolean {
    if (this.templateDepth > 0) return false
    if (this.mode === M_BODY) return element === E_SCRIPT
    return element === E_META || element === E_LINK || element === E_SCRIPT || element === E_BASE
  }

  /**
   * Scans the attributes of a tag from `i` (after its name) to its `>`, noting in `attrs` where the
   * wanted ones are (the first of duplicates wins, as in HTML). Returns the index after `>`, or -1
   * at the end of the text with `st.state` set for {@link HeadScanner.resumeAttributes}. Quoted
   * values are skipped with indexOf; the wanted names are recognised by length and letters in place
   * (no second pass, no string), and their spans written to `attrs` as they are found.
   */
  private readAttributes(s: string, i: number, n: number, st: { state: number }, attrs: Spans): number {
    let c = 0
    // Attributes looked at so far: after maxAttributes, the rest of the tag is only skipped.
    let count = 0
    const max = this.o.maxAttributes
    let want = true
    let end = -1
    // Spans are written as they are found (a few per tag), not kept in locals: fewer live values
    // in the loop.
    attrs.nameS = attrs.nameE = attrs.contentS = attrs.contentE = attrs.relS = attrs.relE = -1
    attrs.typeS = attrs.typeE = attrs.hrefS = attrs.hrefE = attrs.forS = attrs.forE = -1
    for (;;) {
      // Before an attribute name (also after a quoted value, and after `/` not followed by `>`).
      while (i < n && ((c = s.charCodeAt(i)) === 0x20 || c === SLASH || (c >= 0x09 && c <= 0x0d && c !== 0x0b))) i++
      if (i >= n) {
        st.state = T_BEFORE_ATTR
        break
      }
      if (c === GT) {
        end = i + 1
        break
      }
      // The name; its first character may be `=`.
      const ns = i++
      while (i < n && ((c = s.charCodeAt(i)) > 0x3e || NAME_STOP[c] === 0)) i++
      const ne = i
      if (i >= n) {
        st.state = T_ATTR_NAME
        break
      }
      while (c === 0x20 || (c >= 0x09 && c <= 0x0d && c !== 0x0b)) c = s.charCodeAt(++i)
      if (i >= n) {
        st.state = T_AFTER_ATTR_NAME
        break
      }
      // The value, if any: none leaves `/`, `>` or the next name to the top of the loop.
      let vs = ne
      let ve = ne
      let closes = false
      if (c === EQ) {
        c = s.charCodeAt(++i)
        while (c === 0x20 || (c >= 0x09 && c <= 0x0d && c !== 0x0b)) c = s.charCodeAt(++i)
        if (i >= n) {
          st.state = T_BEFORE_VALUE
          break
        }
        if (c === DQ || c === SQ) {
          const q = s.indexOf(c === DQ ? '"' : "'", i + 1)
          if (q < 0) {
            st.state = c === DQ ? T_DQ : T_SQ
            break
          }
          vs = i + 1
          ve = q
          i = q + 1
        } else if (c === GT) {
          vs = ve = i
          closes = true
          i++
        } else {
          vs = i
          while (i < n && ((c = s.charCodeAt(i)) > 0x3e || VALUE_STOP[c] === 0)) i++
          if (i >= n) {
            st.state = T_UNQ
            break
          }
          ve = i
          if (c === GT) {
            closes = true
            i++
          }
        }
      }
      if (want) {
        if (++count > max) want = this.tooManyAttributes()
        else {
          switch (ne - ns) {
            case 4: {
              const a = s.charCodeAt(ns) | 0x20
              if (a === 0x6e) {
                if (attrs.nameS < 0 && is3(s, ns + 1, 0x61, 0x6d, 0x65)) {
                  attrs.nameS = vs
                  attrs.nameE = ve
                }
              } else if (a === 0x74) {
                if (attrs.typeS < 0 && is3(s, ns + 1, 0x79, 0x70, 0x65)) {
                  attrs.typeS = vs
                  attrs.typeE = ve
                }
              } else if (a === 0x68) {
                if (attrs.hrefS < 0 && is3(s, ns + 1, 0x72, 0x65, 0x66)) {
                  attrs.hrefS = vs
                  attrs.hrefE = ve
                }
              }
              break
            }
            case 7:
              if (attrs.contentS < 0 && (s.charCodeAt(ns) | 0x20) === 0x63 && is3(s, ns + 1, 0x6f, 0x6e, 0x74) && is3(s, ns + 4, 0x65, 0x6e, 0x74)) {
                attrs.contentS = vs
                attrs.contentE = ve
              }
              break
            case 3:
              if (attrs.relS < 0 && is3(s, ns, 0x72, 0x65, 0x6c)) {
                attrs.relS = vs
                attrs.relE = ve
              }
              break
            case 13:
              if (attrs.forS < 0 && equalsCi(s, ns, 'data-noai-for')) {
                attrs.forS = vs
                attrs.forE = ve
              }
              break
          }
        }
      }
      if (closes) {
        end = i
        break
      }
    }
    return end
  }

  /**
   * Finds the end of a tag whose attributes are not read, from `i` (after its name): the same
   * states as {@link HeadScanner.readAttributes}, recording nothing. Returns the index after `>`,
   * or -1 at the end of the text with `st.state` set.
   */
  private skipAttributes(s: string, i: number, n: number, st: { state: number }): number {
    let c = s.charCodeAt(i)
    // Most tags that are not read end right after their name (`</script>`, `<head>`, `<title>`).
    if (c === GT) return i + 1
    for (;;) {
      while (c === 0x20 || c === SLASH || (c >= 0x09 && c <= 0x0d && c !== 0x0b)) c = s.charCodeAt(++i)
      if (i >= n) {
        st.state = T_BEFORE_ATTR
        return -1
      }
      if (c === GT) return i + 1
      i++
      while (i < n && ((c = s.charCodeAt(i)) > 0x3e || NAME_STOP[c] === 0)) i++
      if (i >= n) {
        st.state = T_ATTR_NAME
        return -1
      }
      while (c === 0x20 || (c >= 0x09 && c <= 0x0d && c !== 0x0b)) c = s.charCodeAt(++i)
      if (i >= n) {
        st.state = T_AFTER_ATTR_NAME
        return -1
      }
      if (c !== EQ) continue
      c = s.charCodeAt(++i)
      while (c === 0x20 || (c >= 0x09 && c <= 0x0d && c !== 0x0b)) c = s.charCodeAt(++i)
      if (i >= n) {
        st.state = T_BEFORE_VALUE
        return -1
      }
      if (c === DQ || c === SQ) {
        const q = s.indexOf(c === DQ ? '"' : "'", i + 1)
        if (q < 0) {
          st.state = c === DQ ? T_DQ : T_SQ
          return -1
        }
        i = q + 1
        c = s.charCodeAt(i)
        continue
      }
      if (c === GT) return i + 1
      while (i < n && ((c = s.charCodeAt(i)) > 0x3e || VALUE_STOP[c] === 0)) i++
      if (i >= n) {
        st.state = T_UNQ
        return -1
      }
      if (c === GT) return i + 1
    }
  }

  /**
   * Finds the end of a tag from any state of {@link HeadScanner.readAttributes} (for a tag that
   * spans pieces of text). Returns the index after `>`, or -1 with `st.state` updated.
   */
  private resumeAttributes(s: string, i: number, n: number, st: { state: number }): number {
    let state = st.state
    while (i < n) {
      const c = s.charCodeAt(i)
      switch (state) {
        case T_BEFORE_ATTR:
          if (c === GT) return i + 1
          if (!isWs(c) && c !== SLASH) state = T_ATTR_NAME
          break
        case T_ATTR_NAME:
          if (c === GT) return i + 1
          if (c === EQ) state = T_BEFORE_VALUE
          else if (isWs(c)) state = T_AFTER_ATTR_NAME
          else if (c === SLASH) state = T_BEFORE_ATTR
          break
        case T_AFTER_ATTR_NAME:
          if (c === GT) return i + 1
          if (c === EQ) state = T_BEFORE_VALUE
          else if (c === SLASH) state = T_BEFORE_ATTR
          else if (!isWs(c)) state = T_ATTR_NAME
          break
        case T_BEFORE_VALUE:
          if (c === GT) return i + 1
          if (c === DQ) state = T_DQ
          else if (c === SQ) state = T_SQ
          else if (!isWs(c)) state = T_UNQ
          break
        case T_DQ:
        case T_SQ: {
          const q = s.indexOf(state === T_DQ ? '"' : "'", i)
          if (q < 0) {
            st.state = state
            return -1
          }
          state = T_BEFORE_ATTR
          i = q
          break
        }
        default: // T_UNQ
          if (c === GT) return i + 1
          if (isWs(c)) state = T_BEFORE_ATTR
      }
      i++
    }
    st.state = state
    return -1
  }

  /** Reports (once) a tag with more than maxAttributes attributes; the rest of it is not looked at. */
  private tooManyAttributes(): false {
    if (!this.attrsTruncated) {
      this.attrsTruncated = true
      this.notes.push(`a tag with more than maxAttributes = ${this.o.maxAttributes} attributes: later attributes were not read`)
    }
    return false
  }

  /** The decoded value of a span, or undefined when the attribute is absent. */
  private value(start: number, end: number): string | undefined {
    return start < 0 ? undefined : this.decode(this.buf.slice(start, end))
  }

  /** The attributes of an element that is kept, decoded. */
  private attributes(a: Spans): TagAttributes {
    return {
      name: this.value(a.nameS, a.nameE),
      content: this.value(a.contentS, a.contentE),
      rel: this.value(a.relS, a.relE),
      type: this.value(a.typeS, a.typeE),
      href: this.value(a.hrefS, a.hrefE),
      noaiFor: this.value(a.forS, a.forE),
    }
  }

  /** Whether a meta element can matter to a reader (its name, or noai/noimageai in its content). */
  private metaMatters(a: Spans): boolean {
    const s = this.buf
    let ns = a.nameS
    let ne = a.nameE
    while (ns < ne && isWs(s.charCodeAt(ns))) ns++
    while (ne > ns && isWs(s.charCodeAt(ne - 1))) ne--
    const c = s.charCodeAt(ns) | 0x20
    switch (ne - ns) {
      case 6:
        if ((c === 0x72 && equalsCi(s, ns, 'robots')) || (c === 0x6d && equalsCi(s, ns, 'msnbot'))) return this.robotsMatters(a)
        break
      case 7:
        if (c === 0x62 && equalsCi(s, ns, 'bingbot')) return this.robotsMatters(a)
        break
      case 8:
        if (c === 0x6e && equalsCi(s, ns, 'noai-tag')) return true
        break
      case 10:
        if (c === 0x74 && equalsCi(s, ns, 'tdm-policy')) return true
        break
      case 15:
        if (c === 0x74 && equalsCi(s, ns, 'tdm-reservation')) return true
        break
    }
    // One pass over the name: a character reference (the name is then decoded and can only be one
    // of the names above), or a character no product token has.
    let agent = ne > ns
    for (let i = ns; i < ne; i++) {
      const ch = s.charCodeAt(i)
      if (ch < 0x80 && AGENT_CHAR[ch] === 1) continue
      if (ch === AMP) return SPECIAL_META_NAMES.has(this.decode(s.slice(ns, ne)).trim().toLowerCase())
      agent = false
    }
    // Any other name: only with noai/noimageai in the content, and only a name that can be an agent's.
    const cs = a.contentS
    const ce = a.contentE
    if (!agent || cs < 0 || ce - cs < 4 || ce - cs > MAX_AGENT_META_CONTENT || isStandardName(s, ns, ne)) return false
    const content = s.slice(cs, ce)
    return AI_WORD.test(content) || (content.includes('&#') && AI_WORD.test(this.decode(content)))
  }

  /** Whether robots directives mention a directive that concerns AI usage (noai, noimageai, noarchive, nocache). */
  private robotsMatters(a: Spans): boolean {
    if (a.contentS < 0) return false
    const content = this.buf.slice(a.contentS, a.contentE)
    return ROBOTS_WORD.test(content) || (content.includes('&#') && ROBOTS_WORD.test(this.decode(content)))
  }

  /** Whether a link element can matter to a reader (rel license or noai-tag). */
  private linkMatters(a: Spans): boolean {
    if (a.relS < 0 || a.hrefS < 0) return false
    const s = this.buf
    for (let i = a.relS; i < a.relE; i++) {
      const c = s.charCodeAt(i)
      if (c === AMP) {
        const rel = this.decode(s.slice(a.relS, a.relE)).toLowerCase()
        return rel.includes('license') || rel.includes('noai-tag')
      }
      const l = c | 0x20
      if ((l === 0x6c && equalsCi(s, i, 'license') && i + 7 <= a.relE) || (l === 0x6e && equalsCi(s, i, 'noai-tag') && i + 8 <= a.relE)) return true
    }
    return false
  }

  /** Acts on a complete tag spanning [lt, end) of the buffer. Returns where scanning goes on, or -1 when it stopped. */
  private afterTag(element: number, isEnd: boolean, attrs: Spans | null, lt: number, end: number): number {
    if (isEnd) {
      if (element === E_TEMPLATE) {
        if (this.templateDepth > 0) this.templateDepth--
      } else if (this.templateDepth === 0) {
        if (element === E_NOSCRIPT && this.mode === M_NOSCRIPT) this.mode = M_HEAD
        else if (element === E_HEAD && this.mode === M_HEAD) {
          if (!this.o.scanBody) {
            this.stop('head-end', this.base + end)
            return -1
          }
          this.mode = M_BODY
        }
      }
      return end
    }
    if (element >= E_STYLE) {
      this.pRaw = RAW_NAMES[element]!
      this.begin(P_RAW, end)
      return end
    }
    switch (element) {
      case E_SCRIPT:
        if (attrs !== null) this.keepScript(attrs, lt)
        // `<script src=…></script>`: no script data to scan, and the end tag changes nothing.
        if (this.kept === undefined && isScriptEndAt(this.buf, end)) return end + 9
        this.begin(P_SCRIPT, end)
        return end
      case E_TEMPLATE:
        this.templateDepth++
        return end
      case E_PLAINTEXT:
        // Everything after <plaintext> is text (HTML §13.2.5.7).
        this.begin(P_PLAINTEXT, end)
        return end
      case E_NOSCRIPT:
        if (this.mode === M_HEAD && this.templateDepth === 0) this.mode = M_NOSCRIPT
        return end
    }
    if (attrs === null) return end
    if (element === E_META) {
      if (attrs.nameS >= 0 && this.metaMatters(attrs)) this.push({ tag: 'meta', offset: this.base + lt, line: this.lineOf(this.base + lt), attrs: this.attributes(attrs), inBody: false })
    } else if (element === E_LINK) {
      if (this.linkMatters(attrs)) this.push({ tag: 'link', offset: this.base + lt, line: this.lineOf(this.base + lt), attrs: this.attributes(attrs), inBody: false })
    } else if (element === E_BASE && this.mode === M_HEAD && this.baseHref === undefined && attrs.hrefS >= 0) {
      this.baseHref = this.value(attrs.hrefS, attrs.hrefE)
    }
    return end
  }

  /** Starts keeping the text of a script of our types (or RSL). */
  private keepScript(a: Spans, lt: number): void {
    // The shortest kept type, `application/rsl+xml`, has 19 characters.
    if (a.typeS < 0 || a.typeE - a.typeS < 19) return
    const raw = this.buf.slice(a.typeS, a.typeE)
    if (!KEPT_SCRIPT_TYPES.has(typeEssence(raw.includes('&') ? this.decode(raw) : raw))) return
    const attrs = this.attributes(a)
    this.kept = { offset: this.base + lt, line: this.lineOf(this.base + lt), attrs, inBody: this.mode === M_BODY }
    this.pParts = []
    this.pLen = 0
    this.pDrop = false
  }
}
