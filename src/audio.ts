/**
 * `noai-tag/audio`: the NoAI Tag in audio files (docs/spec.md §10). Read, write, replace and remove
 * the tag, compute the essence digest a signed tag binds to, and read the other AI-usage signals
 * embedded in audio (IPTC/PLUS DataMining in XMP, C2PA presence). Web APIs only: works on bytes,
 * Blobs and any random-access ByteSource; container parsers load lazily, one per format met.
 *
 * @example
 * ```ts
 * import { readAudioTag, writeAudioTag, audioEssence } from 'noai-tag/audio'
 * const digest = await audioEssence(bytes)
 * const stamped = await writeAudioTag(bytes, { tag: { version: 1, subject: { essence: [digest] }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' } })
 * (await readAudioTag(stamped)).readable // 'train-ai=n'
 * ```
 *
 * @module noai-tag/audio
 */
export { detectAudioFormat } from './audio/detect-audio-format.js'
export { readAudioTag, type AudioTagReport, type AudioReadOptions } from './audio/read-audio-tag.js'
export { audioEssence, type AudioEssenceOptions } from './audio/audio-essence.js'
export { writeAudioTag } from './audio/write-audio-tag.js'
export { removeAudioTag } from './audio/remove-audio-tag.js'
export { planAudioWrite } from './audio/plan-audio-write.js'
export { applyAudioPlan } from './audio/apply-plan.js'
export { audioTagEntries, type AudioTagInput } from './audio/tag-entries.js'
export { fromBytes, fromBlob, fromStream, MAX_STREAM_BUFFER_BYTES } from './audio/source.js'
export { fromUrl, UrlFetchError, URL_SOURCE_LIMITS, type UrlSourceOptions, type UrlByteSource } from './audio/http-source.js'
export { createSha256 } from './audio/hash.js'
export { AUDIO_LIMITS } from './audio/limits.js'
export { MalformedAudioError, UnsupportedFormatError, type UnsupportedFormatCode } from './audio/errors.js'
export type { AudioInput } from './audio/_input.js'
export type {
  AudioFormat,
  ByteSource,
  Hasher,
  HasherFactory,
  ForeignMetadata,
  ContainerTags,
  TagEntries,
  EditSegment,
  EditPlan,
} from './audio/types.js'
