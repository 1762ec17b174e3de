// The IPTC/PLUS DataMining signals of the XMP packets in an audio file (docs/spec.md §7.1). A
// module of its own, loaded by readAudioTag only for a file that holds an XMP packet: the XML
// parser it needs (fast-xml-parser) is the largest module of the read path. Internal.
import type { FoundSignal, ReadToken } from '../signals/types.js'
import { findMapping } from '../vocabulary/mappings.js'
import { mapTokens, type StatedToken } from '../vocabulary/map-tokens.js'
import { MAX_TEXT } from './_signals.js'
import type { ForeignMetadata } from './types.js'
import { readXmpDataMining } from './xmp.js'

function dataMiningToken(code: string, written: string): StatedToken | ReadToken {
  const row = findMapping('iptc-plus', code)
  if (row && row.denies === null && row.allows === null) return { token: code, value: written, read: 'ignored', note: row.loss || 'no statement' }
  return { token: code, value: written, stated: code === 'DMI-ALLOWED' ? 'allowed' : 'denied' }
}

/** Statements of the XMP packets (IPTC/PLUS `plus:DataMining`), and warnings for packets not read. */
export function xmpSignals(foreign: readonly ForeignMetadata[]): { signals: FoundSignal[]; warnings: string[] } {
  const signals: FoundSignal[] = []
  const warnings: string[] = []
  for (const f of foreign) {
    if (f.kind !== 'xmp') continue
    if (!f.bytes) {
      warnings.push(`XMP packet at ${f.location} (${f.length} bytes) is larger than maxXmpBytes and was not read`)
      continue
    }
    const x = readXmpDataMining(f.bytes)
    if (x.problem) warnings.push(`XMP packet at ${f.location}: ${x.problem}`)
    if (x.values.length === 0) continue
    const parts = x.values.map((v) => dataMiningToken(v.code, v.written))
    const m = mapTokens('iptc-plus', parts.filter((p): p is StatedToken => 'stated' in p))
    signals.push({
      signal: 'iptc-plus',
      source: { kind: 'audio', name: `${f.location} plus:DataMining`, text: x.values.map((v) => v.written).join(' ').slice(0, MAX_TEXT) },
      scope: 'resource',
      usage: m.usage,
      tokens: [...parts.filter((p): p is ReadToken => 'read' in p), ...m.tokens],
    })
  }
  return { signals, warnings }
}
