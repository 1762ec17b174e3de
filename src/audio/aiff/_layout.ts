// The layout of an AIFF or AIFF-C file (docs/spec.md §10.9.1): the `FORM` header and the
// top-level chunks. Reads only the 12-byte header and 8-byte chunk headers. Internal.
import { LimitExceededError } from '../../errors.js'
import { ascii, peekExact, readExact, u32be } from '../_read.js'
import { MalformedAudioError } from '../errors.js'
import { IFF_LIMITS, walkChunks, type IffChunk } from '../iff/index.js'
import type { ByteSource } from '../types.js'

/** Where things are in an AIFF file. */
export interface AiffLayout {
  /** `AIFF`, or `AIFC` for AIFF-C. */
  readonly formType: 'AIFF' | 'AIFC'
  /** The 12-byte header. */
  readonly head: Uint8Array
  readonly chunks: readonly IffChunk[]
  /** End of the FORM chunk's contents (the file size, unless bytes follow the FORM chunk). */
  readonly bodyEnd: number
  readonly warnings: readonly string[]
}

/**
 * Reads the layout of an AIFF or AIFF-C file.
 *
 * @throws MalformedAudioError for a missing `FORM` + `AIFF`/`AIFC` header, a FORM size running past
 *   the end of the file (a truncated file) or a damaged chunk list; LimitExceededError for too many
 *   chunks.
 *
 * @example
 * ```ts
 * const layout = await readAiffLayout(source)
 * layout.chunks.map((c) => c.id) // ['COMM', 'SSND', 'ID3 ']
 * ```
 */
export async function readAiffLayout(source: ByteSource, signal?: AbortSignal): Promise<AiffLayout> {
  const F = IFF_LIMITS.fileHeaderBytes
  const head = peekExact(source, 0, Math.min(F, source.size), signal) ?? (await readExact(source, 0, Math.min(F, source.size), 'aiff', 'FORM header', signal))
  const formType = ascii(head, 8, 12)
  if (head.length < F || ascii(head, 0, 4) !== 'FORM' || (formType !== 'AIFF' && formType !== 'AIFC')) throw new MalformedAudioError('aiff', 'no FORM AIFF/AIFC header', 0)
  const size = u32be(head, 4)
  const declaredEnd = 8 + size
  const warnings: string[] = []
  if (declaredEnd > source.size + 1) throw new MalformedAudioError('aiff', `FORM size ${size} runs past the end of the file (${source.size} bytes): the file is truncated`, 4)
  let bodyEnd = declaredEnd
  if (declaredEnd === source.size + 1) {
    warnings.push('AIFF: the FORM size counts a pad byte missing at the end of the file')
    bodyEnd = source.size
  } else if (declaredEnd < source.size) {
    warnings.push(`AIFF: ${source.size - declaredEnd} bytes after the end of the FORM chunk (kept as they are)`)
  }
  if (bodyEnd < F) throw new MalformedAudioError('aiff', `FORM size ${size} is smaller than its header`, 4)
  const walked = await walkChunks(source, { format: 'aiff', littleEndian: false, start: F, end: bodyEnd, container: 'FORM', signal })
  return { formType, head, chunks: walked.chunks, bodyEnd, warnings: [...warnings, ...walked.warnings] }
}

/**
 * The 12-byte header of a rewritten file whose FORM chunk ends at `containerEnd`.
 *
 * @throws LimitExceededError when the file would pass 4 GiB.
 *
 * @example
 * ```ts
 * const head = rewrittenHead(layout, newLength) // FORM size = newLength - 8
 * ```
 */
export function rewrittenHead(layout: AiffLayout, containerEnd: number): Uint8Array {
  const out = layout.head.slice()
  const size = containerEnd - 8
  if (size > IFF_LIMITS.maxSize32) throw new LimitExceededError('maxSize32', IFF_LIMITS.maxSize32, size, 'FORM size of the rewritten file')
  new DataView(out.buffer).setUint32(4, size, false)
  return out
}
