/**
 * The items of `noai scan` arguments (docs/scan.md "Input"): a folder is walked, `-` is standard
 * input (one path, URL or JSON object per line), an http(s) URL or an audio file is one item, and
 * any other file is a list (one item per line). Everything is streamed.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { probeAudioFile } from '../_audio.js'
import { CliInputError, STDIN_ARGUMENT } from '../_io.js'
import { itemOfLine } from './item-of-line.js'
import { splitLines } from './lines.js'
import { inShard, type Shard } from './shard.js'
import type { ScanItem } from './types.js'
import { walkFileBatches, type WalkStats } from './walk.js'

const HTTP_URL = /^https?:\/\//i

/** Bytes read to tell a binary file (one item) from a list (text). */
const SNIFF_BYTES = 4096

/** How an argument is read. */
export type InputKind = 'stdin' | 'url' | 'directory' | 'file' | 'list'

/**
 * Tells how an argument is read.
 *
 * @throws CliInputError when it names nothing that can be read.
 * @example
 * ```ts
 * await inputKind('dataset/') // 'directory'
 * ```
 */
export async function inputKind(arg: string): Promise<InputKind> {
  if (arg === STDIN_ARGUMENT) return 'stdin'
  if (HTTP_URL.test(arg)) return 'url'
  let s
  try {
    s = await stat(arg)
  } catch (e) {
    const code = (e as { code?: unknown }).code
    throw new CliInputError(`cannot read ${arg}: ${code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or folder' : e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  if (s.isDirectory()) return 'directory'
  if (!s.isFile()) throw new CliInputError(`${arg} is neither a file nor a folder`)
  const probe = await probeAudioFile(arg)
  if (probe.kind !== 'other') return 'file'
  // A binary file that is not audio is still one item (its line says why it is not read).
  const handle = await open(arg, 'r')
  try {
    const buffer = new Uint8Array(SNIFF_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0)
    return buffer.subarray(0, bytesRead).includes(0) ? 'file' : 'list'
  } finally {
    await handle.close()
  }
}

/** An argument, already told apart. */
export interface ScanInput {
  readonly arg: string
  readonly kind: InputKind
}

/**
 * Tells every argument apart, so that a bad one is a usage error before anything is written.
 *
 * @throws CliInputError for an argument that cannot be read, or `-` given twice.
 * @example
 * ```ts
 * const inputs = await resolveInputs(['dataset/', 'more.txt'])
 * ```
 */
export async function resolveInputs(args: readonly string[]): Promise<ScanInput[]> {
  if (args.filter((a) => a === STDIN_ARGUMENT).length > 1) throw new CliInputError('standard input (-) can be named only once')
  const out: ScanInput[] = []
  for (const arg of args) out.push({ arg, kind: await inputKind(arg) })
  return out
}

async function* lineItems(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<ScanItem[]> {
  for await (const line of splitLines(chunks)) {
    const item = itemOfLine(line)
    // One line at a time: a co-process's next input line may not be written yet.
    if (item !== undefined) yield [item]
  }
}

/** The items of one input, unfiltered, in batches (a folder's files come many at a time). */
async function* itemsOf(input: ScanInput, stats: WalkStats): AsyncGenerator<ScanItem[]> {
  switch (input.kind) {
    case 'stdin':
      yield* lineItems(process.stdin as AsyncIterable<Uint8Array>)
      return
    case 'url':
      yield [{ kind: 'url', key: input.arg }]
      return
    case 'file':
      yield [{ kind: 'path', key: input.arg }]
      return
    case 'directory':
      yield* walkFileBatches(input.arg, stats)
      return
    case 'list':
      yield* lineItems(createReadStream(input.arg, { highWaterMark: 65_536 }) as AsyncIterable<Uint8Array>)
      return
  }
}

/**
 * The items of the inputs, in order, that belong to the shard.
 *
 * @example
 * ```ts
 * for await (const item of scanItems(await resolveInputs(['dataset/']), { index: 0, count: 4 })) console.log(item.key)
 * ```
 */
export async function* scanItems(inputs: readonly ScanInput[], shard: Shard | undefined, stats: WalkStats = { loops: 0, skipped: 0 }): AsyncGenerator<ScanItem> {
  for (const input of inputs) {
    for await (const batch of itemsOf(input, stats)) for (const item of batch) if (inShard(item.key, shard)) yield item
  }
}

/**
 * How many items the inputs hold in the shard (for the progress bar's percentage and ETA), or
 * `undefined` when standard input is one of them. Walks and reads the inputs a second time.
 *
 * @example
 * ```ts
 * const total = await countItems(inputs, shard, new Set([path.resolve('report.jsonl')]))
 * ```
 */
export async function countItems(inputs: readonly ScanInput[], shard: Shard | undefined, exclude?: ReadonlySet<string>): Promise<number | undefined> {
  if (inputs.some((i) => i.kind === 'stdin')) return undefined
  let n = 0
  for await (const _ of scanItems(inputs, shard, { loops: 0, skipped: 0, ...(exclude !== undefined ? { exclude } : {}) })) n++
  return n
}
