/**
 * Resuming a scan (`noai scan ... --out report.jsonl --resume`, docs/scan.md "Resume"). Lines are
 * written in input order, so a report cut short by a crash is the report of the first K items plus
 * at most one partial line. Resuming drops the partial line (the file is truncated after its last
 * line break) and skips the first K items of the input, checking each skipped item against the
 * line at the same position: the same input gives the same items in the same order (folders are
 * walked in sorted order), and anything else is refused rather than guessed at. Memory does not
 * grow with K: the report is read as a stream alongside the input.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { CliInputError } from '../_io.js'
import { splitLines } from './lines.js'
import type { ScanItem } from './types.js'

/** Bytes read at a time when looking for the last line break from the end of the report. */
const TAIL_CHUNK = 65_536

/** Where a resumed report stands. */
export interface ResumePoint {
  /** Bytes of complete lines kept (the file is truncated to this length). */
  readonly length: number
  /** Bytes of the partial last line dropped. */
  readonly dropped: number
}

/**
 * Truncates a report after its last line break, dropping a partial last line. A missing file is a
 * report of no lines.
 *
 * @throws CliInputError when the report cannot be read or truncated.
 * @example
 * ```ts
 * const { length, dropped } = await truncateToLastLine('report.jsonl')
 * ```
 */
export async function truncateToLastLine(file: string): Promise<ResumePoint> {
  let handle
  try {
    handle = await open(file, 'r+')
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ENOENT') return { length: 0, dropped: 0 }
    throw new CliInputError(`cannot resume from ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
  }
  try {
    const size = (await handle.stat()).size
    let end = size
    let length = 0
    const buffer = new Uint8Array(TAIL_CHUNK)
    while (end > 0) {
      const from = Math.max(0, end - TAIL_CHUNK)
      const { bytesRead } = await handle.read(buffer, 0, end - from, from)
      const at = buffer.subarray(0, bytesRead).lastIndexOf(0x0a)
      if (at >= 0) {
        length = from + at + 1
        break
      }
      end = from
    }
    if (length < size) await handle.truncate(length)
    return { length, dropped: size - length }
  } finally {
    await handle.close()
  }
}

/** The key and use of a report line. */
interface DoneLine {
  readonly key: string
  readonly use: unknown
}

async function* doneLines(file: string, length: number): AsyncGenerator<DoneLine> {
  if (length === 0) return
  let n = 0
  for await (const line of splitLines(createReadStream(file, { start: 0, end: length - 1, highWaterMark: 65_536 }) as AsyncIterable<Uint8Array>, Number.MAX_SAFE_INTEGER)) {
    n++
    let value: unknown
    try {
      value = JSON.parse(line.text)
    } catch {
      throw new CliInputError(`cannot resume: line ${n} of ${file} is not JSON, so the file is not a report of noai scan`)
    }
    const v = value as { path?: unknown; url?: unknown; input?: unknown; use?: unknown } | null
    const key = typeof v?.path === 'string' ? v.path : typeof v?.url === 'string' ? v.url : typeof v?.input === 'string' ? v.input : undefined
    if (key === undefined) throw new CliInputError(`cannot resume: line ${n} of ${file} has no path, url or input, so the file is not a report of noai scan`)
    yield { key, use: v!.use }
  }
}

/** Options of {@link skipDone}. */
export interface SkipDoneOptions {
  /** The report being resumed. */
  readonly file: string
  /** Bytes of complete lines in it (from {@link truncateToLastLine}). */
  readonly length: number
  /** The use of this run: a report made for another use is not resumed. */
  readonly use: string
  /** Called once with the number of items skipped, before the first item is passed on. */
  readonly onSkipped: (count: number) => void
}

/**
 * Skips the items the report already has lines for, checking that each is the item of the line
 * at its position, and passes on the rest.
 *
 * @throws CliInputError (through the iteration) when the report does not match the input: another
 *   input, another `--shard`, another `--use`, or a folder whose files changed.
 * @example
 * ```ts
 * const rest = skipDone(items, { file: 'report.jsonl', length, use: 'train-ai', onSkipped: (n) => (kept = n) })
 * ```
 */
export async function* skipDone(items: AsyncIterable<ScanItem>, o: SkipDoneOptions): AsyncGenerator<ScanItem> {
  const it = items[Symbol.asyncIterator]()
  let n = 0
  try {
    for await (const done of doneLines(o.file, o.length)) {
      n++
      if (done.use !== o.use) throw new CliInputError(`cannot resume: ${o.file} was written for --use ${String(done.use)}, not ${o.use}`)
      const next = await it.next()
      if (next.done) throw new CliInputError(`cannot resume: ${o.file} has more lines than the input has items (line ${n} is ${JSON.stringify(done.key)}); is it the report of another input or shard?`)
      if (next.value.key !== done.key) {
        throw new CliInputError(
          `cannot resume: line ${n} of ${o.file} is ${JSON.stringify(done.key)} but item ${n} of the input is ${JSON.stringify(next.value.key)}: ` +
            'the input changed, or another input or --shard was given; run without --resume to start over',
        )
      }
    }
    o.onSkipped(n)
    for (;;) {
      const next = await it.next()
      if (next.done) return
      yield next.value
    }
  } finally {
    await it.return?.()
  }
}
