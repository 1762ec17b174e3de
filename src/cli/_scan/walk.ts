/**
 * Walking a folder tree for `noai scan DIR`: depth first, each folder's entries sorted by name, so
 * that every run (and every shard) sees the files in the same order. Streaming: only the entries of
 * the folders on the current path are held, never the list of all files.
 *
 * @module
 */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { itemError } from './item-error.js'
import type { ScanItem } from './types.js'

interface Entry {
  readonly name: string
  /** `dir`, `file`, `link` (to be resolved) or `other` (FIFOs, sockets, devices: skipped). */
  readonly type: 'dir' | 'file' | 'link' | 'other'
}

/** The entries of one folder, sorted by name (UTF-16 code unit order, the same everywhere). */
async function entriesOf(dir: string): Promise<Entry[]> {
  // One folder's entries are needed at once to sort them; the files of the tree never are.
  const dirents = await readdir(dir, { withFileTypes: true })
  const entries = dirents.map((d): Entry => ({ name: d.name, type: d.isDirectory() ? 'dir' : d.isFile() ? 'file' : d.isSymbolicLink() ? 'link' : 'other' }))
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** Counts of what the walk left out, and files it must not yield. */
export interface WalkStats {
  /** Absolute paths never yielded (the report being written, when it lies inside the folder). */
  exclude?: ReadonlySet<string>
  /** Symbolic links to a folder already on the current path (a loop): not followed. */
  loops: number
  /** FIFOs, sockets and devices: not files. */
  skipped: number
}

/** Files handed over at once at most: a folder's files come in batches of this many. */
const BATCH_FILES = 256

/**
 * The files under `root`, as paths joined to `root` as given (`data/a/b.mp3`), in batches (the
 * files of one folder between its subfolders, at most {@link BATCH_FILES} at a time): one step of
 * the async generators per batch, not per file. Symbolic links are followed, except to a folder
 * that is already on the current path (a loop). A folder that cannot be read is yielded once as an
 * `unreadable` item; a broken link as a file (reading it fails and is reported).
 *
 * @example
 * ```ts
 * for await (const batch of walkFileBatches('dataset')) for (const item of batch) console.log(item.key)
 * ```
 */
export async function* walkFileBatches(root: string, stats: WalkStats = { loops: 0, skipped: 0 }): AsyncGenerator<ScanItem[]> {
  const top = await stat(root)
  // The base names of the excluded paths: a cheap test before resolving a file's path.
  const excludedNames = stats.exclude !== undefined ? new Set([...stats.exclude].map((p) => path.basename(p))) : undefined
  yield* walkDir(root, new Set([`${top.dev}:${top.ino}`]), stats, excludedNames)
}

/**
 * The files under `root` one by one (see {@link walkFileBatches}).
 *
 * @example
 * ```ts
 * for await (const item of walkFiles('dataset')) console.log(item.key)
 * ```
 */
export async function* walkFiles(root: string, stats: WalkStats = { loops: 0, skipped: 0 }): AsyncGenerator<ScanItem> {
  for await (const batch of walkFileBatches(root, stats)) yield* batch
}

async function* walkDir(dir: string, ancestors: Set<string>, stats: WalkStats, excludedNames: ReadonlySet<string> | undefined): AsyncGenerator<ScanItem[]> {
  let entries: Entry[]
  try {
    entries = await entriesOf(dir)
  } catch (e) {
    yield [{ kind: 'unreadable', key: dir, error: itemError(e) }]
    return
  }
  // An entry's name is one plain component (never `.`, `..` or with a separator), so its path is
  // the folder's prefix and the name: one path.join per folder instead of one per file.
  const prefix = path.join(dir, '_').slice(0, -1)
  let batch: ScanItem[] = []
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!
    const full = prefix + e.name
    let type = e.type
    let id: string | undefined
    if (type === 'dir' || type === 'link') {
      try {
        const s = await stat(full)
        id = `${s.dev}:${s.ino}`
        type = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other'
      } catch {
        // A broken link (or an entry removed meanwhile): reported by the file step.
        type = 'file'
      }
    }
    if (type === 'other') {
      stats.skipped++
      continue
    }
    if (type === 'file') {
      if (excludedNames !== undefined && excludedNames.has(e.name) && stats.exclude!.has(path.resolve(full))) continue
      batch.push({ kind: 'path', key: full })
      if (batch.length >= BATCH_FILES) {
        yield batch
        batch = []
      }
      continue
    }
    if (ancestors.has(id!)) {
      stats.loops++
      continue
    }
    // The files before a subfolder come before its files.
    if (batch.length > 0) {
      yield batch
      batch = []
    }
    ancestors.add(id!)
    yield* walkDir(full, ancestors, stats, excludedNames)
    ancestors.delete(id!)
  }
  if (batch.length > 0) yield batch
}
