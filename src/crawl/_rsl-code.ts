/**
 * The RSL parser (and with it the XML parser), loaded with `import()` only when an RSL document is
 * met, so that `noai-tag/crawl` does not load it up front.
 *
 * @internal
 * @module
 */
export { parseRsl } from '../robots/parse-rsl.js'
