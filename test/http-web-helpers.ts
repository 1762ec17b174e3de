// Shared helpers of the http-* and html-* tests.
import type { NoaiTag } from '../src/index.js'
import { preferenceFor, resolvePreferences, combinePreferences, USES, type Preference, type Use } from '../src/index.js'
import type { FoundSignal } from '../src/signals/types.js'

export const TAG: NoaiTag = {
  version: 1,
  subject: { self: true },
  usage: { 'train-ai': 'denied', search: 'allowed' },
  issued: '2026-11-26T00:00:00Z',
  license: 'https://label.example/licence?a=1&b=2',
}

const b64url = (text: string) => btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** A compact JWS with the tag as payload and a fake signature: readers decode it without verifying. */
export function fakeJws(tag: unknown): string {
  return `${b64url('{"alg":"EdDSA","typ":"noai-tag+jws","kid":"k1"}')}.${b64url(JSON.stringify(tag))}.${b64url('not a signature, never verified here')}`
}

/** The answer for every use of one statement. */
export function answers(usage: Readonly<Record<string, string | undefined>>): Record<Use, Preference> {
  const r = resolvePreferences(usage as Record<string, 'allowed' | 'denied'>)
  return Object.fromEntries(USES.map((u) => [u, preferenceFor(r, u)])) as Record<Use, Preference>
}

/** The answer for every use after combining statements (any deny wins). */
export function combinedAnswers(signals: readonly FoundSignal[]): Record<Use, Preference> {
  const r = combinePreferences(signals.map((s) => resolvePreferences(s.usage)))
  return Object.fromEntries(USES.map((u) => [u, preferenceFor(r, u)])) as Record<Use, Preference>
}

/** Splits bytes into chunks of `size`. */
export function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size))
  return out
}

/** A pull stream over chunks that records how many were pulled and whether it was cancelled. */
export function countingStream(parts: readonly Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let i = 0
  let cancelled = false
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (i >= parts.length) c.close()
        else c.enqueue(parts[i++]!)
      },
      cancel() {
        cancelled = true
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, pulled: () => i, cancelled: () => cancelled }
}
