/**
 * A byte source over an http(s) URL (docs/spec.md §10): the audio readers ask for ranges, and
 * this source fetches only those ranges with HTTP Range requests (RFC 9110 §14). When the server
 * ignores Range, it downloads the file once, bounded by `maxBytes`. Web APIs only (`fetch`).
 *
 * @module
 */
import { InvalidArgumentError, LimitExceededError, NoaiTagError } from '../errors.js'
import { fromBytes, fromStream, MAX_STREAM_BUFFER_BYTES } from './source.js'
import type { ByteSource } from './types.js'

/** Bounds of {@link fromUrl}. */
export const URL_SOURCE_LIMITS = {
  /** Size of the blocks that small reads are rounded up to, and cached in. */
  blockBytes: 64 * 1024,
  /** Most blocks kept in the cache (2 MiB with 64 KiB blocks). */
  maxCachedBlocks: 32,
  /** Default bound on requests per source. */
  maxRequests: 4096,
} as const

/** Options of {@link fromUrl}. */
export interface UrlSourceOptions {
  /** The fetch to use. @defaultValue `globalThis.fetch` */
  readonly fetch?: typeof fetch
  /**
   * Most bytes transferred in total: over all Range responses, or for the one full download when
   * the server ignores Range. @defaultValue `MAX_STREAM_BUFFER_BYTES` (256 MiB)
   */
  readonly maxBytes?: number
  /** Most HTTP requests. @defaultValue `URL_SOURCE_LIMITS.maxRequests` */
  readonly maxRequests?: number
  /** Aborts the requests (also each read's own `signal`). */
  readonly signal?: AbortSignal
}

/** A {@link ByteSource} over a URL, with what it cost. */
export interface UrlByteSource extends ByteSource {
  /** The URL read, after redirects. */
  readonly url: string
  /** `true` when the server answers Range requests (only the ranges read were transferred). */
  readonly ranged: boolean
  /** Bytes received so far (response bodies). */
  readonly bytesFetched: number
  /** HTTP requests made so far. */
  readonly requests: number
}

/**
 * A URL could not be read: a network error, an HTTP status other than 200/206, a Range response
 * that does not match the request, or a resource that changed between two Range requests
 * (code `ERR_NOAI_FETCH`).
 *
 * @example
 * ```ts
 * try { await fromUrl('https://cdn.example/track.mp3') } catch (e) {
 *   if (e instanceof UrlFetchError) console.error(e.url, e.status)
 * }
 * ```
 */
export class UrlFetchError extends NoaiTagError {
  override name = 'UrlFetchError' as const
  /** The URL requested. */
  readonly url: string
  /** The HTTP status, when a response came. */
  readonly status: number | undefined
  constructor(url: string, message: string, status?: number, options?: { cause?: unknown }) {
    super('ERR_NOAI_FETCH', `${url}: ${message}`, options)
    this.url = url
    this.status = status
  }
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/
const UNSATISFIED_RANGE = /^bytes \*\/(\d+)$/

interface Counters {
  bytes: number
  requests: number
}

interface Context {
  readonly fetch: typeof fetch
  readonly maxBytes: number
  readonly maxRequests: number
  readonly signal: AbortSignal | undefined
  readonly counters: Counters
}

async function request(ctx: Context, url: string, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<Response> {
  if (ctx.counters.requests >= ctx.maxRequests) throw new LimitExceededError('maxRequests', ctx.maxRequests, undefined, `HTTP requests for ${url}`)
  ctx.counters.requests++
  try {
    // identity: a Range of a compressed representation would count compressed bytes.
    return await ctx.fetch(url, { headers: { 'accept-encoding': 'identity', ...headers }, redirect: 'follow', ...(signal ? { signal } : {}) })
  } catch (e) {
    if (signal?.aborted) throw signal.reason
    throw new UrlFetchError(url, `request failed: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e })
  }
}

/** Reads a body of an expected length, counting it against `maxBytes`. */
async function body(ctx: Context, res: Response, url: string, expected: number): Promise<Uint8Array> {
  if (ctx.counters.bytes + expected > ctx.maxBytes) {
    await res.body?.cancel().catch(() => undefined)
    throw new LimitExceededError('maxBytes', ctx.maxBytes, ctx.counters.bytes + expected, `bytes fetched from ${url}`)
  }
  const bytes = new Uint8Array(await res.arrayBuffer())
  ctx.counters.bytes += bytes.length
  if (bytes.length !== expected) throw new UrlFetchError(url, `a Range response has ${bytes.length} bytes, not the ${expected} of its Content-Range`, res.status)
  return bytes
}

/** The validator to send in If-Range: a strong ETag, else Last-Modified. */
function validatorOf(res: Response): string | undefined {
  const etag = res.headers.get('etag')
  if (etag && !etag.startsWith('W/')) return etag
  return res.headers.get('last-modified') ?? undefined
}

function ranged(ctx: Context, url: string, size: number, first: Uint8Array, validator: string | undefined): UrlByteSource {
  const { blockBytes, maxCachedBlocks } = URL_SOURCE_LIMITS
  const cache = new Map<number, Uint8Array>()
  const remember = (index: number, block: Uint8Array): void => {
    cache.delete(index)
    cache.set(index, block)
    if (cache.size > maxCachedBlocks) cache.delete(cache.keys().next().value!)
  }
  // Only whole blocks (or the file's last one) are cached: the first response may be shorter.
  for (let i = 0; i * blockBytes < first.length; i++) {
    const block = first.subarray(i * blockBytes, (i + 1) * blockBytes)
    if (block.length === blockBytes || i * blockBytes + block.length === size) remember(i, block)
  }

  const fetchRange = async (start: number, end: number, signal: AbortSignal | undefined): Promise<Uint8Array> => {
    const headers: Record<string, string> = { range: `bytes=${start}-${end - 1}` }
    if (validator !== undefined) headers['if-range'] = validator
    const res = await request(ctx, url, headers, signal)
    if (res.status !== 206) {
      await res.body?.cancel().catch(() => undefined)
      throw new UrlFetchError(url, res.status === 200 ? 'the resource changed between two Range requests' : `HTTP ${res.status} for a Range request`, res.status)
    }
    const m = CONTENT_RANGE.exec(res.headers.get('content-range') ?? '')
    if (!m || Number(m[1]) !== start || Number(m[2]) !== end - 1 || (m[3] !== '*' && Number(m[3]) !== size)) {
      await res.body?.cancel().catch(() => undefined)
      throw new UrlFetchError(url, `the Content-Range ${JSON.stringify(res.headers.get('content-range'))} does not answer bytes=${start}-${end - 1} of ${size}`, 206)
    }
    return body(ctx, res, url, end - start)
  }

  return {
    url,
    size,
    ranged: true,
    get bytesFetched() {
      return ctx.counters.bytes
    },
    get requests() {
      return ctx.counters.requests
    },
    async read(offset, length, options) {
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
        throw new InvalidArgumentError(`invalid read range offset=${offset} length=${length}`)
      }
      const signal = options?.signal ?? ctx.signal
      const start = Math.min(offset, size)
      const end = Math.min(size, start + length)
      if (end === start) return new Uint8Array(0)
      // Large reads (hashing, copying) go straight to the server, uncached.
      if (end - start > 4 * blockBytes) return fetchRange(start, end, signal)
      const firstBlock = Math.floor(start / blockBytes)
      const lastBlock = Math.floor((end - 1) / blockBytes)
      const blocks: Uint8Array[] = []
      for (let i = firstBlock; i <= lastBlock; ) {
        const hit = cache.get(i)
        if (hit) {
          remember(i, hit)
          blocks.push(hit)
          i++
          continue
        }
        // A run of missing blocks is fetched with one request.
        let j = i
        while (j + 1 <= lastBlock && !cache.has(j + 1)) j++
        const bytes = await fetchRange(i * blockBytes, Math.min(size, (j + 1) * blockBytes), signal)
        for (let k = i; k <= j; k++) {
          const block = bytes.subarray((k - i) * blockBytes, (k - i + 1) * blockBytes)
          remember(k, block)
          blocks.push(block)
        }
        i = j + 1
      }
      const out = new Uint8Array(end - start)
      let at = 0
      let pos = firstBlock * blockBytes
      for (const b of blocks) {
        const from = Math.max(start, pos)
        const to = Math.min(end, pos + b.length)
        if (to > from) {
          out.set(b.subarray(from - pos, to - pos), at)
          at += to - from
        }
        pos += b.length
      }
      return out
    },
  }
}

function whole(ctx: Context, url: string, source: ByteSource): UrlByteSource {
  return {
    url,
    size: source.size,
    ranged: false,
    get bytesFetched() {
      return ctx.counters.bytes
    },
    get requests() {
      return ctx.counters.requests
    },
    read: (offset, length, options) => source.read(offset, length, options),
  }
}

async function download(ctx: Context, url: string, res: Response): Promise<UrlByteSource> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (Number.isSafeInteger(declared) && declared > ctx.maxBytes) {
    await res.body?.cancel().catch(() => undefined)
    throw new LimitExceededError('maxBytes', ctx.maxBytes, declared, `size of ${url} (the server ignores Range requests)`)
  }
  if (!res.body) return whole(ctx, url, fromBytes(new Uint8Array(0)))
  const source = await fromStream(res.body, { maxBytes: ctx.maxBytes - ctx.counters.bytes })
  ctx.counters.bytes += source.size
  return whole(ctx, url, source)
}

/**
 * Opens an http(s) URL as a byte source. The first request asks for the first block with a Range
 * header; when the server answers `206 Partial Content`, every later read fetches only the ranges
 * it needs (small reads are rounded to 64 KiB blocks and cached), with `If-Range` so that a
 * resource that changes meanwhile is detected. When the server ignores Range (`200`), the body is
 * downloaded once into memory, refused beyond `maxBytes`.
 *
 * @throws UrlFetchError (`ERR_NOAI_FETCH`) for a network error, an HTTP error status or an
 *   inconsistent Range response; LimitExceededError beyond `maxBytes` or `maxRequests`;
 *   InvalidArgumentError for a URL that is not http(s).
 * @example
 * ```ts
 * import { fromUrl, readAudioTag } from 'noai-tag/audio'
 * const source = await fromUrl('https://cdn.example/track.flac')
 * const report = await readAudioTag(source) // a few kilobytes transferred when Range works
 * ```
 */
export async function fromUrl(url: string | URL, options: UrlSourceOptions = {}): Promise<UrlByteSource> {
  let target: URL
  try {
    target = new URL(String(url))
  } catch (e) {
    throw new InvalidArgumentError(`not an absolute URL: ${String(url)}`, { cause: e })
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new InvalidArgumentError(`only http and https URLs can be read, not ${target.protocol}`)
  const maxBytes = options.maxBytes ?? MAX_STREAM_BUFFER_BYTES
  const maxRequests = options.maxRequests ?? URL_SOURCE_LIMITS.maxRequests
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new InvalidArgumentError('maxBytes must be a non-negative integer')
  if (!Number.isSafeInteger(maxRequests) || maxRequests < 1) throw new InvalidArgumentError('maxRequests must be a positive integer')
  const fetchFn = options.fetch ?? globalThis.fetch
  if (typeof fetchFn !== 'function') throw new InvalidArgumentError('no fetch available: pass options.fetch')
  const ctx: Context = { fetch: fetchFn, maxBytes, maxRequests, signal: options.signal, counters: { bytes: 0, requests: 0 } }
  const href = target.href
  const probe = Math.max(1, Math.min(URL_SOURCE_LIMITS.blockBytes, maxBytes))
  const res = await request(ctx, href, { range: `bytes=0-${probe - 1}` }, options.signal)
  const final = res.url || href
  if (res.status === 200) return download(ctx, final, res)
  if (res.status === 416) {
    // An empty resource has no satisfiable range.
    await res.body?.cancel().catch(() => undefined)
    const m = UNSATISFIED_RANGE.exec(res.headers.get('content-range') ?? '')
    if (m && Number(m[1]) === 0) return whole(ctx, final, fromBytes(new Uint8Array(0)))
    throw new UrlFetchError(final, 'HTTP 416 for the first bytes', 416)
  }
  if (res.status !== 206) {
    await res.body?.cancel().catch(() => undefined)
    throw new UrlFetchError(final, `HTTP ${res.status}`, res.status)
  }
  const m = CONTENT_RANGE.exec(res.headers.get('content-range') ?? '')
  if (!m || Number(m[1]) !== 0) {
    await res.body?.cancel().catch(() => undefined)
    throw new UrlFetchError(final, `the Content-Range ${JSON.stringify(res.headers.get('content-range'))} does not answer bytes=0-${probe - 1}`, 206)
  }
  const end = Number(m[2]) + 1
  const first = await body(ctx, res, final, end)
  if (m[3] === '*') {
    // The size is unknown: ranges cannot be planned; download the whole resource instead.
    const full = await request(ctx, final, {}, options.signal)
    if (full.status !== 200) {
      await full.body?.cancel().catch(() => undefined)
      throw new UrlFetchError(final, `HTTP ${full.status}`, full.status)
    }
    return download(ctx, final, full)
  }
  const size = Number(m[3])
  if (!Number.isSafeInteger(size) || end > size) throw new UrlFetchError(final, `the Content-Range ${JSON.stringify(res.headers.get('content-range'))} is inconsistent`, 206)
  return ranged(ctx, final, size, first, validatorOf(res))
}
