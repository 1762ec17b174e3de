// The seed corpus: the repository's committed fixtures and conformance vectors, read from disk.
// Nothing here names a path outside the repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { IssuerKey } from '../src/sign.js'

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

export const repoPath = (...parts: string[]): string => join(ROOT, ...parts)

/** Files of a folder (not recursive), sorted, without the README and dot files. */
export function filesIn(dir: string, exts?: readonly string[]): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && !/^readme/i.test(f) && statSync(join(dir, f)).isFile() && (exts === undefined || exts.includes(extname(f).toLowerCase())))
    .sort()
    .map((f) => join(dir, f))
}

/** The hand-written seeds of one target (fuzz/corpus/<name>/). */
export const corpus = (name: string): string[] => filesIn(repoPath('fuzz', 'corpus', name)).map((f) => readFileSync(f, 'utf8'))

export type AudioFormat = 'mp3' | 'flac' | 'ogg' | 'mp4' | 'wav' | 'aiff'

const AUDIO_EXTS = ['.mp3', '.flac', '.ogg', '.opus', '.oga', '.m4a', '.mp4', '.m4b', '.wav', '.rf64', '.bwf', '.aiff', '.aif', '.aifc']
const VECTOR_PREFIX: Record<AudioFormat, readonly string[]> = { mp3: ['mp3-'], flac: ['flac-'], ogg: ['ogg-'], mp4: ['mp4-'], wav: ['wav-'], aiff: ['aiff-', 'aifc-'] }

export interface AudioSeed {
  readonly name: string
  readonly ext: string
  readonly bytes: Uint8Array
}

/** The committed audio fixtures of a container (test/fixtures/audio/<format>/ and the audio vectors). */
export function audioSeeds(format: AudioFormat): AudioSeed[] {
  const files = [
    ...filesIn(repoPath('test', 'fixtures', 'audio', format), AUDIO_EXTS),
    ...filesIn(repoPath('schema', 'v1', 'vectors', 'audio'), AUDIO_EXTS).filter((f) => VECTOR_PREFIX[format].some((p) => f.slice(f.lastIndexOf('/') + 1).startsWith(p))),
  ]
  return files.map((f) => ({ name: f.slice(ROOT.length + 1), ext: extname(f).toLowerCase(), bytes: new Uint8Array(readFileSync(f)) }))
}

/** One resource of a web conformance vector's site. */
export interface WebResource {
  readonly vector: string
  readonly path: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  readonly bytes: Uint8Array | undefined
}

/** The origin that replaces `{{origin}}` in the web vectors. */
export const ORIGIN = 'https://site.example'

/** Every resource of every web vector (schema/v1/vectors/web/). */
export function webResources(): WebResource[] {
  const out: WebResource[] = []
  for (const file of filesIn(repoPath('schema', 'v1', 'vectors', 'web'), ['.json'])) {
    const v = JSON.parse(readFileSync(file, 'utf8').replaceAll('{{origin}}', ORIGIN)) as {
      site?: Record<string, { status?: number; headers?: Record<string, string>; body?: string; bodyBase64?: string }>
    }
    for (const [path, r] of Object.entries(v.site ?? {})) {
      out.push({
        vector: file.slice(file.lastIndexOf('/') + 1),
        path,
        status: r.status ?? 200,
        headers: r.headers ?? {},
        body: r.body,
        bytes: r.bodyBase64 !== undefined ? new Uint8Array(Buffer.from(r.bodyBase64, 'base64')) : undefined,
      })
    }
  }
  return out
}

/** Bodies of the web vectors' resources whose path or content type matches. */
export function webBodies(match: (r: WebResource) => boolean): string[] {
  return [...new Set(webResources().filter((r) => r.body !== undefined && match(r)).map((r) => r.body!))]
}

/** The tag-document conformance vectors as JSON text (the `document` written out, or the raw `text`). */
export function tagVectorTexts(): { file: string; text: string; valid: boolean }[] {
  return filesIn(repoPath('schema', 'v1', 'vectors'), ['.json']).map((f) => {
    const v = JSON.parse(readFileSync(f, 'utf8')) as { valid: boolean; document?: unknown; text?: string }
    return { file: f.slice(f.lastIndexOf('/') + 1), text: v.text ?? JSON.stringify(v.document), valid: v.valid }
  })
}

export interface SignedVector {
  readonly file: string
  readonly jws: string
  readonly options: { readonly now: string; readonly essence?: { format: string; sha256: string }; readonly url?: string; readonly trust?: string[] }
}

/** The signed conformance vectors (schema/v1/vectors/signed/). */
export function signedVectors(): SignedVector[] {
  return filesIn(repoPath('schema', 'v1', 'vectors', 'signed'), ['.json'])
    .filter((f) => !f.endsWith('/keys.json'))
    .map((f) => ({ file: f.slice(f.lastIndexOf('/') + 1), ...(JSON.parse(readFileSync(f, 'utf8')) as Omit<SignedVector, 'file'>) }))
}

export interface TestKey {
  readonly issuer: string
  readonly kid: string
  readonly alg: 'Ed25519' | 'ES256'
  readonly status: 'active' | 'retired' | 'revoked'
  readonly revokedAt?: string
  readonly publicJwk: JsonWebKey & { kid: string }
  readonly privateJwk?: JsonWebKey & { kid: string }
}

/** The TEST-ONLY keys of the signed vectors. */
export const testKeys = (): TestKey[] => (JSON.parse(readFileSync(repoPath('schema', 'v1', 'vectors', 'signed', 'keys.json'), 'utf8')) as { keys: TestKey[] }).keys

/** Every test key as an IssuerKey given directly. */
export const issuerKeys = (): IssuerKey[] =>
  testKeys().map((k) => ({ issuer: k.issuer, kid: k.kid, jwk: k.publicJwk, status: k.status, ...(k.revokedAt ? { revokedAt: k.revokedAt } : {}), source: 'options.keys' }))
