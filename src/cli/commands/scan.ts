/**
 * `noai scan PATH_OR_LIST... [--use USE] [--concurrency N] [--shard I/N] [--out FILE] [--resume]`:
 * a dataset audit (docs/scan.md). Walks a folder tree, reads a list of paths and URLs, or reads
 * standard input line by line (paths, URLs or JSON objects), and writes one JSON line per item:
 * the verdict for the use, the reasons, the tag found, its verification, and any error. Lines are
 * written in input order, so that `--resume` continues a scan that was cut short without losing or
 * repeating an item; `--shard I/N` keeps the items whose key hashes to I (FNV-1a 32 mod N), so that
 * any batch engine can run N shards. Exit status 0 the scan finished (whatever the verdicts and
 * item errors), 2 usage or I/O error (an input or the report cannot be read or written).
 *
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { DEFAULT_USER_AGENT } from '../../crawl/limits.js'
import type { EvaluateVerifyOptions } from '../../crawl/types.js'
import { normalizeUse } from '../../vocabulary/normalize.js'
import { USES } from '../../vocabulary/uses.js'
import { messageOf } from '../_audio.js'
import { CliInputError, STDIN_ARGUMENT } from '../_io.js'
import { countItems, resolveInputs, scanItems } from '../_scan/inputs.js'
import { orderedPool } from '../_scan/ordered-pool.js'
import { tuneJitForScan } from '../_scan/jit.js'
import { openPrefetched } from '../_scan/prefetched-file.js'
import { startProgress } from '../_scan/progress.js'
import { skipDone, truncateToLastLine, type ResumePoint } from '../_scan/resume.js'
import { scanItem, type ScanContext } from '../_scan/scan-item.js'
import { parseShard, type Shard } from '../_scan/shard.js'
import { countLine, formatSummary, newCounts } from '../_scan/summary.js'
import type { ScanItem, ScanLine } from '../_scan/types.js'
import type { WalkStats } from '../_scan/walk.js'
import type { SetExitCode } from './index.js'

interface ScanOptions {
  readonly use: string
  readonly concurrency?: string
  readonly shard?: string
  readonly out?: string
  readonly resume?: boolean
  readonly jwks?: string
  readonly issuerDiscovery?: boolean
  readonly allowHttpLoopback?: boolean
  readonly trust?: string[]
  readonly now?: string
  readonly verifyBinding: boolean
  readonly userAgent?: string
  readonly timeout?: string
  readonly progress: boolean
  readonly quiet?: boolean
}

/** Items scanned at once by default. */
export const DEFAULT_SCAN_CONCURRENCY = 16

/** Most items scanned at once. */
export const MAX_SCAN_CONCURRENCY = 1024

/**
 * Files scanned at once at most while they are read synchronously (from memory): the scan of each
 * then runs without waiting on I/O, and more at once would only interleave their parsing (10,000
 * small files: 0.63 s with 2 at once, 0.67 s with 16).
 */
export const SYNC_READ_CONCURRENCY = 2

/** Items started and not yet written at most, per unit of concurrency (bounds memory behind a slow item). */
const WINDOW_PER_SLOT = 4

const HELP_AFTER = `
Inputs: a folder (walked recursively, each folder's entries in sorted order, symbolic links
followed except loops), a file listing one path or http(s) URL per line, an audio file or a URL
(one item), or - for standard input: one path, URL or JSON object per line, such as
{"url": "https://cdn.example/a.mp3", "id": 42}; the other fields come back as "input".

Each item gives one JSON line: {"path"|"url", "use", "verdict": "allow"|"deny"|"unknown",
"reasons", "format", "tag", "verification", "error", ...} (see docs/scan.md). A damaged or
unreadable file is a line with "error" and the verdict "unknown"; the scan goes on.

Signed tags are verified only with a key source (--jwks or --issuer-discovery); without one their
allows do not count (their denies do). With a key source, the audio of each signed file is hashed
to check the tag's binding (a full read of that file; --no-verify-binding skips it).

Lines are written in input order. --resume continues a report cut short (a crash, a killed job):
a partial last line is dropped and redone, and no item is lost or written twice, provided the
inputs, --shard and --use are the same. --shard I/N keeps the items whose path or URL, as written
in the report, has FNV-1a-32 mod N = I; the union of the N shards is the whole scan.

With --out - and - as input, noai scan is a co-process: each result line is written and flushed
as soon as its input line is done (with --concurrency 1, one line out per line in, in step).

Progress (a bar with the rate and time left) is shown on standard error when it is a terminal;
a summary is printed there at the end (--quiet: neither).

Exit status: 0 the scan finished (whatever the verdicts), 2 usage or I/O error.

Examples:
  noai scan dataset/ --out report.jsonl
  noai scan dataset/ --out report.jsonl --resume
  noai scan urls.txt --use train-genai --user-agent ExampleBot/1.0 --out report.jsonl
  noai scan dataset/ --shard 3/16 --out report-3.jsonl --jwks keys/jwks.json
  producer | noai scan - --out - --concurrency 8 | consumer
`

function integer(name: string, text: string | undefined, min: number, max: number, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliInputError(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`)
  return n
}

function useOf(text: string): string {
  const u = normalizeUse(text.trim())
  if (u === undefined) throw new CliInputError(`--use ${JSON.stringify(text)} is not a use: give one of ${USES.join(', ')} or an alias such as ai-train`)
  return u
}

function nowOf(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined
  const now = new Date(text)
  if (Number.isNaN(now.getTime())) throw new CliInputError(`--now must be a date-time such as 2026-06-01T00:00:00Z, not ${JSON.stringify(text)}`)
  return now
}

async function verifySettings(o: ScanOptions): Promise<EvaluateVerifyOptions | false> {
  if (o.jwks !== undefined && o.issuerDiscovery === true) throw new CliInputError('give at most one of --jwks FILE and --issuer-discovery')
  const trust = o.trust !== undefined ? { trust: o.trust } : {}
  // The key sources' code is loaded only when one is given.
  if (o.jwks !== undefined) {
    const { jwksFileResolver } = await import('../_scan/jwks-resolver.js')
    return { resolver: await jwksFileResolver(o.jwks), ...trust }
  }
  if (o.issuerDiscovery === true) {
    const { createKeyResolver } = await import('../../sign/keys/create-key-resolver.js')
    return { resolver: createKeyResolver({ allowHttpLoopback: o.allowHttpLoopback === true }), ...trust }
  }
  if (o.trust !== undefined) throw new CliInputError('--trust needs a key source: --jwks FILE or --issuer-discovery')
  return false
}

/** Where lines go: a file descriptor, or standard output. */
interface Sink {
  write(text: string): void
  close(): void
}

/** Bytes of lines held before they are written to a report file. */
const FILE_BUFFER_BYTES = 65_536

/** Longest time a finished line waits in the buffer of a report file, in milliseconds. */
const FILE_FLUSH_MS = 200

function fileSink(file: string, append: boolean): Sink {
  let fd: number
  try {
    fd = openSync(file, append ? 'a' : 'w')
  } catch (e) {
    throw new CliInputError(`cannot write ${file}: ${messageOf(e)}`, { cause: e })
  }
  // Lines are gathered and written by the block (one system call per line would cost more than
  // scanning a small file). A crash loses at most the buffer, whose items --resume redoes; each
  // write is of whole lines, so the file is cut, at worst, inside one line, which --resume drops.
  let pending = ''
  let timer: NodeJS.Timeout | undefined
  let failed: { error: unknown } | undefined
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (failed !== undefined) throw failed.error
    if (pending === '') return
    const text = pending
    pending = ''
    try {
      writeSync(fd, text)
    } catch (error) {
      // Lines after a failed write must never follow it in the file: every later write fails too.
      failed = { error: new CliInputError(`cannot write ${file}: ${messageOf(error)}`, { cause: error }) }
      throw failed.error
    }
  }
  return {
    write(text) {
      if (failed !== undefined) throw failed.error
      pending += text
      if (pending.length >= FILE_BUFFER_BYTES) flush()
      else
        timer ??= setTimeout(() => {
          timer = undefined
          try {
            flush()
          } catch {
            // Kept in `failed`: the next write, or close, throws it.
          }
        }, FILE_FLUSH_MS)
    },
    close() {
      try {
        flush()
      } finally {
        closeSync(fd)
      }
    },
  }
}

const stdoutSink: Sink = {
  write(text) {
    process.stdout.write(text)
  },
  close() {},
}

async function run(args: readonly string[], o: ScanOptions): Promise<void> {
  const use = useOf(o.use)
  const concurrency = integer('--concurrency', o.concurrency, 1, MAX_SCAN_CONCURRENCY, DEFAULT_SCAN_CONCURRENCY)
  const timeoutMs = o.timeout === undefined ? undefined : integer('--timeout', o.timeout, 1, 600_000, 0)
  const shard: Shard | undefined = o.shard === undefined ? undefined : parseShard(o.shard)
  const now = nowOf(o.now)
  const toStdout = o.out === undefined || o.out === STDIN_ARGUMENT
  if (o.resume && toStdout) throw new CliInputError('--resume needs --out FILE: the report to continue')
  const verify = await verifySettings(o)
  const inputs = await resolveInputs(args)
  const exclude = toStdout ? undefined : new Set([path.resolve(o.out!)])

  let resumePoint: ResumePoint | undefined
  if (o.resume) resumePoint = await truncateToLastLine(o.out!)
  const sink = toStdout ? stdoutSink : fileSink(o.out!, o.resume === true)

  const ctx: ScanContext = {
    use,
    verify,
    verifyBinding: o.verifyBinding,
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    ...(now !== undefined ? { now } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  }
  const stats: WalkStats = { loops: 0, skipped: 0, ...(exclude !== undefined ? { exclude } : {}) }
  // A scan of files only (folders and audio files named) runs faster without TurboFan inlining;
  // lists and standard input may hold URLs, which run slower without it (src/cli/_scan/jit.ts).
  if (inputs.every((i) => i.kind === 'directory' || i.kind === 'file')) tuneJitForScan()
  let kept: number | undefined
  let items: AsyncIterable<ScanItem> = scanItems(inputs, shard, stats)
  if (resumePoint !== undefined) items = skipDone(items, { file: o.out!, length: resumePoint.length, use, onSkipped: (n) => (kept = n) })

  const counts = newCounts()
  const started = performance.now()
  let stopped = false
  const onStdoutError = (): void => {
    stopped = true
  }
  if (toStdout) process.stdout.on('error', onStdoutError)

  let progress: { stop(): void } | undefined
  if (o.progress && !o.quiet && process.stderr.isTTY) {
    let total: number | undefined
    countItems(inputs, shard, exclude).then(
      (n) => (total = n),
      () => undefined,
    )
    progress = startProgress(process.stderr, () => ({
      done: counts.written,
      ...(total !== undefined && kept !== undefined ? { total: Math.max(counts.written, total - kept) } : total !== undefined && resumePoint === undefined ? { total } : {}),
      errors: counts.errors,
      elapsedMs: performance.now() - started,
    }))
  }

  const emit = (lines: ScanLine[]): void => {
    if (stopped) return
    let text = ''
    for (const line of lines) {
      text += `${JSON.stringify(line)}\n`
      countLine(counts, line)
    }
    sink.write(text)
  }

  try {
    // While the items are files read synchronously, fewer run at once (SYNC_READ_CONCURRENCY);
    // URLs, and files read asynchronously (from a disk), use the whole concurrency.
    let lastKind: ScanItem['kind'] | undefined
    const scanOne = (item: ScanItem): Promise<ScanLine> => {
      lastKind = item.kind
      return scanItem(item, ctx)
    }
    const inFlight = (): number => (lastKind === 'path' && openPrefetched.mode === 'sync' ? Math.min(concurrency, SYNC_READ_CONCURRENCY) : concurrency)
    await orderedPool(items, scanOne, emit, { concurrency: inFlight, window: Math.max(16, concurrency * WINDOW_PER_SLOT), stopped: () => stopped })
  } catch (e) {
    try {
      // What was scanned before the failure is kept: --resume continues from it.
      sink.close()
    } catch {
      // The first error is the one reported.
    }
    throw e
  } finally {
    progress?.stop()
    if (toStdout) process.stdout.off('error', onStdoutError)
  }
  sink.close()
  if (!o.quiet) {
    const summary = formatSummary(counts, {
      elapsedMs: performance.now() - started,
      ...(resumePoint !== undefined ? { kept: kept ?? 0, dropped: resumePoint.dropped } : {}),
      loops: stats.loops,
      skipped: stats.skipped,
      stopped,
    })
    process.stderr.write(`${summary}\n`)
  }
}

/**
 * Registers `noai scan`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('scan')
    .summary('audit a dataset: one JSON line per file or URL (verdict, reasons, tag, verification, errors)')
    .description('Scan a folder tree, a list of paths and URLs, or standard input, and write one JSON line per item with the verdict for a use (docs/scan.md).')
    .argument('<inputs...>', 'a folder, a list file (one path or URL per line), an audio file, a URL, or - for standard input')
    .option('--use <use>', 'the use to decide: train-ai, train-genai, ai-input, search, tdm, ai, all, or an alias', 'train-ai')
    .option('--concurrency <n>', `items scanned at once (default ${DEFAULT_SCAN_CONCURRENCY})`)
    .option('--shard <i/n>', 'scan only shard I of N (FNV-1a 32 of the path or URL, mod N)')
    .option('--out <file>', 'write the report (JSON Lines) to this file; - or absent: standard output')
    .option('--resume', 'continue the report in --out: keep its complete lines, redo a partial last line, skip the items done')
    .option('--jwks <file>', "verify signed tags with this key set file (JWKS) of issuers' public keys")
    .option('--issuer-discovery', "verify signed tags with each issuer's key set fetched from its well-known path")
    .option('--allow-http-loopback', 'with --issuer-discovery, allow http://localhost, 127.0.0.1 and [::1] issuers (tests, demos)')
    .option('--trust <origins...>', 'issuer origins you trust')
    .option('--no-verify-binding', "with a key source: do not hash signed files' audio to check the binding")
    .option('--now <date-time>', 'decide as of this time instead of now')
    .option('--user-agent <ua>', `URLs: your crawler's user agent (default: ${DEFAULT_USER_AGENT})`)
    .option('--timeout <ms>', 'URLs: deadline of each request, in milliseconds (default 10000)')
    .option('--no-progress', 'no progress line, even on a terminal')
    .option('--quiet', 'no progress line and no summary')
    .showHelpAfterError('(run noai scan --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (inputs: string[], options: ScanOptions) => {
      try {
        await run(inputs, options)
      } catch (e) {
        process.stderr.write(`noai scan: ${messageOf(e)}\n`)
        setExitCode(2)
      }
    })
}
