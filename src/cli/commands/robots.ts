/**
 * `noai robots POLICY [--file robots.txt|tdmrep.json|ai.txt] [--block-ai-crawlers]
 * [--sitemap URL...]`: prints the site-level file to serve for a site policy (docs/spec.md §11.3.7,
 * §11.4). Exit status 0, 1 the policy is not valid, 2 usage or I/O error.
 *
 * @module
 */
import { Option, type Command } from 'commander'
import { InvalidArgumentError, JsonParseError, LimitExceededError } from '../../errors.js'
import { aiTxtFor, parsePolicy, robotsTxtFor, SiteFileError, SITE_LIMITS, tdmrepJsonFor, type NoaiPolicy } from '../../robots.js'
import { CliInputError, STDIN_ARGUMENT, readInput } from '../_io.js'
import { runTagCommand, TagArgumentError } from './headers.js'
import type { SetExitCode } from './index.js'

interface RobotsOptions {
  readonly file: 'robots.txt' | 'tdmrep.json' | 'ai.txt'
  readonly blockAiCrawlers?: boolean
  readonly sitemap?: string[]
}

const HELP_AFTER = `
POLICY is a site policy document (the JSON served at /.well-known/noai-tag/policy.json), or - for
standard input. Serve each file with the headers of docs/spec.md §11.4.4 (Content-Type,
Cache-Control: public, max-age=3600). When a file has nothing to state (no AI training denied
anywhere for ai.txt, no known tdm answer for tdmrep.json), nothing is printed and a note says so.

Examples:
  noai robots policy.json > robots.txt
  noai robots policy.json --block-ai-crawlers --sitemap https://music.example/sitemap.xml
  noai robots policy.json --file tdmrep.json > .well-known/tdmrep.json
`

async function readPolicy(arg: string): Promise<NoaiPolicy> {
  const read = await readInput({ name: arg, stdin: arg === STDIN_ARGUMENT }, SITE_LIMITS.maxPolicyBytes)
  if (read.tooLarge) throw new TagArgumentError(`${arg} is larger than a site policy may be (${SITE_LIMITS.maxPolicyBytes} bytes)`)
  try {
    return parsePolicy(new TextDecoder('utf-8', { ignoreBOM: true }).decode(read.bytes))
  } catch (e) {
    if (e instanceof SiteFileError) throw new TagArgumentError(`${e.message}${e.issues.length > 1 ? `\n${e.issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n')}` : ''}`)
    if (e instanceof JsonParseError || e instanceof LimitExceededError) throw new TagArgumentError(e.message)
    throw e
  }
}

async function run(arg: string, o: RobotsOptions): Promise<void> {
  const policy = await readPolicy(arg)
  let out: string | undefined
  try {
    if (o.file === 'robots.txt') out = robotsTxtFor(policy, { blockAiCrawlers: o.blockAiCrawlers === true, ...(o.sitemap ? { sitemaps: o.sitemap } : {}) })
    else if (o.file === 'ai.txt') out = aiTxtFor(policy)
    else {
      const rules = tdmrepJsonFor(policy)
      out = rules.length === 0 ? undefined : `${JSON.stringify(rules, null, 2)}\n`
    }
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new CliInputError(e.message, { cause: e })
    throw e
  }
  if (out === undefined) process.stderr.write(`noai robots: the policy states nothing ${o.file} can carry: serve no ${o.file}\n`)
  else process.stdout.write(out)
}

/**
 * Registers `noai robots`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('robots')
    .summary('print robots.txt (or tdmrep.json, ai.txt) for a site policy')
    .description('Print the site-level files to serve for a NoAI Tag site policy (docs/spec.md §11.3.7, §11.4).')
    .argument('<policy>', `the site policy (JSON), or ${STDIN_ARGUMENT} for standard input`)
    .addOption(new Option('--file <name>', 'which file to print').choices(['robots.txt', 'tdmrep.json', 'ai.txt']).default('robots.txt'))
    .option('--block-ai-crawlers', 'robots.txt: add groups that keep known AI crawlers out where their use is denied')
    .option('--sitemap <urls...>', 'robots.txt: Sitemap URLs to list')
    .showHelpAfterError('(run noai robots --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action((arg: string, options: RobotsOptions) => runTagCommand('robots', setExitCode, () => run(arg, options)))
}
