/**
 * Input and output helpers shared by the CLI commands: turning arguments (file paths, glob
 * patterns, `-` for standard input) into inputs, reading each input with a size bound, and the
 * machine-readable output formats (JSON Lines, GitHub Actions workflow commands).
 *
 * @module
 */
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import { NoaiTagError } from '../errors.js'

/** The argument that names standard input. */
export const STDIN_ARGUMENT = '-'

/** One input of a command: a file, or standard input. */
export interface CliInput {
  /** How the input is shown in output: the path as given or as a glob produced it, or `-`. */
  readonly name: string
  readonly stdin: boolean
}

/**
 * An input that cannot be read, a pattern that matches nothing, or a directory given as a file:
 * an I/O or usage problem (exit status 2), not a finding about a document.
 *
 * @example
 * ```ts
 * if (e instanceof CliInputError) process.stderr.write(`noai: ${e.message}\n`)
 * ```
 */
export class CliInputError extends NoaiTagError {
  override name = 'CliInputError' as const
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_NOAI_IO', message, options)
  }
}

/** Result of {@link expandInputs}: the inputs in argument order, and the arguments that failed. */
export interface ExpandedInputs {
  readonly inputs: readonly CliInput[]
  readonly errors: readonly CliInputError[]
}

const directoryMessage = (name: string): string =>
  `${name} is a directory; pass a glob such as ${JSON.stringify(`${name.replace(/\/+$/, '')}/*.json`)}`

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined
}

/** A readable message for a failed file system call. */
function ioError(name: string, e: unknown): CliInputError {
  const code = errorCode(e)
  const reason =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : e instanceof Error
            ? e.message
            : String(e)
  return new CliInputError(`cannot read ${name}: ${reason}`, { cause: e })
}

/** The files one argument stands for (a glob is expanded only when no file has that exact name). */
async function expandOne(arg: string): Promise<string[]> {
  let missing: unknown
  try {
    const s = await stat(arg)
    if (s.isDirectory()) throw new CliInputError(directoryMessage(arg))
    return [arg]
  } catch (e) {
    if (e instanceof CliInputError) throw e
    const code = errorCode(e)
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw ioError(arg, e)
    missing = e
  }
  // tinyglobby is loaded only for a name that names no file (most runs never need it).
  const { glob, isDynamicPattern } = await import('tinyglobby')
  if (!isDynamicPattern(arg)) throw ioError(arg, missing)
  // The shell did not expand the pattern (it was quoted, or the shell does not glob): do it here.
  const found = await glob(arg, { expandDirectories: false, onlyFiles: true, absolute: path.isAbsolute(arg) })
  if (found.length === 0) throw new CliInputError(`no files match ${JSON.stringify(arg)}`)
  return found.sort()
}

/**
 * Turns command arguments into inputs: `-` is standard input (at most once), an existing path is
 * that file, anything else with glob syntax is expanded with tinyglobby. A file named twice (for
 * instance by two overlapping patterns) is read once.
 *
 * @example
 * ```ts
 * const { inputs, errors } = await expandInputs(['examples/*.json', '-'])
 * ```
 */
export async function expandInputs(args: readonly string[]): Promise<ExpandedInputs> {
  const inputs: CliInput[] = []
  const errors: CliInputError[] = []
  const seen = new Set<string>()
  for (const arg of args) {
    if (arg === STDIN_ARGUMENT) {
      if (seen.has(STDIN_ARGUMENT)) errors.push(new CliInputError('standard input (-) can be named only once'))
      else inputs.push({ name: STDIN_ARGUMENT, stdin: true })
      seen.add(STDIN_ARGUMENT)
      continue
    }
    try {
      for (const name of await expandOne(arg)) {
        const key = path.resolve(name)
        if (seen.has(key)) continue
        seen.add(key)
        inputs.push({ name, stdin: false })
      }
    } catch (e) {
      errors.push(e instanceof CliInputError ? e : ioError(arg, e))
    }
  }
  return { inputs, errors }
}

/** Result of {@link readInput}: the bytes, or the news that the input is over the bound. */
export type ReadOutcome =
  | { readonly tooLarge: false; readonly bytes: Uint8Array }
  /** `size` is the file's size when known; for a stream only "more than the bound" is known. */
  | { readonly tooLarge: true; readonly size: number | undefined }

async function readFileBounded(name: string, maxBytes: number): Promise<ReadOutcome> {
  let handle
  try {
    handle = await open(name, 'r')
  } catch (e) {
    throw ioError(name, e)
  }
  try {
    const s = await handle.stat()
    if (s.isDirectory()) throw new CliInputError(directoryMessage(name))
    // A regular file over the bound is rejected without reading it.
    if (s.isFile() && s.size > maxBytes) return { tooLarge: true, size: s.size }
    // Pipes, devices and files that grow after the stat: read at most one byte past the bound.
    const buffer = new Uint8Array(maxBytes + 1)
    let n = 0
    while (n < buffer.length) {
      const { bytesRead } = await handle.read(buffer, n, buffer.length - n, null)
      if (bytesRead === 0) break
      n += bytesRead
    }
    return n > maxBytes ? { tooLarge: true, size: undefined } : { tooLarge: false, bytes: buffer.subarray(0, n) }
  } catch (e) {
    throw e instanceof CliInputError ? e : ioError(name, e)
  } finally {
    await handle.close()
  }
}

async function readStdinBounded(maxBytes: number): Promise<ReadOutcome> {
  const chunks: Uint8Array[] = []
  let n = 0
  try {
    for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
      chunks.push(chunk)
      n += chunk.byteLength
      // Leaving the loop destroys the stream: nothing past the bound is read.
      if (n > maxBytes) return { tooLarge: true, size: undefined }
    }
  } catch (e) {
    throw ioError('standard input', e)
  }
  const bytes = new Uint8Array(n)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.byteLength
  }
  return { tooLarge: false, bytes }
}

/**
 * Reads one input, never holding more than `maxBytes + 1` bytes of it.
 *
 * @throws CliInputError when the input cannot be read (missing, unreadable, a directory).
 * @example
 * ```ts
 * const r = await readInput({ name: 'tag.json', stdin: false }, LIMITS.maxDocumentBytes)
 * if (!r.tooLarge) use(r.bytes)
 * ```
 */
export function readInput(input: CliInput, maxBytes: number): Promise<ReadOutcome> {
  return input.stdin ? readStdinBounded(maxBytes) : readFileBounded(input.name, maxBytes)
}

// GitHub Actions workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
// The escaping follows @actions/core (escapeData / escapeProperty): a message may not contain raw
// %, CR or LF; a property value additionally may not contain ':' or ','.
const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

/**
 * Formats one GitHub Actions annotation (`::error file=...,line=...::message`), escaping the
 * properties and the message; properties whose value is `undefined` are left out.
 *
 * @example
 * ```ts
 * githubAnnotation('error', { file: 'tag.json', line: 7, col: 17, title: 'noai validate' }, '/usage/train-ai: must be one of "allowed", "denied"')
 * // '::error file=tag.json,line=7,col=17,title=noai validate::/usage/train-ai: must be one of "allowed", "denied"'
 * ```
 */
export function githubAnnotation(
  level: 'error' | 'warning' | 'notice',
  properties: Readonly<Record<string, string | number | undefined>>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',')
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`
}
