// The built library validates every conformance vector in a process where code generation from
// strings is forbidden (node --disallow-code-generation-from-strings, the Node equivalent of a CSP
// without 'unsafe-eval'): the validator is compiled at build time, so nothing calls eval or
// new Function at run time (house rule 10, docs/spec.md §12.3).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadVectors } from './_vectors.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const script = fileURLToPath(new URL('../scripts/run-vectors.mjs', import.meta.url))
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))

const build = (): void => {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`)
}
const run = (flags: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [...flags, script, '--require-no-codegen'], { cwd: root, encoding: 'utf8', timeout: 60_000 })

describe('vectors under --disallow-code-generation-from-strings (built library)', () => {
  let child: SpawnSyncReturns<string>
  beforeAll(() => {
    // `pretest` builds dist/; when the test is run on its own, build once if it is missing.
    if (!existsSync(dist)) build()
    child = run(['--disallow-code-generation-from-strings'])
    // Another build may be replacing dist/ at this moment (tsup cleans it first): rebuild and retry once.
    if (child.status !== 0 && /ERR_MODULE_NOT_FOUND|Cannot find module/.test(child.stderr)) {
      build()
      child = run(['--disallow-code-generation-from-strings'])
    }
  }, 120_000)

  it('has code generation from strings blocked in the child (new Function throws)', () => {
    expect(child.stdout).toContain('code generation from strings: blocked')
  })

  it('passes every vector and counts them all', () => {
    const vectors = loadVectors()
    const valid = vectors.filter((v) => v.valid).length
    expect(child.stderr).toBe('')
    expect(child.stdout).toContain(
      `vectors: ${vectors.length} (${valid} valid, ${vectors.length - valid} invalid); passed: ${vectors.length}; failed: 0`,
    )
    expect(child.status, child.stdout).toBe(0)
  })

  it('the runner refuses to pass when code generation is allowed (the probe works)', () => {
    const plain = run([])
    expect(plain.stdout).toContain('code generation from strings: allowed')
    expect(plain.status).toBe(1)
  })
})
