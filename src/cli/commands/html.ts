/**
 * `noai html TAG [--for URL] [--license-url URL]`: prints the HTML head elements that carry a tag
 * (docs/spec.md §11.2): `<meta name="noai-tag">`, the document or signed tag in a `<script>`, and
 * the TDMRep and robots meta elements derived through the mapping table. With `--for`, the
 * `<script>` describes embedded media (`data-noai-for`). Exit status 0, 1 the tag is not valid, 2
 * usage or I/O error.
 *
 * @module
 */
import type { Command } from 'commander'
import { InvalidArgumentError } from '../../errors.js'
import { tagHtml, type TagHtmlOptions } from '../../html.js'
import { CliInputError, STDIN_ARGUMENT } from '../_io.js'
import { readTagArgument, runTagCommand } from './headers.js'
import type { SetExitCode } from './index.js'

interface HtmlOptions {
  readonly for?: string
  readonly licenseUrl?: string
}

const HELP_AFTER = `
TAG is a tag document (JSON), a signed tag (compact JWS) or a file holding either (- for standard
input). Put the output in the page's <head>; with --for, the <script> may also sit next to the
player in the body.

Examples:
  noai html tag.json
  noai html track.jws --for /audio/track-1.mp3
`

async function run(arg: string, o: HtmlOptions): Promise<void> {
  const { tag, jws } = await readTagArgument(arg)
  const options: TagHtmlOptions = { ...(jws !== undefined ? { jws } : {}), ...(o.for !== undefined ? { for: o.for } : {}), ...(o.licenseUrl !== undefined ? { licenseUrl: o.licenseUrl } : {}) }
  try {
    process.stdout.write(`${tagHtml(tag, options)}\n`)
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new CliInputError(e.message, { cause: e })
    throw e
  }
}

/**
 * Registers `noai html`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('html')
    .summary('print the HTML head elements to serve with a tag')
    .description('Print the HTML head elements that carry a tag (docs/spec.md §11.2).')
    .argument('<tag>', `a tag document, a compact JWS, or a file holding one (${STDIN_ARGUMENT}: standard input)`)
    .option('--for <url>', 'the embedded media the tag is about (data-noai-for), relative to the page')
    .option('--license-url <url>', 'the licence URL written as tdm-policy (default: the tag\'s license)')
    .showHelpAfterError('(run noai html --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action((arg: string, options: HtmlOptions) => runTagCommand('html', setExitCode, () => run(arg, options)))
}
