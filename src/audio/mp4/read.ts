// Reading our entries from an MP4 file (docs/spec.md §10.7.5): box headers only down
// moov/udta/meta/ilst, the `----` items of ours, the first audio track's `stsd`, and the XMP/C2PA
// boxes. `mdat` and the sample tables are never read. Internal.
import type { ByteSource, ContainerOptions, ContainerTags, ForeignMetadata } from '../types.js'
import { find, payloadOf } from './_box.js'
import { trackCodec } from './_codec.js'
import { readForeign } from './_foreign.js'
import { readItems, type IlstItem } from './_ilst.js'
import { BoxIO } from './_io.js'
import { audioTracks, readChain, readLayout, readTracks } from './_layout.js'

/** Reads our entries, the codec and the foreign metadata of an MP4/M4A file. */
export async function readMp4(source: ByteSource, options: ContainerOptions = {}): Promise<ContainerTags> {
  const io = new BoxIO(source, options.signal)
  const layout = await readLayout(io)
  const audio = audioTracks(await readTracks(io, layout))
  const codec = await trackCodec(io, audio[0]!)
  const chain = await readChain(io, layout)
  const items = chain.ilst ? await readItems(io, chain.ilst, { values: true }) : []
  const warnings: string[] = []
  if (layout.trailingBytes > 0) warnings.push(`${layout.trailingBytes} bytes after the last top-level box ignored`)
  const readable = pick(items, 'readable', warnings)
  const document = pick(items, 'document', warnings)
  const foreign: ForeignMetadata[] = await readForeign(io, layout.top, chain.udtaChildren)
  const mdat = find(layout.top, 'mdat')
  return {
    format: 'mp4',
    ...(codec === undefined ? {} : { codec }),
    ...(readable === undefined ? {} : { readable }),
    ...(document === undefined ? {} : { document }),
    foreign,
    warnings,
    ...(mdat ? { essenceOffset: payloadOf(mdat) } : {}),
  }
}

/** The first readable value of one of our keys; later copies and unreadable items become warnings. */
function pick(items: readonly IlstItem[], key: 'readable' | 'document', warnings: string[]): string | undefined {
  const name = key === 'readable' ? 'NOAI' : 'NOAI_TAG'
  let value: string | undefined
  for (const item of items) {
    if (item.key !== key) continue
    if (item.problem !== undefined) warnings.push(`----:com.apple.iTunes:${name} item at offset ${item.box.start} ${item.problem}; ignored`)
    else if (value === undefined) value = item.value
    else warnings.push(`second ----:com.apple.iTunes:${name} item at offset ${item.box.start} ignored`)
  }
  return value
}
