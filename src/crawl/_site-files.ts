/**
 * Fetching and caching the site files of an origin (docs/spec.md §11.3.1, §11.4, §11.5, §11.6):
 * each file once per freshness lifetime (`Cache-Control: max-age` less `Age`, clamped; robots.txt
 * never longer than 24 hours), absences cached too, failures cached briefly, a previous copy used
 * while a refetch fails, and one fetch in flight per file shared by concurrent checks.
 *
 * @internal
 * @module
 */
import { freshnessMs, type TtlBounds } from '../sign/keys/_cache-control.js'
import { parseAiTxt } from '../robots/parse-ai-txt.js'
import { parsePolicy } from '../robots/parse-policy.js'
import { parseRobotsTxt } from '../robots/parse-robots-txt.js'
import { parseTdmrepJson } from '../robots/parse-tdmrep-json.js'
import { robotsStatusPolicy } from '../robots/robots-status-policy.js'
import { unreachableRobotsTxt } from '../robots/unreachable-robots-txt.js'
import { SITE_LIMITS } from '../robots/limits.js'
import type { RobotsUnreachableReason } from '../robots/types.js'
import type { CacheState } from './_cache-state.js'
import { discard, follow, readLimited, type FetchFailure, type Fetched, type HttpContext } from './_http.js'
import { readEntry, type SiteEntry, type SiteFileKind, type SiteOutcome } from './_site-entry.js'

/** Cache settings of site files. @internal */
export interface SiteFileSettings extends TtlBounds {
  readonly failureTtlMs: number
  readonly maxStaleMs: number
  readonly maxBytes: number
}

const ACCEPT: Readonly<Record<SiteFileKind, string>> = {
  'robots.txt': 'text/plain, */*;q=0.1',
  'ai.txt': 'text/plain, */*;q=0.1',
  'tdmrep.json': 'application/json, */*;q=0.1',
  policy: 'application/noai-policy+json, application/json;q=0.9, */*;q=0.1',
  rsl: 'application/rsl+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1',
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true })

type Fetch = { outcome: SiteOutcome; status?: number; data?: unknown; detail?: string; ttlMs: number }

const ROBOTS_UNREACHABLE: Partial<Record<FetchFailure, RobotsUnreachableReason>> = { timeout: 'timeout', 'network-error': 'network-error' }

/** How a file that could not be fetched is recorded: robots.txt as a complete disallow, others as nothing. */
function failed(kind: SiteFileKind, url: string, reason: RobotsUnreachableReason, detail: string, s: SiteFileSettings, status?: number): Fetch {
  const base = { detail, ttlMs: s.failureTtlMs, ...(status !== undefined ? { status } : {}) }
  if (kind === 'robots.txt') return { ...base, outcome: 'unreachable', data: unreachableRobotsTxt(reason, { url }) }
  return { ...base, outcome: 'failed' }
}

async function parse(kind: SiteFileKind, url: string, text: string): Promise<unknown> {
  switch (kind) {
    case 'robots.txt':
      return parseRobotsTxt(text, { url })
    case 'ai.txt':
      return parseAiTxt(text, { url })
    case 'tdmrep.json':
      return parseTdmrepJson(text, { url })
    case 'policy':
      return parsePolicy(text)
    case 'rsl': {
      // The XML parser is loaded only when an RSL document is met.
      const { parseRsl } = await import('./_rsl-code.js')
      return parseRsl(text, { url })
    }
  }
}

/** robots.txt and ai.txt are parsed up to their limit; the JSON and XML files must fit whole. */
async function readBody(kind: SiteFileKind, url: string, res: Fetched, s: SiteFileSettings): Promise<Fetch> {
  const textual = kind === 'robots.txt' || kind === 'ai.txt'
  // One byte more than the parser's limit, so that it sees the file is longer and drops the cut line.
  const max = textual ? SITE_LIMITS.maxRobotsBytes + 1 : s.maxBytes
  const { bytes, truncated } = await readLimited(res, max)
  const ttlMs = freshnessMs(res.headers, s)
  if (truncated && !textual) return { outcome: 'invalid', status: res.status, detail: `${url} is larger than ${s.maxBytes} bytes: not read`, ttlMs }
  try {
    return { outcome: 'ok', status: res.status, data: await parse(kind, url, decoder.decode(bytes)), ttlMs }
  } catch (e) {
    return { outcome: 'invalid', status: res.status, detail: `${url}: ${e instanceof Error ? e.message : String(e)}`, ttlMs }
  }
}

/** Fetches and parses one site file. Only the caller's abort is thrown. */
async function fetchFile(ctx: HttpContext, kind: SiteFileKind, url: string, s: SiteFileSettings): Promise<Fetch> {
  const origin = new URL(url).origin
  // robots.txt and RSL documents may redirect anywhere (RFC 9309 §2.3.1.2); the well-known files of
  // an origin speak for that origin only (docs/spec.md §11.4.1).
  const sameOrigin = kind === 'tdmrep.json' || kind === 'policy'
  const r = await follow(ctx, url, { Accept: ACCEPT[kind] }, async (next) => (sameOrigin && next.origin !== origin ? `${url} redirects to another origin (${next.origin}): not followed` : undefined))
  if (!r.ok) {
    const reason = ROBOTS_UNREACHABLE[r.failure]
    if (reason !== undefined) return failed(kind, url, reason, `${url}: ${r.message}`, s)
    // Too many redirects, a loop, a refused redirect: unavailable (RFC 9309 §2.3.1.2).
    return { outcome: 'none', detail: `${url}: ${r.message}`, ttlMs: s.failureTtlMs }
  }
  const { res } = r
  const action = robotsStatusPolicy(res.status < 200 ? 500 : res.status)
  if (action === 'disallow-all') {
    discard(res)
    return failed(kind, url, res.status === 429 ? 'too-many-requests' : 'server-error', `${url} answered HTTP ${res.status}`, s, res.status)
  }
  if (action === 'none') {
    discard(res)
    return { outcome: 'none', status: res.status, ttlMs: freshnessMs(res.headers, s) }
  }
  try {
    return await readBody(kind, url, res, s)
  } catch (e) {
    ctx.signal?.throwIfAborted()
    const timeout = e instanceof Error && e.name === 'TimeoutError'
    return failed(kind, url, timeout ? 'timeout' : 'network-error', `${url}: ${e instanceof Error ? e.message : String(e)}`, s, res.status)
  }
}

async function storeGet(st: CacheState, key: string): Promise<unknown> {
  try {
    return await st.store.get(key)
  } catch {
    return undefined // a failing shared store costs a fetch, not the check
  }
}

async function storeSet(st: CacheState, key: string, entry: SiteEntry, ttlMs: number): Promise<void> {
  try {
    await st.store.set(key, entry, ttlMs)
  } catch {
    // As above: the entry is still used by this process.
  }
}

async function refresh(ctx: HttpContext, st: CacheState, kind: SiteFileKind, url: string, key: string, previous: SiteEntry | undefined, s: SiteFileSettings): Promise<SiteEntry> {
  const f = await fetchFile(ctx, kind, url, s)
  const now = Date.now()
  let entry: SiteEntry
  if ((f.outcome === 'unreachable' || f.outcome === 'failed') && previous?.outcome === 'ok' && now < previous.staleUntil) {
    // RFC 9309 §2.4: an unreachable file's earlier copy may still be used; try again after the failure TTL.
    entry = { ...previous, freshUntil: now + s.failureTtlMs, detail: `a copy fetched ${new Date(previous.fetchedAt).toISOString()} is used: ${f.detail ?? 'refetching failed'}` }
  } else {
    const freshUntil = now + f.ttlMs
    entry = {
      v: 1,
      kind,
      url,
      outcome: f.outcome,
      ...(f.status !== undefined ? { status: f.status } : {}),
      ...(f.data !== undefined ? { data: f.data } : {}),
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
      fetchedAt: now,
      freshUntil,
      staleUntil: f.outcome === 'ok' ? freshUntil + s.maxStaleMs : freshUntil,
    }
  }
  st.parsed.set(key, entry)
  await storeSet(st, key, entry, Math.max(1, entry.staleUntil - now))
  return entry
}

/**
 * A site file: from this process's memory while fresh, else from the store while fresh, else
 * fetched (one fetch per file at a time, whoever asks). @internal
 */
export async function siteFile(ctx: HttpContext, st: CacheState, kind: SiteFileKind, url: string, s: SiteFileSettings): Promise<SiteEntry> {
  const key = `${st.prefix}${kind}:${url}`
  const known = st.parsed.get(key)
  if (known !== undefined && Date.now() < known.freshUntil) return known
  const stored = readEntry(await storeGet(st, key), kind, url)
  if (stored !== undefined && Date.now() < stored.freshUntil) {
    st.parsed.set(key, stored)
    return stored
  }
  const pending = st.inflight.get(key)
  if (pending !== undefined) {
    try {
      return await pending
    } catch {
      // Only an abort ends a refresh early: another check's abort must not end this one.
      ctx.signal?.throwIfAborted()
    }
  }
  const p = refresh(ctx, st, kind, url, key, stored ?? known, s).finally(() => {
    if (st.inflight.get(key) === p) st.inflight.delete(key)
  })
  st.inflight.set(key, p)
  return p
}
