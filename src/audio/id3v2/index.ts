/**
 * The ID3v2 codec (ID3v2.3 and ID3v2.4; v2.2 read only), shared by MP3 and the `id3 `/`ID3 `
 * chunks of WAV and AIFF (docs/spec.md §10.4). Internal to the audio carriers.
 *
 * @module
 */
export { ID3V2_LIMITS } from './limits.js'
export { ID3V2_FLAGS, isId3v2Header, parseId3v2Footer, parseId3v2Header, type Id3v2Header } from './header.js'
export { parseId3v2, type Id3v2Frame, type Id3v2Tag, type ParseId3v2Options, type FrameSizeMode } from './tag.js'
export { findOurEntries, ourEntryKind, type Id3v2OurEntries, type OurEntryKind } from './entries.js'
export { foreignOfFrames } from './foreign.js'
export { decodeTxxx, buildTxxx, type TxxxValue } from './txxx.js'
export { rewriteId3v2, newId3v2Tag, serializeId3v2, replaceOurFrames, equalBytes, type Id3v2Rewrite, type Id3v2Layout } from './build.js'
