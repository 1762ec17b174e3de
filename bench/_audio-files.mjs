// Test files of bench/audio.mjs, generated at bench time (never committed). Files made by ffmpeg
// are cached under .tmp/bench-audio/, named by their parameters (and GENERATOR, bumped when the
// recipe changes), so that a rerun does not encode again; they are written to a temp name and
// renamed, so an interrupted run leaves no half file in the cache. Stamped copies and the sparse
// 1 GiB WAV are made afresh in a per-run folder (stamping depends on the code being measured).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** Bump when a recipe below changes: the cached files are then made again. */
const GENERATOR = 'v1'

/** The cache folder (inside the repository's ignored .tmp/). */
export const CACHE = fileURLToPath(new URL('../.tmp/bench-audio/', import.meta.url))

/** Whether ffmpeg can be run. */
export const HAS_FFMPEG = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0

function ffmpeg(args) {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-y', ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
}

/** Returns the cached file `name`, making it with `make(tmpPath)` when it is not there yet. */
function cached(name, make) {
  mkdirSync(CACHE, { recursive: true })
  const path = `${CACHE}${GENERATOR}-${name}`
  if (existsSync(path)) return path
  const tmp = `${CACHE}.${GENERATOR}-${name}.${process.pid}.tmp${name.slice(name.lastIndexOf('.'))}`
  try {
    const started = performance.now()
    make(tmp)
    renameSync(tmp, path)
    console.log(`  made ${path.slice(CACHE.length)} (${mb(statSync(path).size)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    rmSync(tmp, { force: true })
  }
  return path
}

/** Size in MB (10^6 bytes), for messages and tables. */
export const mb = (bytes) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`

/** White noise, 44.1 kHz stereo (the two channels are the same signal). */
const noise = (seconds, rate = 44100) => ['-f', 'lavfi', '-i', `anoisesrc=sample_rate=${rate}:amplitude=0.3:duration=${seconds}:seed=7`, '-ac', '2']

/** Encoder arguments per container of the tag-read comparison: codecs and bit rates people use. */
const ENCODE = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '320k'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '8'],
  opus: ['-c:a', 'libopus', '-b:a', '256k'],
  wav: ['-c:a', 'pcm_s16le'],
  aiff: ['-c:a', 'pcm_s16be'],
}

/** An AAC segment of 30 s (the native encoder is slow: longer M4A files are copies of it, joined). */
function aacSegment() {
  return cached('noise-30s-aac320.m4a', (tmp) => ffmpeg([...noise(30), '-c:a', 'aac', '-b:a', '320k', tmp]))
}

/**
 * An M4A (AAC) of `copies` copies of the 30 s segment joined with `ffmpeg -f concat -c copy`:
 * moov at the end, after mdat (ffmpeg's default layout).
 */
function m4aOfCopies(copies) {
  const seg = aacSegment()
  if (copies === 1) return seg
  return cached(`noise-${copies * 30}s-aac320.m4a`, (tmp) => {
    const list = `${tmp}.txt`
    writeFileSync(list, `${Array.from({ length: copies }, () => `file '${seg.replace(/'/g, "'\\''")}'`).join('\n')}\n`)
    try {
      ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-map', '0', '-c', 'copy', tmp])
    } finally {
      rmSync(list, { force: true })
    }
  })
}

/**
 * The files of the tag-read comparison and of the essence throughput: one per container, `seconds`
 * long (a multiple of 30), unstamped. Keys: mp3, flac, ogg (Vorbis), opus, m4a, wav, aiff.
 */
export function containerFiles(seconds) {
  const out = {}
  for (const [key, args] of Object.entries(ENCODE)) {
    const ext = key === 'ogg' ? 'ogg' : key
    out[key] = cached(`noise-${seconds}s-${args.filter((a) => !a.startsWith('-')).join('-')}.${ext}`, (tmp) => ffmpeg([...noise(seconds), ...args, tmp]))
  }
  out.m4a = m4aOfCopies(seconds / 30)
  return out
}

/** A moov-at-end M4A of at least `bytes` bytes (AAC 320 kb/s segments joined). */
export function bigM4a(bytes) {
  return m4aOfCopies(Math.ceil(bytes / statSync(aacSegment()).size))
}

/**
 * A FLAC of about `bytes` bytes (noise, 48 kHz stereo 16 bit, ffmpeg's encoder), with ffmpeg's
 * 8 KiB PADDING block; every frame valid (`flac -t` passes), so ffmpeg can remux it.
 */
export function bigFlac(bytes) {
  return cached(`noise-${bytes}B-flac.flac`, (tmp) =>
    ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=sample_rate=48000:amplitude=0.5:duration=1000000:seed=7', '-ac', '2', '-sample_fmt', 's16', '-c:a', 'flac', '-fs', String(bytes), tmp]),
  )
}

/** Top-level ISO BMFF boxes of a file: [{ type, offset, size }]. */
export async function topLevelBoxes(path) {
  const h = await open(path, 'r')
  try {
    const { size } = await h.stat()
    const out = []
    const b = Buffer.alloc(16)
    for (let at = 0; at + 8 <= size; ) {
      await h.read(b, 0, 16, at)
      let n = b.readUInt32BE(0)
      if (n === 1) n = Number(b.readBigUInt64BE(8))
      else if (n === 0) n = size - at
      if (n < 8) throw new Error(`${path}: bad box size ${n} at ${at}`)
      out.push({ type: b.toString('latin1', 4, 8), offset: at, size: n })
      at += n
    }
    return out
  } finally {
    await h.close()
  }
}

// --- The sparse 1 GiB WAV, built by hand (no ffmpeg, no WAV writer of ours needed) -------------

const ascii = (s) => Buffer.from(s, 'latin1')
const u32le = (n) => {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}
const syncsafe = (n) => Buffer.from([(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f])
/** A RIFF chunk with its pad byte. */
const chunk = (id, body) => Buffer.concat([ascii(id), u32le(body.length), body, Buffer.alloc(body.length & 1)])

/** An ID3v2.4 tag with TXXX (UTF-8) frames `[description, value]` (docs/spec.md §9.6). */
export function id3v24(pairs) {
  const frames = pairs.map(([desc, value]) => {
    const body = Buffer.concat([Buffer.from([3]), Buffer.from(desc, 'utf8'), Buffer.from([0]), Buffer.from(value, 'utf8')])
    return Buffer.concat([ascii('TXXX'), syncsafe(body.length), Buffer.alloc(2), body])
  })
  const body = Buffer.concat(frames)
  return Buffer.concat([ascii('ID3'), Buffer.from([4, 0, 0]), syncsafe(body.length), body])
}

/**
 * Writes a WAV whose `data` chunk holds `dataBytes` bytes of silence left as a hole in the file
 * (sparse: header written, then ftruncate), followed by an `id3 ` chunk (ID3v2.4 TXXX NOAI and
 * NOAI_TAG) and a `LIST`/`INFO` chunk with `NOAI` (the readable line), as the spec places them
 * (docs/spec.md §10). Returns the file size.
 */
export async function writeSparseWav(path, dataBytes, entries) {
  const fmt = Buffer.alloc(16)
  fmt.writeUInt16LE(1, 0) // PCM
  fmt.writeUInt16LE(2, 2)
  fmt.writeUInt32LE(44100, 4)
  fmt.writeUInt32LE(44100 * 4, 8)
  fmt.writeUInt16LE(4, 12)
  fmt.writeUInt16LE(16, 14)
  const id3 = chunk('id3 ', id3v24([['NOAI', entries.readable], ['NOAI_TAG', entries.document]]))
  const line = Buffer.concat([ascii(entries.readable), Buffer.from([0])])
  const list = chunk('LIST', Buffer.concat([ascii('INFO'), chunk('NOAI', line)]))
  const head = Buffer.concat([ascii('RIFF'), u32le(0), ascii('WAVE'), chunk('fmt ', fmt), ascii('data'), u32le(dataBytes)])
  const tail = Buffer.concat([Buffer.alloc(dataBytes & 1), id3, list])
  const total = head.length + dataBytes + tail.length
  head.writeUInt32LE(total - 8, 4)
  const h = await open(path, 'w')
  try {
    await h.write(head, 0, head.length, 0)
    await h.truncate(head.length + dataBytes)
    await h.write(tail, 0, tail.length, head.length + dataBytes)
  } finally {
    await h.close()
  }
  return total
}
