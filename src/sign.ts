/**
 * `noai-tag/sign`: signing and verifying NoAI Tags (compact JWS, Ed25519 and ES256) and
 * discovering issuers' keys (docs/spec.md §13, §14). Web Crypto only: runs in browsers and edge
 * runtimes.
 *
 * @module noai-tag/sign
 */
export type { IssuerKey, KeyStatus, KeyLookupFailure, KeyLookupResult, KeyResolver } from './sign/types.js'
