/**
 * What the upload service says about itself and its tracks: the site policy (robots.txt and
 * `/.well-known/noai-tag/policy.json` are written from it), the usage an upload may state, and the
 * HTML of the pages.
 */
import { USES, formatCompact, isUse, parseCompact, preferenceFor, resolvePreferences, type StatedPreference } from 'noai-tag'
import { tagHtml } from 'noai-tag/html'
import type { NoaiPolicy } from 'noai-tag/robots'
import { UploadError } from './stamp.js'
import type { TrackRecord } from './store.js'

/** A usage map, as a tag states it. */
export type Usage = Readonly<Record<string, StatedPreference>>

/**
 * The site policy: `siteUsage` for every path (docs/spec.md §11.4.1). It is the floor every
 * track stands on: any deny wins (docs/spec.md §6.2), so a track's tag can add denies but its
 * allows cannot undo the site's denies.
 *
 * @example
 * ```ts
 * const policy = sitePolicy('https://upload.example', { 'train-ai': 'denied', search: 'allowed' }, '2026-11-26T00:00:00Z')
 * ```
 */
export function sitePolicy(origin: string, siteUsage: Usage, updated: string): NoaiPolicy {
  return { version: 1, issuer: origin, default: { usage: { ...siteUsage } }, updated }
}

/**
 * The usage of an upload: the form field `usage` in the compact form (`train-ai=n, search=y`,
 * docs/spec.md §8), or the site's usage when the field is absent or empty.
 *
 * @throws UploadError 400 when the field is not a compact form of known uses; 422 when it allows a
 *   use the site policy denies (the tag would promise what robots.txt takes back).
 * @example
 * ```ts
 * uploadUsage('train-ai=n, search=n', { 'train-ai': 'denied', search: 'allowed' }) // { 'train-ai': 'denied', search: 'denied' }
 * ```
 */
export function uploadUsage(field: unknown, siteUsage: Usage): Usage {
  if (field === undefined || field === '') return siteUsage
  if (typeof field !== 'string') throw new UploadError(400, 'bad-usage', 'the usage field must be given once, as text')
  const parsed = parseCompact(field)
  if (!parsed.ok) throw new UploadError(400, 'bad-usage', `usage is not a compact form such as "train-ai=n, search=y": ${parsed.error}`)
  const unknown = Object.keys(parsed.usage).filter((k) => !isUse(k))
  if (parsed.ignored.length > 0 || unknown.length > 0 || Object.keys(parsed.usage).length === 0) {
    const what = [...parsed.ignored.map((i) => `${i.key} (${i.reason})`), ...unknown.map((k) => `${k} (not a use of the standard)`)]
    throw new UploadError(400, 'bad-usage', `usage must state y or n for uses of the standard (${USES.join(', ')})${what.length > 0 ? `; not taken: ${what.join(', ')}` : ''}`)
  }
  const site = resolvePreferences(siteUsage)
  const asked = resolvePreferences(parsed.usage)
  const conflicts = USES.filter((u) => preferenceFor(site, u) === 'denied' && preferenceFor(asked, u) === 'allowed')
  if (conflicts.length > 0) {
    throw new UploadError(422, 'usage-conflicts-with-site-policy', `this site denies ${conflicts.join(', ')} for every track (robots.txt, policy.json); a track cannot allow it`)
  }
  return parsed.usage
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

function page(title: string, head: string, body: string): string {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escape(title)}</title>\n${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`
}

/**
 * The track page: in its head, the tag for the page itself (with the page-level meta elements)
 * and, with `data-noai-for`, for the player's audio (docs/spec.md §11.2.2).
 *
 * @example
 * ```ts
 * res.type('html').send(trackPage(record))
 * ```
 */
export function trackPage(record: TrackRecord): string {
  const media = `/media/${record.file}`
  const head = `${tagHtml(record.tag, { jws: record.jws })}\n${tagHtml(record.tag, { jws: record.jws, for: media })}`
  const body = `<h1>${escape(record.title)}</h1>\n<audio controls src="${media}"></audio>\n<p>AI usage: <code>${escape(record.readable)}</code></p>\n<p><a href="/">Upload another track</a></p>`
  return page(record.title, head, body)
}

/**
 * The home page: an upload form (the same request a script sends with `curl -F track=@song.flac`).
 *
 * @example
 * ```ts
 * res.type('html').send(homePage({ 'train-ai': 'denied', search: 'allowed' }, 200 * 2 ** 20))
 * ```
 */
export function homePage(siteUsage: Usage, maxUploadBytes: number): string {
  const compact = formatCompact(siteUsage)
  const body = `<h1>Upload a track</h1>
<form method="post" action="/upload" enctype="multipart/form-data">
<p><input type="file" name="track" accept="audio/*" required> (MP3, FLAC, Ogg, M4A, WAV or AIFF, at most ${Math.floor(maxUploadBytes / 2 ** 20)} MiB)</p>
<p><label>AI usage (compact form, optional): <input name="usage" placeholder="${escape(compact)}"></label></p>
<p><button>Upload</button></p>
</form>`
  return page('Upload a track', '', body)
}
