/**
 * The signing code a decision loads on demand (see `_verify.ts`): only ever imported with
 * `import()`, so that it lands in its own chunk and `noai-tag/crawl` does not load it up front.
 *
 * @internal
 * @module
 */
export { verifyTag } from '../sign/verify-tag.js'
export { createKeyResolver } from '../sign/keys/create-key-resolver.js'
