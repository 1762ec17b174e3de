/**
 * Freshness of a fetched key set (docs/spec.md §14.3): `Cache-Control: max-age` (RFC 9111
 * §5.2.2.1) minus `Age` (RFC 9111 §5.1), clamped to the resolver's bounds. `no-store`,
 * `no-cache`, `max-age=0`, a repeated or malformed `max-age` all give the lower bound: a verifier
 * keeps every key set for at least that long, so that an issuer (or an attacker who makes
 * verifiers check many tags) cannot turn verification into one fetch per tag.
 *
 * @internal
 * @module
 */

/** Bounds and default of the freshness lifetime, in milliseconds. @internal */
export interface TtlBounds {
  readonly minTtlMs: number
  readonly maxTtlMs: number
  readonly defaultTtlMs: number
}

const DELTA_SECONDS = /^[0-9]{1,10}$/

/** The freshness lifetime in milliseconds of a response with these headers. @internal */
export function freshnessMs(headers: Headers, bounds: TtlBounds): number {
  const lifetime = lifetimeSeconds(headers.get('cache-control'))
  if (lifetime === undefined) return clamp(bounds.defaultTtlMs, bounds)
  const ageText = headers.get('age')?.trim()
  const age = ageText !== undefined && DELTA_SECONDS.test(ageText) ? Number(ageText) : 0
  return clamp(Math.max(0, lifetime - age) * 1000, bounds)
}

function clamp(ms: number, { minTtlMs, maxTtlMs }: TtlBounds): number {
  return Math.min(maxTtlMs, Math.max(minTtlMs, ms))
}

/** `max-age` in seconds; 0 for no-store/no-cache/invalid; undefined when the header says nothing. */
function lifetimeSeconds(header: string | null): number | undefined {
  if (header === null) return undefined
  let maxAge: number | undefined
  let seen = 0
  let uncacheable = false
  for (const part of header.split(',')) {
    const eq = part.indexOf('=')
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase()
    if (name === 'no-store' || name === 'no-cache') uncacheable = true
    if (name !== 'max-age') continue
    seen++
    const value = eq < 0 ? '' : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
    maxAge = DELTA_SECONDS.test(value) ? Number(value) : 0
  }
  if (uncacheable || seen > 1) return 0
  return maxAge
}
