/**
 * `noai-tag/sign`: signing and verifying NoAI Tags (compact JWS, Ed25519 and ES256) and
 * discovering issuers' keys (docs/spec.md §13, §14). Web Crypto only: runs in browsers and edge
 * runtimes.
 *
 * @module noai-tag/sign
 */
export type { IssuerKey, KeyStatus, KeyLookupFailure, KeyLookupResult, KeyResolver } from './sign/types.js'
export { signTag, type SignTagOptions, type TagSigner, type SigningAlgorithm, type ExternalSigner } from './sign/sign-tag.js'
export { verifyTag, DEFAULT_CLOCK_TOLERANCE, type VerifyTagOptions, type VerifyResult, type VerifyState } from './sign/verify-tag.js'
export { VERIFY_CODES, INVALIDATING_CODES, CODE_DESCRIPTIONS, type VerifyCode } from './sign/codes.js'
export { SIGN_LIMITS } from './sign/sign-limits.js'
export { SigningError } from './sign/signing-error.js'
export * from './sign/keys/index.js'
