// Fuzz target rsl: parseRsl and rslSignals on mutated and generated RSL 1.0 licence documents
// (elements, prefixes and namespaces, attributes, entities, CDATA, comments, DOCTYPEs, nesting past
// the depth limit). Properties: a value or a library error in bounded time; the result survives
// JSON; rslSignals gives statements (or refuses a URL) and invents none (every stated token occurs
// in the document unless it has character or entity references).
import fc from 'fast-check'
import { parseRsl, rslSignals } from '../../src/robots.js'
import { mutateText, type Rng } from '../_mutate.js'
import { corpus, webBodies } from '../_seeds.js'
import { call, defineTarget, textCodec } from '../_target.js'
import { checkJsonSafe, checkSignals, sitePaths } from './_site-json.js'

const DICT = [
  '<rsl xmlns="https://rslstandard.org/rsl">', '</rsl>', '<content url="/*">', '<content url="https://site.example/a/*" server="https://l.example">', '</content>', '<license>', '</license>',
  '<permits type="usage">', '<permits>', '</permits>', '<prohibits type="usage">', '</prohibits>', '<permits type="geo">', '<payment type="free"/>', '<amount currency="USD">1</amount>',
  'ai-train', 'ai-input', 'ai-all', 'ai-index', 'search', 'all', ' ', ',', '&amp;', '&lt;', '&#x41;', '&#0;', '&bogus;', '&', '<![CDATA[ai-train]]>', '<!-- x -->', '<?pi x?>',
  '<!DOCTYPE rsl [<!ENTITY a "ai-train">]>', '&a;', 'xmlns:r="https://rslstandard.org/rsl"', '<r:content url="/">', 'xmlns="https://other.example"', '<x>', '</x>', '"', "'", '<', '>', '/>',
]

export function checkRsl(text: string): void {
  const parsed = call('parseRsl', () => parseRsl(text, { url: 'https://site.example/license.rsl' }))
  if (!parsed.ok) return
  checkJsonSafe('parseRsl', parsed.value)
  // An element's text is its text content: markup inside it (`sea<p/>rch`) is not part of a token.
  // The reader joins an element's own text nodes (`ai-<amount>1</amount>train` reads `ai-train`): so also the
  // text with the leaf elements and their text removed (one pass: more would remove the element read).
  const leafless = text.replace(/<([A-Za-z][\w:.-]*)\b[^<>]*>[^<]*<\/\1\s*>|<[A-Za-z][\w:.-]*\b[^<>]*\/>/g, '')
  const content = `${text}\n${text.replace(/<[^>]*>/g, '')}\n${leafless.replace(/<[^>]*>/g, '')}`
  checkSignals('rslSignals', content, sitePaths(parsed.value.contents.map((c) => c.url)), (url) => rslSignals(parsed.value, url), /&/.test(text))
}

const TOKENS = fc.tuple(fc.array(fc.constantFrom('ai-train', 'ai-input', 'ai-all', 'search', 'all', 'ai-index', 'x', 'AI-TRAIN'), { maxLength: 4 }), fc.constantFrom(' ', ', ', ',', '\n  ')).map(([t, sep]) => t.join(sep))
const TERMS = fc.tuple(fc.constantFrom('permits', 'prohibits'), fc.constantFrom('usage', 'user', 'geo', 'USAGE', ''), TOKENS).map(([k, type, t]) => `<${k}${type === '' ? '' : ` type="${type}"`}>${t}</${k}>`)
const LICENSE = fc.array(TERMS, { maxLength: 4 }).map((ts) => `<license>${ts.join('')}</license>`)
const CONTENT = fc.tuple(fc.constantFrom('/', '/*', '/music/*.mp3$', 'https://site.example/a/', '*', ''), fc.boolean(), fc.array(LICENSE, { maxLength: 3 })).map(([url, server, ls]) => `<content url="${url}"${server ? ' server="https://l.example"' : ''}>${ls.join('')}</content>`)
export const RSL_DOC = fc.tuple(fc.array(CONTENT, { maxLength: 5 }), fc.constantFrom('', 'r')).map(([cs, prefix]) => {
  const body = `<rsl xmlns="https://rslstandard.org/rsl">${cs.join('\n')}</rsl>`
  return prefix === '' ? body : body.replace(/<(\/?)(\w)/g, `<$1${prefix}:$2`).replace('xmlns=', `xmlns:${prefix}=`)
})

export default defineTarget<string>({
  name: 'rsl',
  about: 'RSL licence documents: parseRsl and rslSignals on mutated and generated XML',
  codec: textCodec,
  ext: '.xml',
  shrink: 'text',
  async load() {
    const seeds = [...new Set([...webBodies((r) => /rsl|xml/.test(r.headers['content-type'] ?? '')), ...corpus('rsl')])]
    return { seeds, mutate: (r: Rng) => mutateText(r.pick(seeds), r, DICT, seeds), arbitrary: RSL_DOC, check: checkRsl }
  },
})
