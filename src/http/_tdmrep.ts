// TDMRep statements (W3C TDMRep CG report: HTTP header fields and HTML meta elements):
// tdm-reservation is exactly `1` (reserved) or `0` (not reserved); any other value is a protocol
// error and leaves it unset. tdm-policy is recorded (as an `ignored` token holding the URL), to
// be fetched by whoever wants the licensing terms. Internal.
import type { ReadToken, SignalSource } from '../signals/types.js'
import { mapTokens, type StatedToken } from '../vocabulary/map-tokens.js'
import { ignoredToken, resolveUrl } from './_util.js'
import type { WebSignal } from './types.js'

/** One TDMRep statement from a reservation value and a policy URL (either may be absent). */
export function tdmrepStatement(reservation: string | undefined, policy: string | undefined, source: SignalSource, base: string | undefined): WebSignal {
  const stated: StatedToken[] = []
  const extra: ReadToken[] = []
  const r = reservation?.trim()
  if (r === '1' || r === '0') stated.push({ token: 'tdm-reservation', value: r, stated: r === '1' ? 'denied' : 'allowed' })
  else if (r !== undefined) extra.push(ignoredToken('tdm-reservation', r, 'TDMRep: a value other than 1 or 0 is a protocol error and leaves the reservation unset'))
  if (policy !== undefined && policy.trim() !== '') {
    const note = r === '1' ? 'TDMRep policy: fetch it for the terms under which mining may be licensed' : 'TDMRep policy without tdm-reservation 1 (agents SHOULD NOT process it)'
    extra.push(ignoredToken('tdm-policy', resolveUrl(policy.trim(), base), note))
  }
  const m = mapTokens('tdmrep', stated)
  return { signal: 'tdmrep', source, scope: 'resource', usage: m.usage, tokens: [...m.tokens, ...extra] }
}
