// Generates the audio conformance vectors in schema/v1/vectors/audio/ (docs/spec.md §10.10): for
// each container, a tiny untagged file (copied from test/fixtures/audio/), the same file with a
// fixed unsigned tag, and with the same tag signed by the TEST-ONLY key `test-ed25519` of
// schema/v1/vectors/signed/keys.json; plus signed tags moved onto other files. The index
// vectors.json lists, per file, the expected essence digest and the expected entries and tag.
//
//   npm run build && node scripts/make-audio-vectors.mjs
//
// The tagged files are written by the built library; the script then reads every file back and
// checks it (essence unchanged by tagging, entries and tag as expected, the signed tags verify as
// the index says). Containers whose module is not part of the build are left out with a message.
// Ed25519 signatures are deterministic: regenerating gives the same files.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = new URL('../', import.meta.url)
const OUT = fileURLToPath(new URL('schema/v1/vectors/audio/', ROOT))
const FIXTURES = fileURLToPath(new URL('test/fixtures/audio/', ROOT))
const KEYS = JSON.parse(readFileSync(new URL('schema/v1/vectors/signed/keys.json', ROOT), 'utf8')).keys
const { readAudioTag, writeAudioTag, audioEssence } = await import(new URL('dist/audio.js', ROOT).href)
const { signTag, verifyTag } = await import(new URL('dist/sign.js', ROOT).href)

/** Each file must stay tiny, and the whole folder small (it ships in the npm package). */
const MAX_FILE_BYTES = 20 * 1024
const MAX_TOTAL_BYTES = 300 * 1024

const KEY = KEYS.find((k) => k.kid === 'test-ed25519')
const NOW = '2026-06-01T00:00:00Z'

/** The containers and layouts covered, each from one untagged fixture. */
const SOURCES = [
  { id: 'mp3-id3v24', fixture: 'mp3/tone-v24.mp3', ext: 'mp3', about: 'MP3 with an ID3v2.4 tag (ffmpeg) and a Xing frame' },
  { id: 'mp3-id3v23-id3v1', fixture: 'mp3/tone-v23-id3v1.mp3', ext: 'mp3', about: 'MP3 with an ID3v2.3 tag and an ID3v1 trailer' },
  { id: 'flac', fixture: 'flac/no-padding.flac', ext: 'flac', about: 'FLAC without a PADDING block' },
  { id: 'ogg-vorbis', fixture: 'ogg/oggenc.ogg', ext: 'ogg', about: 'Ogg Vorbis (oggenc)' },
  { id: 'ogg-opus', fixture: 'ogg/opusenc.opus', ext: 'opus', about: 'Ogg Opus (opusenc)' },
  { id: 'mp4-aac-moov-last', fixture: 'mp4/aac-end.m4a', ext: 'm4a', about: 'MP4/M4A, AAC, moov after mdat (ffmpeg default)' },
  { id: 'mp4-aac-moov-first', fixture: 'mp4/aac-faststart.m4a', ext: 'm4a', about: 'MP4/M4A, AAC, moov before mdat (faststart)' },
  { id: 'wav', fixture: 'wav/ffmpeg.wav', ext: 'wav', about: 'WAV with a LIST/INFO chunk (ffmpeg)' },
  { id: 'wav-rf64', fixture: 'wav/rf64.wav', ext: 'wav', about: 'RF64 WAV (ds64 sizes)' },
  { id: 'aiff', fixture: 'aiff/ffmpeg.aiff', ext: 'aiff', about: 'AIFF (ffmpeg)' },
  { id: 'aifc', fixture: 'aiff/sox.aifc', ext: 'aifc', about: 'AIFF-C (sox)' },
]

/** The fixed tag: a non-ASCII name shows the \uXXXX escapes of the stored JSON (docs/spec.md §10.2). */
function tagFor(digest) {
  return {
    version: 1,
    issuer: KEY.issuer,
    subject: { self: true, essence: [digest] },
    usage: { search: 'allowed', 'train-ai': 'denied' },
    rightsHolder: { name: 'Zoë & the Ōtaki Strings ♪' },
    issued: '2026-01-01T00:00:00Z',
  }
}

const fail = (message) => {
  console.error(`make-audio-vectors: ${message}`)
  process.exit(1)
}

const vectors = []
const made = new Map()

function entry(file, format, codec, description, essence, stored) {
  return {
    file,
    format,
    ...(codec === undefined ? {} : { codec }),
    description,
    essenceSha256: essence,
    ...(stored === undefined ? {} : { readable: stored.readable, document: stored.document, signed: stored.signed, tag: stored.tag }),
    ...(stored?.verify === undefined ? {} : { verify: stored.verify }),
  }
}

mkdirSync(OUT, { recursive: true })
for (const s of SOURCES) {
  const path = FIXTURES + s.fixture
  if (!existsSync(path)) {
    console.warn(`make-audio-vectors: ${s.id}: ${s.fixture} is missing; left out`)
    continue
  }
  const bytes = new Uint8Array(readFileSync(path))
  let report
  try {
    report = await readAudioTag(bytes)
  } catch (e) {
    if (e?.code === 'ERR_NOAI_UNSUPPORTED_FORMAT') {
      console.warn(`make-audio-vectors: ${s.id}: ${e.message}; left out`)
      continue
    }
    throw e
  }
  if (report.document !== undefined || report.readable !== undefined) fail(`${s.fixture} already holds a NoAI tag`)
  const digest = await audioEssence(bytes)
  const tag = tagFor(digest)
  const jws = await signTag(tag, KEY.privateJwk, { kid: KEY.kid })
  const files = {
    untagged: bytes,
    unsigned: await writeAudioTag(bytes, { tag }),
    signed: await writeAudioTag(bytes, { jws }),
  }
  made.set(s.id, { bytes, jws, digest, source: s })
  for (const [state, data] of Object.entries(files)) {
    const file = `${s.id}-${state}.${s.ext}`
    writeFileSync(OUT + file, data)
    const r = await readAudioTag(data)
    const stored =
      state === 'untagged'
        ? undefined
        : {
            readable: r.readable,
            document: r.document,
            signed: r.signed,
            tag: r.tag,
            ...(state === 'signed' ? { verify: { now: NOW, expected: { state: 'valid', codes: ['issuer-untrusted'] } } } : {}),
          }
    const what = state === 'untagged' ? 'no NoAI tag' : state === 'unsigned' ? 'the fixed tag, unsigned (ASCII JSON)' : 'the fixed tag signed with the TEST-ONLY key test-ed25519 (compact JWS)'
    vectors.push(entry(file, digest.format, r.codec, `${s.about}: ${what}.`, digest.sha256, stored))
  }
}

// Signed tags moved onto other files: they read, and fail the binding to the file's essence.
const MOVED = [
  { file: 'mp3-moved-signed.mp3', from: 'flac', onto: 'mp3-id3v23-id3v1', about: 'another container and other audio' },
  { file: 'wav-moved-signed.wav', from: 'wav', ontoFixture: 'wav/sox.wav', about: 'the same container, other audio (sox)' },
]
for (const m of MOVED) {
  const from = made.get(m.from)
  if (!from) continue
  let onto = m.onto === undefined ? undefined : made.get(m.onto)?.bytes
  if (m.ontoFixture !== undefined && existsSync(FIXTURES + m.ontoFixture)) onto = new Uint8Array(readFileSync(FIXTURES + m.ontoFixture))
  if (!onto) continue
  const digest = await audioEssence(onto)
  if (digest.sha256 === from.digest.sha256) fail(`${m.file}: the two files have the same essence`)
  const data = await writeAudioTag(onto, { jws: from.jws })
  writeFileSync(OUT + m.file, data)
  const r = await readAudioTag(data)
  vectors.push(
    entry(m.file, digest.format, r.codec, `A file (${m.about}) carrying the signed tag of ${from.source.id}-signed.${from.source.ext}: the tag reads, and verification bound to this file's essence fails.`, digest.sha256, {
      readable: r.readable,
      document: r.document,
      signed: r.signed,
      tag: r.tag,
      verify: { now: NOW, expected: { state: 'invalid', codes: ['content-hash-mismatch', 'issuer-untrusted'] } },
    }),
  )
}

// Check everything back: essence, entries, tag, verification; sizes.
const keys = KEYS.map((k) => ({ issuer: k.issuer, kid: k.kid, jwk: k.publicJwk, status: k.status, ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}), source: 'options.keys' }))
let total = 0
for (const v of vectors) {
  const data = new Uint8Array(readFileSync(OUT + v.file))
  total += data.length
  if (data.length > MAX_FILE_BYTES) fail(`${v.file} is ${data.length} bytes, over ${MAX_FILE_BYTES}`)
  const d = await audioEssence(data)
  if (d.format !== v.format || d.sha256 !== v.essenceSha256) fail(`${v.file}: essence ${d.format}:${d.sha256} is not the expected ${v.format}:${v.essenceSha256}`)
  const r = await readAudioTag(data)
  if (r.readable !== v.readable || r.document !== v.document || r.mismatch) fail(`${v.file}: the entries do not read back as written`)
  if (v.document !== undefined && !/^[\x20-\x7e]+$/.test(v.document)) fail(`${v.file}: the stored document is not printable ASCII`)
  if (v.verify) {
    const res = await verifyTag(v.document, { keys, essence: { format: v.format, sha256: v.essenceSha256 }, now: new Date(v.verify.now) })
    if (JSON.stringify({ state: res.state, codes: res.codes }) !== JSON.stringify(v.verify.expected)) fail(`${v.file}: verifyTag says ${JSON.stringify(res)}, not ${JSON.stringify(v.verify.expected)}`)
  }
}
writeFileSync(OUT + 'vectors.json', `${JSON.stringify(vectors, null, 2)}\n`)
total += statSync(OUT + 'vectors.json').size

// Remove files of earlier runs that are no longer listed.
const keep = new Set(['README.md', 'vectors.json', ...vectors.map((v) => v.file)])
for (const f of readdirSync(OUT)) if (!keep.has(f)) rmSync(OUT + f)
if (total > MAX_TOTAL_BYTES) fail(`the vectors take ${total} bytes, over ${MAX_TOTAL_BYTES}`)
const formats = [...new Set(vectors.map((v) => v.format))].join(', ')
console.log(`make-audio-vectors: ${vectors.length} files (${formats}), ${Math.round(total / 1024)} KB in schema/v1/vectors/audio/`)
