/**
 * Scanning one item (docs/scan.md "The report"): a file's embedded tag, or a URL the way a polite
 * crawler checks it, decided for the use with `evaluate` (docs/spec.md §11.6). Never throws: every
 * failure is a line with `error` and the verdict `unknown`.
 *
 * @module
 */
import { audioEssence } from '../../audio/audio-essence.js'
import { readAudioTag, type AudioTagReport } from '../../audio/read-audio-tag.js'
import { formatCompact } from '../../compact/format.js'
import { checkUrl, evaluate, type CrawlCache, type DecisionReason, type EvaluateVerifyOptions } from '../../crawl.js'
import { createNodeSha256 } from '../../node/node-sha256.js'
import { verifyTag } from '../../sign.js'
import { itemError } from './item-error.js'
import { openPrefetched } from './prefetched-file.js'
import type { ScanItem, ScanLine, ScanReason, TagSummary, VerificationSummary } from './types.js'

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
  /** URLs: the site-file cache shared by the whole scan. */
  readonly cache: CrawlCache
  /** URLs: deadline of each request, in milliseconds. */
  readonly timeoutMs?: number
}

/**
 * A decision reason as a report line shows it: where, what it stated, its answer, whether it
 * decided (the raw tokens and texts are left out).
 *
 * @example
 * ```ts
 * compactReason(decision.reasons[0]!) // { signal: 'noai-tag', source: { kind: 'audio', name: 'NOAI_TAG' }, scope: 'resource', usage: 'train-ai=n', value: 'denied', decisive: true }
 * ```
 */
export function compactReason(r: DecisionReason): ScanReason {
  const s = r.source
  return {
    signal: r.signal,
    source: { kind: s.kind, ...(s.url !== undefined ? { url: s.url } : {}), ...(s.name !== undefined ? { name: s.name } : {}), ...(s.line !== undefined ? { line: s.line } : {}) },
    scope: r.scope,
    ...(r.agent !== undefined ? { agent: r.agent } : {}),
    usage: formatCompact(r.usage),
    value: r.value,
    decisive: r.decisive,
    ...(r.status !== 'applied' ? { status: r.status } : {}),
    ...(r.note !== undefined ? { note: r.note } : {}),
  }
}

function tagSummary(report: AudioTagReport): TagSummary | undefined {
  if (report.document !== undefined) {
    if (report.tag === undefined) return { document: 'invalid' }
    return {
      document: report.signed ? 'signed' : 'unsigned',
      ...(report.tag.issuer !== undefined ? { issuer: report.tag.issuer } : {}),
      usage: formatCompact(report.tag.usage),
      ...(report.mismatch ? { mismatch: true as const } : {}),
    }
  }
  if (report.readable !== undefined) return { document: 'readable-only', usage: report.readable }
  return undefined
}

function verificationOf(reasons: readonly DecisionReason[]): VerificationSummary | undefined {
  const v = reasons.find((r) => r.signal === 'noai-tag' && r.verification !== undefined)?.verification
  if (v === undefined) return undefined
  return { state: v.state, codes: v.codes, binding: v.binding, ...(v.issuer !== undefined ? { issuer: v.issuer } : {}) }
}

const NOT_VERIFIED: VerificationSummary = { state: 'not-verified', codes: [], binding: 'not-checked' }

/** A signed tag that `evaluate` did not verify (it says nothing about the use, or it expired). */
async function verifyApart(jws: string, essence: { format: string; sha256: string } | undefined, ctx: ScanContext): Promise<VerificationSummary> {
  if (ctx.verify === false) return NOT_VERIFIED
  const v = ctx.verify
  const r = await verifyTag(jws, {
    ...(v.keys !== undefined ? { keys: v.keys } : {}),
    ...(v.resolver !== undefined ? { resolver: v.resolver } : {}),
    ...(v.trust !== undefined ? { trust: v.trust } : {}),
    ...(essence !== undefined ? { essence } : {}),
    ...(ctx.now !== undefined ? { now: ctx.now } : {}),
  })
  return { state: r.state, codes: r.codes, binding: r.binding, ...(r.issuer !== undefined ? { issuer: r.issuer } : {}) }
}

type Head = Pick<ScanLine, 'path' | 'url' | 'input' | 'use'>

function headOf(item: ScanItem, use: string): Head {
  switch (item.kind) {
    case 'path':
      return { path: item.key, ...(item.input !== undefined ? { input: item.input } : {}), use }
    case 'url':
      return { url: item.key, ...(item.input !== undefined ? { input: item.input } : {}), use }
    case 'unreadable':
      return { path: item.key, use }
    case 'invalid':
      return { input: item.key, use }
  }
}

async function scanPath(head: Head, file: string, ctx: ScanContext): Promise<ScanLine> {
  let source
  try {
    source = await openPrefetched(file)
  } catch (e) {
    return { ...head, verdict: 'unknown', reasons: [], error: itemError(e) }
  }
  try {
    const report = await readAudioTag(source)
    const warnings = [...report.warnings]
    let essence: { format: string; sha256: string } | undefined
    if (report.jws !== undefined && ctx.verify !== false && ctx.verifyBinding) {
      try {
        essence = await audioEssence(source, { createHasher: createNodeSha256 })
      } catch (e) {
        warnings.push(`the essence digest could not be computed, so the binding is not checked: ${itemError(e).message}`)
      }
    }
    const decision = await evaluate(report.signals, { use: ctx.use, verify: ctx.verify, ...(essence !== undefined ? { essence } : {}), ...(ctx.now !== undefined ? { now: ctx.now } : {}) })
    const tag = tagSummary(report)
    let verification = verificationOf(decision.reasons)
    if (verification === undefined && report.jws !== undefined) verification = await verifyApart(report.jws, essence, ctx)
    return {
      ...head,
      verdict: decision.verdict,
      reasons: decision.reasons.map(compactReason),
      format: report.format,
      ...(tag !== undefined ? { tag } : {}),
      ...(verification !== undefined ? { verification } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    }
  } catch (e) {
    return { ...head, verdict: 'unknown', reasons: [], error: itemError(e) }
  } finally {
    await source.close().catch(() => undefined)
  }
}

async function scanUrl(head: Head, url: string, ctx: ScanContext): Promise<ScanLine> {
  try {
    const r = await checkUrl(url, {
      use: ctx.use,
      userAgent: ctx.userAgent,
      cache: ctx.cache,
      verify: ctx.verify,
      verifyAudioBinding: ctx.verify !== false && ctx.verifyBinding,
      ...(ctx.timeoutMs !== undefined ? { limits: { timeoutMs: ctx.timeoutMs } } : {}),
      ...(ctx.now !== undefined ? { now: ctx.now } : {}),
    })
    const verification = verificationOf(r.reasons)
    return {
      ...head,
      verdict: r.verdict,
      reasons: r.reasons.map(compactReason),
      ...(verification !== undefined ? { verification } : {}),
      ...(r.status !== undefined ? { status: r.status } : {}),
      ...(r.finalUrl !== undefined && r.finalUrl !== r.url ? { finalUrl: r.finalUrl } : {}),
      ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
      ...(r.decidedBeforeFetching ? { decidedBeforeFetching: true as const } : {}),
      ...(r.error !== undefined ? { error: { code: 'ERR_NOAI_FETCH', reason: r.error.code, message: r.error.message } } : {}),
    }
  } catch (e) {
    return { ...head, verdict: 'unknown', reasons: [], error: itemError(e) }
  }
}

/**
 * Scans one item and returns its report line. Never rejects.
 *
 * @example
 * ```ts
 * const line = await scanItem({ kind: 'path', key: 'song.mp3' }, ctx) // { path: 'song.mp3', use: 'train-ai', verdict: 'deny', ... }
 * ```
 */
export async function scanItem(item: ScanItem, ctx: ScanContext): Promise<ScanLine> {
  const head = headOf(item, ctx.use)
  switch (item.kind) {
    case 'path':
      return scanPath(head, item.key, ctx)
    case 'url':
      return scanUrl(head, item.key, ctx)
    case 'invalid':
    case 'unreadable':
      return { ...head, verdict: 'unknown', reasons: [], error: item.error }
  }
}
