/**
 * Reading the head of an HTML page from a response body with as little work as possible
 * (docs/spec.md §11.2, §11.6). The head reader stops at `</head>`, but it decodes every chunk it is
 * given whole, and network chunks are often the whole page. So the body is read here up to the
 * first `</head` (ASCII, any case) and only that prefix is handed to the reader; the rest is
 * cancelled. When the prefix does not end the head (the `</head` was inside a comment or a
 * script, or the page omits `</head>` or is not in an ASCII-compatible encoding), the reader is
 * given the prefix and the rest of the stream, and reads as it always does: the result is the
 * same either way.
 *
 * @internal
 * @module
 */
import { readHtmlSignals, type HtmlReadResult, type ReadHtmlSignalsOptions } from '../html/read-html-signals.js'
import { readHtmlSignalsSync } from '../html/read-html-signals-sync.js'
import { READ_ENOUGH } from './_http.js'

/** How far the shortcut looks for `</head`; past it the reader takes the stream. */
const SHORTCUT_BYTES = 65_536

const LT = 0x3c
const SLASH = 0x2f
const GT = 0x3e

/** Where the `>` that closes the first `</head` ends (the index after it), or -1. */
function headEnd(bytes: Uint8Array, from: number): number {
  for (let i = bytes.indexOf(LT, from); i >= 0 && i + 6 < bytes.length; i = bytes.indexOf(LT, i + 1)) {
    if (bytes[i + 1] !== SLASH) continue
    if ((bytes[i + 2]! | 0x20) !== 0x68 || (bytes[i + 3]! | 0x20) !== 0x65 || (bytes[i + 4]! | 0x20) !== 0x61 || (bytes[i + 5]! | 0x20) !== 0x64) continue
    const gt = bytes.indexOf(GT, i + 6)
    return gt < 0 ? -1 : gt + 1
  }
  return -1
}

function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

/** A stream of `first`, then what is left of `reader`. */
function rest(first: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>): ReadableStream<Uint8Array> {
  let sent = first.length === 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sent) {
        sent = true
        return controller.enqueue(first)
      }
      const r = await reader.read()
      if (r.done) controller.close()
      else controller.enqueue(r.value)
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

/**
 * Reads the statements in the head of the page in `body`, then cancels the body. Errors of the
 * stream are thrown as the head reader throws them. @internal
 */
export async function readHead(body: ReadableStream<Uint8Array>, options: ReadHtmlSignalsOptions & { readonly maxBytes: number }): Promise<HtmlReadResult> {
  const reader = body.getReader()
  let held: Uint8Array = new Uint8Array(0)
  let ended = false
  try {
    while (held.length < Math.min(SHORTCUT_BYTES, options.maxBytes)) {
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (e) {
        // As the head reader reports a failing stream.
        return await readHtmlSignals(new ReadableStream({ start: (c) => c.error(e) }), options)
      }
      if (chunk.done) {
        ended = true
        break
      }
      const scanFrom = Math.max(0, held.length - 8)
      held = join(held, chunk.value)
      const end = headEnd(held, scanFrom)
      if (end < 0) continue
      // Bytes in hand: the synchronous reader gives what readHtmlSignals would, without a promise.
      const r = readHtmlSignalsSync(held.subarray(0, Math.min(end, options.maxBytes)), options)
      if (r.stoppedAt === 'head-end' || r.stoppedAt === 'body') return r
      break // `</head` did not end the head: let the reader take the stream
    }
    if (ended) return readHtmlSignalsSync(held, options)
    const stream = rest(held, reader)
    ended = true // the reader now owns the stream and cancels it when done
    return await readHtmlSignals(stream, options)
  } finally {
    if (!ended) await reader.cancel(READ_ENOUGH).catch(() => undefined)
  }
}
