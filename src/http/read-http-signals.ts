/**
 * Reads every AI-usage statement in the header fields of one HTTP response (docs/spec.md §11.1).
 *
 * @module
 */
import { parseList } from 'structured-headers'
import { parseCompact } from '../compact/parse.js'
import { HTTP_FIELDS, LINK_REL } from '../constants.js'
import type { ReadToken, SignalSource } from '../signals/types.js'
import { findMapping, type SignalId } from '../vocabulary/mappings.js'
import { mapTokens, type StatedToken } from '../vocabulary/map-tokens.js'
import type { StatedPreference, Use } from '../vocabulary/uses.js'
import { fieldLines, type HeaderInput } from './_headers.js'
import { parseLinks } from './_link.js'
import { noaiStatements, type CompactFound, type DocumentFound } from './_noai-statements.js'
import { readDirectives, reportsBing, splitDirectives } from './_robots.js'
import { tdmrepStatement } from './_tdmrep.js'
import { clip, forAgent, ignoredToken, noteSignal, resolveUrl } from './_util.js'
import { HTTP_LIMITS } from './limits.js'
import type { WebSignal } from './types.js'

export type { HeaderInput } from './_headers.js'

/** Options of {@link readHttpSignals}. */
export interface ReadHttpSignalsOptions {
  /** URL of the response: recorded in `source.url` and used to resolve relative `Link` targets. */
  readonly url?: string
  /**
   * The crawler's user agent (a product token such as `GPTBot`, or a whole `User-Agent` string).
   * When given, statements addressed to other agents (`X-Robots-Tag: OtherBot: noai`) are left out;
   * when absent, every statement is returned with its `agent`.
   */
  readonly userAgent?: string
}

/** The field names read, lower case, with the spelling reported in `source.name`. */
const FIELDS: ReadonlyMap<string, string> = new Map([
  [HTTP_FIELDS.tag.toLowerCase(), HTTP_FIELDS.tag],
  [HTTP_FIELDS.signedTag.toLowerCase(), HTTP_FIELDS.signedTag],
  ['content-usage', 'Content-Usage'],
  ['content-signal', 'Content-Signal'],
  ['tdm-reservation', 'tdm-reservation'],
  ['tdm-policy', 'tdm-policy'],
  ['x-robots-tag', 'X-Robots-Tag'],
  ['link', 'Link'],
])
const WANTED: ReadonlySet<string> = new Set(FIELDS.keys())
/** The signal a note about a field is filed under. */
const FIELD_SIGNALS: ReadonlyMap<string, SignalId> = new Map<string, SignalId>([
  ['content-usage', 'aipref'],
  ['content-signal', 'content-signals'],
  ['tdm-reservation', 'tdmrep'],
  ['tdm-policy', 'tdmrep'],
  ['x-robots-tag', 'robots-meta'],
])
const RSL_TYPE = 'application/rsl+xml'

type Source = (field: string, text: string) => SignalSource

function tooLong(value: string, max: number): string | undefined {
  return value.length > max ? `field value is ${value.length} characters, over the limit ${max === HTTP_LIMITS.maxHeaderValueLength ? 'maxHeaderValueLength' : 'maxSignedTagFieldLength'} = ${max}: not read` : undefined
}

/** Content-Usage (draft-ietf-aipref-attach §4, aipref-vocab §6): the compact-form grammar, keys read through the aipref rows, then the aipref-legacy rows. */
function contentUsage(value: string, source: SignalSource): WebSignal {
  const rejected = tooLong(value, HTTP_LIMITS.maxHeaderValueLength)
  if (rejected) return noteSignal('aipref', source, 'Content-Usage', value, rejected)
  const p = parseCompact(value)
  if (!p.ok) return noteSignal('aipref', source, 'Content-Usage', value, `not a valid RFC 9651 Dictionary (${p.error}): no statement (aipref vocab: a parse failure leaves every preference unknown)`)
  const usage: Partial<Record<Use, StatedPreference>> = {}
  const tokens: ReadToken[] = []
  const params = new Set(p.ignored.filter((i) => i.reason === 'has-parameters-ignored').map((i) => i.key))
  for (const [key, stated] of Object.entries(p.usage)) {
    const signal: SignalId = findMapping('aipref', key) || !findMapping('aipref-legacy', key) ? 'aipref' : 'aipref-legacy'
    const m = mapTokens(signal, [{ token: key, value: stated === 'allowed' ? 'y' : 'n', stated }])
    for (const [use, s] of Object.entries(m.usage) as [Use, StatedPreference][]) if (usage[use] !== 'denied') usage[use] = s
    for (const t of m.tokens) {
      const notes = [signal === 'aipref-legacy' ? `an earlier aipref label (${findMapping(signal, key)?.form})` : '', t.note ?? '', params.has(key) ? 'parameters ignored' : '']
      const note = notes.filter(Boolean).join('; ')
      tokens.push(note ? { ...t, note } : { token: t.token, value: t.value, read: t.read })
    }
  }
  for (const i of p.ignored) {
    if (i.reason !== 'has-parameters-ignored') tokens.push(ignoredToken(i.key, '', i.reason === 'not-a-token' ? 'value is not a Token: unknown (aipref vocab)' : 'value is not the Token y or n: unknown (aipref vocab)'))
  }
  return { signal: 'aipref', source, scope: 'resource', usage, tokens }
}

/** Content-Signal as an HTTP field: the robots.txt line's grammar (comma-separated key=value, yes/no). */
function contentSignal(value: string, source: SignalSource): WebSignal {
  const rejected = tooLong(value, HTTP_LIMITS.maxHeaderValueLength)
  if (rejected) return noteSignal('content-signals', source, 'Content-Signal', value, rejected)
  const stated: StatedToken[] = []
  const extra: ReadToken[] = []
  for (const item of value.split(',')) {
    const eq = item.indexOf('=')
    const key = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase()
    const v = eq < 0 ? '' : item.slice(eq + 1).trim()
    if (key === '') continue
    const lv = v.toLowerCase()
    if (key === 'use') extra.push(ignoredToken(key, v, 'the use= level is not mapped'))
    else if (lv === 'yes' || lv === 'no') stated.push({ token: key, value: v, stated: lv === 'yes' ? 'allowed' : 'denied' })
    else extra.push(ignoredToken(key, v, 'value is not yes or no: ignored'))
  }
  const m = mapTokens('content-signals', stated)
  return { signal: 'content-signals', source, scope: 'resource', usage: m.usage, tokens: [...m.tokens, ...extra] }
}

/** TDMRep (W3C CG report, "HTTP headers"): tdm-reservation 1 or 0, anything else unset; tdm-policy recorded. */
function tdmrep(reservation: string | undefined, policy: string | undefined, source: Source, base: string | undefined): WebSignal {
  const src = reservation !== undefined ? source('tdm-reservation', reservation) : source('tdm-policy', policy ?? '')
  for (const [name, v] of [['tdm-reservation', reservation], ['tdm-policy', policy]] as const) {
    if (v !== undefined && v.length > HTTP_LIMITS.maxHeaderValueLength) return noteSignal('tdmrep', src, name, v, tooLong(v, HTTP_LIMITS.maxHeaderValueLength)!)
  }
  return tdmrepStatement(reservation, policy, src, base)
}

/** X-Robots-Tag: every field line, comma lists, `agent:` prefixes (Google's syntax), names case-insensitive. */
function xRobotsTag(lines: readonly string[], source: Source): WebSignal[] {
  const groups = new Map<string, { agent: string | undefined; directives: string[]; texts: string[] }>()
  const out: WebSignal[] = []
  let dropped = 0
  for (const line of lines) {
    if (line.length > HTTP_LIMITS.maxHeaderValueLength) {
      out.push(noteSignal('robots-meta', source('x-robots-tag', line), 'X-Robots-Tag', line, tooLong(line, HTTP_LIMITS.maxHeaderValueLength)!))
      continue
    }
    for (const g of splitDirectives(line, true)) {
      const key = g.agent?.toLowerCase() ?? '*'
      let entry = groups.get(key)
      if (!entry) {
        if (groups.size >= HTTP_LIMITS.maxAgents) {
          dropped++
          continue
        }
        entry = { agent: g.agent, directives: [], texts: [] }
        groups.set(key, entry)
      }
      entry.directives.push(...g.directives)
      if (!entry.texts.includes(line)) entry.texts.push(line)
    }
  }
  for (const g of groups.values()) {
    const r = readDirectives(g.directives, reportsBing(g.agent))
    const src = source('x-robots-tag', g.texts.join(', '))
    const agent = g.agent !== undefined ? { agent: g.agent } : {}
    if (r.ai) out.push({ signal: 'robots-meta', source: src, scope: 'resource', ...agent, usage: r.ai.usage, tokens: r.ai.tokens })
    if (r.bing) out.push({ signal: 'bing', source: src, scope: 'resource', ...agent, usage: {}, tokens: r.bing.tokens })
  }
  if (dropped > 0) {
    out.push(noteSignal('robots-meta', source('x-robots-tag', lines.join(', ')), 'X-Robots-Tag', '', `${dropped} agent group(s) beyond the limit maxAgents = ${HTTP_LIMITS.maxAgents} were not read`))
  }
  return out
}

/** Link: rel="license" type="application/rsl+xml" (RSL) and rel="noai-tag" (docs/spec.md §11.1). */
function links(value: string, source: Source, base: string | undefined): WebSignal[] {
  const relevant = /rsl|noai-tag/i.test(value)
  if (value.length > HTTP_LIMITS.maxHeaderValueLength) {
    return relevant ? [noteSignal('noai-tag', source('link', value), 'Link', value, tooLong(value, HTTP_LIMITS.maxHeaderValueLength)!)] : []
  }
  const parsed = parseLinks(value, HTTP_LIMITS.maxLinks)
  const out: WebSignal[] = []
  for (const l of parsed.links) {
    const target = resolveUrl(l.target, base)
    const text = `<${l.target}>; rel="${l.rel.join(' ')}"${l.type !== undefined ? `; type="${l.type}"` : ''}`
    if (l.rel.includes('license') && l.type === RSL_TYPE) {
      out.push(noteSignal('rsl', source('link', text), 'license', target, 'an RSL licence: fetch it and read its usage tokens (docs/spec.md §7.2, rows rsl)'))
    }
    if (l.rel.includes(LINK_REL)) {
      out.push(noteSignal('noai-tag', source('link', text), LINK_REL, target, 'a link to a tag document or signed tag about this response: fetch it to read the statement (docs/spec.md §11.1)'))
    }
  }
  if (relevant && (parsed.error !== undefined || parsed.truncated)) {
    const why = parsed.error !== undefined ? `malformed Link field (${parsed.error}); links after the error were not read` : `links beyond the limit maxLinks = ${HTTP_LIMITS.maxLinks} were not read`
    out.push(noteSignal('noai-tag', source('link', value), 'Link', value, why))
  }
  return out
}

/**
 * Reads the AI-usage statements in the header fields of one HTTP response: one {@link WebSignal}
 * per statement, each with scope `resource` (the fields describe the representation in the
 * response, docs/spec.md §11.1) and `source.kind` `http-header`.
 *
 * - `NoAI-Tag` (signal `noai-tag`): the compact form (docs/spec.md §8.2). With `NoAI-Tag-JWS`
 *   (an RFC 9651 String; several are read as a List of Strings, each its own statement), the JWS
 *   is attached as `jws` and its payload is decoded **without verifying the signature**
 *   (canonical base64url, strict JSON, validation) into `tag` and `usage`; the compact form is then
 *   for display only and a disagreement sets `mismatch` (docs/spec.md §8.3). Verify `jws` before
 *   letting its allows count.
 * - `Content-Usage` (signal `aipref`): an RFC 9651 Dictionary read by the aipref vocabulary's rules
 *   (y/n Tokens; other values, unknown keys and parameters ignored; the last duplicate wins; a
 *   parse failure states nothing); labels of earlier aipref drafts are read through the
 *   `aipref-legacy` rows of the mapping table.
 * - `Content-Signal` (signal `content-signals`): `key=yes|no` pairs separated by commas, keys and
 *   values case-insensitive, `use=` reported and not mapped.
 * - `tdm-reservation` / `tdm-policy` (signal `tdmrep`): exactly `1` or `0`, anything else leaves
 *   the reservation unset; the policy URL is recorded as an `ignored` token to fetch.
 * - `X-Robots-Tag` (signal `robots-meta` for `noai`/`noimageai`; signal `bing` for
 *   `noarchive`/`nocache`, reported with read `ignored`): every field line, comma lists,
 *   `agent: directives` prefixes (→ `agent`), directive names case-insensitive, others ignored.
 *   A `Headers` object joins repeated fields into one line, so a directive after an agent-prefixed
 *   line is read as addressed to that agent: pass the raw pairs to keep lines apart.
 * - `Link` with `rel="license"; type="application/rsl+xml"` (signal `rsl`) or `rel="noai-tag"`
 *   (signal `noai-tag`): no usage; the target URL is the value of an `ignored` token, to fetch.
 *
 * Malformed values give a statement with no usage and an `ignored` token whose note says why.
 * Values over {@link HTTP_LIMITS} are not parsed and are reported the same way.
 *
 * @param headers A `Headers` object, a record of names to values (arrays for repeated fields, as in
 *   Node's `IncomingHttpHeaders`), or an iterable of `[name, value]` pairs. Names are
 *   case-insensitive.
 * @throws InvalidArgumentError when `headers` is none of these.
 * @example
 * ```ts
 * import { readHttpSignals } from 'noai-tag/http'
 * const res = await fetch(url, { method: 'HEAD' })
 * for (const s of readHttpSignals(res.headers, { url, userAgent: 'GPTBot' })) {
 *   console.log(s.signal, s.usage) // e.g. 'aipref' { 'train-ai': 'denied', search: 'allowed' }
 * }
 * ```
 */
export function readHttpSignals(headers: HeaderInput, options: ReadHttpSignalsOptions = {}): WebSignal[] {
  const fields = fieldLines(headers, WANTED)
  const url = options.url
  const source: Source = (field, text) => ({ kind: 'http-header', name: FIELDS.get(field) ?? field, text: clip(text), ...(url !== undefined ? { url } : {}) })
  const out: WebSignal[] = []
  const lines = (field: string): string[] | undefined => {
    const all = fields.get(field)
    if (!all) return undefined
    if (all.length > HTTP_LIMITS.maxFieldLines) {
      out.push(noteSignal(FIELD_SIGNALS.get(field) ?? 'noai-tag', source(field, ''), FIELDS.get(field) ?? field, '', `${all.length} field lines; only the first ${HTTP_LIMITS.maxFieldLines} (maxFieldLines) are read`))
      return all.slice(0, HTTP_LIMITS.maxFieldLines)
    }
    return all
  }
  const joined = (field: string): string | undefined => lines(field)?.join(', ')

  // Ours: NoAI-Tag and NoAI-Tag-JWS (docs/spec.md §8.3, §11.1).
  const compacts: CompactFound[] = []
  const tagField = joined(HTTP_FIELDS.tag.toLowerCase())
  if (tagField !== undefined) {
    const rejected = tooLong(tagField, HTTP_LIMITS.maxHeaderValueLength)
    compacts.push({ text: tagField, source: source(HTTP_FIELDS.tag.toLowerCase(), tagField), ...(rejected ? { rejected } : {}) })
  }
  const documents: DocumentFound[] = []
  const jwsField = joined(HTTP_FIELDS.signedTag.toLowerCase())
  if (jwsField !== undefined) {
    const src = source(HTTP_FIELDS.signedTag.toLowerCase(), jwsField)
    const rejected = tooLong(jwsField, HTTP_LIMITS.maxSignedTagFieldLength)
    if (rejected) documents.push({ kind: 'jws', text: jwsField, source: src, rejected })
    else {
      try {
        for (const [item] of parseList(jwsField)) {
          if (typeof item === 'string') documents.push({ kind: 'jws', text: item, source: source(HTTP_FIELDS.signedTag.toLowerCase(), item) })
          else documents.push({ kind: 'jws', text: String(item), source: src, rejected: 'member is not an RFC 9651 String holding a compact JWS (docs/spec.md §9.4): not read' })
        }
      } catch (e) {
        documents.push({ kind: 'jws', text: jwsField, source: src, rejected: `not an RFC 9651 String (${e instanceof Error ? e.message : String(e)}): not read` })
      }
    }
  }
  out.push(...noaiStatements(compacts, documents))

  const cu = joined('content-usage')
  if (cu !== undefined) out.push(contentUsage(cu, source('content-usage', cu)))
  const cs = joined('content-signal')
  if (cs !== undefined) out.push(contentSignal(cs, source('content-signal', cs)))
  const reservation = joined('tdm-reservation')
  const policy = joined('tdm-policy')
  if (reservation !== undefined || policy !== undefined) out.push(tdmrep(reservation, policy, source, url))
  const robots = lines('x-robots-tag')
  if (robots) out.push(...xRobotsTag(robots, source))
  const link = joined('link')
  if (link !== undefined) out.push(...links(link, source, url))

  return forAgent(out, options.userAgent).slice(0, HTTP_LIMITS.maxSignals)
}
