/**
 * Reading the resource itself (docs/spec.md §11.1, §11.2, §11.6): its header fields, then, for an
 * HTML page, only its head (the body is streamed into the head reader, which cancels it at the end
 * of the head), and for audio the embedded tag by Range requests. RSL licences the response names
 * are fetched too.
 *
 * @internal
 * @module
 */
import { HTTP_FIELDS } from '../constants.js'
import { readHttpSignals } from '../http/read-http-signals.js'
import { rslSignals } from '../robots/rsl-signals.js'
import type { FoundSignal } from '../signals/types.js'
import { audioView, isAudio, type AudioSettings } from './_audio.js'
import { readHead } from './_head.js'
import type { CacheState } from './_cache-state.js'
import { discard, type Fetched, type HttpContext } from './_http.js'
import { rslView } from './_site.js'
import type { SiteFileSettings } from './_site-files.js'

/** Why the resource could not be read. */
export type ResourceErrorCode = 'timeout' | 'network-error' | 'too-many-redirects' | 'redirect-loop' | 'bad-redirect' | 'http-status'

/** What reading the resource gave. @internal */
export interface ResourceView {
  readonly signals: FoundSignal[]
  readonly notes: string[]
  readonly contentType?: string
  readonly essence?: { readonly format: string; readonly sha256: string }
  readonly error?: { readonly code: ResourceErrorCode; readonly message: string }
}

/** Settings of the resource step. @internal */
export interface ResourceSettings {
  readonly maxHtmlBytes: number
  readonly maxRslDocuments: number
  readonly audio: AudioSettings | false
  readonly site: SiteFileSettings
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml'])

/** The header fields the HTTP reader reads (docs/spec.md §11.1). */
const READ_FIELDS = [HTTP_FIELDS.tag, HTTP_FIELDS.signedTag, 'content-usage', 'content-signal', 'tdm-reservation', 'tdm-policy', 'x-robots-tag', 'link'] as const

/**
 * Only the fields the HTTP reader reads, as a record: looking a few names up costs less than
 * iterating a `Headers` (which sorts every field). `get` joins repeated fields as iterating does.
 */
function fieldsOf(headers: Headers): Record<string, string> | undefined {
  let out: Record<string, string> | undefined
  for (const name of READ_FIELDS) {
    const v = headers.get(name)
    if (v !== null) (out ??= {})[name] = v
  }
  return out
}
const ACCEPT_HTML = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8'

/** The `Accept` header of the resource request. @internal */
export const RESOURCE_ACCEPT = ACCEPT_HTML

function mediaType(contentType: string | null): string {
  if (contentType === null) return ''
  const semi = contentType.indexOf(';')
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase()
}

/** The RSL licences the response names (`Link`, `<link>`), as URLs. */
function linkedLicences(signals: readonly FoundSignal[]): string[] {
  const out: string[] = []
  for (const s of signals) {
    if (s.signal !== 'rsl') continue
    for (const t of s.tokens) if (t.token === 'license' && /^https?:\/\//i.test(t.value) && !out.includes(t.value)) out.push(t.value)
  }
  return out
}

async function inlineRsl(texts: readonly string[], url: string, notes: string[]): Promise<FoundSignal[]> {
  if (texts.length === 0) return []
  const { parseRsl } = await import('./_rsl-code.js')
  return texts.flatMap((text, i) => {
    try {
      return rslSignals(parseRsl(text, { url: `${url}#rsl-${i + 1}` }), url)
    } catch (e) {
      notes.push(`inline RSL document ${i + 1} was ignored: ${e instanceof Error ? e.message : String(e)}`)
      return []
    }
  })
}

function streamError(e: unknown): { code: ResourceErrorCode; message: string } {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e
  const timeout = cause instanceof Error && cause.name === 'TimeoutError'
  return { code: timeout ? 'timeout' : 'network-error', message: `reading the page failed: ${cause instanceof Error ? cause.message : String(cause)}` }
}

/** Reads the final response of the resource: headers, then the head of a page or the tag of audio. @internal */
export async function resourceView(ctx: HttpContext, st: CacheState, res: Fetched, s: ResourceSettings): Promise<ResourceView> {
  const notes: string[] = []
  const url = res.url
  const contentType = res.headers.get('content-type') ?? undefined
  // None of the fields read (most responses): no statement, as readHttpSignals would say.
  const fields = fieldsOf(res.headers)
  const signals: FoundSignal[] = fields === undefined ? [] : readHttpSignals(fields, { url })
  let rslTexts: readonly string[] = []
  let error: ResourceView['error']
  let audio = false
  if (res.status === 429 || res.status >= 500) {
    discard(res)
    const retry = res.headers.get('retry-after')
    error = { code: 'http-status', message: `${url} answered HTTP ${res.status}${retry !== null ? ` (Retry-After: ${retry.slice(0, 64)})` : ''}: its content was not read` }
  } else if (HTML_TYPES.has(mediaType(contentType ?? null)) && res.body !== null) {
    try {
      const html = await readHead(res.body, contentType !== undefined ? { url, contentType, maxBytes: s.maxHtmlBytes } : { url, maxBytes: s.maxHtmlBytes })
      for (const x of html.signals) signals.push(x)
      rslTexts = html.rsl
      if (html.stoppedAt === 'limit') notes.push(`no end of the head within ${s.maxHtmlBytes} bytes: the page was read that far`)
    } catch (e) {
      ctx.signal?.throwIfAborted()
      error = streamError(e)
    } finally {
      res.release()
    }
  } else {
    discard(res)
    audio = isAudio(res.headers.get('content-type'), url)
  }
  const licences = linkedLicences(signals).slice(0, s.maxRslDocuments)
  if (licences.length > 0) signals.push(...(await rslView(ctx, st, licences, url, s.site, notes)))
  if (rslTexts.length > 0) signals.push(...(await inlineRsl(rslTexts, url, notes)))
  let essence: ResourceView['essence']
  if (audio && res.status < 300) {
    if (s.audio === false) notes.push('embedded tag not read (readAudio: false); the header fields\' answer is kept')
    else {
      const a = await audioView(ctx, url, s.audio)
      signals.push(...a.signals)
      notes.push(...a.notes)
      essence = a.essence
    }
  }
  // Built member by member (spreads of conditional members are slow on this hot path).
  const out: { -readonly [K in keyof ResourceView]: ResourceView[K] } = { signals, notes }
  if (contentType !== undefined) out.contentType = contentType
  if (essence !== undefined) out.essence = essence
  if (error !== undefined) out.error = error
  return out
}
