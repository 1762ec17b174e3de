// The registry of CLI commands: one file per command, each listed here (in the order `noai --help`
// lists them) with a loader. A command's module, and the code only it needs, is loaded when the
// command runs: `noai scan ...` loads the scan command, not the other eleven (each pulls in code of
// its own: keygen jose, validate tinyglobby...), which saves a good part of the start-up.
import type { Command } from 'commander'

/** Reports an exit code for the run; the highest reported code wins. */
export type SetExitCode = (code: number) => void
/** Adds one command to the program. */
export type RegisterCommand = (program: Command, setExitCode: SetExitCode) => void

/** A command: its name (as typed) and how to load its module, which exports `register`. */
export interface CommandEntry {
  readonly name: string
  readonly load: () => Promise<{ readonly register: RegisterCommand }>
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'validate', load: () => import('./validate.js') },
  { name: 'keygen', load: () => import('./keygen.js') },
  { name: 'sign', load: () => import('./sign.js') },
  { name: 'verify', load: () => import('./verify.js') },
  { name: 'stamp', load: () => import('./stamp.js') },
  { name: 'inspect', load: () => import('./inspect.js') },
  { name: 'strip', load: () => import('./strip.js') },
  { name: 'check', load: () => import('./check.js') },
  { name: 'headers', load: () => import('./headers.js') },
  { name: 'html', load: () => import('./html.js') },
  { name: 'robots', load: () => import('./robots.js') },
  { name: 'scan', load: () => import('./scan.js') },
]

/**
 * The commands to register for a command line: only the command it names when its first word is a
 * command (what commander then parses depends on that command alone), else all of them (for
 * `noai --help`, `noai help ...`, `-V`, and a misspelt command, which commander answers with the
 * list or a suggestion).
 *
 * @example
 * ```ts
 * commandsFor(['scan', 'dataset/']).map((c) => c.name) // ['scan']
 * commandsFor(['--help']).length // 12
 * ```
 */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const named = COMMANDS.find((c) => c.name === argv[0])
  return named !== undefined ? [named] : COMMANDS
}
