// Minimising a failing input: delta debugging (Zeller's ddmin, simplified) over bytes or
// characters. Chunks are removed, largest first, while the failure still reproduces; the search
// stops at single elements or when its time budget runs out (the best input so far is kept).

/** A sequence that can be cut: bytes or a string. */
type Seq = Uint8Array | string

const cut = <S extends Seq>(s: S, from: number, to: number): S =>
  (typeof s === 'string' ? s.slice(0, from) + s.slice(to) : concatBytes(s.subarray(0, from), s.subarray(to))) as S

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

export interface ShrinkResult<S extends Seq> {
  readonly input: S
  /** Candidate inputs tried. */
  readonly tries: number
  /** Whether it stopped because time ran out (the result may not be minimal). */
  readonly timedOut: boolean
}

/**
 * The smallest input found for which `fails` still holds. `fails(input)` must hold to begin with.
 * Each candidate removes one chunk; chunk sizes halve from half the input down to one element.
 */
export async function shrink<S extends Seq>(input: S, fails: (candidate: S) => Promise<boolean>, budgetMs: number): Promise<ShrinkResult<S>> {
  const deadline = performance.now() + budgetMs
  let best = input
  let tries = 0
  let chunk = Math.max(1, Math.floor(best.length / 2))
  // Also try the empty input and each half at once first (common when any input fails).
  for (;;) {
    let progress = false
    for (let from = 0; from < best.length; ) {
      if (performance.now() > deadline) return { input: best, tries, timedOut: true }
      const candidate = cut(best, from, Math.min(best.length, from + chunk))
      tries++
      if (await fails(candidate)) {
        best = candidate
        progress = true
      } else from += chunk
    }
    if (chunk === 1 && !progress) return { input: best, tries, timedOut: false }
    if (!progress) chunk = Math.max(1, Math.floor(chunk / 2))
    else chunk = Math.min(chunk, Math.max(1, Math.floor(best.length / 2)))
  }
}
