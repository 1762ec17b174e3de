// Shared fixtures of the audio CLI tests (test/cli-audio-*.test.ts): the containers stamped, a
// scratch folder, and the TEST-ONLY signing key of the signed vectors written as key files.
import { createHash } from 'node:crypto'
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { testKey } from './sign-fixtures.js'

/** How mutagen edits another tag of a file of this container (`null`: mutagen cannot open it). */
export type MutagenKind = 'id3' | 'vorbis' | 'mp4' | null

/** One container and layout the CLI is run on. */
export interface Container {
  readonly name: string
  readonly fixture: string
  readonly format: string
  readonly mutagen: MutagenKind
}

/** Every container of v1, with the layouts that matter (MP4 moov first and last, RF64, AIFF-C). */
export const CONTAINERS: readonly Container[] = [
  { name: 'mp3', fixture: 'mp3/tone-v24.mp3', format: 'mp3', mutagen: 'id3' },
  { name: 'flac', fixture: 'flac/reference.flac', format: 'flac', mutagen: 'vorbis' },
  { name: 'ogg-vorbis', fixture: 'ogg/oggenc.ogg', format: 'ogg', mutagen: 'vorbis' },
  { name: 'ogg-opus', fixture: 'ogg/opusenc.opus', format: 'ogg', mutagen: 'vorbis' },
  { name: 'mp4-moov-last', fixture: 'mp4/aac-end.m4a', format: 'mp4', mutagen: 'mp4' },
  { name: 'mp4-moov-first', fixture: 'mp4/aac-faststart.m4a', format: 'mp4', mutagen: 'mp4' },
  { name: 'wav', fixture: 'wav/ffmpeg.wav', format: 'wav', mutagen: 'id3' },
  // mutagen 1.46 refuses RF64 ("Root chunk must be a RIFF chunk, got RF64").
  { name: 'wav-rf64', fixture: 'wav/rf64.wav', format: 'wav', mutagen: null },
  { name: 'aiff', fixture: 'aiff/ffmpeg.aiff', format: 'aiff', mutagen: 'id3' },
  { name: 'aifc', fixture: 'aiff/sox.aifc', format: 'aiff', mutagen: 'id3' },
]

/** Absolute path of a fixture under test/fixtures/audio/. */
export const fixture = (rel: string): string => fileURLToPath(new URL(`fixtures/audio/${rel}`, import.meta.url))

/** The extension of a fixture, with its dot. */
export const extOf = (rel: string): string => path.extname(rel)

/** SHA-256 of a file's bytes, hex. */
export async function fileSha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex')
}

/** A scratch folder with the TEST-ONLY key `test-ed25519` as key files. */
export interface Scratch {
  readonly dir: string
  /** A path inside the folder. */
  file(name: string): string
  /** Copies a fixture into the folder under a new name; returns its path. */
  copy(rel: string, name: string): Promise<string>
  /** The private JWK file (issuer https://issuer.example, kid test-ed25519). */
  readonly privateKey: string
  /** The public key set file. */
  readonly jwks: string
  readonly issuer: string
  remove(): Promise<void>
}

/** Makes a scratch folder with key files. */
export async function scratch(prefix: string): Promise<Scratch> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  const key = testKey('test-ed25519')
  const privateKey = path.join(dir, 'test.private.jwk')
  const jwks = path.join(dir, 'jwks.json')
  await writeFile(privateKey, JSON.stringify(key.privateJwk))
  await writeFile(jwks, JSON.stringify({ keys: [key.publicJwk] }))
  const file = (name: string): string => path.join(dir, name)
  return {
    dir,
    file,
    async copy(rel, name) {
      await copyFile(fixture(rel), file(name))
      return file(name)
    },
    privateKey,
    jwks,
    issuer: key.issuer,
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

/** A Python one-liner (for /usr/bin/python3) that makes mutagen set the title of a file. */
export function mutagenRetitle(kind: Exclude<MutagenKind, null>): string {
  switch (kind) {
    case 'id3':
      return 'import sys,mutagen,mutagen.id3 as i;f=mutagen.File(sys.argv[1]);f.tags.add(i.TIT2(encoding=3,text=["Edited by mutagen"]));f.tags.add(i.TALB(encoding=3,text=["A"*3000]));f.save()'
    case 'vorbis':
      return 'import sys,mutagen;f=mutagen.File(sys.argv[1]);f["TITLE"]=["Edited by mutagen"];f["ALBUM"]=["A"*3000];f.save()'
    case 'mp4':
      return 'import sys,mutagen;f=mutagen.File(sys.argv[1]);f["\\xa9nam"]=["Edited by mutagen"];f["\\xa9alb"]=["A"*3000];f.save()'
  }
}
