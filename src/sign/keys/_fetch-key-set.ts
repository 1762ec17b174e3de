/**
 * Fetching one issuer's key set (docs/spec.md §14.3): GET of the well-known URL on the issuer's
 * origin, redirects followed by hand and only within that origin, status 200 required, a JSON
 * content type, a body read as a stream and cut off past the size limit, strict JSON, and one
 * deadline for all of it.
 *
 * @internal
 * @module
 */
import { MEDIA_TYPES, WELL_KNOWN } from '../../constants.js'
import { parseJsonStrict } from '../../_internal/json.js'
import { KEYS_TEST_HOOKS } from './_hooks.js'
import { freshnessMs, type TtlBounds } from './_cache-control.js'
import { KEY_SET_LIMITS } from './limits.js'
import type { KeySetFetch } from './types.js'
import { concatBytes } from '../../_internal/bytes.js'

/** Settings of one fetch. @internal */
export interface FetchSettings extends TtlBounds {
  readonly fetch: KeySetFetch
  readonly timeoutMs: number
  readonly maxBytes: number
  readonly userAgent: string | undefined
}

/** What a fetch gave. @internal */
export type FetchOutcome =
  | { readonly ok: true; readonly url: string; readonly json: unknown; readonly ttlMs: number }
  | { readonly ok: false; readonly failure: 'key-set-unavailable' | 'key-set-invalid'; readonly detail: string }

type Failure = Extract<FetchOutcome, { ok: false }>

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const CONTENT_TYPES = new Set<string>([MEDIA_TYPES.keySet, 'application/json'])
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const invalid = (detail: string): Failure => ({ ok: false, failure: 'key-set-invalid', detail })
const unavailable = (detail: string): Failure => ({ ok: false, failure: 'key-set-unavailable', detail })

/** Fetches and parses the key set of `issuer` (an already checked origin). @internal */
export async function fetchKeySet(issuer: string, settings: FetchSettings): Promise<FetchOutcome> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  // The deadline also wins against a fetch function that ignores its signal.
  const deadline = new Promise<Failure>((resolve) => {
    timer = setTimeout(() => {
      controller.abort()
      resolve(unavailable(`no complete key set response from ${issuer} within ${settings.timeoutMs} ms`))
    }, settings.timeoutMs)
  })
  try {
    return await Promise.race([fetchHops(issuer, settings, controller.signal), deadline])
  } catch (e) {
    if (controller.signal.aborted) return unavailable(`no complete key set response from ${issuer} within ${settings.timeoutMs} ms`)
    return unavailable(`fetching the key set of ${issuer} failed: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    clearTimeout(timer)
  }
}

async function fetchHops(issuer: string, settings: FetchSettings, signal: AbortSignal): Promise<FetchOutcome> {
  const headers: Record<string, string> = { Accept: `${MEDIA_TYPES.keySet}, application/json;q=0.9` }
  if (settings.userAgent !== undefined) headers['User-Agent'] = settings.userAgent
  let url = new URL(WELL_KNOWN.keys, issuer).href
  for (let hop = 0; ; hop++) {
    const res = await settings.fetch(url, { method: 'GET', redirect: 'manual', credentials: 'omit', headers, signal })
    const problem = responseProblem(res, url, issuer)
    if (problem !== undefined) {
      discard(res)
      return invalid(problem)
    }
    if (!REDIRECTS.has(res.status)) return readResponse(res, url, settings)
    discard(res)
    if (hop >= KEY_SET_LIMITS.maxRedirects) return invalid(`more than ${KEY_SET_LIMITS.maxRedirects} redirects fetching the key set of ${issuer}`)
    const next = redirectTarget(res, url, issuer)
    if (typeof next !== 'string') return next
    url = next
  }
}

/** A response from somewhere else than asked, or a redirect the runtime hides. */
function responseProblem(res: Response, asked: string, issuer: string): string | undefined {
  if (res.type === 'opaqueredirect') return `the key set of ${issuer} is behind a redirect whose target this runtime hides`
  if (KEYS_TEST_HOOKS.skipResponseOriginCheck || res.url === '') return undefined
  const from = originOf(res.url)
  if (from !== new URL(asked).origin) {
    return `the key set of ${issuer} was found on ${from ?? JSON.stringify(res.url)}, another origin than asked (the fetch function followed a redirect)`
  }
  return undefined
}

function redirectTarget(res: Response, from: string, issuer: string): string | Failure {
  const location = res.headers.get('location')
  if (location === null) return invalid(`HTTP ${res.status} redirect without a Location fetching the key set of ${issuer}`)
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    return invalid(`HTTP ${res.status} redirect to an invalid URL fetching the key set of ${issuer}`)
  }
  const crossOrigin = next.origin !== issuer || next.username !== '' || next.password !== ''
  if (crossOrigin && !KEYS_TEST_HOOKS.allowCrossOriginRedirect) {
    return invalid(`the key set of ${issuer} redirects to another origin (${next.origin}); keys must be served from the issuer's own origin`)
  }
  next.hash = ''
  return next.href
}

async function readResponse(res: Response, url: string, settings: FetchSettings): Promise<FetchOutcome> {
  if (res.status !== 200) {
    discard(res)
    const what = `HTTP ${res.status} from ${url}`
    return res.status >= 400 ? unavailable(what) : invalid(`${what} (a key set must be served with status 200)`)
  }
  const type = res.headers.get('content-type')
  const essence = type?.split(';')[0]!.trim().toLowerCase()
  if (!KEYS_TEST_HOOKS.skipContentTypeCheck && (essence === undefined || !CONTENT_TYPES.has(essence))) {
    discard(res)
    return invalid(`${url} has Content-Type ${JSON.stringify(type)}; a key set must be ${MEDIA_TYPES.keySet} or application/json`)
  }
  const body = await readLimited(res, settings.maxBytes)
  if (body === undefined) return invalid(`the key set at ${url} is larger than the limit maxBytes = ${settings.maxBytes}`)
  let json: unknown
  try {
    json = parseJsonStrict(decoder.decode(body), { maxDepth: KEY_SET_LIMITS.maxJsonDepth }).value
  } catch (e) {
    return invalid(`the key set at ${url} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
  return { ok: true, url, json, ttlMs: freshnessMs(res.headers, settings) }
}

/** The body, or `undefined` once it is larger than `maxBytes` (Content-Length is not trusted). */
async function readLimited(res: Response, maxBytes: number): Promise<Uint8Array | undefined> {
  const limited = !KEYS_TEST_HOOKS.skipSizeLimit
  const declared = res.headers.get('content-length')
  if (limited && declared !== null && /^[0-9]+$/.test(declared.trim()) && Number(declared.trim()) > maxBytes) {
    discard(res)
    return undefined
  }
  if (res.body === null) return new Uint8Array(0)
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (limited && total > maxBytes) {
      reader.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(value)
  }
  return concatBytes(chunks)
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

function discard(res: Response): void {
  res.body?.cancel().catch(() => undefined)
}
