/**
 * Lines of a list or of standard input, streamed: never more than one line (bounded) in memory.
 *
 * @module
 */

/** Longest input line read, in UTF-16 code units; a longer line becomes one `invalid` item. */
export const MAX_LINE_LENGTH = 65_536

/** One line: its text (without the line break), or the news that it was too long. */
export type InputLine = { readonly text: string; readonly tooLong: false } | { readonly text: string; readonly tooLong: true }

/**
 * Splits a byte stream into lines (LF or CRLF; the last line may lack its break). A line over
 * {@link MAX_LINE_LENGTH} is reported once, by its first characters, with `tooLong: true`.
 *
 * @example
 * ```ts
 * for await (const line of splitLines(createReadStream('list.txt'))) console.log(line.text)
 * ```
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array | string>, maxLength: number = MAX_LINE_LENGTH): AsyncGenerator<InputLine> {
  const decoder = new TextDecoder()
  let partial = ''
  let skipping = false
  const strip = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s)
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    let from = 0
    for (;;) {
      const nl = text.indexOf('\n', from)
      if (nl < 0) break
      if (skipping) skipping = false
      else {
        const line = partial + text.slice(from, nl)
        partial = ''
        if (line.length > maxLength) yield { text: line.slice(0, 200), tooLong: true }
        else yield { text: strip(line), tooLong: false }
      }
      from = nl + 1
    }
    if (!skipping) {
      partial += text.slice(from)
      if (partial.length > maxLength) {
        yield { text: partial.slice(0, 200), tooLong: true }
        partial = ''
        skipping = true
      }
    }
  }
  if (!skipping) {
    partial += decoder.decode()
    if (partial.length > 0) yield { text: strip(partial), tooLong: false }
  }
}
