// Packaging gates on the packed tarball (house rule 13: "packaging is specification").
//   node scripts/check-package.mjs [--tarball <file.tgz>] [--keep]
// 1. packs the package into a temporary folder (`npm pack`, which builds first through prepack),
//    unless --tarball names one;
// 2. publint --strict on the tarball;
// 3. @arethetypeswrong/cli on the tarball with --profile esm-only (an ESM-only package);
// 4. installs the tarball in a scratch project (`npm init -y`, `npm install <tgz>`);
// 5. for every subpath of the tarball's "exports" map: loads it in a fresh Node process with
//    import() and with require() (require(esm), Node >= 20.19); both must give the same, non-empty
//    set of named exports and no default export (house rule 3); JSON subpaths must resolve and
//    parse;
// 6. runs the `noai` bin from the scratch project (`npx noai --version`);
// 7. checks that the shipped JavaScript never generates code at run time (`new Function`,
//    house rule 10).
// Exits 1 when any gate fails (all gates run, so one run shows every problem).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const keep = args.includes('--keep')
const tarballArg = args.includes('--tarball') ? args[args.indexOf('--tarball') + 1] : undefined
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

const failures = []
const header = (title) => console.log(`\n--- check-package: ${title}`)
const fail = (message) => {
  failures.push(message)
  console.error(`FAIL ${message}`)
}
const ok = (message) => console.log(`ok   ${message}`)

/** Runs a command with inherited output; returns its exit status. */
function run(cmd, argv, cwd) {
  const r = spawnSync(cmd, argv, { cwd, stdio: 'inherit', env: process.env })
  return r.status ?? 1
}

const work = mkdtempSync(join(tmpdir(), 'noai-tag-package-'))
try {
  // 1. the tarball
  let tarball
  if (tarballArg) {
    tarball = resolve(tarballArg)
  } else {
    header('npm pack')
    const dest = mkdirp(join(work, 'pack'))
    // `npm pack` builds first (prepack); its output is shown only when it fails.
    const r = spawnSync(npm, ['pack', '--pack-destination', dest], { cwd: root, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`npm pack failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
    const tgz = readdirSync(dest).filter((f) => f.endsWith('.tgz'))
    if (tgz.length !== 1) throw new Error(`expected one tarball in ${dest}, found ${tgz.length}`)
    tarball = join(dest, tgz[0])
  }
  const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n')
  console.log(`tarball: ${tarball} (${Math.round(statSync(tarball).size / 1024)} kB, ${entries.length} files)`)
  const misplaced = entries.filter((e) => /^package\/(src|test|bench|scripts|\.ci|\.tmp|node_modules)\//.test(e))
  if (misplaced.length > 0) fail(`tarball contains development files: ${misplaced.slice(0, 5).join(', ')}`)

  // 2. publint (warnings are errors)
  header('publint --strict')
  if (run(npx, ['--no', 'publint', 'run', tarball, '--strict'], root) !== 0) fail('publint')

  // 3. are the types wrong (ESM-only profile: CommonJS consumers use require(esm), see step 5)
  header('attw --profile esm-only')
  if (run(npx, ['--no', 'attw', tarball, '--profile', 'esm-only'], root) !== 0) fail('attw')

  // 4. a consumer project
  header('install the tarball in a scratch project')
  const scratch = join(work, 'consumer')
  execFileSync(npm, ['init', '-y'], { cwd: mkdirp(scratch), stdio: 'ignore' })
  const installed = run(npm, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], scratch)
  if (installed !== 0) throw new Error(`npm install ${tarball} failed (exit ${installed})`)
  const pkgDir = join(scratch, 'node_modules', 'noai-tag')
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
  ok(`installed ${pkg.name}@${pkg.version}`)

  // 5. every subpath, with import() and with require()
  header('import() and require() every subpath')
  for (const key of Object.keys(pkg.exports ?? {})) {
    const spec = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`
    if (key === './package.json' || key.endsWith('.json')) {
      checkJson(spec, scratch)
      continue
    }
    const viaImport = loadExports(spec, 'import', scratch)
    const viaRequire = loadExports(spec, 'require', scratch)
    if (!viaImport || !viaRequire) continue
    if (viaImport.join() !== viaRequire.join()) {
      fail(`${spec}: import() and require() disagree: [${viaImport}] vs [${viaRequire}]`)
    } else if (viaImport.length === 0) {
      fail(`${spec}: no named exports at run time (a subpath that only exports types?)`)
    } else if (viaImport.includes('default')) {
      fail(`${spec}: has a default export (house rule 3: named exports only)`)
    } else {
      ok(`${spec}: import and require give ${viaImport.length} named exports`)
    }
  }

  // 6. the bin
  header('npx noai --version (from the scratch project)')
  for (const name of Object.keys(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin ?? {})) {
    const r = spawnSync(npx, ['--no', '--', name, '--version'], { cwd: scratch, encoding: 'utf8' })
    const out = (r.stdout ?? '').trim()
    if (r.status === 0 && out.includes(pkg.version)) ok(`${name} --version: ${out}`)
    else fail(`${name} --version: exit ${r.status}, stdout ${JSON.stringify(out)}, stderr ${JSON.stringify((r.stderr ?? '').trim())}`)
  }

  // 7. no code generation at run time in what ships
  header('no `new Function` / eval in the shipped JavaScript')
  const shipped = listFiles(pkgDir).filter((f) => /\.(c|m)?js$/.test(f))
  let clean = true
  for (const file of shipped) {
    const text = readFileSync(file, 'utf8')
    for (const [re, what] of [
      [/\bnew\s+Function\s*\(/, 'new Function'],
      [/(^|[^.\w$])eval\s*\(/m, 'eval('],
    ]) {
      if (re.test(text)) {
        clean = false
        fail(`${file.slice(pkgDir.length + 1)} contains ${what}`)
      }
    }
  }
  if (clean) ok(`${shipped.length} JavaScript files, none generates code at run time`)
} catch (e) {
  fail(e instanceof Error ? e.message : String(e))
} finally {
  if (keep) console.log(`\nkept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

console.log(`\ncheck-package: ${failures.length === 0 ? 'all gates passed' : `${failures.length} failed`}`)
if (failures.length > 0) process.exitCode = 1

/** Named exports of `spec` loaded in a fresh Node process with import() or require(), or undefined on failure. */
function loadExports(spec, mode, cwd) {
  const load = mode === 'import' ? `await import(${JSON.stringify(spec)})` : `require(${JSON.stringify(spec)})`
  const code = `const m = ${load}; console.log(JSON.stringify(Object.keys(m).filter((k) => k !== '__esModule' && k !== 'module.exports').sort()))`
  const argv = mode === 'import' ? ['--input-type=module', '-e', code] : ['-e', code]
  const r = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8' })
  if (r.status !== 0) {
    fail(`${mode} ${spec}: exit ${r.status}\n${r.stderr.trim()}`)
    return undefined
  }
  // require(esm) may warn that it is experimental on some Node 20 releases; anything else is news.
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l.trim() && !/ExperimentalWarning: (CommonJS module|Support for loading ES Module|.*require\(\))|--trace-warnings/.test(l))
  if (stderr.length > 0) console.log(`note ${mode} ${spec} wrote to stderr:\n${stderr.join('\n')}`)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}

/** A JSON subpath must resolve inside the package and parse. */
function checkJson(spec, cwd) {
  const code = `const p = require.resolve(${JSON.stringify(spec)}); JSON.parse(require('node:fs').readFileSync(p, 'utf8')); console.log(p)`
  const r = spawnSync(process.execPath, ['-e', code], { cwd, encoding: 'utf8' })
  if (r.status === 0) ok(`${spec}: resolves and parses`)
  else fail(`${spec}: ${r.stderr.trim()}`)
}

function mkdirp(dir) {
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Files of the installed package (not of its own dependencies). */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.parentPath.slice(dir.length).includes('node_modules'))
    .map((d) => join(d.parentPath, d.name))
}
