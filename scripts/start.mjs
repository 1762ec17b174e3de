// `npm start`: the README's main job on bundled example data. For now it validates the example
// tag documents with the CLI and runs the decision example; later it grows into the full demo.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const examples = readdirSync(new URL('../examples', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => `examples/${f}`)

function run(title, cmd, args) {
  console.log(`\n== ${title}\n$ ${[cmd, ...args].join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error(`${title} failed (exit ${r.status})`)
    process.exit(r.status ?? 1)
  }
}

run('Validate the example tags', process.execPath, ['dist/cli.js', 'validate', ...examples])
run('Decide per use', process.execPath, ['--import', 'tsx', 'examples/decide.ts'])
