// Test helpers for cross-checks with real tools (ffmpeg, exiftool, mutagen, flac, id3v2, mp3val...).
// Each cross-check test skips when its tool is missing, naming the tool: `it.skipIf(!has('x'))('... (needs x)')`.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** The Python that has mutagen installed (not `python3` on PATH, which may be another one). */
export const PY = '/usr/bin/python3'

const cache = new Map<string, boolean>()

/**
 * Tells whether a tool can be run: a command on PATH, an absolute path, or `mutagen` (the Python
 * module, importable by {@link PY}).
 */
export function has(tool: string): boolean {
  const known = cache.get(tool)
  if (known !== undefined) return known
  let ok: boolean
  if (tool === 'mutagen') {
    ok = existsSync(PY) && spawnSync(PY, ['-c', 'import mutagen'], { stdio: 'ignore' }).status === 0
  } else if (tool.startsWith('/')) {
    ok = existsSync(tool)
  } else {
    const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' })
    ok = r.status === 0
  }
  cache.set(tool, ok)
  return ok
}

/** What a tool run produced. */
export interface ToolRun {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a tool (no shell) and returns its exit status and output, as text. Never throws on a non-zero exit. */
export function run(tool: string, args: readonly string[], options: { readonly input?: string | Uint8Array; readonly timeoutMs?: number } = {}): ToolRun {
  const r = spawnSync(tool, args, {
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 60_000,
  })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Runs a tool and returns its standard output as bytes (for binary outputs such as `ffmpeg -f data -`). */
export function runBytes(tool: string, args: readonly string[], options: { readonly timeoutMs?: number } = {}): Uint8Array {
  const r = spawnSync(tool, args, { maxBuffer: 1024 * 1024 * 1024, timeout: options.timeoutMs ?? 60_000 })
  if (r.error) throw r.error
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited with ${r.status}: ${r.stderr.toString()}`)
  return new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength)
}

/** Runs a tool and throws when it exits non-zero; returns its standard output. */
export function runOk(tool: string, args: readonly string[], options: { readonly input?: string | Uint8Array; readonly timeoutMs?: number } = {}): string {
  const r = run(tool, args, options)
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} exited with ${r.status}: ${r.stderr}`)
  return r.stdout
}

/**
 * The format-level and stream-level tags ffprobe shows, merged (stream tags win), with keys as
 * ffprobe prints them (ffprobe keeps the case of TXXX descriptions and Vorbis comment names).
 */
export function ffprobeTags(file: string): Record<string, string> {
  const out = runOk('ffprobe', ['-v', 'error', '-show_entries', 'format_tags:stream_tags', '-of', 'json', file])
  const j = JSON.parse(out) as { format?: { tags?: Record<string, string> }; streams?: { tags?: Record<string, string> }[] }
  const tags: Record<string, string> = { ...(j.format?.tags ?? {}) }
  for (const s of j.streams ?? []) Object.assign(tags, s.tags ?? {})
  return tags
}

/** Looks a key up case-insensitively in a tag map (tools differ in the case they print). */
export function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = Object.keys(tags).find((x) => x.toLowerCase() === key.toLowerCase())
  return k === undefined ? undefined : tags[k]
}

/** MD5 of the decoded audio (`ffmpeg -v error -i f -map 0:a -f md5 -`), e.g. `MD5=0123...`. */
export function decodedMd5(file: string): string {
  return runOk('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:a', '-f', 'md5', '-']).trim()
}

/** `ffmpeg -v error -i f -f null -` prints nothing for a clean file: returns what it printed. */
export function ffmpegErrors(file: string): string {
  const r = run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'])
  return (r.stderr + (r.status === 0 ? '' : `\nexit ${r.status}`)).trim()
}
