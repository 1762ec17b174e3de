// The audio targets (one per container, fuzz/targets/audio-<format>.ts): mutated committed
// fixtures of the container (plain, stamped with a tag, stamped with a signed tag) go through
// readAudioTag, audioEssence and planAudioWrite (with entries, and for removal). Properties:
//   - a value or a library error, in bounded time (every call);
//   - the document and the readable line readAudioTag reports occur in the input bytes (UTF-8,
//     Latin-1 or UTF-16), and a reported tag is that document's (or its JWS payload's);
//   - when the mutant is still readable, writing our tag and reading it back gives our document,
//     and neither writing nor then removing the tag changes the essence digest.
import { audioEssence, audioTagEntries, planAudioWrite, readAudioTag, removeAudioTag, writeAudioTag } from '../../src/audio.js'
import { isNoaiTagError, type NoaiTag } from '../../src/index.js'
import { signTag } from '../../src/sign.js'
import { mutateBytes, type Rng } from '../_mutate.js'
import { audioSeeds, testKeys, type AudioFormat, type AudioSeed } from '../_seeds.js'
import { b64urlJson, bytesCodec, callAsync, deepEqual, defineTarget, fail, occursInBytes, show, type Target } from '../_target.js'

export const FUZZ_TAG: NoaiTag = {
  version: 1,
  issuer: 'https://issuer.example',
  subject: { self: true },
  usage: { 'train-ai': 'denied', 'ai-input': 'denied', search: 'allowed' },
  issued: '2026-11-26T00:00:00Z',
  rightsHolder: { name: 'Zo\u00eb Example' },
}

/** A file extension for bytes, from their magic (saved inputs open in the right tool). */
export function audioExt(b: Uint8Array): string {
  const ascii = (at: number, n: number): string => String.fromCharCode(...b.subarray(at, at + n))
  let p = 0
  if (ascii(0, 3) === 'ID3' && b.length >= 10) p = 10 + (((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f))
  if (ascii(p, 4) === 'fLaC') return '.flac'
  if (ascii(0, 4) === 'OggS') return '.ogg'
  if (ascii(4, 4) === 'ftyp') return '.m4a'
  if (['RIFF', 'RF64', 'BW64'].includes(ascii(0, 4))) return '.wav'
  if (ascii(0, 4) === 'FORM') return ascii(8, 4) === 'AIFC' ? '.aifc' : '.aiff'
  if (ascii(0, 3) === 'ID3' || (b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)) return '.mp3'
  return '.bin'
}

/** The seeds of some containers: each fixture, and each stamped with a tag and with a signed tag. */
export async function stampedSeeds(formats: readonly AudioFormat[]): Promise<AudioSeed[]> {
  const key = testKeys().find((k) => k.kid === 'test-ed25519')!
  const jws = await signTag(FUZZ_TAG, key.privateJwk!)
  const seeds: AudioSeed[] = []
  for (const format of formats) {
    for (const s of audioSeeds(format)) {
      seeds.push(s)
      for (const [how, input] of [['tag', { tag: FUZZ_TAG }], ['jws', { jws }]] as const) {
        try {
          seeds.push({ name: `${s.name} (stamped, ${how})`, ext: s.ext, bytes: await writeAudioTag(s.bytes, input) })
        } catch (e) {
          if (!isNoaiTagError(e)) throw e
        }
      }
    }
  }
  return seeds
}

const ENTRIES = audioTagEntries({ tag: FUZZ_TAG })

/** The properties of one audio input. */
export async function checkAudio(bytes: Uint8Array, removal: boolean): Promise<void> {
  const read = await callAsync('readAudioTag', () => readAudioTag(bytes))
  if (read.ok) {
    const r = read.value
    for (const [what, text] of [['document', r.document], ['readable line', r.readable]] as const) {
      if (text !== undefined && !occursInBytes(bytes, text)) fail('readAudioTag', `reported ${what} ${show(text, 120)} does not occur in the input`)
    }
    if (r.tag !== undefined) {
      if (r.document === undefined) fail('readAudioTag', 'reported a tag without a document')
      const source = r.jws !== undefined ? b64urlJson(r.jws.split('.')[1] ?? '') : safeJson(r.document)
      if (!deepEqual(source, r.tag)) fail('readAudioTag', `reported tag ${show(r.tag)} is not the document ${show(r.document, 120)}`)
    }
    if (r.jws !== undefined && r.jws !== r.document?.trim()) fail('readAudioTag', 'reported JWS is not the document (trimmed)')
  }
  const essence = await callAsync('audioEssence', () => audioEssence(bytes))
  await callAsync(removal ? 'planAudioWrite(null)' : 'planAudioWrite(entries)', () => planAudioWrite(bytes, removal ? null : ENTRIES))
  if (!read.ok || !essence.ok) return
  // The mutant is readable: a write must round-trip and keep the essence.
  const written = await callAsync('writeAudioTag', () => writeAudioTag(bytes, { tag: FUZZ_TAG }))
  if (!written.ok) return
  const back = await callAsync('readAudioTag(written)', () => readAudioTag(written.value))
  if (!back.ok) fail('readAudioTag(written)', `the file just written does not read: ${back.error.message}`)
  if (back.value.document !== ENTRIES.document) fail('readAudioTag(written)', `read back ${show(back.value.document, 120)}, not the document written`)
  const after = await callAsync('audioEssence(written)', () => audioEssence(written.value))
  if (!after.ok || !deepEqual(after.value, essence.value)) fail('audioEssence(written)', `writing changed the essence: ${show(essence.value)} → ${after.ok ? show(after.value) : after.error.message}`)
  if (!removal) return
  const removed = await callAsync('removeAudioTag(written)', () => removeAudioTag(written.value))
  if (!removed.ok) return
  const gone = await callAsync('readAudioTag(removed)', () => readAudioTag(removed.value))
  if (gone.ok && gone.value.document === ENTRIES.document) fail('removeAudioTag', 'the document is still there after removal')
  const final = await callAsync('audioEssence(removed)', () => audioEssence(removed.value))
  if (!final.ok || !deepEqual(final.value, essence.value)) fail('audioEssence(removed)', `removing changed the essence: ${show(essence.value)} → ${final.ok ? show(final.value) : final.error.message}`)
}

function safeJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A cheap deterministic coin from the input itself (check() sees only the input). */
export const coin = (b: Uint8Array): boolean => ((b.length * 2654435761) >>> 0) % 10 < 3

/** The target of one container. */
export function audioTarget(format: AudioFormat): Target<Uint8Array> {
  return defineTarget<Uint8Array>({
    name: `audio-${format}`,
    about: `${format} container: readAudioTag, audioEssence, planAudioWrite, writeAudioTag/removeAudioTag on mutated fixtures`,
    codec: bytesCodec,
    ext: audioExt,
    shrink: 'bytes',
    async load() {
      const seeds = await stampedSeeds([format])
      if (seeds.length === 0) throw new Error(`no fixtures for ${format}`)
      const all = seeds.map((s) => s.bytes)
      return {
        seeds: all,
        mutate: (r: Rng) => mutateBytes(r.pick(all), r, all).bytes,
        check: (bytes: Uint8Array) => checkAudio(bytes, coin(bytes)),
      }
    },
  })
}
