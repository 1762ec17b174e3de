// Every subpath except noai-tag/node works with no Node globals (DESIGN: the core "uses Web APIs
// only and runs in browsers and edge runtimes"; house rule 2). Two checks on what ships (dist/):
// 1. statically: a browser bundle of each subpath (esbuild, platform browser, nothing external)
//    builds, so nothing imports `node:*`, and names none of Node's globals;
// 2. at run time: each subpath, bundled with its check from test/_web-checks.ts into one ESM file,
//    runs in a Node process, and gives exactly what the sources give here. In the bundle, `Buffer`,
//    `process`, `global`, `setImmediate` and `clearImmediate` are `undefined` (esbuild `define`:
//    every free reference to them is replaced), so the code sees only Web globals; and timers
//    return numbers, as in browsers (no `.unref()`). (Deleting the globals from the process is not
//    possible: Node's own fetch, Headers and Response use the global `Buffer`.)
// test/browser.test.ts runs the same checks in Chromium, where no Node global exists at all.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AUDIO_DIR,
  ROOT,
  WEB_SUBPATHS,
  bundleEntries,
  checkEntry,
  distBuilt,
  expectSameAsNode,
  expectedResults,
  signedAudioEntry,
  specifier,
  webCheckInput,
  type Outcome,
  type WebResults,
} from './_web-harness.js'

const NODE_GLOBALS = ['Buffer', 'process', 'global', 'setImmediate', 'clearImmediate']

/** Uses of Node's globals and modules in minified code (identifiers of free variables survive minification). */
const NODE_REFERENCES: readonly [RegExp, string][] = [
  [/\bBuffer\b/, 'Buffer'],
  [/\bprocess\s*(?:\.|\[|\?\.)|typeof\s+process\b/, 'process'],
  [/(?<![\w$.])global\s*(?:\.|\[)/, 'global'],
  [/\bsetImmediate\b|\bclearImmediate\b/, 'setImmediate'],
  [/(?<![\w$.])require\s*\(/, 'require()'],
  [/\b__dirname\b|\b__filename\b/, '__dirname / __filename'],
  [/["'`]node:/, 'a node: module'],
]

// A dependency's feature test, false where the global does not exist, is not a use: fast-xml-parser
// has `typeof Buffer < "u" && Buffer.isBuffer(x)`. Removed before the scan (the run below proves it
// harmless).
const FEATURE_TEST = /typeof\s+(Buffer|process|global|setImmediate)\s*(?:[<>]|[!=]==?)\s*(["'])(?:u|undefined)\2\s*&&\s*\1(?:\.[\w$]+)+(?:\([\w$.]*\))?/g

const fileName = (subpath: string): string => (subpath === '.' ? 'index' : subpath.replace(/^\.\//, '').replace('+', '-'))

/** What the bundles run in the child see instead of Node's globals. */
const DEFINE: Record<string, string> = {
  ...Object.fromEntries(NODE_GLOBALS.map((name) => [name, 'undefined'])),
  setTimeout: 'globalThis.__noaiWeb.setTimeout',
  clearTimeout: 'globalThis.__noaiWeb.clearTimeout',
  setInterval: 'globalThis.__noaiWeb.setInterval',
  clearInterval: 'globalThis.__noaiWeb.clearInterval',
}

// Runs in the child: installs browser-like timers (numeric ids), then loads and runs each bundle.
const HARNESS = `
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
const dir = process.env.NOAI_WEB_DIR
const audioDir = process.env.NOAI_AUDIO_DIR
const names = JSON.parse(process.env.NOAI_WEB_NAMES)
const input = JSON.parse(readFileSync(dir + '/input.json', 'utf8'))
const audio = new Map(input.audioFiles.map((f) => [f, new Uint8Array(readFileSync(audioDir + f))]))
const load = async (file) => new Blob([audio.get(file)])
const timers = new Map()
let next = 1
const start = (set) => (fn, ms, ...args) => { const id = next++; timers.set(id, set(fn, ms, ...args)); return id }
const stop = (clear) => (id) => { clear(timers.get(id)); timers.delete(id) }
globalThis.__noaiWeb = { setTimeout: start(setTimeout), clearTimeout: stop(clearTimeout), setInterval: start(setInterval), clearInterval: stop(clearInterval) }
const outcomes = {}
for (const [name, file] of Object.entries(names)) {
  try {
    const mod = await import(pathToFileURL(dir + '/' + file).href)
    outcomes[name] = { ok: true, value: await mod.run(input, load) }
  } catch (e) {
    outcomes[name] = { ok: false, error: String((e && e.stack) || e) }
  }
}
writeFileSync(dir + '/results.json', JSON.stringify({ outcomes }))
`

// What the code in a bundle sees, run like the checks.
const PROBE = `export const run = () => [typeof Buffer, typeof process, typeof global, typeof setImmediate, typeof clearImmediate, typeof setTimeout(() => {}, 0), typeof globalThis.fetch, typeof crypto.subtle]\n`

describe.skipIf(!distBuilt())('without Node globals (needs dist/: npm run build)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'noai-no-node-globals-'))
  const input = webCheckInput()
  const libraryCode = new Map<string, string>()
  const buildErrors = new Map<string, string>()
  let expected: WebResults
  let child: { outcomes: Record<string, Outcome> } | undefined
  let childError = ''

  beforeAll(async () => {
    // 1. each subpath alone, minified, for the static scan (one build per subpath: a failure names it)
    for (const subpath of WEB_SUBPATHS) {
      try {
        const r = await bundleEntries({ [fileName(subpath)]: `export * from ${JSON.stringify(specifier(subpath))}\n` }, { minify: true })
        libraryCode.set(subpath, r.outputFiles[0]!.text)
      } catch (e) {
        const errors = (e as { errors?: { text: string }[] }).errors
        buildErrors.set(subpath, errors ? errors.map((x) => x.text).join('; ') : String(e))
      }
    }
    // 2. each subpath with its check, one self-contained ESM file each, run in the child
    const entries: Record<string, string> = Object.fromEntries(WEB_SUBPATHS.map((s) => [fileName(s), checkEntry(s)]))
    entries[fileName('audio+sign')] = signedAudioEntry()
    entries['probe'] = PROBE
    const built = await bundleEntries(entries, { outExtension: { '.js': '.mjs' }, define: DEFINE })
    for (const f of built.outputFiles) writeFileSync(join(dir, f.path.slice(f.path.lastIndexOf('/') + 1)), f.contents)
    writeFileSync(join(dir, 'input.json'), JSON.stringify(input))
    const names = Object.fromEntries([...WEB_SUBPATHS, 'audio+sign', 'probe'].map((s) => [s, `${fileName(s)}.mjs`]))
    writeFileSync(join(dir, 'harness.mjs'), HARNESS)
    const r = spawnSync(process.execPath, [join(dir, 'harness.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NOAI_WEB_DIR: dir, NOAI_AUDIO_DIR: AUDIO_DIR, NOAI_WEB_NAMES: JSON.stringify(names) },
    })
    try {
      child = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as typeof child
    } catch {
      childError = `the child wrote no results (exit ${r.status}, signal ${r.signal}):\n${r.stderr}`
    }
    expected = await expectedResults(input)
  }, 180_000)

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each(WEB_SUBPATHS)('%s bundles for the browser with no node: import and no Node global', (subpath) => {
    expect(buildErrors.get(subpath), `${specifier(subpath)} does not bundle for the browser`).toBeUndefined()
    const code = libraryCode.get(subpath)!.replace(FEATURE_TEST, '')
    expect(code.length).toBeGreaterThan(100)
    const found = NODE_REFERENCES.filter(([re]) => re.test(code)).map(([re, what]) => {
      const at = code.search(re)
      return `${what}: …${code.slice(Math.max(0, at - 60), at + 60)}…`
    })
    expect(found, specifier(subpath)).toEqual([])
  })

  it('the static scan finds Node globals where they are (it can fail)', () => {
    const nodeStyle = 'const a = Buffer.from("x"); if (typeof process !== "undefined") process.env.X; require("fs"); import("node:fs")'
    expect(NODE_REFERENCES.filter(([re]) => re.test(nodeStyle)).map(([, w]) => w)).toEqual(['Buffer', 'process', 'require()', 'a node: module'])
    expect(NODE_REFERENCES.some(([re]) => re.test('globalThis.crypto; x.process(); obj.require(1); "processing"'))).toBe(false)
    const guarded = 'e instanceof Uint8Array&&!(typeof Buffer<"u"&&Buffer.isBuffer(e))?1:2; typeof process!=="undefined"&&process.env.X'
    expect(guarded.replace(FEATURE_TEST, '')).toBe('e instanceof Uint8Array&&!()?1:2; ')
    expect('Buffer.from(x); typeof Buffer<"u"&&Buffer.isBuffer(e)'.replace(FEATURE_TEST, '')).toMatch(/^Buffer\.from/)
  })

  it('in the bundles run, Node globals are undefined, timers return numbers, Web APIs are there', () => {
    expect(child, childError).toBeDefined()
    expect(child!.outcomes['probe']).toEqual({ ok: true, value: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'number', 'function', 'object'] })
  })

  it.each([...WEB_SUBPATHS, 'audio+sign'])('%s works without Node globals and gives what the sources give in Node', (name) => {
    expect(child, childError).toBeDefined()
    expectSameAsNode(name, child!.outcomes[name], expected)
  })
})
