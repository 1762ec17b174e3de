/**
 * The chunk machinery shared by WAV (RIFF, RF64, BW64) and AIFF/AIFF-C (docs/spec.md §10.8,
 * §10.9): the chunk walker, the ID3 chunk, and the planner that writes in place through padding
 * chunks or rewrites the file. Internal to the audio carriers.
 *
 * @module
 */
export { IFF_LIMITS, id3PaddingFor } from './limits.js'
export {
  chunkBytes,
  fillerHeader,
  payloadOffset,
  walkChunks,
  writeU32,
  PADDING_IDS,
  SIZE_IN_DS64,
  type IffChunk,
  type IffFormat,
  type WalkOptions,
} from './chunks.js'
export { ID3_CHUNK_IDS, id3ChunkEdit, id3Findings, newId3ChunkPiece, readId3Chunk, type Id3Chunk } from './id3-chunk.js'
export { planChunkEdits, type ChunkChanges, type ChunkEdit, type ChunkFile, type Piece } from './plan.js'
