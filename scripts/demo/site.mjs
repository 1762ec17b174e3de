// Builds the demo site, the way a platform's upload pipeline would, with the built package's public
// subpaths only: stamp each audio file with a signed tag bound to its essence (noai-tag/node,
// noai-tag/sign), serve it with the matching header fields (noai-tag/http) on a page that carries
// the tag in its head (noai-tag/html), and publish robots.txt, tdmrep.json, the site policy
// (noai-tag/robots) and the key set (noai-tag/sign).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { tagHtml } from 'noai-tag/html'
import { tagHeaders } from 'noai-tag/http'
import { audioFileEssence, readAudioFile, writeAudioFile } from 'noai-tag/node'
import { AI_CRAWLERS, SITE_PATHS, robotsTxtFor, tdmrepJsonFor, wellKnownHeaders } from 'noai-tag/robots'
import { keySetDocument, keySetHeaders, signTag } from 'noai-tag/sign'
import { WELL_KNOWN } from 'noai-tag'
import { sineFlac, sineWav } from './audio-files.mjs'
import { FIXTURES, TRACKS, mediaPath, pagePath, sitePolicy } from './tracks.mjs'

/** Writes a track's audio into `dir`: made from code (WAV, FLAC) or copied from a committed fixture. */
async function makeAudio(t, dir, root) {
  const file = path.join(dir, t.file)
  if (t.source === 'wav') await writeFile(file, sineWav())
  else if (t.source === 'flac') await writeFile(file, sineFlac())
  else await copyFile(path.join(root, FIXTURES, t.source), file)
  return file
}

/** The tag of a track: bound to its audio essence and to its page and media URLs (docs/spec.md §4.3). */
function tagOf(t, essence, origin, issued) {
  return {
    version: 1,
    issuer: origin,
    subject: { essence: [essence], urls: [origin + pagePath(t), origin + mediaPath(t)] },
    usage: t.usage,
    issued,
  }
}

/** Stamps every track; a copied track gets the other track's signed tag as is (a forgery). */
async function stampTracks(ctx) {
  const { dir, root, origin, key, issued } = ctx
  const out = []
  for (const t of TRACKS) {
    const file = await makeAudio(t, dir, root)
    const essence = await audioFileEssence(file)
    let tag
    let jws
    if (t.usage !== undefined) {
      tag = tagOf(t, essence, origin, issued)
      jws = await signTag(tag, key.privateJwk)
    } else if (t.copyOf !== undefined) {
      ;({ tag, jws } = out.find((o) => o.n === t.copyOf))
    }
    if (jws !== undefined) await writeAudioFile(file, { jws })
    // Stamping writes metadata only: the essence the tag is bound to must not have changed.
    const after = await audioFileEssence(file)
    if (after.sha256 !== essence.sha256) throw new Error(`stamping ${t.file} changed its audio essence`)
    const report = await readAudioFile(file)
    out.push({ ...t, stored: file, essence, tag, jws, readable: report.readable, bytes: await readFile(file) })
  }
  return out
}

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])

function page(title, head, body) {
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escape(title)}</title>\n${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`
}

/**
 * The head elements of a track page: the tag for the page itself and, with `data-noai-for`, for the
 * embedded player's file. A copied tag is pasted as the signed element and its readable line only.
 */
function trackHead(t) {
  if (t.jws === undefined) return ''
  const media = mediaPath(t)
  const own = t.copyOf === undefined ? {} : { tdm: false, robotsMeta: false }
  return `${tagHtml(t.tag, { jws: t.jws, ...own })}\n${tagHtml(t.tag, { jws: t.jws, for: media })}`
}

function trackPage(t) {
  const body = `<h1>${escape(t.title)}</h1>\n<audio controls src="${mediaPath(t)}"></audio>\n<p>${escape(t.story)}.</p>\n<p><a href="/">All tracks</a></p>`
  return page(t.title, trackHead(t), body)
}

function indexPage(tracks) {
  const items = tracks.map((t) => `<li><a href="${pagePath(t)}">${escape(t.title)}</a> (${t.format}): ${escape(t.story)}</li>`)
  return page('noai-tag demo', '', `<h1>noai-tag demo</h1>\n<ul>\n${items.join('\n')}\n</ul>`)
}

/** The media headers: the tag's fields; a copied tag only as `NoAI-Tag` and `NoAI-Tag-JWS`. */
function mediaHeaders(t) {
  const type = { 'Content-Type': t.type }
  if (t.jws === undefined) return type
  const own = t.copyOf === undefined ? {} : { contentUsage: false, tdm: false, xRobots: false }
  return { ...type, ...tagHeaders(t.tag, { jws: t.jws, ...own }) }
}

/**
 * The AI training crawlers robots.txt keeps out of the private paths: three, so that the file is
 * short enough to print. A real site leaves `crawlers` out and gets the whole maintained list.
 */
const BLOCKED_CRAWLERS = AI_CRAWLERS.filter((c) => ['GPTBot', 'ClaudeBot', 'CCBot'].includes(c.token))

/** The routes: pages, media, robots.txt and the well-known files. */
function routesOf(tracks, policy, key) {
  const html = { 'Content-Type': 'text/html; charset=utf-8' }
  const routes = new Map([['/', { headers: html, body: indexPage(tracks) }]])
  for (const t of tracks) {
    routes.set(pagePath(t), { headers: html, body: trackPage(t) })
    routes.set(mediaPath(t), { headers: mediaHeaders(t), body: t.bytes, ranged: true })
  }
  const robotsTxt = robotsTxtFor(policy, { blockAiCrawlers: true, crawlers: BLOCKED_CRAWLERS })
  routes.set(SITE_PATHS.robotsTxt, { headers: wellKnownHeaders('robots.txt'), body: robotsTxt })
  routes.set(SITE_PATHS.tdmrep, { headers: wellKnownHeaders('tdmrep.json'), body: JSON.stringify(tdmrepJsonFor(policy), null, 2) })
  routes.set(SITE_PATHS.policy, { headers: wellKnownHeaders('policy'), body: JSON.stringify(policy, null, 2) })
  routes.set(WELL_KNOWN.keys, { headers: keySetHeaders(), body: JSON.stringify(keySetDocument([key.publicJwk]), null, 2) })
  return { routes, robotsTxt }
}

/**
 * Builds the site in `dir` for the server at `origin`.
 * @param {{ dir: string, root: string, origin: string, key: { privateJwk: JsonWebKey, publicJwk: JsonWebKey & { kid: string } }, issued: string }} ctx
 */
export async function buildSite(ctx) {
  const mediaDir = path.join(ctx.dir, 'media')
  await mkdir(mediaDir)
  const tracks = await stampTracks({ ...ctx, dir: mediaDir })
  const policy = sitePolicy(ctx.origin, ctx.issued)
  const { routes, robotsTxt } = routesOf(tracks, policy, ctx.key)
  return { tracks, routes, robotsTxt, policy }
}
