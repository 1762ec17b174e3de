/**
 * The Vorbis comment codec shared by the FLAC and Ogg (Vorbis, Opus) modules (internal).
 *
 * @module
 */
export { parseVorbisComment, fieldKey } from './parse.js'
export type { VorbisComment, VorbisField, ParseVorbisCommentOptions } from './parse.js'
export { serializeVorbisComment, vorbisCommentLength } from './serialize.js'
export { readOurVorbisEntries, withOurVorbisEntries, encodeEntries, NEW_VENDOR } from './entries.js'
export type { OurVorbisEntries } from './entries.js'
export { VORBIS_COMMENT_LIMITS } from './limits.js'
