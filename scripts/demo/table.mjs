// The demo's result table: URL, use, verdict and the signals that decided it, short enough for an
// 80-100 column terminal: URLs as paths (the origin is printed once), long ones cut in the middle,
// the signals column wrapped between signals, then between words.
import { findMapping, formatCompact } from 'noai-tag'

/** Carriers whose tokens are the NoAI vocabulary written out (`train-ai=denied`): shown in compact form. */
const OURS = new Set(['noai-tag'])

/**
 * Whether a token bears on the question: the use it maps to (docs/spec.md §7.2) is one of the uses
 * the reason stated about it (`search=y` says nothing about train-ai).
 */
function bears(r, t) {
  if (OURS.has(r.signal)) return r.uses.includes(t.token)
  const m = findMapping(r.signal, t.token)
  return m === undefined || r.uses.includes(m.denies) || r.uses.includes(m.allows)
}

/** The tokens of a reason that bear on the use asked about, as written (all of them if none does). */
function tokensText(r) {
  const read = r.tokens.filter((t) => t.read !== 'ignored')
  const bearing = read.filter((t) => bears(r, t))
  const shown = bearing.length > 0 ? bearing : read
  if (OURS.has(r.signal)) return formatCompact(Object.fromEntries(shown.map((t) => [t.token, t.value])))
  if (r.signal === 'robots-meta') return shown.map((t) => t.token).join(',')
  return shown.map((t) => (t.token === 'Disallow' ? `Disallow ${t.value}` : `${t.token}=${t.value}`)).join(', ')
}

/** What verification gave, for signed tags. */
function verificationOf(r) {
  const v = r.verification
  if (v === undefined) return ''
  if (v.state === 'trusted') return ' (trusted)'
  if (v.state === 'valid') return ' (valid, issuer not trusted)'
  if (v.state === 'not-verified') return ' (not verified)'
  return ` (INVALID: ${v.codes.join(', ')})`
}

/** `name tokens`, or just the tokens when they start with the name (`tdm-reservation=1`). */
const named = (name, tokens) => (tokens.startsWith(name) ? tokens : `${name} ${tokens}`)

/** The rule path of a site policy statement (its source text is the statement's JSON). */
function policyPath(s) {
  try {
    return JSON.parse(s.text).path ?? s.name
  } catch {
    return s.name
  }
}

/** One reason as a carrier group and a short text: `{ group: 'robots.txt', text: ':5 Content-Usage train-ai=n' }`. */
export function describeReason(r) {
  const s = r.source
  const tokens = tokensText(r)
  const signed = verificationOf(r)
  switch (s.kind) {
    case 'robots.txt':
      return { group: 'robots.txt', text: `:${s.line ?? '?'} ${s.name === 'Disallow' ? tokens : named(s.name, tokens)}` }
    case 'policy':
      return { group: 'policy.json', text: `${policyPath(s)} ${tokens}` }
    case 'http-header':
      return { group: 'header', text: `${named(s.name, tokens)}${signed}` }
    case 'html':
      return { group: 'html', text: s.name.startsWith('application/noai-tag') ? `noai-tag ${tokens}${signed}` : `meta ${named(s.name, tokens)}` }
    case 'audio':
      return { group: 'audio', text: `${s.name} ${tokens}${signed}` }
    default:
      return { group: s.kind, text: `${tokens}${signed}` }
  }
}

/** Reasons grouped by carrier, in order of appearance: `robots.txt:4 ..., :7 ...`, `header ..., ...`. */
function grouped(reasons) {
  const groups = new Map()
  for (const r of reasons) {
    const { group, text } = describeReason(r)
    if (!groups.has(group)) groups.set(group, [])
    groups.get(group).push(text)
  }
  return [...groups].map(([group, texts]) => `${group}${texts[0].startsWith(':') ? '' : ' '}${texts.join(', ')}`)
}

/**
 * The signals column: the decisive statements grouped by carrier, then any signed tag that failed
 * verification (it decided nothing, which is the point), then what else matters.
 */
export function decidingSignals(result) {
  const invalid = result.reasons.filter((r) => !r.decisive && r.status === 'applied' && r.verification?.state === 'invalid')
  const parts = grouped([...result.reasons.filter((r) => r.decisive), ...invalid])
  if (result.decidedBeforeFetching) parts.push('not fetched')
  if (result.error !== undefined) parts.push(`error: ${result.error.message}`)
  if (parts.length === 0) parts.push(`no statement about ${result.use}`)
  return parts
}

/** Cuts text to `width` characters, keeping both ends (`/media/pri…ight-bus.mp3`). */
export function truncateMiddle(text, width) {
  if (text.length <= width) return text
  const head = Math.ceil((width - 1) / 2)
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`
}

/**
 * Wraps parts joined by "; " into lines of at most `width`: a part goes whole onto the current line
 * when it fits, else it starts a new line and wraps at spaces (a word longer than a line is cut).
 */
export function wrapParts(parts, width) {
  const lines = []
  let line = ''
  const add = (word) => {
    if (line === '') line = word
    else if (line.length + 1 + word.length <= width) line += ` ${word}`
    else {
      lines.push(line)
      line = word
    }
    while (line.length > width) {
      lines.push(line.slice(0, width))
      line = line.slice(width)
    }
  }
  parts.forEach((part, i) => {
    const text = i < parts.length - 1 ? `${part};` : part
    if (line !== '' && line.length + 1 + text.length <= width) return void (line += ` ${text}`)
    if (line !== '') lines.push(line)
    line = ''
    for (const word of text.split(' ')) add(word)
  })
  if (line !== '') lines.push(line)
  return lines
}

/** Column widths for a terminal of `width` columns. */
function columnsFor(width, rows) {
  const url = Math.min(Math.max(...rows.map((r) => r.label.length), 3), width >= 96 ? 28 : 20)
  const use = Math.max(...rows.map((r) => r.use.length), 3)
  const verdict = 7
  return { url, use, verdict, signals: width - url - use - verdict - 6 }
}

/**
 * Renders the table.
 * @param {{ label: string, use: string, verdict: string, signals: string[] }[]} rows  `label`: the URL (a path) or '' to repeat the previous one
 * @param {number} width  terminal columns
 * @returns {string}
 */
export function renderTable(rows, width) {
  const c = columnsFor(width, rows)
  const pad = (s, n) => s + ' '.repeat(Math.max(0, n - s.length))
  const head = `${pad('URL', c.url)}  ${pad('use', c.use)}  ${pad('verdict', c.verdict)}  deciding signals`
  const out = [head, '-'.repeat(Math.min(width, head.length + c.signals - 'deciding signals'.length))]
  for (const r of rows) {
    const lines = wrapParts(r.signals, c.signals)
    lines.forEach((line, i) => {
      const left = i === 0 ? `${pad(truncateMiddle(r.label, c.url), c.url)}  ${pad(r.use, c.use)}  ${pad(r.verdict, c.verdict)}` : ' '.repeat(c.url + c.use + c.verdict + 4)
      out.push(`${left}  ${line}`.trimEnd())
    })
  }
  return out.join('\n')
}

