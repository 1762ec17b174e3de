/**
 * The vocabulary of uses of the NoAI Tag v1 standard (docs/spec.md §5.1) and the three states.
 *
 * The uses form a tree: a statement about a use also speaks to every narrower use below it.
 *
 * ```
 * all ─┬─ search
 *      └─ tdm ── ai ─┬─ train-ai ── train-genai
 *                    └─ ai-input
 * ```
 *
 * @module
 */

/** Every use defined by v1, in the canonical order (parents before children). */
export const USES = ['all', 'search', 'tdm', 'ai', 'train-ai', 'train-genai', 'ai-input'] as const

/** A use defined by the standard. */
export type Use = (typeof USES)[number]

/** A stated preference: what a document or signal says about a use. */
export type StatedPreference = 'allowed' | 'denied'

/** The three states of a use: allowed, denied, or unknown (nothing was said). */
export type Preference = StatedPreference | 'unknown'

/** What the standard says about one use (docs/spec.md §5.1). */
export interface UseDefinition {
  /** The use label, as written in documents and in the compact form. */
  readonly use: Use
  /** The next broader use, or `null` for the root. */
  readonly parent: Use | null
  /** One-line title. */
  readonly title: string
  /** The normative definition (docs/spec.md §5.1). */
  readonly definition: string
}

/**
 * The definitions of the v1 uses, keyed by use.
 *
 * @example
 * ```ts
 * import { USE_DEFINITIONS } from 'noai-tag'
 * USE_DEFINITIONS['train-genai'].parent // 'train-ai'
 * ```
 */
export const USE_DEFINITIONS: { readonly [U in Use]: UseDefinition } = {
  all: {
    use: 'all',
    parent: null,
    title: 'All automated processing',
    definition:
      'Any automated processing of the content beyond delivering it to a person: crawling for indexing, mining, analysis, AI training and AI inference.',
  },
  search: {
    use: 'search',
    parent: 'all',
    title: 'Search',
    definition:
      'Building a search index and showing results that link to the content, with excerpts that only help a person judge relevance. Excludes AI-generated summaries and answers (those are ai-input).',
  },
  tdm: {
    use: 'tdm',
    parent: 'all',
    title: 'Text and data mining',
    definition:
      'Any automated analytical technique applied to the content to generate information such as patterns, trends and correlations (EU Directive 2019/790 Art. 2(2)), including all AI uses; excludes search.',
  },
  ai: {
    use: 'ai',
    parent: 'tdm',
    title: 'All AI uses',
    definition: 'Any use of the content with or for an AI or machine-learning system: training, fine-tuning, evaluation, and input at inference time.',
  },
  'train-ai': {
    use: 'train-ai',
    parent: 'ai',
    title: 'AI training',
    definition:
      'Using the content to train, fine-tune or otherwise modify the learned parameters of any AI or machine-learning model, generative or not.',
  },
  'train-genai': {
    use: 'train-genai',
    parent: 'train-ai',
    title: 'Generative AI training',
    definition:
      'Training, fine-tuning or otherwise modifying a model that can generate synthetic content (audio, music, voice, text, images, video) in any modality.',
  },
  'ai-input': {
    use: 'ai-input',
    parent: 'ai',
    title: 'AI input',
    definition:
      'Giving the content to an AI model as input at inference time: retrieval-augmented generation, grounding, summaries, AI answers, transformation or continuation of the content.',
  },
}

const USE_SET: ReadonlySet<string> = new Set(USES)

/**
 * Tells whether a string is a use defined by v1.
 *
 * @example
 * ```ts
 * isUse('train-ai') // true
 * isUse('ai-train') // false: that is a Content Signals alias, see normalizeUse()
 * ```
 */
export function isUse(value: unknown): value is Use {
  return typeof value === 'string' && USE_SET.has(value)
}

/**
 * The chain from a use up to the root, the use itself first.
 *
 * @example
 * ```ts
 * ancestorsOf('train-genai') // ['train-genai', 'train-ai', 'ai', 'tdm', 'all']
 * ```
 */
export function ancestorsOf(use: Use): Use[] {
  const chain: Use[] = []
  for (let u: Use | null = use; u !== null; u = USE_DEFINITIONS[u].parent) chain.push(u)
  return chain
}

/**
 * Every use strictly below a use.
 *
 * @example
 * ```ts
 * descendantsOf('ai') // ['train-ai', 'train-genai', 'ai-input']
 * ```
 */
export function descendantsOf(use: Use): Use[] {
  return USES.filter((u) => u !== use && ancestorsOf(u).includes(use))
}
