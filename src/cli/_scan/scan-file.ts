/**
 * Scanning one file (docs/scan.md "What decides a file's verdict"): its embedded statements, read
 * with `readAudioTag`, decided for the use with `evaluate`. Loaded by scan-item.ts when the first
 * file comes, so that a scan of URLs does not load the audio readers.
 *
 * @module
 */
import { readAudioTag } from '../../audio/read-audio-tag.js'
import { evaluate } from '../../crawl/evaluate.js'
import { itemError } from './item-error.js'
import { compactReason, tagSummary, verificationOf } from './line-parts.js'
import { openPrefetched } from './prefetched-file.js'
import type { LineHead, ScanContext } from './scan-item.js'
import type { ScanLine, VerificationSummary } from './types.js'

const NOT_VERIFIED: VerificationSummary = { state: 'not-verified', codes: [], binding: 'not-checked' }

/** A signed tag that `evaluate` did not verify (it says nothing about the use, or it expired). */
async function verifyApart(jws: string, essence: { format: string; sha256: string } | undefined, ctx: ScanContext): Promise<VerificationSummary> {
  if (ctx.verify === false) return NOT_VERIFIED
  const v = ctx.verify
  const { verifyTag } = await import('../../sign/verify-tag.js')
  const r = await verifyTag(jws, {
    ...(v.keys !== undefined ? { keys: v.keys } : {}),
    ...(v.resolver !== undefined ? { resolver: v.resolver } : {}),
    ...(v.trust !== undefined ? { trust: v.trust } : {}),
    ...(essence !== undefined ? { essence } : {}),
    ...(ctx.now !== undefined ? { now: ctx.now } : {}),
  })
  return { state: r.state, codes: r.codes, binding: r.binding, ...(r.issuer !== undefined ? { issuer: r.issuer } : {}) }
}

/** The essence digest of a signed file, for checking its binding (loaded only when one is needed). */
async function essenceOf(source: Parameters<typeof readAudioTag>[0]): Promise<{ format: string; sha256: string }> {
  const [{ audioEssence }, { createNodeSha256 }] = await Promise.all([import('../../audio/audio-essence.js'), import('../../node/node-sha256.js')])
  return audioEssence(source, { createHasher: createNodeSha256 })
}

/**
 * Scans one file and returns its report line. Never rejects: a failure is a line with `error`.
 *
 * @example
 * ```ts
 * const line = await scanFile({ path: 'song.mp3', use: 'train-ai' }, 'song.mp3', ctx) // { path: 'song.mp3', use: 'train-ai', verdict: 'deny', ... }
 * ```
 */
export async function scanFile(head: LineHead, file: string, ctx: ScanContext): Promise<ScanLine> {
  let source
  try {
    source = await (ctx.open ?? openPrefetched)(file)
  } catch (e) {
    return { ...head, verdict: 'unknown', reasons: [], error: itemError(e) }
  }
  try {
    // A file read whole goes to the readers as bytes (no read cache); the line built from the
    // report holds no view of them, and the file is closed only once the line is built.
    const report = await readAudioTag(source.whole ?? source)
    const warnings = [...report.warnings]
    let essence: { format: string; sha256: string } | undefined
    if (report.jws !== undefined && ctx.verify !== false && ctx.verifyBinding) {
      try {
        essence = await essenceOf(source.whole ?? source)
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
