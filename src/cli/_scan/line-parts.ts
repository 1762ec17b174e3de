/**
 * Parts of a report line shared by files and URLs (docs/scan.md "The report"): reasons, the tag
 * summary and the verification state, as a line shows them.
 *
 * @module
 */
import type { AudioTagReport } from '../../audio/read-audio-tag.js'
import type { DecisionReason } from '../../crawl.js'
import type { ScanReason, TagSummary, VerificationSummary } from './types.js'
import { usageText } from './usage-text.js'

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
    usage: usageText(r.usage),
    value: r.value,
    decisive: r.decisive,
    ...(r.status !== 'applied' ? { status: r.status } : {}),
    ...(r.note !== undefined ? { note: r.note } : {}),
  }
}

/**
 * The NoAI Tag a file holds, summarised; `undefined` when it holds none.
 *
 * @example
 * ```ts
 * tagSummary(await readAudioTag(bytes)) // { document: 'unsigned', usage: 'search=y, train-ai=n' }
 * ```
 */
export function tagSummary(report: AudioTagReport): TagSummary | undefined {
  if (report.document !== undefined) {
    if (report.tag === undefined) return { document: 'invalid' }
    return {
      document: report.signed ? 'signed' : 'unsigned',
      ...(report.tag.issuer !== undefined ? { issuer: report.tag.issuer } : {}),
      usage: usageText(report.tag.usage),
      ...(report.mismatch ? { mismatch: true as const } : {}),
    }
  }
  if (report.readable !== undefined) return { document: 'readable-only', usage: report.readable }
  return undefined
}

/**
 * What verifying the signed NoAI Tag among the reasons gave, if one was verified.
 *
 * @example
 * ```ts
 * verificationOf(decision.reasons) // { state: 'valid', codes: ['issuer-untrusted'], binding: 'checked', issuer: 'https://label.example' }
 * ```
 */
export function verificationOf(reasons: readonly DecisionReason[]): VerificationSummary | undefined {
  const v = reasons.find((r) => r.signal === 'noai-tag' && r.verification !== undefined)?.verification
  if (v === undefined) return undefined
  return { state: v.state, codes: v.codes, binding: v.binding, ...(v.issuer !== undefined ? { issuer: v.issuer } : {}) }
}
