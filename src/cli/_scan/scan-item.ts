/**
 * Scanning one item (docs/scan.md "The report"): a file's embedded tag (scan-file.ts), or a URL the
 * way a polite crawler checks it (scan-url.ts), decided for the use with `evaluate` (docs/spec.md
 * §11.6). Never throws: every failure is a line with `error` and the verdict `unknown`. The code of
 * each kind is loaded when the first item of that kind comes: a scan of files never loads the
 * crawler, a scan of URLs never loads the audio readers.
 *
 * @module
 */
import type { EvaluateVerifyOptions } from '../../crawl/types.js'
import type { PrefetchedFile } from './prefetched-file.js'
import type { ScanItem, ScanLine } from './types.js'

/** What every item of one scan shares. */
export interface ScanContext {
  /** The use asked about, already a v1 use. */
  readonly use: string
  /** How signed tags are verified; `false` without a key source (their allows then do not count). */
  readonly verify: EvaluateVerifyOptions | false
  /** With a key source: hash the audio essence of signed files to check the binding. */
  readonly verifyBinding: boolean
  readonly now?: Date
  /** URLs: the crawler's user agent. */
  readonly userAgent: string
  /** URLs: deadline of each request, in milliseconds. */
  readonly timeoutMs?: number
  /** Files: how they are opened (tests); `openPrefetched` by default. */
  readonly open?: (path: string) => Promise<PrefetchedFile>
}

/** The first members of a line: what the item is, and the use. */
export type LineHead = Pick<ScanLine, 'path' | 'url' | 'input' | 'use'>

function headOf(item: ScanItem, use: string): LineHead {
  switch (item.kind) {
    case 'path':
      return item.input !== undefined ? { path: item.key, input: item.input, use } : { path: item.key, use }
    case 'url':
      return item.input !== undefined ? { url: item.key, input: item.input, use } : { url: item.key, use }
    case 'unreadable':
      return { path: item.key, use }
    case 'invalid':
      return { input: item.key, use }
  }
}

type FileCode = typeof import('./scan-file.js')
type UrlCode = typeof import('./scan-url.js')
let fileCode: FileCode | undefined
let urlCode: UrlCode | undefined
let loadingFileCode: Promise<FileCode> | undefined
let loadingUrlCode: Promise<UrlCode> | undefined

async function scanPath(head: LineHead, file: string, ctx: ScanContext): Promise<ScanLine> {
  fileCode ??= await (loadingFileCode ??= import('./scan-file.js'))
  return fileCode.scanFile(head, file, ctx)
}

async function scanUrl(head: LineHead, url: string, ctx: ScanContext): Promise<ScanLine> {
  urlCode ??= await (loadingUrlCode ??= import('./scan-url.js'))
  return urlCode.scanUrl(head, url, ctx)
}

/**
 * Scans one item and returns its report line. Never rejects.
 *
 * @example
 * ```ts
 * const line = await scanItem({ kind: 'path', key: 'song.mp3' }, ctx) // { path: 'song.mp3', use: 'train-ai', verdict: 'deny', ... }
 * ```
 */
export function scanItem(item: ScanItem, ctx: ScanContext): Promise<ScanLine> {
  const head = headOf(item, ctx.use)
  switch (item.kind) {
    case 'path':
      return fileCode !== undefined ? fileCode.scanFile(head, item.key, ctx) : scanPath(head, item.key, ctx)
    case 'url':
      return urlCode !== undefined ? urlCode.scanUrl(head, item.key, ctx) : scanUrl(head, item.key, ctx)
    case 'invalid':
    case 'unreadable':
      return Promise.resolve({ ...head, verdict: 'unknown', reasons: [], error: item.error })
  }
}

