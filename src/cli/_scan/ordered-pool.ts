/**
 * Runs an async function over a stream of items with bounded concurrency and hands the results
 * over in input order, as soon as every earlier result is in. Memory is bounded by the window:
 * at most `window` items are in flight or finished and waiting for an earlier one.
 *
 * @module
 */

/** Options of {@link orderedPool}. */
export interface OrderedPoolOptions {
  /** Items in flight at most: a number, or a function asked before each new item is pulled. */
  readonly concurrency: number | (() => number)
  /** Items started and not yet handed over at most (>= concurrency): bounds the wait behind a slow item. */
  readonly window: number
  /** Asked before each new item is pulled: `true` stops the pool (what is in flight is finished). */
  readonly stopped?: () => boolean
}

/**
 * Maps `items` through `fn` and calls `emit` with each run of consecutive results that became
 * ready (in input order). An input that throws stops the pool: the items in flight still settle
 * and are handed over, then the pool rejects. An `emit` or `fn` that throws stops it too, and
 * nothing more is handed over.
 *
 * @example
 * ```ts
 * await orderedPool(walkFiles('data'), (item) => scanItem(item, ctx), (lines) => write(lines), { concurrency: 16, window: 64 })
 * ```
 */
export async function orderedPool<T, R>(items: AsyncIterable<T>, fn: (item: T) => Promise<R>, emit: (results: R[]) => void, options: OrderedPoolOptions): Promise<void> {
  const limit = options.concurrency
  const concurrency = typeof limit === 'number' ? (): number => Math.max(1, limit) : (): number => Math.max(1, limit())
  const window = Math.max(concurrency(), options.window)
  type Slot = { done: boolean; value?: R }
  let queue: (Slot | undefined)[] = []
  let head = 0
  let inFlight = 0
  let failure: { error: unknown } | undefined
  /** `emit` or `fn` failed: nothing more is handed over (the results in flight are dropped). */
  let halted = false
  let wake: (() => void) | undefined

  const flush = (): void => {
    if (halted) return
    const out: R[] = []
    while (head < queue.length && queue[head]!.done) {
      out.push(queue[head]!.value as R)
      queue[head++] = undefined
    }
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head)
      head = 0
    }
    if (out.length === 0) return
    try {
      emit(out)
    } catch (error) {
      halted = true
      failure ??= { error }
    }
  }

  const it = items[Symbol.asyncIterator]()
  let exhausted = false
  try {
    for (;;) {
      if (failure !== undefined || options.stopped?.()) break
      if (!exhausted && inFlight < concurrency() && queue.length - head < window) {
        const next = await it.next()
        if (next.done) {
          exhausted = true
          continue
        }
        const slot: Slot = { done: false }
        queue.push(slot)
        inFlight++
        fn(next.value)
          .then(
            (value) => (slot.value = value),
            (error: unknown) => {
              halted = true
              failure ??= { error }
            },
          )
          .finally(() => {
            slot.done = true
            inFlight--
            flush()
            wake?.()
          })
        continue
      }
      if (exhausted && head === queue.length) break
      await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
    }
  } catch (error) {
    failure ??= { error }
  }
  // Let what is in flight settle (their results are still handed over unless something failed).
  while (inFlight > 0) {
    await new Promise<void>((resolve) => (wake = resolve))
    wake = undefined
  }
  if (!exhausted) await it.return?.()
  if (failure !== undefined) throw failure.error
}
