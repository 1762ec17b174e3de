// Fuzz target roundtrip-audio: generated valid tags (plain, or signed with a test key) written into
// every committed audio fixture. Properties: writeAudioTag succeeds; readAudioTag of the result
// gives exactly the entries written (document, readable line), the tag, no mismatch; the essence
// digest is unchanged; writing a second tag over it replaces the first; removeAudioTag leaves no
// document and the same essence.
import fc from 'fast-check'
import { audioEssence, audioTagEntries, readAudioTag, removeAudioTag, writeAudioTag } from '../../src/audio.js'
import type { NoaiTag } from '../../src/index.js'
import { signTag } from '../../src/sign.js'
import { tagArb } from '../_arbitraries.js'
import { audioSeeds, testKeys, type AudioFormat } from '../_seeds.js'
import { callAsync, deepEqual, defineTarget, fail, jsonCodec, show } from '../_target.js'

interface AudioCase {
  /** The fixture, by its path in the repository. */
  readonly fixture: string
  readonly tag: NoaiTag
  readonly signed: boolean
  readonly second: NoaiTag
}

const FORMATS: readonly AudioFormat[] = ['mp3', 'flac', 'ogg', 'mp4', 'wav', 'aiff']
const ISSUER = 'https://issuer.example'

export default defineTarget<AudioCase>({
  name: 'roundtrip-audio',
  about: 'generated tags written into every audio fixture: read back, essence unchanged, replaced, removed',
  codec: jsonCodec<AudioCase>(),
  ext: '.json',
  shrink: 'none',
  async load() {
    const files = new Map(FORMATS.flatMap((f) => audioSeeds(f)).map((s) => [s.name, s.bytes]))
    const key = testKeys().find((k) => k.kid === 'test-ed25519')!
    const essences = new Map<string, unknown>()
    const check = async (c: AudioCase): Promise<void> => {
      const original = files.get(c.fixture)
      if (!original) fail('fixture', `no fixture ${c.fixture}`)
      let essence = essences.get(c.fixture)
      if (essence === undefined) {
        const e = await callAsync('audioEssence(original)', () => audioEssence(original))
        if (!e.ok) fail('audioEssence(original)', `a committed fixture has no essence: ${e.error.message}`)
        essences.set(c.fixture, (essence = e.value))
      }
      let input: { tag: NoaiTag } | { jws: string } = { tag: c.tag }
      if (c.signed) {
        const s = await callAsync('signTag', () => signTag(c.tag, key.privateJwk!))
        if (!s.ok) return
        input = { jws: s.value }
      }
      const entries = audioTagEntries(input)
      const written = await callAsync('writeAudioTag', () => writeAudioTag(original, input))
      if (!written.ok) fail('writeAudioTag', `cannot write a valid tag into ${c.fixture}: ${written.error.code}: ${written.error.message}`)
      const r = await callAsync('readAudioTag(written)', () => readAudioTag(written.value))
      if (!r.ok) fail('readAudioTag(written)', `${r.error.code}: ${r.error.message}`)
      if (r.value.document !== entries.document || r.value.readable !== entries.readable) fail('readAudioTag(written)', `read ${show({ readable: r.value.readable, document: r.value.document })}, wrote ${show(entries)}`)
      if (!deepEqual(r.value.tag, c.tag) || r.value.mismatch || r.value.signed !== c.signed) fail('readAudioTag(written)', `tag ${show(r.value.tag)}, mismatch ${r.value.mismatch}, signed ${r.value.signed}`)
      const e1 = await callAsync('audioEssence(written)', () => audioEssence(written.value))
      if (!e1.ok || !deepEqual(e1.value, essence)) fail('audioEssence(written)', `essence changed: ${show(essence)} → ${e1.ok ? show(e1.value) : e1.error.message}`)
      const again = await callAsync('writeAudioTag(second)', () => writeAudioTag(written.value, { tag: c.second }))
      if (!again.ok) fail('writeAudioTag(second)', `cannot replace the tag: ${again.error.code}: ${again.error.message}`)
      const r2 = await callAsync('readAudioTag(second)', () => readAudioTag(again.value))
      if (!r2.ok || r2.value.document !== audioTagEntries({ tag: c.second }).document) fail('readAudioTag(second)', `the second tag did not replace the first: ${r2.ok ? show(r2.value.document) : r2.error.message}`)
      const removed = await callAsync('removeAudioTag', () => removeAudioTag(again.value))
      if (!removed.ok) fail('removeAudioTag', `${removed.error.code}: ${removed.error.message}`)
      const r3 = await callAsync('readAudioTag(removed)', () => readAudioTag(removed.value))
      if (!r3.ok || r3.value.document !== undefined || r3.value.readable !== undefined) fail('readAudioTag(removed)', `after removal: ${r3.ok ? show({ document: r3.value.document, readable: r3.value.readable }) : r3.error.message}`)
      const e3 = await callAsync('audioEssence(removed)', () => audioEssence(removed.value))
      if (!e3.ok || !deepEqual(e3.value, essence)) fail('audioEssence(removed)', `essence changed: ${show(essence)} → ${e3.ok ? show(e3.value) : e3.error.message}`)
    }
    const arbitrary: fc.Arbitrary<AudioCase> = fc.record({ fixture: fc.constantFrom(...files.keys()), tag: tagArb(ISSUER), signed: fc.boolean(), second: tagArb() })
    const seeds = [...files.keys()].map((fixture, i) => fc.sample(arbitrary, { numRuns: 1, seed: 100 + i }).map((c) => ({ ...c, fixture }))[0]!)
    return { seeds, arbitrary, check }
  },
})
