#!/usr/bin/env node
/**
 * The `noai` command-line program. Each command lives in src/cli/commands/<name>.ts and exports a
 * `register(program)` function; this file only wires them up and maps outcomes to exit codes
 * (0 success, 1 a negative finding such as an invalid tag, 2 usage or I/O errors). Only the
 * command that runs is loaded (src/cli/commands/index.ts).
 *
 * @module
 */
import { Command, CommanderError } from 'commander'
import { commandsFor } from './commands/index.js'
import { VERSION } from './version.js'

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
  program
    .name('noai')
    .description('Create, validate, sign, verify, embed and read NoAI Tags (machine-readable AI-usage preferences).')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run noai --help for usage)')
    .exitOverride()
  let code = 0
  const setExitCode = (c: number): void => {
    code = Math.max(code, c)
  }
  const modules = await Promise.all(commandsFor(argv).map((c) => c.load()))
  for (const { register } of modules) register(program, setExitCode)
  try {
    await program.parseAsync(argv as string[], { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every other parse problem is a usage error.
      return e.exitCode === 0 ? 0 : 2
    }
    process.stderr.write(`noai: ${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
  return code
}

// A reader that stops early (`noai validate ... | head`) is not an error: the rest of the output is
// dropped, and the run finishes with its own exit status. Other write errors (a full disk) are.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') return
  process.stderr.write(`noai: cannot write the output: ${e.message}\n`)
  process.exit(2)
})

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`noai: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`)
    process.exitCode = 2
  },
)
