/**
 * `noai strip AUDIO... (-o OUT | --in-place) [--json]`: removes the NoAI Tag (both entries) from
 * audio files (docs/spec.md §10.3); other tags and the audio stay byte for byte. Exit status 0 every
 * file done (with or without a tag), 1 a file whose audio could not be read (damaged or
 * unsupported), 2 usage or I/O error.
 *
 * @module
 */
import type { Command } from 'commander'
import type { AudioTagReport } from '../../audio/read-audio-tag.js'
import { readAudioFile } from '../../node/read-audio-file.js'
import { removeAudioTagFromFile } from '../../node/remove-audio-tag-from-file.js'
import { checkOutputFlags, errorObject, isAudioFault, messageOf } from '../_audio.js'
import { CliInputError, expandInputs } from '../_io.js'
import type { SetExitCode } from './index.js'

interface StripOptions {
  readonly output?: string
  readonly inPlace?: boolean
  readonly json?: boolean
}

const HELP_AFTER = `
Removes the two NoAI entries (NOAI, the readable line, and NOAI_TAG, the document); the freed
bytes become padding where the container has padding. Other tags and the audio are not touched.
A file without a NoAI tag is left as it is (or copied, with -o).

Output: -o OUT writes a new file (one input only); --in-place changes the inputs. One of the two is
required.

Exit status: 0 every file done, 1 a file whose audio could not be read (damaged or unsupported
container), 2 usage or I/O error.

Examples:
  noai strip song.mp3 -o clean.mp3
  noai strip 'album/*.flac' --in-place
`

interface Stripped {
  readonly input: string
  readonly output: string
  readonly format: string
  readonly method: 'in-place' | 'rewrite' | 'unchanged'
  /** What was removed. */
  readonly removed: { readonly readable?: string; readonly document?: 'signed' | 'unsigned' }
}

function removedOf(r: AudioTagReport): Stripped['removed'] {
  return {
    ...(r.readable === undefined ? {} : { readable: r.readable }),
    ...(r.document === undefined ? {} : { document: r.signed ? 'signed' : 'unsigned' }),
  }
}

async function stripOne(input: string, o: StripOptions): Promise<Stripped> {
  const before = await readAudioFile(input)
  const r = await removeAudioTagFromFile(input, o.output === undefined ? {} : { out: o.output })
  return { input, output: r.path, format: r.format, method: r.method, removed: removedOf(before) }
}

function formatText(s: Stripped): string {
  const to = s.output === s.input ? '' : ` -> ${s.output}`
  if (s.removed.readable === undefined && s.removed.document === undefined) return `${s.input}: no NoAI tag (${s.format})${to}\n`
  const what = [
    ...(s.removed.readable === undefined ? [] : [`readable line "${s.removed.readable}"`]),
    ...(s.removed.document === undefined ? [] : [`${s.removed.document} document`]),
  ].join(' and ')
  return `${s.input}: removed ${what} (${s.format}, ${s.method === 'in-place' ? 'in place' : 'rewritten'})${to}\n`
}

async function run(args: readonly string[], o: StripOptions, setExitCode: SetExitCode): Promise<void> {
  checkOutputFlags('strip', args, { ...(o.output === undefined ? {} : { output: o.output }), ...(o.inPlace ? { inPlace: true } : {}) })
  const { inputs, errors } = await expandInputs(args)
  for (const e of errors) process.stderr.write(`noai strip: ${e.message}\n`)
  if (errors.length > 0) setExitCode(2)
  if (o.output !== undefined && inputs.length !== 1) throw new CliInputError(`-o OUT takes exactly one input (${inputs.length} matched); use --in-place for several`)
  for (const { name } of inputs) {
    try {
      const s = await stripOne(name, o)
      process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatText(s))
    } catch (e) {
      process.stderr.write(`noai strip: ${name}: ${messageOf(e)}\n`)
      if (o.json) process.stdout.write(`${JSON.stringify({ input: name, error: errorObject(e) })}\n`)
      setExitCode(isAudioFault(e) ? 1 : 2)
    }
  }
}

/**
 * Registers `noai strip`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('strip')
    .summary('remove the NoAI Tag from audio files')
    .description('Remove the NoAI Tag (readable line and document) from audio files, keeping everything else byte for byte (docs/spec.md §10.3).')
    .argument('<audio...>', 'audio files or glob patterns')
    .option('-o, --output <file>', 'write the result here (one input only)')
    .option('--in-place', 'change the input files')
    .option('--json', 'print one JSON object per file')
    .showHelpAfterError('(run noai strip --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (args: string[], options: StripOptions) => {
      try {
        await run(args, options, setExitCode)
      } catch (e) {
        process.stderr.write(`noai strip: ${messageOf(e)}\n`)
        setExitCode(2)
      }
    })
}
