// Bundle gates (DESIGN: "one subpath export per carrier so that a crawler that only reads headers
// never loads jose or the audio parsers"; house rule 2: Web APIs only outside noai-tag/node).
//   node scripts/check-bundles.mjs [--json]
// Needs dist/ (`npm run build`). For every code subpath of package.json "exports", esbuild bundles
// what a browser app that imports it would ship (bundle, format esm, minified, code splitting so
// that `import()`ed code lands in its own chunks, platform browser; noai-tag/node: platform node):
// 1. Contents. The subpath is bundled from its source (src/<name>.ts) so that the metafile names
//    every module: the code loaded up front (the entry chunk and the chunks it imports statically)
//    must hold none of the modules FORBIDDEN lists for it (jose, the audio readers, the signing
//    and verifying code, ...), and nothing but noai-tag/node may reach a `node:` module.
// 2. Size. The subpath is bundled from dist/ (what ships), and the minified + gzipped (level 9)
//    size of the code loaded up front, and of everything it can load, is compared with BUDGETS.
// Prints one table; exits 1 when any gate fails.
import { existsSync, readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

// Budgets in bytes, minified + gzipped: `initial` is what importing the subpath loads, `total` adds
// everything it may load later with import() (crawl: signing, audio, RSL; audio: one parser per
// container). About 15 % above the sizes measured on 2026-11-26 (docs/performance.md, "Bundle
// sizes"), so that a real regression fails and everyday changes do not. Raise a budget only in
// the same change that explains why the subpath grew.
const BUDGETS = {
  '.': { initial: 18_250, total: 18_250 },
  './schema': { initial: 2_500, total: 2_500 },
  './sign': { initial: 23_500, total: 23_500 },
  './http': { initial: 23_750, total: 23_750 },
  './html': { initial: 31_500, total: 31_500 },
  './robots': { initial: 50_750, total: 50_750 },
  './audio': { initial: 55_000, total: 92_000 },
  './node': { initial: 54_750, total: 91_750 },
  './crawl': { initial: 59_500, total: 147_250 },
}

// Modules (paths relative to the repository, as esbuild's metafile names them) that the code a
// subpath loads up front must not contain.
const JOSE = { label: 'jose', test: (p) => p.startsWith('node_modules/jose/') }
const NOBLE = { label: '@noble/hashes (audio hashing)', test: (p) => p.startsWith('node_modules/@noble/hashes/') }
const XML = { label: 'fast-xml-parser (RSL)', test: (p) => p.startsWith('node_modules/fast-xml-parser/') }
const AUDIO = { label: 'the audio readers (src/audio/)', test: (p) => p.startsWith('src/audio/') }
// Some small generic helpers live in src/sign/ and are shared: decoding a signed tag's payload
// WITHOUT verifying it (the http and html carriers report what a JWS says; docs/spec.md §11.1)
// needs base64url, strict JSON and the size limits, and the crawl cache reuses the key cache's LRU
// and Cache-Control parsing. Those are allowed; the signing, verifying and key discovery code (every
// other file of src/sign/, including files added later) is not.
const SIGN_SHARED_HELPERS = new Set([
  'src/sign/_base64url.ts',
  'src/sign/_strict-json.ts',
  'src/sign/sign-limits.ts',
  'src/sign/keys/_lru.ts',
  'src/sign/keys/_cache-control.ts',
])
const SIGN = {
  label: 'the signing and verifying code (src/sign/)',
  test: (p) => p.startsWith('src/sign/') && !SIGN_SHARED_HELPERS.has(p),
}
const FORBIDDEN = {
  '.': [JOSE, NOBLE, XML, AUDIO, SIGN],
  './schema': [JOSE, NOBLE, XML, AUDIO, SIGN],
  './http': [JOSE, NOBLE, AUDIO, SIGN],
  './html': [JOSE, NOBLE, AUDIO, SIGN],
  './robots': [JOSE, NOBLE, AUDIO, SIGN],
  // checkUrl and evaluate load these with import() only when a signed tag, an audio body or an RSL
  // licence is met (DESIGN; test/crawl-bundle.test.ts checks the same on dist/ itself).
  './crawl': [JOSE, NOBLE, XML, AUDIO, SIGN],
  './sign': [AUDIO, NOBLE],
  './audio': [JOSE, SIGN],
}
const NODE_ONLY = new Set(['./node'])

const failures = []
const fail = (message) => {
  failures.push(message)
  console.error(`FAIL ${message}`)
}

const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
const subpaths = Object.entries(pkg.exports)
  .filter(([key]) => !key.endsWith('.json'))
  .map(([key, leaf]) => {
    const dist = typeof leaf === 'string' ? leaf : leaf.default
    const name = /^\.\/dist\/([\w-]+)\.js$/.exec(dist)?.[1]
    if (name === undefined) throw new Error(`exports ${key}: ${dist} is not ./dist/<name>.js`)
    return { key, name, dist: dist.slice(2), src: `src/${name}.ts` }
  })

for (const { key } of subpaths) if (!BUDGETS[key]) fail(`${key} has no size budget in scripts/check-bundles.mjs`)
for (const key of Object.keys(BUDGETS)) if (!subpaths.some((s) => s.key === key)) fail(`budget for ${key}, which package.json does not export`)

/** Bundles one entry file; returns the outputs with what each holds and imports. */
async function bundle(entry, key) {
  const node = NODE_ONLY.has(key)
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: node ? 'node' : 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    write: false,
    outdir: `${root}.tmp/check-bundles`,
    // Outside noai-tag/node a `node:` import fails to resolve: that is the check.
    external: node ? ['node:*'] : [],
    // tsup's chunks import each other for side effects the package says they do not have.
    logLevel: 'silent',
  })
  const contents = new Map(result.outputFiles.map((f) => [f.path.slice(root.length), f.contents]))
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'))
  // Chunks loaded with import() have an entryPoint too: the subpath's own is the one built from `entry`.
  const entryFile = outputs.find(([, o]) => o.entryPoint === entry)[0]
  // The code loaded up front: the entry chunk and, transitively, the chunks it imports statically.
  const initial = new Set()
  const visit = (file) => {
    if (initial.has(file)) return
    initial.add(file)
    for (const imp of result.metafile.outputs[file].imports) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path)
  }
  visit(entryFile)
  const gz = (files) => files.reduce((n, f) => n + gzipSync(contents.get(f), { level: 9 }).length, 0)
  const minified = (files) => files.reduce((n, f) => n + result.metafile.outputs[f].bytes, 0)
  const all = outputs.map(([file]) => file)
  return {
    initialInputs: new Set([...initial].flatMap((f) => Object.keys(result.metafile.outputs[f].inputs))),
    allInputs: new Set(all.flatMap((f) => Object.keys(result.metafile.outputs[f].inputs))),
    externals: all.flatMap((f) => result.metafile.outputs[f].imports.filter((i) => i.external).map((i) => i.path)),
    initial: { min: minified([...initial]), gzip: gz([...initial]) },
    total: { min: minified(all), gzip: gz(all) },
    chunks: all.length,
  }
}

const errorText = (e) => (e?.errors ? e.errors.map((x) => `${x.text}${x.location ? ` (${x.location.file}:${x.location.line})` : ''}`).join('; ') : String(e))

if (!subpaths.every((s) => existsSync(`${root}${s.dist}`))) {
  fail('dist/ is missing or incomplete: run `npm run build` first')
} else {
  const rows = []
  for (const s of subpaths) {
    // 1. contents, from the source
    try {
      const b = await bundle(s.src, s.key)
      checkContents(s.key, b)
      if (!NODE_ONLY.has(s.key)) {
        const nodeish = [...b.allInputs].filter((p) => p.startsWith('node:') || p.startsWith('src/node/') || p.startsWith('src/cli/'))
        if (nodeish.length > 0) fail(`${spec(s.key)} reaches Node-only code: ${nodeish.join(', ')}`)
      }
    } catch (e) {
      fail(`${spec(s.key)}: bundling ${s.src} for the browser failed: ${errorText(e)}`)
    }
    // 2. size, from what ships (and the package rules once more: dist/ names packages, not files)
    try {
      const b = await bundle(s.dist, s.key)
      checkContents(s.key, b)
      const budget = BUDGETS[s.key] ?? { initial: 0, total: 0 }
      const over = []
      if (b.initial.gzip > budget.initial) over.push(`up front ${b.initial.gzip} B > ${budget.initial} B`)
      if (b.total.gzip > budget.total) over.push(`in all ${b.total.gzip} B > ${budget.total} B`)
      if (over.length > 0) fail(`${spec(s.key)} is over its size budget: ${over.join(', ')}`)
      rows.push({ subpath: spec(s.key), ...b, budget, ok: over.length === 0 })
    } catch (e) {
      fail(`${spec(s.key)}: bundling ${s.dist} failed: ${errorText(e)}`)
    }
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows.map(({ subpath, initial, total, chunks, budget }) => ({ subpath, initial, total, chunks, budget })), null, 2))
  } else {
    printTable(rows)
  }
}

console.log(`\ncheck-bundles: ${failures.length === 0 ? 'all gates passed' : `${failures.length} failed`}`)
if (failures.length > 0) process.exitCode = 1

function checkContents(key, b) {
  for (const rule of FORBIDDEN[key] ?? []) {
    const found = [...b.initialInputs].filter(rule.test)
    if (found.length > 0) fail(`${spec(key)} loads ${rule.label} up front: ${found.slice(0, 4).join(', ')}${found.length > 4 ? ', ...' : ''}`)
  }
}

function spec(key) {
  return key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`
}

function printTable(rows) {
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`
  const head = ['subpath', 'up front (min)', 'up front (gzip)', 'budget', 'in all (gzip)', 'budget', 'chunks', '']
  const body = rows.map((r) => [
    r.subpath,
    kb(r.initial.min),
    kb(r.initial.gzip),
    kb(r.budget.initial),
    kb(r.total.gzip),
    kb(r.budget.total),
    String(r.chunks),
    r.ok ? 'ok' : 'OVER',
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)))
  const line = (cells) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  console.log('minified + gzipped (level 9) size of what a browser bundle of each subpath ships:')
  console.log(line(head))
  for (const r of body) console.log(line(r))
}
