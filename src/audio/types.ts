/**
 * The contract between the audio API (noai-tag/audio) and the container modules
 * (src/audio/<format>/), and the shapes callers see (docs/spec.md §10).
 *
 * @module
 */
import type { EssenceDigest } from '../model/tag.js'

/** The containers of v1, named as in `EssenceDigest.format` (Ogg covers Vorbis and Opus). */
export type AudioFormat = EssenceDigest['format']

/**
 * Random-access bytes: the one input every container reader uses. `read` returns exactly
 * `length` bytes, or fewer only when the range runs past `size`.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number
  /** Reads `length` bytes at `offset`. */
  read(offset: number, length: number, options?: { readonly signal?: AbortSignal }): Promise<Uint8Array>
}

/** An incremental SHA-256 (the core uses @noble/hashes; noai-tag/node plugs in node:crypto). */
export interface Hasher {
  update(bytes: Uint8Array): void
  digest(): Uint8Array
}

/** Makes a fresh {@link Hasher}. */
export type HasherFactory = () => Hasher

/** Metadata of others that the reader reports (never rewrites): XMP packets and C2PA manifest stores. */
export interface ForeignMetadata {
  /** What it is. */
  readonly kind: 'xmp' | 'c2pa'
  /** Where it was found, e.g. `ID3v2 PRIV XMP`, `RIFF _PMX`, `MP4 uuid be7acfcb-…`, `ID3v2 GEOB application/c2pa`. */
  readonly location: string
  /** Byte offset of the payload in the file. */
  readonly offset: number
  /** Payload length in bytes. */
  readonly length: number
  /** The payload, for XMP only, when not larger than `AUDIO_LIMITS.maxXmpBytes`. */
  readonly bytes?: Uint8Array
}

/** What a container module finds in one file. */
export interface ContainerTags {
  readonly format: AudioFormat
  /** The codec, when known: `mp3`, `flac`, `vorbis`, `opus`, `aac`, `alac`, `pcm`... */
  readonly codec?: string
  /** The readable line (key `NOAI`), exactly as stored (trailing NULs removed). */
  readonly readable?: string
  /** The full document (key `NOAI_TAG`): a compact JWS or the tag's JSON, exactly as stored. */
  readonly document?: string
  /**
   * Further `NOAI_TAG` values, when the file holds more than one (it should not; a reader reports
   * it and treats each valid one as a separate statement, docs/spec.md §8.3).
   */
  readonly moreDocuments?: readonly string[]
  /** Other people's XMP and C2PA data found in the file. */
  readonly foreign: readonly ForeignMetadata[]
  /** Tolerated oddities (a second ID3v2 tag, non-syncsafe sizes, a missing pad byte...). */
  readonly warnings: readonly string[]
  /** Byte offset where the audio essence starts (for "in place really is in place" checks). */
  readonly essenceOffset?: number
}

/** The entries to store: both keys, as strings (ASCII JSON or a compact JWS; the compact form). */
export interface TagEntries {
  /** Value of the `NOAI` key: the compact form of the usage. */
  readonly readable: string
  /** Value of the `NOAI_TAG` key: a compact JWS or the tag document's JSON (ASCII only). */
  readonly document: string
}

/** One piece of the new file: bytes to write, or a range of the old file to copy. */
export type EditSegment = { readonly bytes: Uint8Array } | { readonly copyFrom: number; readonly length: number }

/**
 * How to turn the old file into the new one (docs/spec.md §10, writing):
 * - `in-place`: the file size does not change; only the given ranges (all inside metadata) are
 *   overwritten; the audio does not move;
 * - `rewrite`: the new file is the concatenation of the segments (copies of the old file's audio
 *   and other metadata, plus new bytes);
 * - `unchanged`: nothing to do (e.g. removing a tag that is not there).
 */
export type EditPlan =
  | { readonly kind: 'in-place'; readonly patches: readonly { readonly offset: number; readonly bytes: Uint8Array }[] }
  | { readonly kind: 'rewrite'; readonly segments: readonly EditSegment[] }
  | { readonly kind: 'unchanged' }

/** Options every container operation takes. */
export interface ContainerOptions {
  readonly signal?: AbortSignal
  /**
   * Makes further SHA-256 hashers a container's essence may need besides the one it feeds (the Ogg
   * essence hashes each stream's packet lengths apart, docs/spec.md §10.6.5). Default: `createSha256`.
   */
  readonly createHasher?: HasherFactory
}

/** A container module (src/audio/<format>/index.ts exports one as `handler`). */
export interface ContainerHandler {
  readonly format: AudioFormat
  /** Reads our entries and reports foreign metadata; reads only metadata regions. */
  read(source: ByteSource, options?: ContainerOptions): Promise<ContainerTags>
  /** Feeds the essence bytes, as the spec defines them for this container, to the hasher. */
  essence(source: ByteSource, hasher: Hasher, options?: ContainerOptions): Promise<void>
  /** Plans writing (or, with `null`, removing) our entries, preserving everything else byte for byte. */
  planWrite(source: ByteSource, entries: TagEntries | null, options?: ContainerOptions): Promise<EditPlan>
}
