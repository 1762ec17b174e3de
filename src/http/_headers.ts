// Header input in any of the shapes callers have (a Fetch `Headers`, Node's
// `IncomingHttpHeaders`-style record, or a list of name/value pairs), reduced to the field lines
// of the names a reader asks for. Internal.
import { InvalidArgumentError } from '../errors.js'

/** What {@link readHttpSignals} accepts as header fields. */
export type HeaderInput =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | Iterable<readonly [string, string]>

/** Field lines by lower-case name, in order; only for `wanted` names. */
export function fieldLines(input: HeaderInput, wanted: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const add = (name: unknown, value: unknown) => {
    if (typeof name !== 'string') return
    const key = name.toLowerCase()
    if (!wanted.has(key)) return
    const list = out.get(key) ?? []
    if (typeof value === 'string') {
      list.push(value)
    } else if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v === 'string') list.push(v)
      }
    }
    if (list.length > 0) out.set(key, list)
  }
  if (input === null || typeof input !== 'object') {
    throw new InvalidArgumentError(`headers must be a Headers object, a record or an iterable of [name, value] pairs, not ${input === null ? 'null' : typeof input}`)
  }
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of input as Iterable<unknown>) {
      if (Array.isArray(pair)) add(pair[0], pair[1])
    }
  } else {
    for (const [name, value] of Object.entries(input)) add(name, value)
  }
  return out
}
