/**
 * Shared by test/browser.test.ts and test/no-node-globals.test.ts: the input of the web checks
 * (test/_web-checks.ts) read from the conformance vectors, esbuild bundles of the checks with the
 * BUILT subpaths (imports of `noai-tag/...` resolve through package.json "exports" to dist/), the
 * same checks run in this Node process against the sources (what the other runtime must match),
 * and the assertions both tests make.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { expect } from 'vitest'
import * as audio from '../src/audio.js'
import * as crawl from '../src/crawl.js'
import * as html from '../src/html.js'
import * as http from '../src/http.js'
import * as root from '../src/index.js'
import * as robots from '../src/robots.js'
import * as schema from '../src/schema.js'
import * as sign from '../src/sign.js'
import { checkAudio, checkCrawl, checkHtml, checkHttp, checkRobots, checkRoot, checkSchema, checkSign, checkSignedAudio, type SignedVector, type WebCheckInput } from './_web-checks.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const AUDIO_DIR = `${ROOT}schema/v1/vectors/audio/`
const SIGNED_DIR = `${ROOT}schema/v1/vectors/signed/`
const CHECKS = `${ROOT}test/_web-checks.ts`

/** The browser-facing subpaths: every code subpath but noai-tag/node (Node only). */
export const WEB_SUBPATHS = ['.', './schema', './sign', './http', './html', './robots', './audio', './crawl'] as const
export type WebSubpath = (typeof WEB_SUBPATHS)[number]

/** Whether dist/ holds every browser-facing subpath (`npm run build`; `npm test` builds first). */
export const distBuilt = (): boolean => ['index', 'schema', 'sign', 'http', 'html', 'robots', 'audio', 'crawl'].every((n) => existsSync(`${ROOT}dist/${n}.js`))

interface AudioVector {
  readonly file: string
  readonly format: string
  readonly essenceSha256: string
  readonly readable?: string
  readonly document?: string
  readonly signed?: boolean
  readonly tag?: unknown
}

export const AUDIO_VECTORS = JSON.parse(readFileSync(`${AUDIO_DIR}vectors.json`, 'utf8')) as AudioVector[]

interface SignedVectorFile extends Omit<SignedVector, 'name'> {
  readonly expected: { readonly state: string; readonly codes: readonly string[] }
}
export const SIGNED_VECTORS = readdirSync(SIGNED_DIR)
  .filter((f) => /^(valid|trusted|invalid)-.*\.json$/.test(f))
  .sort()
  .map((f) => ({ name: f, ...(JSON.parse(readFileSync(`${SIGNED_DIR}${f}`, 'utf8')) as SignedVectorFile) }))

/** The input of every check: plain JSON. */
export function webCheckInput(): WebCheckInput {
  const validDoc: unknown = JSON.parse(readFileSync(`${ROOT}examples/search-yes-training-no.json`, 'utf8'))
  return {
    validDoc,
    invalidDoc: { ...(validDoc as object), usage: { 'train-ai': 'maybe' }, issued: 'yesterday' },
    keys: (JSON.parse(readFileSync(`${SIGNED_DIR}keys.json`, 'utf8')) as { keys: WebCheckInput['keys'] }).keys,
    signedVectors: SIGNED_VECTORS.map(({ name, jws, options }) => ({ name, jws, options })),
    audioFiles: AUDIO_VECTORS.map((v) => v.file),
    now: '2026-06-01T00:00:00Z',
  }
}

/** The signed audio vector verified with the audio and sign subpaths together. */
export const SIGNED_AUDIO_FILE = 'flac-signed.flac'

/** Reads an audio vector as a Blob, in this process. */
export const loadBlobFromDisk = (file: string): Promise<Blob> => Promise.resolve(new Blob([new Uint8Array(readFileSync(`${AUDIO_DIR}${file}`))]))

/** Every check run here, against the sources: what the other runtime must give. */
export async function expectedResults(input: WebCheckInput) {
  return {
    '.': checkRoot(root, input),
    './schema': checkSchema(schema),
    './sign': await checkSign(sign, input),
    './http': checkHttp(http),
    './html': await checkHtml(html),
    './robots': checkRobots(robots),
    './audio': await checkAudio(audio, input, loadBlobFromDisk),
    './crawl': await checkCrawl(crawl, input, loadBlobFromDisk),
    'audio+sign': await checkSignedAudio(audio, sign, input, loadBlobFromDisk, SIGNED_AUDIO_FILE),
  }
}
export type WebResults = Awaited<ReturnType<typeof expectedResults>>

/** The check function and its call, as source text for a bundle entry: `(input, load) => ...`. */
export const CHECK_CALLS: Record<WebSubpath, { fn: string; call: string }> = {
  '.': { fn: 'checkRoot', call: 'checkRoot(m, input)' },
  './schema': { fn: 'checkSchema', call: 'checkSchema(m)' },
  './sign': { fn: 'checkSign', call: 'checkSign(m, input)' },
  './http': { fn: 'checkHttp', call: 'checkHttp(m)' },
  './html': { fn: 'checkHtml', call: 'checkHtml(m)' },
  './robots': { fn: 'checkRobots', call: 'checkRobots(m)' },
  './audio': { fn: 'checkAudio', call: 'checkAudio(m, input, load)' },
  './crawl': { fn: 'checkCrawl', call: 'checkCrawl(m, input, load)' },
}

/** `noai-tag` or `noai-tag/<name>`. */
export const specifier = (subpath: string): string => (subpath === '.' ? 'noai-tag' : `noai-tag/${subpath.slice(2)}`)

/** An entry module that runs one subpath's check: `export const run = (input, load) => ...`. */
export function checkEntry(subpath: WebSubpath): string {
  const { fn, call } = CHECK_CALLS[subpath]
  return `import * as m from ${JSON.stringify(specifier(subpath))}\nimport { ${fn} } from ${JSON.stringify(CHECKS)}\nexport const run = (input, load) => ${call}\n`
}

/** The entry that verifies a signed audio file with the audio and sign subpaths together. */
export function signedAudioEntry(): string {
  return `import * as audio from 'noai-tag/audio'\nimport * as sign from 'noai-tag/sign'\nimport { checkSignedAudio } from ${JSON.stringify(CHECKS)}\nexport const run = (input, load) => checkSignedAudio(audio, sign, input, load, ${JSON.stringify(SIGNED_AUDIO_FILE)})\n`
}

/**
 * Bundles entry modules given as source text (virtual files resolved from the repository root, so
 * `noai-tag/...` is the package itself, through its "exports") for the browser.
 */
export async function bundleEntries(entries: Record<string, string>, options: esbuild.BuildOptions = {}): Promise<esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] }> {
  const virtual: esbuild.Plugin = {
    name: 'virtual-entries',
    setup(build) {
      build.onResolve({ filter: /^virtual:/ }, (a) => ({ path: a.path.slice('virtual:'.length), namespace: 'virtual' }))
      build.onLoad({ filter: /.*/, namespace: 'virtual' }, (a) => ({ contents: entries[a.path], loader: 'js', resolveDir: ROOT }))
    },
  }
  return esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: Object.keys(entries).map((name) => ({ in: `virtual:${name}`, out: name })),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: `${ROOT}.tmp/web-bundles`,
    logLevel: 'silent',
    plugins: [virtual],
    ...options,
  }) as Promise<esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] }>
}

/** What the other runtime gave for one check: its value, or the error it threw. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string }

/**
 * The assertions of both tests: the other runtime gives exactly what the sources give here, and
 * what they give is right (the vectors' expected results, their essence digests, Web Crypto keys
 * of both algorithms signing and verifying).
 */
export function expectSameAsNode(name: string, outcome: Outcome | undefined, expected: WebResults): void {
  expect(outcome, `${name}: no result`).toBeDefined()
  if (!outcome!.ok) expect.fail(`${name} threw: ${outcome!.error}`)
  const value = outcome!.value as never
  expect(value, name).toEqual(expected[name as keyof WebResults])
  switch (name) {
    case '.': {
      const v = value as WebResults['.']
      expect(v.valid).toBe(true)
      expect(v.invalidPaths).toEqual(expect.arrayContaining(['/usage/train-ai', '/issued']))
      expect(v.parseError).toBe('ERR_NOAI_JSON_INVALID')
      break
    }
    case './sign': {
      const v = value as WebResults['./sign']
      expect(v.vectors.length).toBeGreaterThanOrEqual(40)
      for (const vec of v.vectors) {
        const want = SIGNED_VECTORS.find((s) => s.name === vec.name)!.expected
        expect({ name: vec.name, state: vec.state, codes: vec.codes }).toEqual({ name: vec.name, state: want.state, codes: want.codes })
      }
      expect(v.signed['test-ed25519']).toMatch(/^Ed25519 trusted \/ tampered invalid signature-mismatch$/)
      expect(v.signed['test-es256']).toMatch(/^ES256 trusted \/ tampered invalid signature-mismatch$/)
      expect(v.runtimeKeys).toEqual({ Ed25519: 'Ed25519 trusted', ES256: 'ES256 trusted' })
      expect(v.keySetHasPrivateMembers).toBe(false)
      expect(v.keySetCors).toBe('*')
      break
    }
    case './http':
      expect((value as WebResults['./http']).signals.map((s) => s.signal)).toEqual(expect.arrayContaining(['noai-tag', 'aipref']))
      break
    case './html': {
      const v = value as WebResults['./html']
      expect(v.fromStream).toEqual(v.fromString)
      expect(v.stoppedAt).toBe('head-end')
      expect(v.fromString.map((s) => s.signal)).toContain('noai-tag')
      break
    }
    case './robots': {
      const v = value as WebResults['./robots']
      expect(v.robots.some((s) => s.usage['train-ai'] === 'denied')).toBe(true)
      expect(v.rsl.some((s) => s.signal === 'rsl')).toBe(true)
      break
    }
    case './audio': {
      const v = value as WebResults['./audio']
      expect(v.files.map((f) => f.file)).toEqual(AUDIO_VECTORS.map((a) => a.file))
      for (const f of v.files) {
        const want = AUDIO_VECTORS.find((a) => a.file === f.file)!
        expect({ file: f.file, format: f.format, essence: f.essence, readable: f.readable, document: f.document }).toEqual({
          file: f.file,
          format: want.format,
          essence: { format: want.format, sha256: want.essenceSha256 },
          readable: want.readable,
          document: want.document,
        })
      }
      expect(v.stamped).toMatchObject({ readable: 'search=y, train-ai=n', essenceKept: true })
      break
    }
    case './crawl': {
      const v = value as WebResults['./crawl']
      expect(v.track.verdict).toBe('deny')
      expect(v.track.reasons).toContainEqual({ signal: 'noai-tag', status: 'applied', verification: 'trusted' })
      expect(v.page.verdict).toBe('deny')
      expect(v.nothing).toBe('unknown')
      break
    }
    case 'audio+sign': {
      const v = value as WebResults['audio+sign']
      expect(v.state).toBe('trusted')
      expect(v.essence.sha256).toBe(AUDIO_VECTORS.find((a) => a.file === SIGNED_AUDIO_FILE)!.essenceSha256)
      break
    }
  }
}
