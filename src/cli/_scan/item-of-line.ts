/**
 * What one input line names (docs/scan.md "Input"): a URL (`http://`, `https://`), a JSON object
 * `{"path": ...}` or `{"url": ...}` whose other fields are echoed back as `input`, or a path.
 *
 * @module
 */
import type { InputLine } from './lines.js'
import type { ScanItem } from './types.js'

const HTTP_URL = /^https?:\/\//i
const OTHER_URL = /^[a-z][a-z0-9+.-]*:\/\//i

/** The item of a path or URL given as text. */
function itemOfText(text: string, input?: Readonly<Record<string, unknown>>): ScanItem {
  const extra = input === undefined ? {} : { input }
  if (HTTP_URL.test(text)) return { kind: 'url', key: text, ...extra }
  if (OTHER_URL.test(text)) {
    return { kind: 'invalid', key: text, error: { code: 'ERR_NOAI_INVALID_ARGUMENT', message: `only http and https URLs are scanned, not ${JSON.stringify(text.slice(0, 200))}` } }
  }
  return { kind: 'path', key: text, ...extra }
}

function invalid(text: string, message: string, code = 'ERR_NOAI_INVALID_ARGUMENT'): ScanItem {
  return { kind: 'invalid', key: text, error: { code, message } }
}

/**
 * The item a line names, or `undefined` for a blank line (skipped). Surrounding white space is
 * trimmed.
 *
 * @example
 * ```ts
 * itemOfLine({ text: '{"url": "https://a.example/1", "id": 7}', tooLong: false })
 * // { kind: 'url', key: 'https://a.example/1', input: { id: 7 } }
 * ```
 */
export function itemOfLine(line: InputLine): ScanItem | undefined {
  if (line.tooLong) return invalid(line.text, `the input line is over the limit of the line length (it starts ${JSON.stringify(line.text.slice(0, 80))})`, 'ERR_NOAI_LIMIT_EXCEEDED')
  const text = line.text.trim()
  if (text === '') return undefined
  if (!text.startsWith('{')) return itemOfText(text)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return invalid(text, `the input line is not JSON: ${e instanceof Error ? e.message : String(e)}`, 'ERR_NOAI_JSON_INVALID')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(text, 'the input line is not a JSON object')
  const { path, url, ...rest } = value as Record<string, unknown>
  if (path !== undefined && url !== undefined) return invalid(text, 'the input line has both "path" and "url": give one')
  const target = path ?? url
  if (typeof target !== 'string' || target.trim() === '') return invalid(text, 'the input line has no "path" or "url" string')
  const input = Object.keys(rest).length > 0 ? rest : undefined
  if (url !== undefined && !HTTP_URL.test(target)) return invalid(text, `"url" must be an http or https URL, not ${JSON.stringify(target.slice(0, 200))}`)
  if (path !== undefined) return { kind: 'path', key: target, ...(input === undefined ? {} : { input }) }
  return itemOfText(target, input)
}
