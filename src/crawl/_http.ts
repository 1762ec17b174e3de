/**
 * The crawler's requests (docs/spec.md §11.6): http(s) only, the caller's `User-Agent`, a slot of
 * the origin's limiter held until the body is read or cancelled, one deadline per request covering
 * the headers and the part of the body read, redirects followed by hand with a limit and loop
 * detection, and one retry after a short `Retry-After` on 429 and 503.
 *
 * @internal
 * @module
 */
import type { OriginLimiter } from './_limiter.js'

/** The fetch function `checkUrl` calls: `globalThis.fetch` or anything with its shape. */
export type CrawlFetch = (url: string, init: RequestInit) => Promise<Response>

/** Why a URL could not be read. */
export type FetchFailure = 'timeout' | 'network-error' | 'too-many-redirects' | 'redirect-loop' | 'bad-redirect'

/** What the request layer needs. @internal */
export interface HttpContext {
  readonly fetch: CrawlFetch
  readonly userAgent: string
  readonly limiter: OriginLimiter
  readonly concurrency: number
  readonly timeoutMs: number
  readonly maxRedirects: number
  readonly maxRetryAfterMs: number
  readonly signal: AbortSignal | undefined
  /** Requests made by this check. */
  requests: number
}

/** A response; it holds a slot of its origin until `release` is called. @internal */
export interface Fetched {
  readonly url: string
  readonly status: number
  readonly headers: Headers
  /** The body. `null` when the response has none. */
  readonly body: ReadableStream<Uint8Array> | null
  /** Frees the origin's slot: call it once the body is read or cancelled (calling it again does nothing). */
  readonly release: () => void
}

/** A followed request's outcome. @internal */
export type Followed =
  | { readonly ok: true; readonly res: Fetched; readonly chain: readonly string[] }
  | { readonly ok: false; readonly failure: FetchFailure; readonly message: string; readonly url: string; readonly chain: readonly string[] }

class Deadline extends Error {
  override name = 'TimeoutError'
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * The reason a response body is cancelled with once it was read as far as needed. Giving one
 * spares WHATWG fetch (undici) building an AbortError DOMException, stack trace and all, for each
 * cancelled body; the reason goes nowhere else. @internal
 */
export const READ_ENOUGH: Error = new Error('the body was read as far as needed')

/** `new URL(text, base)`, or `undefined` when it does not parse. @internal */
export function parseUrl(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base)
  } catch {
    return undefined
  }
}

/** Whether a URL may be requested: http(s), no credentials. @internal */
export function isFetchable(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === ''
}

/**
 * A body that frees the slot at its end, on cancel or on error: for readers that do not say when
 * they are done (the Range byte source reads bodies with `arrayBuffer()`). @internal
 */
export function releasing(body: ReadableStream<Uint8Array>, release: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await reader.read()
        if (r.done) {
          release()
          controller.close()
        } else controller.enqueue(r.value)
      } catch (e) {
        release()
        controller.error(e)
      }
    },
    async cancel(reason) {
      release()
      await reader.cancel(reason).catch(() => undefined)
    },
  })
}

/**
 * One request, without following redirects: waits for a slot on the origin, then sends it with a
 * deadline. At the deadline the request's signal is aborted, which (WHATWG fetch) also errors its
 * body stream, and the slot is freed. Throws the caller's abort reason, a `Deadline` error or the
 * fetch error.
 * @internal
 */
export async function send(ctx: HttpContext, url: string, headers: Record<string, string>, redirect: RequestRedirect = 'manual'): Promise<Fetched> {
  const origin = new URL(url).origin
  ctx.signal?.throwIfAborted()
  const release = ctx.limiter.tryAcquire(origin, ctx.concurrency) ?? (await ctx.limiter.acquire(origin, ctx.concurrency, ctx.signal))
  const controller = new AbortController()
  // Set once the request is sent: rejects it at the deadline or when the caller aborts, which also
  // wins against a fetch that ignores its signal.
  let fail: (e: unknown) => void = () => undefined
  let released = false
  const onAbort = (): void => {
    controller.abort(ctx.signal!.reason)
    fail(ctx.signal!.reason)
    done()
  }
  const done = (): void => {
    if (released) return
    released = true
    clearTimeout(timer)
    ctx.signal?.removeEventListener('abort', onAbort)
    release()
  }
  const timer = setTimeout(() => {
    const e = new Deadline(`no complete answer from ${origin} within ${ctx.timeoutMs} ms`)
    controller.abort(e)
    fail(e)
    done()
  }, ctx.timeoutMs)
  ctx.signal?.addEventListener('abort', onAbort, { once: true })
  ctx.requests++
  try {
    // The first of the response and the deadline (one promise, not a race of two).
    const res = await new Promise<Response>((resolve, reject) => {
      fail = reject
      Promise.resolve(ctx.fetch(url, { method: 'GET', redirect, credentials: 'omit', headers: { 'User-Agent': ctx.userAgent, ...headers }, signal: controller.signal })).then(resolve, reject)
    })
    if (released) {
      // The deadline passed as the headers arrived.
      res.body?.cancel(READ_ENOUGH).catch(() => undefined)
      throw new Deadline(`no complete answer from ${origin} within ${ctx.timeoutMs} ms`)
    }
    if (res.body === null) done()
    return { url: res.url || url, status: res.status, headers: res.headers, body: res.body, release: done }
  } catch (e) {
    done()
    ctx.signal?.throwIfAborted()
    throw e
  }
}

/** Cancels a body, freeing the slot. @internal */
export function discard(res: Fetched): void {
  res.body?.cancel(READ_ENOUGH).catch(() => undefined)
  res.release()
}

/** `Retry-After` (RFC 9110 §10.2.3) in milliseconds: delta-seconds or an HTTP date. @internal */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined
  const v = value.trim()
  if (/^[0-9]{1,9}$/.test(v)) return Number(v) * 1000
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : Math.max(0, t - nowMs)
}

function failure(e: unknown): { failure: FetchFailure; message: string } {
  if (e instanceof Deadline) return { failure: 'timeout', message: e.message }
  return { failure: 'network-error', message: e instanceof Error ? (e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message) : String(e) }
}

/** After a 429 or 503: with a `Retry-After` within the bound, pauses the origin and sends once more. */
async function retry(ctx: HttpContext, url: string, headers: Record<string, string>, res: Fetched): Promise<Fetched> {
  const wait = retryAfterMs(res.headers.get('retry-after'), Date.now())
  if (wait === undefined) return res
  // The origin asked for a pause: later requests to it wait too (at most the bound).
  ctx.limiter.pause(new URL(url).origin, Math.min(wait, ctx.maxRetryAfterMs))
  if (wait > ctx.maxRetryAfterMs) return res
  discard(res)
  return send(ctx, url, headers)
}

/**
 * GET with redirects followed by hand: at most `maxRedirects`, no URL twice, http(s) targets only.
 * `onHop` may refuse a redirect target (for example one its robots.txt disallows) by returning a
 * message. Network errors and timeouts are values; only the caller's abort is thrown.
 * @internal
 */
export async function follow(
  ctx: HttpContext,
  start: string,
  headers: Record<string, string>,
  onHop?: (url: URL) => Promise<string | undefined>,
): Promise<Followed> {
  const chain: string[] = [start]
  let url = start
  for (let hop = 0; ; hop++) {
    let res: Fetched
    try {
      res = await send(ctx, url, headers)
      if (res.status === 429 || res.status === 503) res = await retry(ctx, url, headers, res)
    } catch (e) {
      ctx.signal?.throwIfAborted()
      return { ok: false, ...failure(e), url, chain }
    }
    if (!REDIRECTS.has(res.status)) return { ok: true, res, chain }
    discard(res)
    const location = res.headers.get('location')
    const next = location === null ? undefined : parseUrl(location, url)
    if (next === undefined || !isFetchable(next)) {
      const why = location === null ? 'without a Location' : `to ${JSON.stringify(location.slice(0, 200))}, which is not an http(s) URL`
      return { ok: false, failure: 'bad-redirect', message: `HTTP ${res.status} redirect ${why}`, url, chain }
    }
    next.hash = ''
    if (chain.includes(next.href)) return { ok: false, failure: 'redirect-loop', message: `redirect loop: ${[...chain, next.href].join(' → ')}`, url: next.href, chain }
    if (hop >= ctx.maxRedirects) return { ok: false, failure: 'too-many-redirects', message: `more than ${ctx.maxRedirects} redirects from ${start}`, url: next.href, chain }
    const refused = onHop === undefined ? undefined : await onHop(next)
    chain.push(next.href)
    if (refused !== undefined) return { ok: false, failure: 'bad-redirect', message: refused, url: next.href, chain }
    url = next.href
  }
}

/** Reads a body up to `maxBytes`; `truncated` when there was more (the rest is not read). @internal */
export async function readLimited(res: Fetched, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (res.body === null) {
    res.release()
    return { bytes: new Uint8Array(0), truncated: false }
  }
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  let truncated = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const room = maxBytes - total
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room))
        total += room
        truncated = true
        break
      }
      chunks.push(value)
      total += value.byteLength
    }
  } finally {
    if (truncated) await reader.cancel(READ_ENOUGH).catch(() => undefined)
    reader.releaseLock()
    res.release()
  }
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return { bytes: out, truncated }
}
