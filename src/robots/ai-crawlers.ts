/**
 * Known AI crawler user agents and what each is for, from the ai.robots.txt project's list
 * (github.com/ai-robots-txt/ai.robots.txt, `robots.json`, as of 2026-08) and the operators' own
 * pages. `robotsTxtFor({ blockAiCrawlers: true })` writes groups for them.
 *
 * Only product tokens valid under RFC 9309 §2.2.1 (letters, `_`, `-`) are listed: entries such as
 * `ChatGPT Agent` or `Brightbot 1.0` would be read by parsers as `ChatGPT` or `Brightbot` and could
 * block the wrong agent.
 *
 * @module
 */

/** What an AI crawler fetches content for. */
export type AiCrawlerPurpose =
  /** Collecting training data for AI models. Blocked when `train-ai` is denied. */
  | 'training'
  /** Building a search index (including the index behind an AI search product). Blocked when `search` is denied. */
  | 'search'
  /** Fetching content to feed an AI answer, agent or assistant. Blocked when `ai-input` is denied. */
  | 'ai-input'
  /** Fetching a page a person asked for, at that moment. Never blocked: robots.txt is for automated crawling. */
  | 'user-fetch'

/** One known AI crawler. */
export interface AiCrawler {
  /** The robots.txt product token. */
  readonly token: string
  /** Who runs it. */
  readonly operator: string
  /** What it is for. */
  readonly purpose: AiCrawlerPurpose
}

const c = (token: string, operator: string, purpose: AiCrawlerPurpose): AiCrawler => ({ token, operator, purpose })

/**
 * The maintained list of AI crawler product tokens (ai.robots.txt list as of 2026-08). Crawlers
 * whose purpose is unclear are classed by their most AI-specific documented use.
 *
 * @example
 * ```ts
 * import { AI_CRAWLERS } from 'noai-tag/robots'
 * AI_CRAWLERS.filter((a) => a.purpose === 'training').map((a) => a.token) // ['GPTBot', 'ClaudeBot', ...]
 * ```
 */
export const AI_CRAWLERS: readonly AiCrawler[] = [
  c('GPTBot', 'OpenAI', 'training'),
  c('ClaudeBot', 'Anthropic', 'training'),
  c('anthropic-ai', 'Anthropic', 'training'),
  c('CCBot', 'Common Crawl Foundation', 'training'),
  c('Google-Extended', 'Google', 'training'),
  c('Applebot-Extended', 'Apple', 'training'),
  c('Bytespider', 'ByteDance', 'training'),
  c('TikTokSpider', 'ByteDance', 'training'),
  c('meta-externalagent', 'Meta', 'training'),
  c('FacebookBot', 'Meta', 'training'),
  c('cohere-training-data-crawler', 'Cohere', 'training'),
  c('AI2Bot', 'Ai2', 'training'),
  c('Ai2Bot-Dolma', 'Ai2', 'training'),
  c('DeepSeekBot', 'DeepSeek', 'training'),
  c('PanguBot', 'Huawei', 'training'),
  c('Diffbot', 'Diffbot', 'training'),
  c('omgili', 'Webz.io', 'training'),
  c('omgilibot', 'Webz.io', 'training'),
  c('Webzio-Extended', 'Webz.io', 'training'),
  c('img2dataset', 'img2dataset', 'training'),
  c('LAIONDownloader', 'LAION', 'training'),
  c('Timpibot', 'Timpi', 'training'),
  c('ImagesiftBot', 'ImageSift', 'training'),
  c('YandexAdditional', 'Yandex', 'training'),
  c('YandexAdditionalBot', 'Yandex', 'training'),
  c('OAI-SearchBot', 'OpenAI', 'search'),
  c('Claude-SearchBot', 'Anthropic', 'search'),
  c('PerplexityBot', 'Perplexity', 'search'),
  c('Amzn-SearchBot', 'Amazon', 'search'),
  c('YouBot', 'You.com', 'search'),
  c('Amazonbot', 'Amazon', 'ai-input'),
  c('DuckAssistBot', 'DuckDuckGo', 'ai-input'),
  c('cohere-ai', 'Cohere', 'ai-input'),
  c('meta-webindexer', 'Meta', 'ai-input'),
  c('Google-CloudVertexBot', 'Google', 'ai-input'),
  c('bedrockbot', 'Amazon', 'ai-input'),
  c('ChatGPT-User', 'OpenAI', 'user-fetch'),
  c('Claude-User', 'Anthropic', 'user-fetch'),
  c('Perplexity-User', 'Perplexity', 'user-fetch'),
  c('MistralAI-User', 'Mistral', 'user-fetch'),
  c('meta-externalfetcher', 'Meta', 'user-fetch'),
  c('Amzn-User', 'Amazon', 'user-fetch'),
]
