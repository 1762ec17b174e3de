// Shared fixtures of the `noai scan` tests (test/cli-scan*.test.ts): a folder with tagged (signed
// and unsigned, stamped through the library), untagged and corrupt files, and the expectations of
// each file's report line.
import { copyFile, link, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { NoaiTag } from '../src/index.js'
import { audioFileEssence, writeAudioFile } from '../src/node.js'
import { signTag } from '../src/sign.js'
import { fixture } from './cli-audio-helpers.js'
import { privateJwk, testKey } from './sign-fixtures.js'

/** The issuer of the TEST-ONLY key `test-ed25519`. */
export const ISSUER = testKey('test-ed25519').issuer

/** A report line, as parsed. */
export interface Line {
  path?: string
  url?: string
  input?: unknown
  use: string
  verdict: 'allow' | 'deny' | 'unknown'
  reasons: { signal: string; value: string; decisive: boolean; usage: string; source: { kind: string; name?: string; url?: string }; status?: string }[]
  format?: string
  tag?: { document: string; issuer?: string; usage?: string; mismatch?: true }
  verification?: { state: string; codes: string[]; binding: string }
  warnings?: string[]
  error?: { code: string; reason?: string; message: string }
  status?: number
}

/** What one file of the folder must give. */
export interface Expected {
  /** Path relative to the folder. */
  readonly rel: string
  /** Verdict for train-ai, with `--jwks` and without a key source. */
  readonly verdict: { readonly keys: Line['verdict']; readonly none: Line['verdict'] }
  readonly format?: string
  readonly tag?: Line['tag']
  /** Verification state with `--jwks` (and its codes). */
  readonly verification?: { readonly state: string; readonly codes: readonly string[] }
  /** Error code, for files that cannot be read. */
  readonly error?: string
}

const issued = '2026-01-01T00:00:00Z'

function tag(usage: NoaiTag['usage'], essence?: { format: string; sha256: string }): NoaiTag {
  return { version: 1, issuer: ISSUER, subject: essence ? { essence: [essence] } : { self: true }, usage, issued } as NoaiTag
}

async function copy(dir: string, rel: string, fixtureRel: string): Promise<string> {
  const file = path.join(dir, rel)
  await mkdir(path.dirname(file), { recursive: true })
  await copyFile(fixture(fixtureRel), file)
  return file
}

async function signedCopy(dir: string, rel: string, fixtureRel: string, usage: NoaiTag['usage']): Promise<string> {
  const file = await copy(dir, rel, fixtureRel)
  const jws = await signTag(tag(usage, await audioFileEssence(file)), privateJwk('test-ed25519'))
  await writeAudioFile(file, { jws })
  return jws
}

/**
 * Builds the mixed folder under `dir` and returns what each file must give (in walk order: sorted
 * by name in each folder, depth first). A symbolic link loop (`untagged/loop` → `..`) is left out
 * of the walk.
 */
export async function buildMixedFolder(dir: string): Promise<Expected[]> {
  const deny = { 'train-ai': 'denied', search: 'allowed' } as const
  // Signed and bound to its essence: valid with the key set (the issuer is not trusted).
  await signedCopy(dir, 'signed/a-deny.flac', 'flac/ffmpeg.flac', deny)
  // A signed allow counts only when verified.
  await signedCopy(dir, 'signed/b-allow.m4a', 'mp4/aac-faststart.m4a', { 'train-ai': 'allowed' })
  // A signed tag moved onto other audio: content-hash-mismatch; its deny still counts.
  const flacJws = await signedCopy(dir, 'signed/.src.flac', 'flac/reference.flac', deny)
  const moved = await copy(dir, 'signed/c-moved.mp3', 'mp3/tone-v24.mp3')
  await writeAudioFile(moved, { jws: flacJws })
  // A signed allow moved onto other audio: invalid, so the allow does not count.
  const allowJws = await signedCopy(dir, 'signed/.src.m4a', 'mp4/aac-end.m4a', { 'train-ai': 'allowed' })
  const movedAllow = await copy(dir, 'signed/d-moved-allow.aiff', 'aiff/ffmpeg.aiff')
  await writeAudioFile(movedAllow, { jws: allowJws })
  // Unsigned tags.
  await writeAudioFile(await copy(dir, 'tagged/deny.opus', 'ogg/opusenc.opus'), { tag: tag(deny) })
  await writeAudioFile(await copy(dir, 'tagged/allow.wav', 'wav/ffmpeg.wav'), { tag: tag({ 'train-ai': 'allowed', search: 'allowed' }) })
  // A tag that says nothing about train-ai.
  await writeAudioFile(await copy(dir, 'tagged/search-only.ogg', 'ogg/oggenc.ogg'), { tag: tag({ search: 'denied' }) })
  // Untagged files, one with an IPTC/PLUS DataMining XMP packet.
  await copy(dir, 'untagged/plain.mp3', 'mp3/bare.mp3')
  await copy(dir, 'untagged/plain.aifc', 'aiff/sox.aifc')
  await copy(dir, 'untagged/xmp.aiff', 'aiff/comt-xmp.aiff')
  await symlink('..', path.join(dir, 'untagged/loop'))
  // Corrupt and foreign files.
  await mkdir(path.join(dir, 'corrupt'), { recursive: true })
  const flac = await readFile(fixture('flac/ffmpeg.flac'))
  await writeFile(path.join(dir, 'corrupt/truncated.flac'), flac.subarray(0, 60))
  await writeFile(path.join(dir, 'corrupt/empty.wav'), new Uint8Array(0))
  await writeFile(path.join(dir, 'corrupt/notes.txt'), 'not audio at all\n')
  const mp3 = await readFile(fixture('mp3/tone-v24.mp3'))
  const bad = new Uint8Array(mp3)
  // An ID3v2 tag whose declared size is absurd (over the reader's limit).
  bad.set([0x7f, 0x7f, 0x7f, 0x7f], 6)
  await writeFile(path.join(dir, 'corrupt/bad-id3.mp3'), bad)
  await symlink('does-not-exist.mp3', path.join(dir, 'corrupt/broken-link.mp3'))

  const signedTag = (usage: string): Line['tag'] => ({ document: 'signed', issuer: ISSUER, usage })
  return [
    { rel: 'corrupt/bad-id3.mp3', verdict: { keys: 'unknown', none: 'unknown' }, error: 'ERR_NOAI_LIMIT_EXCEEDED' },
    { rel: 'corrupt/broken-link.mp3', verdict: { keys: 'unknown', none: 'unknown' }, error: 'ERR_NOAI_IO' },
    { rel: 'corrupt/empty.wav', verdict: { keys: 'unknown', none: 'unknown' }, error: 'ERR_NOAI_UNSUPPORTED_FORMAT' },
    { rel: 'corrupt/notes.txt', verdict: { keys: 'unknown', none: 'unknown' }, error: 'ERR_NOAI_UNSUPPORTED_FORMAT' },
    { rel: 'corrupt/truncated.flac', verdict: { keys: 'unknown', none: 'unknown' }, error: 'ERR_NOAI_MALFORMED_INPUT' },
    { rel: 'signed/.src.flac', verdict: { keys: 'deny', none: 'deny' }, format: 'flac', tag: signedTag('search=y, train-ai=n'), verification: { state: 'valid', codes: ['issuer-untrusted'] } },
    { rel: 'signed/.src.m4a', verdict: { keys: 'allow', none: 'unknown' }, format: 'mp4', tag: signedTag('train-ai=y'), verification: { state: 'valid', codes: ['issuer-untrusted'] } },
    { rel: 'signed/a-deny.flac', verdict: { keys: 'deny', none: 'deny' }, format: 'flac', tag: signedTag('search=y, train-ai=n'), verification: { state: 'valid', codes: ['issuer-untrusted'] } },
    { rel: 'signed/b-allow.m4a', verdict: { keys: 'allow', none: 'unknown' }, format: 'mp4', tag: signedTag('train-ai=y'), verification: { state: 'valid', codes: ['issuer-untrusted'] } },
    { rel: 'signed/c-moved.mp3', verdict: { keys: 'deny', none: 'deny' }, format: 'mp3', tag: signedTag('search=y, train-ai=n'), verification: { state: 'invalid', codes: ['content-hash-mismatch', 'issuer-untrusted'] } },
    { rel: 'signed/d-moved-allow.aiff', verdict: { keys: 'unknown', none: 'unknown' }, format: 'aiff', tag: signedTag('train-ai=y'), verification: { state: 'invalid', codes: ['content-hash-mismatch', 'issuer-untrusted'] } },
    { rel: 'tagged/allow.wav', verdict: { keys: 'allow', none: 'allow' }, format: 'wav', tag: { document: 'unsigned', issuer: ISSUER, usage: 'search=y, train-ai=y' } },
    { rel: 'tagged/deny.opus', verdict: { keys: 'deny', none: 'deny' }, format: 'ogg', tag: { document: 'unsigned', issuer: ISSUER, usage: 'search=y, train-ai=n' } },
    { rel: 'tagged/search-only.ogg', verdict: { keys: 'unknown', none: 'unknown' }, format: 'ogg', tag: { document: 'unsigned', issuer: ISSUER, usage: 'search=n' } },
    { rel: 'untagged/plain.aifc', verdict: { keys: 'unknown', none: 'unknown' }, format: 'aiff' },
    { rel: 'untagged/plain.mp3', verdict: { keys: 'unknown', none: 'unknown' }, format: 'mp3' },
    { rel: 'untagged/xmp.aiff', verdict: { keys: 'deny', none: 'deny' }, format: 'aiff' },
  ]
}

/**
 * A bigger folder for the resume and shard tests: `copies` sub-folders, each holding hard links to
 * every file of a mixed folder built in `base` (the loop link left out).
 */
export async function buildBigFolder(base: string, dir: string, expected: readonly Expected[], copies: number): Promise<number> {
  let n = 0
  for (let i = 0; i < copies; i++) {
    const sub = path.join(dir, `part-${String(i).padStart(3, '0')}`)
    for (const e of expected) {
      const to = path.join(sub, e.rel)
      await mkdir(path.dirname(to), { recursive: true })
      if (e.rel === 'corrupt/broken-link.mp3') await symlink('does-not-exist.mp3', to)
      else await link(path.join(base, e.rel), to)
      n++
    }
  }
  return n
}

/** The lines of a JSON Lines report. */
export function parseReport(text: string): Line[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line)
}

/** A report's lines, sorted (for comparing runs whose order may differ). */
export function sortedLines(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .sort()
}
