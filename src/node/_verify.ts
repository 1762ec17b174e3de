// Checking a written file before committing it (docs/spec.md §10.3): re-read with the container
// reader, our entries must be exactly the expected ones, and (after a rewrite) the essence digest
// must equal the original's. Internal.
import type { ByteSource, ContainerHandler, TagEntries } from '../audio/types.js'
import { toHex } from '../audio/_hex.js'
import { AudioFileError } from './errors.js'
import { createNodeSha256 } from './node-sha256.js'

/** The essence digest (hex) of a source, with node:crypto. */
export async function essenceHex(handler: ContainerHandler, source: ByteSource, signal: AbortSignal | undefined): Promise<string> {
  const h = createNodeSha256()
  await handler.essence(source, h, { createHasher: createNodeSha256, ...(signal ? { signal } : {}) })
  return toHex(h.digest())
}

/** Throws AudioFileError('verification-failed') unless the source holds exactly `entries` (none for `null`). */
export async function verifyEntries(handler: ContainerHandler, source: ByteSource, entries: TagEntries | null, path: string): Promise<void> {
  const c = await handler.read(source)
  const ok = entries ? c.readable === entries.readable && c.document === entries.document && !c.moreDocuments?.length : c.readable === undefined && c.document === undefined
  if (!ok) throw new AudioFileError(path, 'verification-failed', 'the written file does not read back with the expected NoAI entries')
}
