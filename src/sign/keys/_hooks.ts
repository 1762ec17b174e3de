/**
 * Test-only switches that turn single security checks of key discovery off, so that the tests can
 * prove each of their checks bites (test/keys-security.test.ts). Not exported from any public
 * entry point. Every switch is `false`, and nothing but a test may set one.
 *
 * @internal
 * @module
 */

/** @internal */
export const KEYS_TEST_HOOKS = {
  /** Accept issuers that are not https (or allowed http loopback) origins. */
  skipIssuerCheck: false,
  /** Accept any `kid` syntax (in lookups and in key sets). */
  skipKidSyntaxCheck: false,
  /** Follow redirects to other origins. */
  allowCrossOriginRedirect: false,
  /** Accept a response whose final URL is on another origin than the issuer. */
  skipResponseOriginCheck: false,
  /** Read key set bodies of any size. */
  skipSizeLimit: false,
  /** Accept any `Content-Type`. */
  skipContentTypeCheck: false,
  /** Accept keys with private members. */
  skipPrivateMemberCheck: false,
  /** Let a static resolver return a key of another issuer with the same `kid`. */
  skipStaticIssuerMatch: false,
}
