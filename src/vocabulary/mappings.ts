/**
 * The normative mapping table between the NoAI Tag vocabulary and every other AI-usage signal
 * (docs/spec.md §7). The table in the spec is generated from this data (test/_spec-tables.ts),
 * and the readers and writers of every carrier look their tokens up here, so the two cannot drift.
 *
 * Reading rules (docs/spec.md §7.1): a deny is read with the widest meaning the token ever had, an
 * allow with the narrowest; where no use of ours is narrow enough for an allow, the allow is not
 * mapped (it stays unknown). Writing: see `writeTokens` (docs/spec.md §7.1, writing rules 1-3).
 *
 * @module
 */
import type { Use } from './uses.js'

/** The signals the table covers. */
export type SignalId =
  | 'noai-tag'
  | 'aipref'
  | 'aipref-legacy'
  | 'content-signals'
  | 'tdmrep'
  | 'robots-meta'
  | 'robots-txt'
  | 'ai-txt'
  | 'iptc-plus'
  | 'c2pa'
  | 'cawg'
  | 'rsl'
  | 'bing'

/** One row of the mapping table. */
export interface SignalMapping {
  /** Which standard or convention. */
  readonly signal: SignalId
  /** The token as that standard writes it. */
  readonly token: string
  /** Where it appears and how a deny/allow is written there. */
  readonly form: string
  /** A deny of the token (or its presence, for deny-only tokens) is read as a deny of this use. */
  readonly denies: Use | null
  /** An allow of the token is read as an allow of this use; `null`: an allow is not mapped. */
  readonly allows: Use | null
  /** When a writer emits the token, its value is the answer for this use; `null`: never emitted. */
  readonly writtenFrom: Use | null
  /** What is lost in the mapping, or an empty string when nothing is. */
  readonly loss: string
}

const row = (
  signal: SignalId,
  token: string,
  form: string,
  denies: Use | null,
  allows: Use | null,
  writtenFrom: Use | null,
  loss = '',
): SignalMapping => ({ signal, token, form, denies, allows, writtenFrom, loss })

/**
 * The mapping table (docs/spec.md §7.2). Rows are grouped by signal; within a signal a token
 * appears once.
 *
 * @example
 * ```ts
 * import { MAPPING_TABLE } from 'noai-tag'
 * MAPPING_TABLE.find((r) => r.signal === 'content-signals' && r.token === 'ai-train')?.denies // 'train-ai'
 * ```
 */
export const MAPPING_TABLE: readonly SignalMapping[] = [
  // Our own compact form: identity.
  row('noai-tag', 'all', 'NoAI-Tag / readable line: all=n|y', 'all', 'all', 'all'),
  row('noai-tag', 'search', 'search=n|y', 'search', 'search', 'search'),
  row('noai-tag', 'tdm', 'tdm=n|y', 'tdm', 'tdm', 'tdm'),
  row('noai-tag', 'ai', 'ai=n|y', 'ai', 'ai', 'ai'),
  row('noai-tag', 'train-ai', 'train-ai=n|y', 'train-ai', 'train-ai', 'train-ai'),
  row('noai-tag', 'train-genai', 'train-genai=n|y', 'train-genai', 'train-genai', 'train-genai'),
  row('noai-tag', 'ai-input', 'ai-input=n|y', 'ai-input', 'ai-input', 'ai-input'),

  // IETF aipref, current vocabulary (draft-ietf-aipref-vocab-07/-08).
  row('aipref', 'train-ai', 'Content-Usage: train-ai=n|y', 'train-ai', 'train-genai', 'train-genai',
    'Since -07 train-ai means generative training only; in -02/-03 it meant all AI training. A deny is read as all AI training (widest meaning), an allow as generative training only (narrowest). Written from train-genai, its current meaning.'),
  row('aipref', 'search', 'Content-Usage: search=n|y', 'search', 'search', 'search',
    'aipref search also allows AI processing whose output serves search only; that extra allowance is not carried into train-ai or ai-input.'),

  // aipref labels of earlier revisions: read aliases only, never written.
  row('aipref-legacy', 'tdm', '-01: tdm=n|y', 'all', 'tdm', null,
    '-01 placed search under tdm, so a deny is read as all (search included, its widest meaning) and an allow as tdm without search. `tdm=n, search=y` still allows search (docs/spec.md §6.1).'),
  row('aipref-legacy', 'ai', '-01: ai=n|y (AI training)', 'ai', 'train-ai', null,
    'Meant AI training in -01; a deny is read as all AI uses (widest reading of the label), an allow as AI training only.'),
  row('aipref-legacy', 'genai', '-01: genai=n|y', 'train-genai', 'train-genai', null),
  row('aipref-legacy', 'inference', '-01: inference=n|y', 'ai-input', 'ai-input', null),
  row('aipref-legacy', 'all', '-02: all=n|y', 'all', 'all', null),
  row('aipref-legacy', 'train-genai', '-02/-03: train-genai=n|y', 'train-genai', 'train-genai', null),
  row('aipref-legacy', 'ai-use', '-02: ai-use=n|y', 'ai-input', 'ai-input', null, 'Removed in -03 for lack of consensus; read as AI input at inference time.'),
  row('aipref-legacy', 'bots', '-03/-04: bots=n|y', 'all', 'all', null, 'Automated processing of any kind.'),
  row('aipref-legacy', 'ai-output', '-04: ai-output=n|y', 'ai-input', 'ai-input', null, 'Use in generating AI outputs; read as AI input at inference time.'),

  // Cloudflare Content Signals (robots.txt Content-Signal line, also seen as an HTTP header).
  row('content-signals', 'ai-train', 'Content-Signal: ai-train=no|yes', 'train-ai', 'train-ai', 'train-ai',
    'Written as no when any AI training is denied, including generative-only: a generative-only deny is widened.'),
  row('content-signals', 'ai-input', 'Content-Signal: ai-input=no|yes', 'ai-input', 'ai-input', 'ai-input',
    'Includes AI summaries shown in search results.'),
  row('content-signals', 'search', 'Content-Signal: search=no|yes', 'search', 'search', 'search',
    'Excludes AI-generated search summaries (those are ai-input), matching our search.'),

  // W3C TDMRep.
  row('tdmrep', 'tdm-reservation', 'tdm-reservation: 1 (reserved) | 0 (not reserved)', 'tdm', 'tdm', 'tdm',
    'All or nothing for text and data mining: when only part of tdm is denied, writers emit 1 and point tdm-policy at the licence. Search is outside TDM, as TDMRep itself says.'),

  // robots meta / X-Robots-Tag (DeviantArt convention) and robots.txt.
  row('robots-meta', 'noai', '<meta name="robots" content="noai">, X-Robots-Tag: noai', 'ai', null, 'train-ai',
    'Deny-only, no allow form. Defined as "not for datasets used to train AI"; read as all AI uses. Emitted when AI training is denied.'),
  row('robots-meta', 'noimageai', '<meta name="robots" content="noimageai">, X-Robots-Tag: noimageai', 'ai', null, 'train-ai',
    'Deny-only and about images; readers apply it to image resources and to the page carrying it, not to other media. Emitted beside noai for crawlers that only check noimageai.'),
  row('robots-txt', 'Disallow', 'User-agent group matching the crawler + Disallow: <path>', 'all', null, null,
    'A crawl disallow for the caller\'s user agent denies every use of that path. Groups for other agents are reported, not applied.'),
  row('ai-txt', 'Disallow', 'Spawning /ai.txt: Disallow: <path or *.ext>', 'train-ai', 'train-ai', null, 'Spawning defines ai.txt for AI training datasets only.'),
  row('bing', 'noarchive', '<meta name="robots" content="noarchive">', null, null, null,
    'Bing reads it as "not in Bing Chat answers and not for training", but it is widely used for other reasons: reported, not mapped.'),
  row('bing', 'nocache', '<meta name="robots" content="nocache">', null, null, null, 'Bing-specific partial use: reported, not mapped.'),

  // IPTC Photo Metadata / PLUS plus:DataMining (XMP), values http://ns.useplus.org/ldf/vocab/<CODE>.
  row('iptc-plus', 'DMI-UNSPECIFIED', 'plus:DataMining', null, null, null, 'No statement.'),
  row('iptc-plus', 'DMI-ALLOWED', 'plus:DataMining', null, 'tdm', 'tdm', 'Read as allowing text and data mining; search is not implied.'),
  row('iptc-plus', 'DMI-PROHIBITED-AIMLTRAINING', 'plus:DataMining', 'train-ai', null, 'train-ai'),
  row('iptc-plus', 'DMI-PROHIBITED-GENAIMLTRAINING', 'plus:DataMining', 'train-genai', null, 'train-genai'),
  row('iptc-plus', 'DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING', 'plus:DataMining', 'tdm', null, 'tdm',
    'Exact: everything but search indexing. Written when tdm is denied and search is not.'),
  row('iptc-plus', 'DMI-PROHIBITED', 'plus:DataMining', 'all', null, 'all'),
  row('iptc-plus', 'DMI-PROHIBITED-SEECONSTRAINT', 'plus:DataMining + plus:OtherConstraints', 'all', null, null,
    'The constraint text is for people; read as prohibited.'),
  row('iptc-plus', 'DMI-PROHIBITED-SEEEMBEDDEDRIGHTSEXPR', 'plus:DataMining + Iptc4xmpExt:EmbdEncRightsExpr', 'all', null, null, 'Read as prohibited; the rights expression is not evaluated.'),
  row('iptc-plus', 'DMI-PROHIBITED-SEELINKEDRIGHTSEXPR', 'plus:DataMining + Iptc4xmpExt:LinkedEncRightsExpr', 'all', null, null, 'Read as prohibited; the linked expression is not fetched.'),

  // C2PA 1.x c2pa.training-mining and CAWG 1.1 cawg.training-mining (constrained reads as notAllowed).
  ...(['c2pa', 'cawg'] as const).flatMap((s) => [
    row(s, `${s}.data_mining`, `${s}.training-mining entry use: notAllowed|constrained|allowed`, 'tdm', 'tdm', 'tdm'),
    row(s, `${s}.ai_training`, `${s}.training-mining entry use: notAllowed|constrained|allowed`, 'train-ai', null, 'train-ai',
      'Means non-generative training only; no use of ours is that narrow, so a deny is widened to all AI training and an allow is not mapped.'),
    row(s, `${s}.ai_generative_training`, `${s}.training-mining entry use: notAllowed|constrained|allowed`, 'train-genai', 'train-genai', 'train-genai'),
    row(s, `${s}.ai_inference`, `${s}.training-mining entry use: notAllowed|constrained|allowed`, 'ai-input', 'ai-input', 'ai-input'),
  ]),

  // RSL 1.0 usage tokens (<permits type="usage"> / <prohibits type="usage">).
  row('rsl', 'all', '<permits|prohibits type="usage">all</…>', 'all', 'all', 'all',
    'Prohibitions override permissions in RSL: when all is denied but search allowed, the written `all` prohibition also denies search to RSL readers.'),
  row('rsl', 'ai-all', '<permits|prohibits type="usage">ai-all</…>', 'ai', 'ai', 'ai'),
  row('rsl', 'ai-train', '<permits|prohibits type="usage">ai-train</…>', 'train-ai', 'train-ai', 'train-ai'),
  row('rsl', 'ai-input', '<permits|prohibits type="usage">ai-input</…>', 'ai-input', 'ai-input', 'ai-input'),
  row('rsl', 'ai-index', '<permits|prohibits type="usage">ai-index</…>', 'ai-input', null, null,
    'Building an AI search index; a prohibition is widened to all AI input, a permission is not mapped.'),
  row('rsl', 'search', '<permits|prohibits type="usage">search</…>', 'search', 'search', 'search'),
]

/**
 * The mapping rows of one signal.
 *
 * @example
 * ```ts
 * mappingsOf('content-signals').map((r) => r.token) // ['ai-train', 'ai-input', 'search']
 * ```
 */
export function mappingsOf(signal: SignalId): SignalMapping[] {
  return [...(index().bySignal.get(signal) ?? [])]
}

/**
 * Looks up one token of one signal.
 *
 * @example
 * ```ts
 * findMapping('aipref', 'train-ai')?.allows // 'train-genai'
 * ```
 */
export function findMapping(signal: SignalId, token: string): SignalMapping | undefined {
  return index().byToken.get(signal)?.get(token)
}

/** The table indexed by signal, then by token (the first row wins, as a scan would find it). */
interface MappingIndex {
  readonly bySignal: ReadonlyMap<string, readonly SignalMapping[]>
  readonly byToken: ReadonlyMap<string, ReadonlyMap<string, SignalMapping>>
}

let built: MappingIndex | undefined

/** Built at the first lookup (not at import, so that importing the table costs nothing more). */
function index(): MappingIndex {
  if (built !== undefined) return built
  const bySignal = new Map<string, SignalMapping[]>()
  const byToken = new Map<string, Map<string, SignalMapping>>()
  for (const r of MAPPING_TABLE) {
    let rows = bySignal.get(r.signal)
    if (rows === undefined) bySignal.set(r.signal, (rows = []))
    rows.push(r)
    let tokens = byToken.get(r.signal)
    if (tokens === undefined) byToken.set(r.signal, (tokens = new Map()))
    if (!tokens.has(r.token)) tokens.set(r.token, r)
  }
  return (built = { bySignal, byToken })
}
