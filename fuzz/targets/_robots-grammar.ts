// The robots.txt grammar targets (robots-txt and ai-txt, fuzz/targets/<name>.ts): mutated files,
// edited line by line and character by character with the fields the parser knows, go through the
// parser and then through the signals function for URLs taken from the file's own patterns.
// Properties:
//   - parsing never throws for a string and ends in bounded time; the result survives
//     JSON.stringify/JSON.parse unchanged (it is meant to be cached);
//   - the signals function gives statements (or a library error for a URL it refuses);
//   - no invented statement: every stated token (or, for a rule, its pattern) occurs in the file.
import fc from 'fast-check'
import type { RobotsTxt } from '../../src/robots.js'
import type { FoundSignal } from '../../src/signals/types.js'
import { mutateText, type Rng } from '../_mutate.js'
import { call, checkNotInvented, deepEqual, defineTarget, fail, show, textCodec, type Target } from '../_target.js'

export const ROBOTS_DICT = [
  'User-agent: *\n', 'User-agent: GPTBot\n', 'user-agent:', 'Disallow: /\n', 'Disallow:', 'Allow: /', 'Allow:', 'Dissallow: /', 'Content-Usage: train-ai=n\n', 'Content-Usage: /a/ ', 'Content-Signal: ai-train=no\n',
  'Content-Signal:', 'Crawl-delay: 1e9\n', 'Sitemap: https://x.example/s.xml\n', 'License: https://x.example/l.xml\n', '*', '$', '/*', '%2F', '%', '%zz', '%E2%82%AC', '#', ':', '\n', '\r', '\r\n', '\t', ' ',
  'search=y', 'all=n', 'ai-input=no', 'yes', 'no', ',', ';', '=',
]

/** URLs on the file's origin to ask about: paths made from the file's own patterns, and a few fixed ones. */
export function urlsFor(text: string, origin: string): string[] {
  const out = new Set(['/', '/a', '/music/a.mp3', '/%7Euser/x', '/\u00e9t\u00e9/', '/private/x?q=1', '/a$b'])
  // Line by line, each line cut short: a multi-line regex with `^\s*` backtracks quadratically over
  // a file of blank lines (it did, and the watchdog reported the harness as a hang).
  const re = /^[ \t]*(?:allow|disallow|dis\w{0,12}|content-usage)[ \t]*:[ \t]*(\/\S*)/i
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (out.size >= 12) break
    const m = re.exec(line.slice(0, 2048))
    if (m) out.add(m[1]!.replace(/\*/g, 'x').replace(/\$$/, ''))
  }
  return [...out].slice(0, 12).map((p, i) => (i % 2 === 0 ? origin + p : p))
}

export interface GrammarSpec {
  readonly name: string
  readonly about: string
  readonly parse: (text: string, options: { url?: string; maxBytes?: number }) => RobotsTxt
  readonly signals: (parsed: RobotsTxt, url: string, userAgent: string) => FoundSignal[]
  readonly seeds: () => string[]
}

const AGENTS = ['ExampleBot/1.0', 'GPTBot', 'googlebot', 'AI2Bot', 'CCBot', '*']

export function checkGrammar(spec: GrammarSpec, text: string): void {
  const maxBytes = text.length % 11 === 0 ? 1 + (text.length % 300) : undefined
  const parsed = call('parse', () => spec.parse(text, { url: 'https://site.example/robots.txt', ...(maxBytes !== undefined ? { maxBytes } : {}) }))
  if (!parsed.ok) fail('parse', `threw ${parsed.error.code} for a string: ${parsed.error.message}`)
  const robots = parsed.value
  if (!deepEqual(JSON.parse(JSON.stringify(robots)), robots)) fail('parse', 'the result does not survive JSON.stringify/JSON.parse')
  const urls = urlsFor(text, 'https://site.example')
  urls.forEach((url, i) => {
    const agent = AGENTS[(text.length + i) % AGENTS.length]!
    const s = call('signals', () => spec.signals(robots, url, agent))
    if (!s.ok) {
      if (s.error.code !== 'ERR_NOAI_INVALID_ARGUMENT') fail('signals', `threw ${s.error.code} for ${show(url)}: ${s.error.message}`)
      return
    }
    checkNotInvented('signals', s.value, text, false)
  })
}

const LINE = fc.oneof(
  fc.tuple(fc.constantFrom('User-agent', 'user-agent', 'Allow', 'Disallow', 'Content-Usage', 'Content-Signal', 'Crawl-delay', 'Sitemap', 'License', 'Dissallow', 'x'), fc.constantFrom(':', ' :', ': '), fc.oneof(fc.constantFrom('*', '/', '/a*', '/a$', '/music/ train-ai=n', 'train-ai=n, search=y', 'ai-train=no, search=yes', 'GPTBot', '', '1'), fc.string({ maxLength: 16 }))).map(([f, c, v]) => f + c + v),
  fc.constantFrom('', '# comment', '   '),
)
export const ROBOTS_FILE = fc.tuple(fc.array(LINE, { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, eol]) => ls.join(eol))

export function grammarTarget(spec: GrammarSpec): Target<string> {
  return defineTarget<string>({
    name: spec.name,
    about: spec.about,
    codec: textCodec,
    ext: '.txt',
    shrink: 'text',
    async load() {
      const seeds = [...new Set(spec.seeds())]
      return {
        seeds,
        mutate: (r: Rng) => mutateText(r.pick(seeds), r, ROBOTS_DICT, seeds),
        arbitrary: ROBOTS_FILE,
        check: (text: string) => checkGrammar(spec, text),
      }
    },
  })
}
