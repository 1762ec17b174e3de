// Runs the built CLI (dist/cli.js, built by `pretest`) in a child process and collects its output.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Absolute path of the built CLI. */
export const CLI_PATH: string = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

/** What a run of the CLI produced. */
export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Working directory of the child. */
  readonly cwd?: string
  /** Written to the child's standard input, which is then closed (otherwise stdin is empty). */
  readonly input?: string | Uint8Array
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>
}

/** Spawns `node dist/cli.js ...args` and resolves when it exits. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first (npm test does it in pretest)`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    // The child may stop reading early (a document over the size limit): ignore EPIPE.
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}
