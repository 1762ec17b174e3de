/**
 * Verifying the signed tags a decision meets (docs/spec.md §11.6, §13.8). The signing code is
 * loaded with `import()` the first time a signed tag is met, so that a crawler whose pages carry
 * none never loads it (DESIGN: "entry points that decide load jose and the audio readers with
 * import() only when a signed tag or an audio body is actually met").
 *
 * @internal
 * @module
 */
import type { KeyResolver } from '../sign/types.js'
import type { KeySetFetch, KeySetStore } from '../sign/keys/types.js'
import type { EvaluateVerifyOptions, ReasonVerification } from './types.js'

/** How signed tags are verified. @internal */
export type VerifySettings = EvaluateVerifyOptions

/** What a tag is bound to, when the caller knows it. */
export interface Binding {
  readonly url?: string
  readonly essence?: { readonly format: string; readonly sha256: string }
}

type SignModule = typeof import('./_sign-code.js')

let signCode: Promise<SignModule> | undefined
/** The signing code, loaded once. */
const loadSign = (): Promise<SignModule> => (signCode ??= import('./_sign-code.js'))

// Default resolvers, one per configuration, so that key sets fetched for one decision serve the next.
const defaultResolvers = new Map<string, KeyResolver>()
const resolversByFetch = new WeakMap<object, Map<string, KeyResolver>>()

/** Options of {@link newKeyResolver}: those of `createKeyResolver` that a decision sets. @internal */
export interface NewResolverOptions {
  readonly fetch?: KeySetFetch
  readonly store?: KeySetStore
  readonly userAgent?: string
  readonly allowHttpLoopback?: boolean
}

/** Creates a key resolver, loading the signing code. @internal */
export async function newKeyResolver(o: NewResolverOptions): Promise<KeyResolver> {
  const { createKeyResolver } = await loadSign()
  return createKeyResolver({
    allowHttpLoopback: o.allowHttpLoopback === true,
    ...(o.fetch !== undefined ? { fetch: o.fetch } : {}),
    ...(o.store !== undefined ? { store: o.store } : {}),
    ...(o.userAgent !== undefined ? { userAgent: o.userAgent } : {}),
  })
}

async function resolverFor(s: VerifySettings): Promise<KeyResolver | undefined> {
  if (s.resolver !== undefined) return s.resolver
  if (s.keys !== undefined) return undefined
  const key = `${s.allowHttpLoopback === true}|${s.userAgent ?? ''}`
  const owner = s.store ?? s.fetch
  let map = owner === undefined ? defaultResolvers : resolversByFetch.get(owner)
  if (map === undefined) {
    map = new Map()
    resolversByFetch.set(owner!, map)
  }
  let r = map.get(key)
  if (r === undefined) {
    r = await newKeyResolver(s)
    map.set(key, r)
  }
  return r
}

/**
 * Verifies one signed tag and says whether its allows count: only for `valid` and `trusted` tags
 * (only `trusted` with `requireTrusted`).
 *
 * @internal
 */
export async function verifySigned(jws: string, binding: Binding, s: VerifySettings | false, now: Date, signal: AbortSignal | undefined): Promise<ReasonVerification> {
  if (s === false) return { state: 'not-verified', codes: [], binding: 'not-checked', allowsDropped: true }
  const { verifyTag } = await loadSign()
  const resolver = await resolverFor(s)
  const r = await verifyTag(jws, {
    ...(s.keys !== undefined ? { keys: s.keys } : {}),
    ...(resolver !== undefined ? { resolver } : {}),
    ...(s.trust !== undefined ? { trust: s.trust } : {}),
    ...(s.clockTolerance !== undefined ? { clockTolerance: s.clockTolerance } : {}),
    ...(binding.url !== undefined ? { url: binding.url } : {}),
    ...(binding.essence !== undefined ? { essence: binding.essence } : {}),
    ...(signal !== undefined ? { signal } : {}),
    now,
  })
  const admitted = r.state === 'trusted' || (r.state === 'valid' && s.requireTrusted !== true)
  return {
    state: r.state,
    codes: r.codes,
    binding: r.binding,
    ...(r.issuer !== undefined ? { issuer: r.issuer } : {}),
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
    allowsDropped: !admitted,
  }
}
