/**
 * Politeness per origin (docs/spec.md §11.6): at most N requests in flight to one origin, request
 * starts spaced by the origin's `Crawl-delay`, and a pause after `Retry-After`. Waiters are served
 * in arrival order; waiting can be aborted.
 *
 * @internal
 * @module
 */

interface Waiter {
  readonly resolve: (release: () => void) => void
  readonly reject: (reason: unknown) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
}

interface OriginState {
  active: number
  concurrency: number
  /** Earliest start of the next request (ms since the epoch). */
  nextAt: number
  /** Spacing between request starts (Crawl-delay), ms. */
  delayMs: number
  readonly queue: Waiter[]
  timer: ReturnType<typeof setTimeout> | undefined
}

/** Per-origin request slots. @internal */
export interface OriginLimiter {
  /** A slot on `origin` at once, if one is free and no one waits: the function that frees it, else `undefined`. */
  tryAcquire(origin: string, concurrency: number): (() => void) | undefined
  /** Waits for a slot on `origin`; resolves with the function that frees it (call it exactly once). */
  acquire(origin: string, concurrency: number, signal: AbortSignal | undefined): Promise<() => void>
  /** Sets the spacing between request starts on `origin` (its Crawl-delay). */
  setDelay(origin: string, delayMs: number): void
  /** Starts no request on `origin` before `delayMs` from now (Retry-After). */
  pause(origin: string, delayMs: number): void
}

const unref = (t: ReturnType<typeof setTimeout>): void => {
  ;(t as { unref?: () => void }).unref?.()
}

/** Creates a limiter (one per cache, shared by every check using it). @internal */
export function createOriginLimiter(now: () => number = Date.now): OriginLimiter {
  const origins = new Map<string, OriginState>()

  const stateOf = (origin: string): OriginState => {
    let st = origins.get(origin)
    if (st === undefined) origins.set(origin, (st = { active: 0, concurrency: 1, nextAt: 0, delayMs: 0, queue: [], timer: undefined }))
    return st
  }

  // Idle origins are forgotten once their spacing has passed, so memory follows the active origins.
  const forget = (origin: string, st: OriginState): void => {
    if (st.active > 0 || st.queue.length > 0 || st.timer !== undefined) return
    const wait = st.nextAt - now()
    // The Crawl-delay is set again by each check before its requests, so it need not be kept.
    if (wait <= 0) {
      origins.delete(origin)
      return
    }
    const t = setTimeout(() => {
      if (origins.get(origin) === st && st.active === 0 && st.queue.length === 0 && st.nextAt <= now()) origins.delete(origin)
    }, wait)
    unref(t)
  }

  const grant = (origin: string, st: OriginState, t: number): (() => void) => {
    st.active++
    st.nextAt = t + st.delayMs
    let released = false
    return () => {
      if (released) return
      released = true
      st.active--
      pump(origin, st)
      forget(origin, st)
    }
  }

  const pump = (origin: string, st: OriginState): void => {
    while (st.queue.length > 0 && st.active < st.concurrency) {
      const t = now()
      if (t < st.nextAt) {
        if (st.timer === undefined) {
          st.timer = setTimeout(() => {
            st.timer = undefined
            pump(origin, st)
          }, st.nextAt - t)
        }
        return
      }
      const w = st.queue.shift()!
      w.signal?.removeEventListener('abort', w.onAbort)
      w.resolve(grant(origin, st, t))
    }
  }

  return {
    tryAcquire(origin, concurrency) {
      const st = stateOf(origin)
      st.concurrency = Math.max(1, concurrency)
      const t = now()
      return st.queue.length === 0 && st.active < st.concurrency && t >= st.nextAt ? grant(origin, st, t) : undefined
    },
    acquire(origin, concurrency, signal) {
      signal?.throwIfAborted()
      const st = stateOf(origin)
      st.concurrency = Math.max(1, concurrency)
      return new Promise<() => void>((resolve, reject) => {
        const w: Waiter = {
          resolve,
          reject,
          signal,
          onAbort: () => {
            const i = st.queue.indexOf(w)
            if (i >= 0) st.queue.splice(i, 1)
            reject(signal!.reason)
          },
        }
        signal?.addEventListener('abort', w.onAbort, { once: true })
        st.queue.push(w)
        pump(origin, st)
      })
    },
    setDelay(origin, delayMs) {
      const st = origins.get(origin)
      if (st !== undefined) st.delayMs = delayMs
      else if (delayMs > 0) stateOf(origin).delayMs = delayMs
    },
    pause(origin, delayMs) {
      const st = stateOf(origin)
      st.nextAt = Math.max(st.nextAt, now() + delayMs)
    },
  }
}
