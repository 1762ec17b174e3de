// Benchmark: the audio carriers of noai-tag/node (issue 5, Performance). Goals:
//   tag-read-time-<fmt>    music-metadata parseFile time ÷ our readAudioFile time, same file    >= 2
//   tag-read-bytes-<fmt>   bytes music-metadata read ÷ bytes we read (no more than theirs)     >= 1
//   wav-1gib-tag-read-bytes   64 KiB ÷ bytes we read from a 1 GiB WAV, tag after `data`       >= 1
//   m4a-20mb-tag-read-bytes   1 % of the file ÷ bytes we read from a 20 MB moov-at-end M4A    >= 1
//   essence-<fmt>          our audioFileEssence throughput ÷ node:crypto SHA-256 of the raw file >= 0.8
//   flac-stamp-bytes-written  64 KiB ÷ bytes an unsigned in-place stamp writes                >= 1
//   flac-stamp-vs-ffmpeg   `ffmpeg -c copy` remux with the new tag ÷ our in-place stamp, time >= 50
// The signed stamp (essence hash + sign + write) is reported, without a goal.
//
// Files (bench/_audio-files.mjs): noise encoded by ffmpeg, one per container (5 min; 30 s in smoke
// mode), each stamped with our tag before measuring; a 20 MB moov-at-end M4A; a 500 MB FLAC with
// ffmpeg's 8 KiB PADDING (50 MB in smoke mode); a sparse 1 GiB WAV built by hand. WAV and AIFF are
// measured when this build has their container modules, and reported "not available" otherwise.
// Bytes read are counted on FileHandle.prototype.read for both sides (bench/_audio-measure.mjs);
// ours must also equal fileSource().bytesRead. Without ffmpeg only the WAV line runs.
// Run `npm run build` first; BENCH_SMOKE=1 for a short run (see bench/README.md).
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseFile } from 'music-metadata'
import { RUNS, SMOKE, dist, finish, fmt, median, result, table } from './_lib.mjs'
import { compareAsync, countReads, countWrites } from './_audio-measure.mjs'
import { HAS_FFMPEG, bigFlac, bigM4a, containerFiles, mb, topLevelBoxes, writeSparseWav } from './_audio-files.mjs'

const audio = await import(pathToFileURL(dist('audio.js')).href)
const node = await import(pathToFileURL(dist('node.js')).href)
const { signTag } = await import(pathToFileURL(dist('sign.js')).href)

const SECONDS = SMOKE ? 30 : 300
const FLAC_BYTES = SMOKE ? 50_000_000 : 500_000_000
const M4A_BYTES = 20_000_000
const WAV_DATA_BYTES = 2 ** 30
const KIB64 = 64 * 1024
const MM_OPTIONS = { skipCovers: true, duration: false }
/** The containers of the comparison: [key, file extension, our format name, label]. */
const CONTAINERS = [
  ['mp3', 'mp3', 'mp3', 'MP3 (ID3v2.4)'],
  ['flac', 'flac', 'flac', 'FLAC'],
  ['ogg', 'ogg', 'ogg', 'Ogg Vorbis'],
  ['opus', 'opus', 'ogg', 'Ogg Opus'],
  ['m4a', 'm4a', 'mp4', 'M4A (AAC)'],
  ['wav', 'wav', 'wav', 'WAV'],
  ['aiff', 'aiff', 'aiff', 'AIFF'],
]

/** Per-run folder for stamped copies, the sparse WAV and the FLAC under test (removed at the end). */
const work = mkdtempSync(join(tmpdir(), 'noai-bench-audio-'))

const fail = (what) => {
  console.error(`bench/audio: ${what}`)
  rmSync(work, { recursive: true, force: true })
  process.exit(2)
}

const tagOf = (subject, issued = '2026-11-26T00:00:00Z') => ({
  version: 1,
  issuer: 'https://label.example',
  subject,
  rightsHolder: { name: 'Example Records' },
  usage: { 'train-ai': 'denied', 'ai-input': 'denied', search: 'allowed' },
  issued,
})

/** Whether this build reads `format` (a container module not registered yet is refused with its name). */
async function available(path, format) {
  try {
    await node.readAudioFile(path)
    return true
  } catch (e) {
    if (e?.code === 'ERR_NOAI_UNSUPPORTED_FORMAT' && e.format === format) return false
    throw e
  }
}

/** Our read of a file through fileSource, with its byte count; the entries must be `entries`. */
async function ourRead(path, entries) {
  const source = await node.fileSource(path)
  let report
  try {
    report = await audio.readAudioTag(source)
  } finally {
    await source.close()
  }
  if (report.readable !== entries.readable || report.document !== entries.document) fail(`${path}: readAudioTag does not return the entries written`)
  const counted = await countReads(() => node.readAudioFile(path))
  if (counted.bytes !== source.bytesRead) fail(`${path}: fileSource counted ${source.bytesRead} bytes, FileHandle.read ${counted.bytes}`)
  return { bytes: source.bytesRead, reads: source.reads }
}

/** The text of a music-metadata native tag value (TXXX values may come as objects). */
const textOf = (v) => (typeof v === 'string' ? v : typeof v?.text === 'string' ? v.text : Array.isArray(v?.text) ? v.text.join('') : undefined)

/** music-metadata must find both of our entries (key NOAI / NOAI_TAG in any tag family). */
function mmFinds(meta, entries) {
  const tags = Object.values(meta.native).flat()
  const has = (key, value) => tags.some((t) => String(t.id).split(':').pop().toUpperCase() === key && textOf(t.value) === value)
  return has('NOAI', entries.readable) && has('NOAI_TAG', entries.document)
}

async function rawSha256(path) {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) h.update(chunk)
  return h.digest('hex')
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    p.stderr.on('data', (d) => (err += d))
    p.on('error', reject)
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${err}`))))
  })
}

async function syncFile(path) {
  const h = await open(path, 'r+')
  await h.sync()
  await h.close()
}

const outcomes = []
const mmVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('music-metadata')), 'utf8')).version
console.log(`audio: ${SMOKE ? 'smoke run' : 'full run'}, median of ${RUNS}, Node ${process.versions.node}, music-metadata ${mmVersion}, load average ${loadavg()[0].toFixed(1)}`)
if (!HAS_FFMPEG) console.log('ffmpeg not found: the lines that need ffmpeg-made files are skipped (tag read vs music-metadata, M4A, essence, FLAC stamp); CI installs ffmpeg')
try {
  // --- Files ------------------------------------------------------------------------------------
  const files = HAS_FFMPEG ? containerFiles(SECONDS) : {}
  const stamped = {}
  const unavailable = []
  if (HAS_FFMPEG) {
    for (const [key, ext, format, label] of CONTAINERS) {
      const path = join(work, `stamped-${key}.${ext}`)
      copyFileSync(files[key], path)
      if (!(await available(path, format))) {
        unavailable.push(label)
        continue
      }
      const essence = await node.audioFileEssence(path)
      const entries = audio.audioTagEntries({ tag: tagOf({ essence: [essence] }) })
      await node.writeAudioFile(path, { tag: tagOf({ essence: [essence] }) })
      stamped[key] = { path, base: files[key], format, label, entries, essence, size: statSync(path).size }
    }
  }

  // --- Tag read against music-metadata ---------------------------------------------------------
  if (HAS_FFMPEG) {
    console.log(`\ntag read: readAudioFile vs music-metadata parseFile(path, { skipCovers: true, duration: false }), ${SECONDS} s files stamped with our tag`)
    const rows = [['file', 'size', 'ours ms', 'm-m ms', 'm-m/ours time', 'ours bytes (reads)', 'm-m bytes (reads)', 'm-m/ours bytes']]
    for (const [key] of CONTAINERS) {
      const s = stamped[key]
      if (!s) continue
      const ours = await ourRead(s.path, s.entries)
      const theirs = await countReads(() => parseFile(s.path, MM_OPTIONS))
      if (!mmFinds(theirs.result, s.entries)) fail(`${s.label}: music-metadata does not report our NOAI and NOAI_TAG values: ${JSON.stringify(theirs.result.native).slice(0, 500)}`)
      const t = await compareAsync({ ours: () => node.readAudioFile(s.path), mm: () => parseFile(s.path, MM_OPTIONS) })
      const timeRatio = t.ratio('ours', 'mm')
      const bytesRatio = theirs.bytes / ours.bytes
      rows.push([s.label, mb(s.size), fmt(t.msPerCall.ours, 3), fmt(t.msPerCall.mm, 3), timeRatio.toFixed(2), `${fmt(ours.bytes)} (${ours.reads})`, `${fmt(theirs.bytes)} (${theirs.calls})`, bytesRatio.toFixed(2)])
      s.timeRatio = timeRatio
      s.bytesRatio = bytesRatio
    }
    table(rows)
    for (const label of unavailable) console.log(`${label.split(' ')[0]}: not available (no container module for it in this build)`)
    console.log('')
    for (const [key] of CONTAINERS) {
      const s = stamped[key]
      if (!s) continue
      outcomes.push(result('audio', `tag-read-time-${key}`, s.timeRatio, 2))
      outcomes.push(result('audio', `tag-read-bytes-${key}`, s.bytesRatio, 1))
    }
  }

  // --- Minimal IO: 1 GiB WAV, 20 MB moov-at-end M4A ---------------------------------------------
  console.log('\nminimal IO: reading the tag of a large file')
  const ioRows = [['file', 'size', 'ours bytes (reads)', 'm-m bytes (reads)', 'limit']]
  const ioResults = []
  {
    const path = join(work, 'big.wav')
    const entries = audio.audioTagEntries({ tag: tagOf({ self: true }) })
    const size = await writeSparseWav(path, WAV_DATA_BYTES, entries)
    if (await available(path, 'wav')) {
      const ours = await ourRead(path, entries)
      const theirs = await countReads(() => parseFile(path, MM_OPTIONS))
      if (!mmFinds(theirs.result, entries)) fail('1 GiB WAV: music-metadata does not report our NOAI and NOAI_TAG values')
      ioRows.push(['WAV, data 1 GiB (sparse), id3 + LIST after data', mb(size), `${fmt(ours.bytes)} (${ours.reads})`, `${fmt(theirs.bytes)} (${theirs.calls})`, `< ${fmt(KIB64)}`])
      ioResults.push(['wav-1gib-tag-read-bytes', KIB64 / ours.bytes, 1])
    } else {
      console.log('WAV: not available (no container module for it in this build): 1 GiB WAV line skipped')
    }
    rmSync(path, { force: true })
  }
  if (HAS_FFMPEG) {
    const path = join(work, 'big.m4a')
    copyFileSync(bigM4a(M4A_BYTES), path)
    const essence = await node.audioFileEssence(path)
    const tag = tagOf({ essence: [essence] })
    const entries = audio.audioTagEntries({ tag })
    await node.writeAudioFile(path, { tag })
    const boxes = await topLevelBoxes(path)
    const moov = boxes.findIndex((b) => b.type === 'moov')
    const mdat = boxes.findIndex((b) => b.type === 'mdat')
    if (moov < mdat) fail(`the stamped M4A does not have moov after mdat: ${boxes.map((b) => b.type).join(' ')}`)
    const size = statSync(path).size
    const ours = await ourRead(path, entries)
    const theirs = await countReads(() => parseFile(path, MM_OPTIONS))
    if (!mmFinds(theirs.result, entries)) fail('20 MB M4A: music-metadata does not report our NOAI and NOAI_TAG values')
    ioRows.push([`M4A, moov (${fmt(boxes[moov].size)} B) after mdat`, mb(size), `${fmt(ours.bytes)} (${ours.reads})`, `${fmt(theirs.bytes)} (${theirs.calls})`, `< 1 % = ${fmt(size / 100)}`])
    ioResults.push(['m4a-20mb-tag-read-bytes', size / 100 / ours.bytes, 1])
  }
  if (ioRows.length > 1) table(ioRows)
  console.log('')
  for (const [metric, ratio, goal] of ioResults) outcomes.push(result('audio', metric, ratio, goal))

  // --- Essence throughput ------------------------------------------------------------------------
  if (HAS_FFMPEG) {
    console.log('\nessence: audioFileEssence (node:crypto) vs node:crypto SHA-256 of the whole file (1 MiB stream), MB of file per second')
    const rows = [['file', 'size', 'essence MB/s', 'raw file MB/s', 'essence/raw']]
    const ratios = []
    for (const [key] of CONTAINERS) {
      const s = stamped[key]
      if (!s) continue
      // The tag must not change the essence: the digest of the stamped file equals the original's.
      const again = await node.audioFileEssence(s.base)
      if (again.sha256 !== s.essence.sha256) fail(`${s.label}: the essence digest changed when the file was stamped`)
      const t = await compareAsync({ ours: () => node.audioFileEssence(s.path), raw: () => rawSha256(s.path) }, { ms: SMOKE ? 100 : 600, slices: SMOKE ? 2 : 6 })
      const ratio = t.ratio('ours', 'raw')
      rows.push([s.label, mb(s.size), fmt((s.size * t.ops.ours) / 1e6), fmt((s.size * t.ops.raw) / 1e6), ratio.toFixed(2)])
      ratios.push([key, ratio])
    }
    table(rows)
    console.log('')
    for (const [key, ratio] of ratios) outcomes.push(result('audio', `essence-${key}`, ratio, 0.8))
  }

  // --- FLAC stamp: in place vs ffmpeg remux; signed stamp ------------------------------------------
  if (HAS_FFMPEG) {
    const base = bigFlac(FLAC_BYTES)
    const path = join(work, 'big.flac')
    const out = join(work, 'remuxed.flac')
    copyFileSync(base, path)
    await syncFile(path) // the copy's dirty pages must not be flushed by our first fsync
    const size = statSync(path).size
    console.log(`\nFLAC stamp: ${mb(size)} FLAC with ffmpeg's 8 KiB PADDING${SMOKE ? ' (smoke size; full run: 500 MB)' : ''}`)
    const essence = await node.audioFileEssence(path)
    const tags = [tagOf({ essence: [essence] }, '2026-11-26T00:00:00Z'), tagOf({ essence: [essence] }, '2026-11-26T00:00:01Z')]
    const entries = tags.map((tag) => audio.audioTagEntries({ tag }))
    const first = await countWrites(() => node.writeAudioFile(path, { tag: tags[0] }))
    if (first.result.method !== 'in-place') fail(`the FLAC stamp was not in place (${first.result.method})`)
    await ourRead(path, entries[0])
    // ffmpeg must give the same answer: its remux carries both entries.
    const remux = () => run('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-i', path, '-map', '0', '-c', 'copy', '-metadata', `NOAI=${entries[1].readable}`, '-metadata', `NOAI_TAG=${entries[1].document}`, out])
    await remux()
    const r = await node.readAudioFile(out)
    if (r.readable !== entries[1].readable || r.document !== entries[1].document) fail('the ffmpeg remux does not carry our entries')
    let n = 1
    const stamp = async () => {
      const w = await node.writeAudioFile(path, { tag: tags[n++ % 2] })
      if (w.method !== 'in-place') fail(`a FLAC stamp was not in place (${w.method})`)
    }
    const t = await compareAsync({ ours: stamp, ffmpeg: remux }, { ms: { ours: 100, ffmpeg: 0 }, minCalls: 1, slices: 1 })
    const speedRatio = t.ratio('ours', 'ffmpeg')
    // Only metadata changed: same size, same essence, the last tag reads back.
    if (statSync(path).size !== size) fail('the in-place stamps changed the FLAC file size')
    if ((await node.audioFileEssence(path)).sha256 !== essence.sha256) fail('the in-place stamps changed the FLAC essence')
    await ourRead(path, entries[(n - 1) % 2])
    rmSync(out, { force: true })

    // Signed: hash the essence, sign (Ed25519), write the JWS; alternating `issued` so each writes.
    const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])
    const parts = { essence: [], sign: [], write: [], total: [] }
    let method
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now()
      const digest = await node.audioFileEssence(path)
      const t1 = performance.now()
      const jws = await signTag(tagOf({ essence: [digest] }, `2026-11-26T00:01:0${i % 2}Z`), pair.privateKey, { kid: 'bench', alg: 'Ed25519' })
      const t2 = performance.now()
      method = (await node.writeAudioFile(path, { jws })).method
      const t3 = performance.now()
      if (i === 0) continue // warm-up
      parts.essence.push(t1 - t0)
      parts.sign.push(t2 - t1)
      parts.write.push(t3 - t2)
      parts.total.push(t3 - t0)
    }
    if (method !== 'in-place') fail(`the signed FLAC stamp was not in place (${method})`)
    table([
      ['FLAC stamp', 'ms', 'bytes written (calls)'],
      ['unsigned, in place (writeAudioFile)', fmt(t.msPerCall.ours, 2), `${fmt(first.bytes)} (${first.calls}); plan ${fmt(first.result.bytesWritten)}`],
      ['ffmpeg -map 0 -c copy -metadata NOAI=… -metadata NOAI_TAG=…', fmt(t.msPerCall.ffmpeg, 1), fmt(size)],
      ['ratio ffmpeg / ours', speedRatio.toFixed(1), ''],
      [`signed, in place: essence + sign + write (no goal)`, fmt(median(parts.total), 1), ''],
      [`  essence (${fmt(size / 1e6 / (median(parts.essence) / 1000))} MB/s)`, fmt(median(parts.essence), 1), ''],
      ['  signTag (Ed25519)', fmt(median(parts.sign), 2), ''],
      ['  writeAudioFile({ jws })', fmt(median(parts.write), 2), ''],
    ])
    console.log('bytes written: counted on FileHandle write/writev/writeFile, lock file included; "plan": the in-place patch bytes writeAudioFile reports')
    console.log('')
    outcomes.push(result('audio', 'flac-stamp-bytes-written', KIB64 / first.bytes, 1))
    // The goal is for a 500 MB file: ffmpeg's time grows with the file, ours does not, so for a
    // smaller (smoke) file it is scaled by the size.
    const goal = Math.min(50, Math.round((50 * size) / 500_000_000))
    if (goal < 50) console.log(`(the goal of 50 is for 500 MB; for this ${mb(size)} file it is scaled to ${goal})`)
    outcomes.push(result('audio', 'flac-stamp-vs-ffmpeg', speedRatio, goal))
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
console.log(`load average at the end: ${loadavg()[0].toFixed(1)}`)
finish(outcomes)
