// From the elements the scanner found to statements (docs/spec.md §11.2). Internal.
import { HTML_NAMES, LINK_REL } from '../constants.js'
import { noaiStatements, type CompactFound, type DocumentFound } from '../http/_noai-statements.js'
import { readDirectives, reportsBing } from '../http/_robots.js'
import { tdmrepStatement } from '../http/_tdmrep.js'
import { clip, noteSignal, resolveUrl } from '../http/_util.js'
import type { WebSignal } from '../http/types.js'
import type { SignalSource } from '../signals/types.js'
import { typeEssence, type RawElement } from './_scanner.js'

const RSL_TYPE = 'application/rsl+xml'
const ASCII_WS = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g

/** Comma-separated robots directives, trimmed (a meta content has no agent prefixes). */
function directivesOf(content: string): string[] {
  const out: string[] = []
  for (const d of content.split(',')) {
    const t = d.trim()
    if (t !== '') out.push(t)
  }
  return out
}

function agentSignal(signal: 'robots-meta' | 'bing', source: SignalSource, agent: string | undefined, usage: WebSignal['usage'], tokens: WebSignal['tokens']): WebSignal {
  return agent === undefined ? { signal, source, scope: 'resource', usage, tokens } : { signal, source, scope: 'resource', agent, usage, tokens }
}

/** Statements of a page, and the text of its inline RSL documents. */
export interface BuiltSignals {
  readonly signals: WebSignal[]
  readonly rsl: string[]
}

/**
 * Turns the elements of one page into statements: our own first (documents and compact forms,
 * docs/spec.md §8.3), then the others in document order.
 */
export function buildSignals(elements: readonly RawElement[], baseHref: string | undefined, url: string | undefined, maxRsl: number): BuiltSignals {
  if (elements.length === 0) return { signals: [], rsl: [] }
  const base = baseHref !== undefined ? resolveUrl(baseHref, url) : url
  const compacts: CompactFound[] = []
  const documents: DocumentFound[] = []
  const others: WebSignal[] = []
  const rsl: string[] = []
  let policy: { value: string; source: SignalSource } | undefined
  const reservations: { value: string; source: SignalSource }[] = []
  const source = (e: RawElement, name: string, text: string): SignalSource =>
    url === undefined ? { kind: 'html', name, line: e.line, text: clip(text) } : { kind: 'html', name, line: e.line, text: clip(text), url }

  for (const e of elements) {
    const a = e.attrs
    if (e.tag === 'meta') {
      const name = (a.name ?? '').trim()
      const lname = name.toLowerCase()
      const content = a.content ?? ''
      if (lname === HTML_NAMES.meta) compacts.push({ text: content, source: source(e, name, content) })
      else if (lname === 'tdm-reservation') reservations.push({ value: content, source: source(e, name, content) })
      else if (lname === 'tdm-policy') policy ??= { value: content, source: source(e, name, content) }
      else if (name !== '') {
        // <meta name="robots"> speaks to every agent; any other name to the agent it names.
        const agent = lname === 'robots' ? undefined : name
        const r = readDirectives(directivesOf(content), reportsBing(agent))
        const src = source(e, name, content)
        if (r.ai) others.push(agentSignal('robots-meta', src, agent, r.ai.usage, r.ai.tokens))
        if (r.bing) others.push(agentSignal('bing', src, agent, {}, r.bing.tokens))
      }
    } else if (e.tag === 'link') {
      const rel = (a.rel ?? '').toLowerCase().split(/[\t\n\f\r ]+/)
      const href = a.href?.replace(ASCII_WS, '')
      if (href === undefined || href === '') continue
      const target = resolveUrl(href, base)
      if (rel.includes('license') && typeEssence(a.type) === RSL_TYPE) {
        others.push(noteSignal('rsl', source(e, 'license', href), 'license', target, 'an RSL licence: fetch it and read its usage tokens (docs/spec.md §7.2, rows rsl)'))
      }
      if (rel.includes(LINK_REL)) {
        others.push(noteSignal('noai-tag', source(e, LINK_REL, href), LINK_REL, target, 'a link to a tag document or signed tag about this page: fetch it to read the statement (docs/spec.md §11.2)'))
      }
    } else {
      // In the body only tags about embedded media count (docs/spec.md §11.2.1).
      if (e.inBody && (a.noaiFor === undefined || a.noaiFor.replace(ASCII_WS, '') === '')) continue
      const type = typeEssence(a.type)
      const text = e.text?.replace(ASCII_WS, '') ?? ''
      if (type === RSL_TYPE) {
        if (e.textTooLong || rsl.length >= maxRsl) {
          others.push(noteSignal('rsl', source(e, type, text), type, '', e.textTooLong ? 'inline RSL document over the limit maxScriptText: not kept' : `more than maxRslDocuments = ${maxRsl} inline RSL documents: not kept`))
        } else {
          rsl.push(text)
          others.push(noteSignal('rsl', source(e, type, text), type, 'present', 'an inline RSL licence: its text is in the result (rsl); read it with an RSL reader'))
        }
        continue
      }
      const forUrl = a.noaiFor?.replace(ASCII_WS, '')
      const doc: { -readonly [K in keyof DocumentFound]: DocumentFound[K] } = { kind: type === HTML_NAMES.scriptSigned ? 'jws' : 'json', text, source: source(e, type, text) }
      if (forUrl !== undefined && forUrl !== '') doc.for = resolveUrl(forUrl, base)
      if (e.textTooLong) doc.rejected = 'script text over the limit maxScriptText: not read'
      documents.push(doc)
    }
  }
  const tdm: WebSignal[] = []
  for (const r of reservations) tdm.push(tdmrepStatement(r.value, policy?.value, r.source, base))
  if (reservations.length === 0 && policy) tdm.push(tdmrepStatement(undefined, policy.value, policy.source, base))
  return { signals: [...noaiStatements(compacts, documents), ...tdm, ...others], rsl }
}
