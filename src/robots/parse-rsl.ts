/**
 * Parsing RSL 1.0 licence documents (Really Simple Licensing, https://rslstandard.org/rsl;
 * docs/spec.md §11.5) with fast-xml-parser, configured for untrusted input: bounded size and depth,
 * no DOCTYPE (so no entity expansion beyond the five predefined XML entities), no prototype
 * pollution through element names.
 *
 * @module
 */
import { XMLParser } from 'fast-xml-parser'
import { LimitExceededError } from '../errors.js'
import { SiteFileError } from './errors.js'
import { SITE_LIMITS } from './limits.js'
import { checkTextSize } from './_text.js'

/** The RSL namespace: the root `<rsl>` element must be in it. */
export const RSL_NAMESPACE = 'https://rslstandard.org/rsl' as const

/** The terms of one `<permits>` or `<prohibits>` kind, merged across elements. */
export interface RslTerms {
  /** `type="usage"` tokens (`all`, `ai-all`, `ai-train`, `ai-input`, `ai-index`, `search`, ...), lower-cased. */
  readonly usage: readonly string[]
  /** `type="user"` tokens (`commercial`, `non-commercial`, `education`, ...). */
  readonly user: readonly string[]
  /** `type="geo"` tokens (ISO 3166 codes). */
  readonly geo: readonly string[]
}

/** A `<payment>` element. */
export interface RslPayment {
  /** The `type` attribute (`free`, `crawl`, `training`, ...), or `''` when absent. */
  readonly type: string
  /** `<amount>` text. */
  readonly amount?: string
  /** `<amount currency>`. */
  readonly currency?: string
  /** `<standard>`: URL of a standard licence. */
  readonly standard?: string
  /** `<custom>`: URL of custom terms. */
  readonly custom?: string
}

/** A `<license>` element. */
export interface RslLicense {
  readonly permits: RslTerms
  readonly prohibits: RslTerms
  readonly payment: readonly RslPayment[]
  /** `<legal type="...">` elements. */
  readonly legal: readonly { readonly type: string; readonly text: string }[]
}

/** A `<content>` element: the URLs it covers and the licences offered for them. */
export interface RslContent {
  /** The `url` attribute: a full URL or a path pattern with robots.txt wildcards. */
  readonly url: string
  /** The `server` attribute: a licence server from which a licence must be obtained. */
  readonly server?: string
  readonly licenses: readonly RslLicense[]
}

/** A parsed RSL document. */
export interface Rsl {
  /** Where the document was fetched from, when the caller said. */
  readonly url?: string
  /** The `<content>` elements, in document order. Empty when the root is not RSL's. */
  readonly contents: readonly RslContent[]
  /** What was skipped and why. */
  readonly warnings: readonly string[]
}

/** Options of {@link parseRsl}. */
export interface ParseRslOptions {
  /** Where the document was fetched from; recorded in the result and in every signal's source. */
  readonly url?: string
}

type XmlNode = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // DOCTYPEs are rejected before parsing; only the predefined entities remain.
  processEntities: { enabled: true, maxEntityCount: 0, maxExpandedLength: SITE_LIMITS.maxRslBytes },
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name: string, _path: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
  maxNestedTags: SITE_LIMITS.maxRslDepth,
})

const textOf = (node: unknown): string =>
  typeof node === 'string' ? node : typeof node === 'object' && node !== null && typeof (node as XmlNode)['#text'] === 'string' ? ((node as XmlNode)['#text'] as string) : ''

const attr = (node: unknown, name: string): string | undefined => {
  if (typeof node !== 'object' || node === null) return undefined
  const v = (node as XmlNode)[`@_${name}`]
  return typeof v === 'string' ? v : undefined
}

const children = (node: unknown, name: string): unknown[] => {
  if (typeof node !== 'object' || node === null || !Object.hasOwn(node, name)) return []
  const v = (node as XmlNode)[name]
  return Array.isArray(v) ? v : []
}

/** Reads one document; `el` qualifies a local name with the document's RSL prefix. */
class RslReader {
  readonly warnings: string[] = []
  private readonly el: (local: string) => string
  constructor(el: (local: string) => string) {
    this.el = el
  }

  terms(license: unknown, kind: 'permits' | 'prohibits'): RslTerms {
    const out = { usage: [] as string[], user: [] as string[], geo: [] as string[] }
    for (const e of children(license, this.el(kind))) {
      const type = (attr(e, 'type') ?? 'usage').toLowerCase()
      if (type !== 'usage' && type !== 'user' && type !== 'geo') {
        this.warnings.push(`<${kind} type="${type.slice(0, 32)}"> is not usage, user or geo; ignored`)
        continue
      }
      const tokens = textOf(e).split(/[\s,]+/).filter((t) => t !== '')
      if (tokens.length > SITE_LIMITS.maxRslTokens) this.warnings.push(`<${kind}> has more than ${SITE_LIMITS.maxRslTokens} tokens; the rest are ignored`)
      for (const t of tokens.slice(0, SITE_LIMITS.maxRslTokens)) out[type].push(type === 'geo' ? t.toUpperCase() : t.toLowerCase())
    }
    return out
  }

  payment(p: unknown): RslPayment {
    const amount = children(p, this.el('amount'))[0]
    const standard = textOf(children(p, this.el('standard'))[0])
    const custom = textOf(children(p, this.el('custom'))[0])
    const currency = attr(amount, 'currency')
    return {
      type: attr(p, 'type') ?? '',
      ...(amount !== undefined ? { amount: textOf(amount) } : {}),
      ...(currency !== undefined ? { currency } : {}),
      ...(standard !== '' ? { standard } : {}),
      ...(custom !== '' ? { custom } : {}),
    }
  }

  license(l: unknown): RslLicense {
    return {
      permits: this.terms(l, 'permits'),
      prohibits: this.terms(l, 'prohibits'),
      payment: children(l, this.el('payment')).map((p) => this.payment(p)),
      legal: children(l, this.el('legal')).map((g) => ({ type: attr(g, 'type') ?? '', text: textOf(g) })),
    }
  }

  content(c: unknown, i: number): RslContent | undefined {
    const url = attr(c, 'url')
    if (url === undefined || url.trim() === '') {
      this.warnings.push(`<content> ${i} has no url attribute; skipped`)
      return undefined
    }
    const server = attr(c, 'server')
    return { url: url.trim(), ...(server !== undefined ? { server } : {}), licenses: children(c, this.el('license')).map((l) => this.license(l)) }
  }
}

function parseXml(xml: string): XmlNode {
  // A DOCTYPE is the only way to declare entities; RSL needs none, so refuse it outright rather
  // than trust an expansion limit (billion laughs, external entities).
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw new SiteFileError('rsl', 'RSL document declares a DOCTYPE or entities, which are not accepted')
  try {
    return parser.parse(xml, true) as XmlNode
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    throw new SiteFileError('rsl', `RSL document is not well-formed XML or exceeds maxRslDepth = ${SITE_LIMITS.maxRslDepth}: ${message.slice(0, 200)}`, { cause: e })
  }
}

/**
 * Parses an RSL 1.0 licence document (`application/rsl+xml`): the `<content>` elements with their
 * `url` pattern, optional `server`, and each `<license>`'s `<permits>`/`<prohibits>` (by `type`:
 * usage, user, geo; a missing type is read as usage), `<payment>` and `<legal>`. A root element
 * that is not `<rsl>` in the namespace `https://rslstandard.org/rsl` gives no contents and a
 * warning. Evaluate the result with `rslSignals`.
 *
 * @throws LimitExceededError over `SITE_LIMITS.maxRslBytes` or `maxRslContents`;
 *   SiteFileError (`ERR_NOAI_MALFORMED_INPUT`) for XML that is not well-formed, is nested deeper
 *   than `SITE_LIMITS.maxRslDepth`, or has a DOCTYPE.
 * @example
 * ```ts
 * import { parseRsl, rslSignals } from 'noai-tag/robots'
 * const rsl = parseRsl(`<rsl xmlns="https://rslstandard.org/rsl"><content url="/tracks/*"><license>
 *   <permits type="usage">search</permits><prohibits type="usage">ai-train ai-input</prohibits>
 *   </license></content></rsl>`)
 * rsl.contents[0]?.licenses[0]?.prohibits.usage // ['ai-train', 'ai-input']
 * ```
 */
export function parseRsl(xml: string, options: ParseRslOptions = {}): Rsl {
  checkTextSize(xml, 'maxRslBytes', SITE_LIMITS.maxRslBytes, 'RSL document')
  const doc = parseXml(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml)
  const base = options.url !== undefined ? { url: options.url } : {}
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'))
  const rootName = roots[0] ?? ''
  const root = children(doc, rootName)[0]
  const colon = rootName.indexOf(':')
  const prefix = colon < 0 ? '' : rootName.slice(0, colon)
  const local = colon < 0 ? rootName : rootName.slice(colon + 1)
  const ns = attr(root, prefix === '' ? 'xmlns' : `xmlns:${prefix}`)
  if (roots.length !== 1 || local !== 'rsl' || ns !== RSL_NAMESPACE) {
    const what = local !== 'rsl' ? `root element <${rootName.slice(0, 64)}> is not <rsl>` : `<rsl> is in namespace ${JSON.stringify(ns ?? null)}, not ${RSL_NAMESPACE}`
    return { ...base, contents: [], warnings: [`${what}: no RSL statement read`] }
  }
  const el = (name: string): string => (prefix === '' ? name : `${prefix}:${name}`)
  const reader = new RslReader(el)
  const elements = children(root, el('content'))
  if (elements.length > SITE_LIMITS.maxRslContents) throw new LimitExceededError('maxRslContents', SITE_LIMITS.maxRslContents, elements.length, 'RSL <content> count')
  const contents: RslContent[] = []
  elements.forEach((c, i) => {
    const content = reader.content(c, i)
    if (content) contents.push(content)
  })
  return { ...base, contents, warnings: reader.warnings.slice(0, SITE_LIMITS.maxWarnings) }
}
