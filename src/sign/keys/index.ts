/**
 * Key discovery, key states and key set serving for signed NoAI Tags (docs/spec.md §14).
 *
 * @module
 */
export { parseKeySet } from './parse-key-set.js'
export { createStaticKeyResolver } from './create-static-key-resolver.js'
export { createKeyResolver, type KeyResolverOptions } from './create-key-resolver.js'
export { createMemoryKeySetStore, type MemoryKeySetStoreOptions } from './create-memory-key-set-store.js'
export {
  keySetDocument,
  type JwkWithKid,
  type KeySetDocument,
  type KeySetDocumentOptions,
  type KeySetMember,
} from './key-set-document.js'
export { keySetHeaders, type KeySetHeadersOptions } from './key-set-headers.js'
export { KeyResolutionError } from './errors.js'
export { KEY_SET_LIMITS } from './limits.js'
export type { KeySetFetch, KeySetStore } from './types.js'
