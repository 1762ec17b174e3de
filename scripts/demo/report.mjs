// What the demo prints around the table: the key, the audio files, the site and its robots.txt,
// how the crawl verifies, and a summary. Plain text; lines stay within 80 columns, except the
// table, which takes up to 100.
import { formatCompact } from 'noai-tag'
import { decidingSignals, renderTable } from './table.mjs'
import { CRAWLER, USES } from './crawl.mjs'
import { mediaPath } from './tracks.mjs'

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

/** Where a track's audio came from. */
function sourceOf(t) {
  if (t.source === 'wav') return 'WAV made from code: 1 s sine, 16-bit PCM'
  if (t.source === 'flac') return 'FLAC made from code: the sine, verbatim frames'
  return `${t.format} from test/fixtures/audio/${t.source}`
}

/** What a track's embedded tag says (its readable `NOAI` line) and what the track shows. */
function tagLine(t) {
  if (t.jws === undefined) return `no tag at all`
  if (t.copyOf !== undefined) return `NOAI: ${t.readable}: track ${t.copyOf}'s signed tag, copied onto other audio`
  return `NOAI: ${t.readable} (signed, bound to its audio essence)`
}

/** Cuts a line to `width` columns. */
const fit = (line, width) => (line.length <= width ? line : `${line.slice(0, width - 1)}…`)

/** Section 1 and 2: the key and the audio files. */
export function describeSetup({ dir, key, origin, tracks }) {
  const lines = [
    `1. A throwaway Ed25519 key, kid ${key.kid}, in the temp dir`,
    `   ${dir}; issuer: ${origin} (the demo server)`,
    '',
    `2. ${tracks.length} audio files in ${new Set(tracks.map((t) => t.format)).size} containers, stamped with noai-tag/node:`,
  ]
  for (const t of tracks) {
    lines.push(`   ${t.n}. ${mediaPath(t)} (${sourceOf(t)})`)
    lines.push(`      ${tagLine(t)}`)
    if (t.note !== undefined) lines.push(`      ${t.note}`)
  }
  return lines.join('\n')
}

/** Section 3: the site, and its robots.txt with line numbers (the table cites them). */
export function describeSite({ origin, policy, robotsTxt }, width) {
  const lines = [
    `3. A small site on ${origin} (node:http, loopback only):`,
    '   /                         an index page linking the tracks',
    '   /tracks/<n>               track pages, the tag in their <head> (tagHtml)',
    '   /media/<file>             the audio, the tag in its headers (tagHeaders)',
    '   /.well-known/noai-tag/policy.json  the site policy (read by checkUrl too):',
    `        default: ${formatCompact(policy.default.usage)}`,
    ...policy.rules.map((r) => `        ${r.path}: ${formatCompact(r.usage)}`),
    '   /robots.txt, /.well-known/tdmrep.json  written from the policy (robotsTxtFor,',
    '                             tdmrepJsonFor), robots.txt with a group for GPTBot:',
  ]
  robotsTxt
    .trimEnd()
    .split('\n')
    .forEach((line, i) => lines.push(fit(`     ${String(i + 1).padStart(2)}  ${line}`.trimEnd(), width)))
  lines.push('   /.well-known/noai-tag/jwks.json  the key set (keySetDocument, keySetHeaders)')
  return lines.join('\n')
}

/** Section 4: how the crawl is made. */
export function describeCrawl({ origin }) {
  return [
    `4. checkUrl (noai-tag/crawl) on every page and media URL as "${CRAWLER}",`,
    `   for ${USES.join(' and ')}, then once as GPTBot. Signed tags are verified with`,
    '   the key set the site publishes, fetched by a key resolver made with',
    '   createKeyResolver({ allowHttpLoopback: true }): an explicit opt-in for tests',
    '   and demos, as an http issuer is otherwise refused. The demo issuer is trusted',
    `   (trust: ['${origin}']); audio bindings are checked.`,
  ].join('\n')
}

/** The table's rows: the URL once per group of checks, the agent named when it is not the crawler's. */
export function tableRows(checks) {
  let previous
  return checks.map((c) => {
    const label = c.path === previous ? '' : c.path
    previous = c.path
    const who = c.userAgent === CRAWLER ? [] : [`as ${c.userAgent.split('/')[0]}:`]
    const signals = decidingSignals(c.result)
    return { label, use: c.use, verdict: c.result.verdict, signals: who.length > 0 ? [`${who[0]} ${signals[0]}`, ...signals.slice(1)] : signals }
  })
}

/** The table itself. */
export function resultTable(checks, width) {
  return renderTable(tableRows(checks), width)
}

/** The closing lines. */
export function describeSummary({ checks, stats, ms }) {
  const count = (v) => checks.filter((c) => c.result.verdict === v).length
  return [
    `${checks.length} checks in ${(ms / 1000).toFixed(1)} s: ${count('deny')} deny, ${count('allow')} allow, ${count('unknown')} unknown.`,
    `${stats.requests} requests, ${kb(stats.bytes)} sent: site files fetched once, audio tags read by`,
    "Range requests (whole files only to check a signed tag's binding to the audio).",
    '',
    'deny: a statement that applies denies the use. Any deny wins, and a deny of a',
    '  narrower use (train-genai) answers the broader question (train-ai) too.',
    'allow: statements allow the use and none denies it.',
    "unknown: nothing that applies says either way; the crawler's default decides.",
    'INVALID: a signed tag that does not verify (here: copied from track 5 onto other',
    '  content). Its allows are ignored; its denies would still count.',
  ].join('\n')
}
