// Fuzz target roundtrip-tag: generated valid tag documents (fuzz/_arbitraries.ts) and the tag
// vectors. Properties: validateTag accepts the value; its JSON (as text and as UTF-8 bytes) parses
// back with parseTag to an equal value; formatCompact(usage) parses back with parseCompact to the
// same usage; the audio entries of the tag hold a document that parses back to the tag, and a
// readable line equal to formatCompact(usage).
import { audioTagEntries } from '../../src/audio.js'
import { formatCompact, parseCompact, parseTag, validateTag, type NoaiTag } from '../../src/index.js'
import { tagArb } from '../_arbitraries.js'
import { tagVectorTexts } from '../_seeds.js'
import { call, deepEqual, defineTarget, fail, jsonCodec, show } from '../_target.js'

export function checkTagRoundTrip(tag: NoaiTag): void {
  const v = call('validateTag', () => validateTag(tag))
  if (!v.ok || !v.value.ok) fail('validateTag', `a generated tag does not validate: ${v.ok && !v.value.ok ? show(v.value.issues) : ''}`)
  const json = JSON.stringify(tag)
  for (const [op, input] of [['parseTag(text)', json], ['parseTag(bytes)', new TextEncoder().encode(json)]] as const) {
    const p = call(op, () => parseTag(input))
    if (!p.ok) fail(op, `the JSON of a valid tag does not parse: ${p.error.message}`)
    if (!deepEqual(p.value, tag)) fail(op, `parsed back ${show(p.value)}, not ${show(tag)}`)
  }
  const compact = call('formatCompact', () => formatCompact(tag.usage))
  if (!compact.ok) fail('formatCompact', `a valid usage does not format: ${compact.error.message}`)
  const back = call('parseCompact', () => parseCompact(compact.value))
  if (!back.ok || !back.value.ok) fail('parseCompact', `${show(compact.value)} does not parse back`)
  if (!deepEqual(back.value.usage, tag.usage) || back.value.ignored.length > 0) fail('parseCompact', `${show(compact.value)} parses back to ${show(back.value)}, not ${show(tag.usage)}`)
  const entries = call('audioTagEntries', () => audioTagEntries({ tag }))
  if (!entries.ok) {
    if (entries.error.code === 'ERR_NOAI_LIMIT_EXCEEDED') return
    fail('audioTagEntries', `a valid tag cannot be stored: ${entries.error.message}`)
  }
  if (entries.value.readable !== compact.value) fail('audioTagEntries', `readable line ${show(entries.value.readable)} is not ${show(compact.value)}`)
  if (/[^\x20-\x7e]/.test(entries.value.document)) fail('audioTagEntries', 'the stored document is not printable ASCII')
  const doc = call('parseTag(entries.document)', () => parseTag(entries.value.document))
  if (!doc.ok || !deepEqual(doc.value, tag)) fail('parseTag(entries.document)', `the stored document does not parse back to the tag: ${doc.ok ? show(doc.value) : doc.error.message}`)
}

export default defineTarget<NoaiTag>({
  name: 'roundtrip-tag',
  about: 'generated tag documents: validateTag, JSON → parseTag, formatCompact → parseCompact, audioTagEntries',
  codec: jsonCodec<NoaiTag>(),
  ext: '.json',
  shrink: 'none',
  async load() {
    const valid = tagVectorTexts()
      .filter((v) => v.valid)
      .map((v) => JSON.parse(v.text.replace(/^\ufeff/, '')) as NoaiTag)
      .filter((t) => validateTag(t).ok)
    return { seeds: valid, arbitrary: tagArb(), check: checkTagRoundTrip }
  },
})
