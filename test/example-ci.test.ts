// examples/ci: the pre-commit hook, run in throwaway git repositories against staged tag files and
// audio, and the GitHub Actions workflow, parsed and its `noai validate` commands run as written
// over a sample repository (with `npx noai` standing for the built CLI).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NoaiTag } from 'noai-tag'
import { audioFileEssence, writeAudioFile } from 'noai-tag/node'
import { signTag } from 'noai-tag/sign'

const root = fileURLToPath(new URL('..', import.meta.url))
const HOOK = path.join(root, 'examples/ci/pre-commit')
const WORKFLOW = path.join(root, 'examples/ci/github-workflow.yml')
const CLI = path.join(root, 'dist/cli.js')

const VALID_TAG = readFileSync(path.join(root, 'examples/search-yes-training-no.json'), 'utf8')
/** Line 7 holds the bad value. */
const INVALID_TAG = `{
  "version": 1,
  "subject": { "self": true },
  "issuer": "https://music.example",
  "usage": {
    "search": "allowed",
    "train-ai": "no"
  },
  "issued": "2026-11-26T09:00:00Z"
}
`

/** Made once: a signed tag, a FLAC with an unsigned tag and an M4A with a signed one. */
let made: { dir: string; jws: string; flac: string; m4a: string }
const temps: string[] = []

const temp = (prefix: string): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix))
  temps.push(d)
  return d
}

const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

beforeAll(async () => {
  const dir = temp('noai-ci-made-')
  const { privateKey } = generateKeyPairSync('ed25519')
  const key = { ...privateKey.export({ format: 'jwk' }), kid: 'ci-test' }
  const flac = path.join(dir, 'stamped.flac')
  const m4a = path.join(dir, 'stamped.m4a')
  copyFileSync(path.join(root, 'test/fixtures/audio/flac/reference.flac'), flac)
  copyFileSync(path.join(root, 'test/fixtures/audio/mp4/aac-faststart.m4a'), m4a)
  const tagOf = async (file: string): Promise<NoaiTag> => ({
    version: 1,
    issuer: 'https://music.example',
    subject: { essence: [await audioFileEssence(file)] },
    usage: { search: 'allowed', 'train-ai': 'denied' },
    issued: '2026-11-26T09:00:00Z',
  })
  await writeAudioFile(flac, { tag: await tagOf(flac) })
  await writeAudioFile(m4a, { jws: await signTag(await tagOf(m4a), key) })
  const jws = await signTag({ ...(JSON.parse(VALID_TAG) as NoaiTag), issuer: 'https://music.example' }, key)
  made = { dir, jws, flac, m4a }
})

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true })
})

/** An environment without the caller's git settings (global config, hooks path, GIT_DIR...). */
function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && !k.startsWith('NOAI')) env[k] = v
  return { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...extra }
}

function git(repo: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync('git', args, { cwd: repo, encoding: 'utf8', env: cleanEnv() })
}

/** A new repository with noai installed as `npm install --save-dev noai-tag` would (node_modules/.bin/noai). */
function makeRepo(files: Record<string, string | Uint8Array>): string {
  const repo = temp('noai-ci-repo-')
  for (const args of [['init', '-q'], ['config', 'user.email', 'ci@example.com'], ['config', 'user.name', 'CI'], ['config', 'commit.gpgsign', 'false']]) {
    expect(git(repo, ...args).status).toBe(0)
  }
  const bin = path.join(repo, 'node_modules/.bin')
  mkdirSync(bin, { recursive: true })
  writeFileSync(path.join(bin, 'noai'), `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(CLI)} "$@"\n`, { mode: 0o755 })
  write(repo, { '.gitignore': 'node_modules/\n', ...files })
  return repo
}

function write(repo: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true })
    writeFileSync(path.join(repo, name), content)
  }
}

function stage(repo: string, ...names: string[]): void {
  expect(git(repo, 'add', '--', ...names).status).toBe(0)
}

function hook(repo: string, env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> {
  return spawnSync(HOOK, [], { cwd: repo, encoding: 'utf8', env: cleanEnv(env) })
}

const audio = (): Record<string, Uint8Array> => ({
  'audio/stamped.flac': readFileSync(made.flac),
  'audio/signed.m4a': readFileSync(made.m4a),
  'audio/plain.mp3': readFileSync(path.join(root, 'test/fixtures/audio/mp3/bare.mp3')),
})

describe('examples/ci/pre-commit', () => {
  it('is an executable sh script', () => {
    expect(statSync(HOOK).mode & 0o111).not.toBe(0)
    expect(readFileSync(HOOK, 'utf8').startsWith('#!/bin/sh\n')).toBe(true)
    expect(spawnSync('sh', ['-n', HOOK]).status).toBe(0)
  })

  it('passes valid staged tag files, signed tags and audio, and leaves other JSON alone', () => {
    const repo = makeRepo({ 'tags/good.json': VALID_TAG, 'tags/my track.json': VALID_TAG, 'tags/track.jws': made.jws, 'package.json': '{"name": "site"}\n', ...audio() })
    stage(repo, '.')
    const r = hook(repo)
    expect(r.status, r.stdout + r.stderr).toBe(0)
    for (const f of ['tags/good.json', 'tags/my track.json', 'tags/track.jws', 'audio/stamped.flac', 'audio/signed.m4a', 'audio/plain.mp3']) expect(r.stdout).toContain(`✓ ${f}`)
    expect(r.stdout).not.toContain('package.json')
    expect(r.stdout).toContain('6 valid, 0 invalid')
  })

  it('fails on an invalid staged tag file, naming its line', () => {
    const repo = makeRepo({ 'tags/good.json': VALID_TAG, 'tags/bad.json': INVALID_TAG })
    stage(repo, '.')
    const r = hook(repo)
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('✗ tags/bad.json')
    expect(r.stdout).toContain('line 7: /usage/train-ai')
    expect(r.stderr).toContain('noai validate found problems')
  })

  it('checks the staged content, not the working tree', () => {
    const repo = makeRepo({ 'tags/a.json': INVALID_TAG, 'tags/b.json': VALID_TAG })
    stage(repo, '.')
    write(repo, { 'tags/a.json': VALID_TAG, 'tags/b.json': INVALID_TAG }) // not staged
    const r = hook(repo)
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('✗ tags/a.json')
    expect(r.stdout).toContain('✓ tags/b.json')
  })

  it('does not run noai when no tag or audio file is staged', () => {
    const repo = makeRepo({ 'README.md': '# site\n', 'package.json': '{}\n', 'tags/bad.json': INVALID_TAG })
    stage(repo, 'README.md', 'package.json')
    expect(hook(repo, { NOAI: 'false' }).status).toBe(0)
  })

  it('fails on audio without a tag when a tag is required (environment or git config)', () => {
    const repo = makeRepo(audio())
    stage(repo, '.')
    const r = hook(repo, { NOAI_REQUIRE_TAG: '1' })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('✗ audio/plain.mp3')
    expect(r.stdout).toContain('noai-tag-missing')
    expect(git(repo, 'config', 'noai.requireTag', '1').status).toBe(0)
    expect(hook(repo).status).toBe(1)
  })

  it('fails on a file that claims to be audio but is not', () => {
    const repo = makeRepo({ 'audio/fake.mp3': 'not audio at all\n' })
    stage(repo, '.')
    const r = hook(repo)
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('✗ audio/fake.mp3')
  })

  it('selects tag files by the configured pattern', () => {
    const repo = makeRepo({ 'meta/track.json': INVALID_TAG, 'tags/bad.json': INVALID_TAG })
    stage(repo, '.')
    const r = hook(repo, { NOAI_TAG_FILES: '^meta/.*\\.json$' })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain('✗ meta/track.json')
    expect(r.stdout).not.toContain('tags/bad.json')
  })

  it('exits 2 with a hint when noai cannot be found', () => {
    const repo = makeRepo({ 'tags/good.json': VALID_TAG })
    stage(repo, '.')
    renameSync(path.join(repo, 'node_modules'), path.join(repo, 'elsewhere'))
    const gitDir = path.dirname(spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim())
    const r = hook(repo, { PATH: [...new Set([gitDir, '/usr/bin', '/bin'])].join(':') })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('noai not found')
  })

  it('stops a real git commit with an invalid tag and lets a valid one through', () => {
    const repo = makeRepo({ 'tags/a.json': INVALID_TAG })
    copyFileSync(HOOK, path.join(repo, '.git/hooks/pre-commit'))
    stage(repo, '.')
    const blocked = git(repo, 'commit', '-q', '-m', 'bad tag')
    expect(blocked.status).not.toBe(0)
    expect(git(repo, 'rev-parse', '--verify', '-q', 'HEAD').status).not.toBe(0) // nothing committed
    write(repo, { 'tags/a.json': VALID_TAG })
    stage(repo, '.')
    const ok = git(repo, 'commit', '-q', '-m', 'good tag')
    expect(ok.status, ok.stdout + ok.stderr).toBe(0)
    expect(git(repo, 'log', '--format=%s').stdout.trim()).toBe('good tag')
  })
})

/** The `run:` commands of the workflow's steps that call noai validate. */
function validateCommands(text: string): string[] {
  return [...text.matchAll(/^\s+run: (npx noai validate .*)$/gm)].map((m) => m[1]!)
}

describe('examples/ci/github-workflow.yml', () => {
  const text = readFileSync(WORKFLOW, 'utf8')

  it('is a workflow that installs noai and validates tag files and audio on push and pull request', async (ctx) => {
    const YAML = await import('yaml').catch(() => undefined)
    if (YAML === undefined) return ctx.skip('needs the yaml package (installed with typedoc) to parse the workflow')
    const wf = YAML.parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { 'runs-on': string; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }> }
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push'])
    expect(wf.permissions).toEqual({ contents: 'read' })
    const steps = wf.jobs.validate!.steps
    expect(wf.jobs.validate!['runs-on']).toBe('ubuntu-latest')
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4'])
    expect(Number(steps[1]!.with?.['node-version'])).toBeGreaterThanOrEqual(20.19)
    const runs = steps.map((s) => s.run).filter((r): r is string => r !== undefined)
    expect(runs[0]).toMatch(/^npm install .*noai-tag@/)
    expect(runs.slice(1)).toEqual(validateCommands(text))
    expect(runs.slice(1).every((r) => r.includes('--format github'))).toBe(true)
  })

  it('runs its validate commands, as written, over a sample repository: 0 when valid, 1 with annotations when not', () => {
    const commands = validateCommands(text)
    expect(commands).toHaveLength(2)
    const repo = temp('noai-ci-workflow-')
    write(repo, {
      'tags/a.json': VALID_TAG,
      'tags/albums/b.json': VALID_TAG,
      'tags/track.jws': made.jws,
      'audio/stamped.flac': readFileSync(made.flac),
      'audio/albums/signed.m4a': readFileSync(made.m4a),
    })
    // `npx noai` stands for the CLI the install step puts in node_modules/.bin.
    const bin = path.join(repo, '.bin')
    write(repo, { '.bin/npx': `#!/bin/sh\n[ "$1" = noai ] || { echo "unexpected: npx $*" >&2; exit 127; }\nshift\nexec ${shQuote(process.execPath)} ${shQuote(CLI)} "$@"\n` })
    spawnSync('chmod', ['+x', path.join(bin, 'npx')])
    // As GitHub runs a `run:` step on Linux: bash --noprofile --norc -eo pipefail.
    const run = (command: string) =>
      spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], { cwd: repo, encoding: 'utf8', env: cleanEnv({ PATH: `${bin}:${process.env.PATH}` }) })

    const [tags, media] = commands.map(run)
    expect([tags!.status, tags!.stdout, tags!.stderr]).toEqual([0, '', '3 valid, 0 invalid\n'])
    expect([media!.status, media!.stdout, media!.stderr]).toEqual([0, '', '2 valid, 0 invalid\n'])

    write(repo, { 'tags/albums/bad.json': INVALID_TAG, 'audio/plain.mp3': readFileSync(path.join(root, 'test/fixtures/audio/mp3/bare.mp3')) })
    const [badTags, badMedia] = commands.map(run)
    expect(badTags!.status).toBe(1)
    expect(badTags!.stdout).toMatch(/^::error file=tags\/albums\/bad\.json,line=7,col=\d+,title=noai validate::\/usage\/train-ai: /m)
    expect(badMedia!.status).toBe(1)
    expect(badMedia!.stdout).toMatch(/^::error file=audio\/plain\.mp3,title=noai validate::.*no NoAI tag/m)
  })
})
