/**
 * Reading the tag embedded in an audio response by HTTP Range requests (docs/spec.md §10, §11.6):
 * only the metadata regions are transferred when the server answers Range requests. The audio code
 * is loaded only here. Hashing the essence to check a signed tag's binding needs the whole audio
 * payload, so it is done only when the caller asks (`verifyAudioBinding`).
 *
 * @internal
 * @module
 */
import type { FoundSignal } from '../signals/types.js'
import { READ_ENOUGH, releasing, send, type HttpContext } from './_http.js'

/** Settings of the audio step. @internal */
export interface AudioSettings {
  readonly maxBytes: number
  readonly maxRequests: number
  readonly hashEssence: boolean
}

/** What the audio step found. @internal */
export interface AudioView {
  readonly signals: FoundSignal[]
  readonly notes: string[]
  readonly essence?: { readonly format: string; readonly sha256: string }
}

const AUDIO_EXTENSIONS = /\.(?:mp3|flac|ogg|oga|opus|m4a|m4b|aac|wav|wave|bwf|rf64|aif|aiff|aifc)$/i
const PLAYLISTS = new Set(['audio/mpegurl', 'audio/x-mpegurl', 'audio/x-scpls'])
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/**
 * Whether a URL names audio by its extension: the first request for it then asks for its first
 * 64 KiB only (`Range`), since its header fields are all that request is for. @internal
 */
export function audioByExtension(url: URL): boolean {
  return AUDIO_EXTENSIONS.test(url.pathname)
}

/** The `Range` of the first request for a URL that names audio: the header fields come with it. @internal */
export const FIRST_RANGE = 'bytes=0-65535'

/** Whether a response is audio: its media type, or a generic type and an audio file extension. @internal */
export function isAudio(contentType: string | null, url: string): boolean {
  const essence = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (essence.startsWith('audio/')) return !PLAYLISTS.has(essence)
  if (essence !== '' && essence !== 'application/octet-stream' && essence !== 'binary/octet-stream') return false
  return AUDIO_EXTENSIONS.test(new URL(url).pathname)
}

/** A fetch for the Range byte source that goes through the crawler's request layer (slots, deadline, User-Agent). */
function rangeFetch(ctx: HttpContext): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers: Record<string, string> = {}
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v))
    // Redirects were followed (and checked against robots.txt) already: none is followed here.
    const res = await send(ctx, String(input instanceof Request ? input.url : input), headers)
    if (res.body === null || NULL_BODY.has(res.status)) {
      res.body?.cancel(READ_ENOUGH).catch(() => undefined)
      res.release()
      return new Response(null, { status: res.status, headers: res.headers })
    }
    return new Response(releasing(res.body, res.release), { status: res.status, headers: res.headers })
  }) as typeof fetch
}

/** Reads the embedded tag of the audio at `url`. Only the caller's abort is thrown. @internal */
export async function audioView(ctx: HttpContext, url: string, s: AudioSettings): Promise<AudioView> {
  const notes: string[] = []
  try {
    const { fromUrl, readAudioTag, audioEssence } = await import('./_audio-code.js')
    const source = await fromUrl(url, { fetch: rangeFetch(ctx), maxBytes: s.maxBytes, maxRequests: s.maxRequests, ...(ctx.signal ? { signal: ctx.signal } : {}) })
    const report = await readAudioTag(source, ctx.signal ? { signal: ctx.signal } : {})
    const signals = report.signals.map((x): FoundSignal => ({ ...x, source: { ...x.source, url } }))
    for (const w of report.warnings) notes.push(`embedded tag: ${w}`)
    if (!source.ranged) notes.push(`${url} does not answer Range requests: the whole file was downloaded to read its tag`)
    if (!s.hashEssence || !report.signed) return { signals, notes }
    const essence = await audioEssence(source, ctx.signal ? { signal: ctx.signal } : {})
    return { signals, notes, essence }
  } catch (e) {
    ctx.signal?.throwIfAborted()
    notes.push(`embedded tag not read: ${e instanceof Error ? e.message : String(e)}; the header fields' answer is kept`)
    return { signals: [], notes }
  }
}
