/**
 * `noai check URL --use USE [--user-agent UA] [--json]`: asks whether a URL may be used for a use,
 * the way a polite crawler would (docs/spec.md §11.6), and prints the verdict and the reasons.
 * Exit status 0 allow, 1 deny, 3 unknown, 2 usage error or a URL that could not be read.
 *
 * @module
 */
import type { Command } from 'commander'
import { checkUrl, DEFAULT_USER_AGENT, type CheckResult, type CheckUrlOptions, type DecisionReason } from '../../crawl.js'
import { InvalidArgumentError } from '../../errors.js'
import { CliInputError } from '../_io.js'
import type { SetExitCode } from './index.js'

interface CheckOptions {
  readonly use: string
  readonly userAgent?: string
  readonly json?: boolean
  readonly timeout?: string
  readonly trust?: string[]
  readonly allowHttpLoopback?: boolean
  readonly audio?: boolean
  readonly verifyAudioBinding?: boolean
}

const EXIT = { allow: 0, deny: 1, unknown: 3 } as const

const HELP_AFTER = `
Reads what a crawler would: the origin's robots.txt (and, when it leaves the URL crawlable,
/.well-known/tdmrep.json, /.well-known/noai-tag/policy.json, /ai.txt and RSL licences), then the
response's header fields and only the head of an HTML page, or the tag embedded in audio (by
Range requests). Any deny wins; "unknown" means nothing that applies says either way.

USE is a use of the standard (all, search, tdm, ai, train-ai, train-genai, ai-input) or an alias
such as ai-train, genai or tdm-reservation. Ask about the narrowest use that covers what you do.

Exit status: 0 allow, 1 deny, 3 unknown, 2 usage error or a URL that could not be read.

Examples:
  noai check https://music.example/track/1 --use train-genai --user-agent ExampleBot/1.0
  noai check https://music.example/a.mp3 --use ai-train --json
`

function where(r: DecisionReason): string {
  const s = r.source
  const parts: string[] = [s.kind]
  if (s.url !== undefined) parts.push(s.url)
  if (s.name !== undefined) parts.push(s.name)
  if (s.line !== undefined) parts.push(`line ${s.line}`)
  return parts.join(' ')
}

function reasonLines(r: DecisionReason): string[] {
  const mark = r.decisive ? '*' : r.status === 'applied' ? '-' : ' '
  const stated = Object.entries(r.usage).map(([u, v]) => `${u}=${v === 'denied' ? 'n' : 'y'}`).join(', ')
  const agent = r.agent !== undefined ? ` (to ${r.agent})` : ''
  const status = r.status === 'applied' ? '' : ` [${r.status}]`
  const lines = [`  ${mark} ${r.value.padEnd(7)} ${r.signal}${agent}: ${stated || 'no usage'}${status}`, `      from ${where(r)}`]
  if (r.source.text !== undefined) lines.push(`      text ${JSON.stringify(r.source.text)}`)
  if (r.verification !== undefined) lines.push(`      signed: ${r.verification.state}${r.verification.codes.length ? ` (${r.verification.codes.join(', ')})` : ''}`)
  if (r.note !== undefined) lines.push(`      ${r.note}`)
  return lines
}

function formatText(r: CheckResult): string {
  const out = [`${r.verdict}: ${r.use} for ${r.url}${r.userAgent !== undefined ? ` (user agent ${r.userAgent})` : ''}`]
  if (r.finalUrl !== undefined && r.finalUrl !== r.url) out.push(`read from ${r.finalUrl}`)
  if (r.status !== undefined) out.push(`HTTP ${r.status}${r.contentType !== undefined ? `, ${r.contentType}` : ''}`)
  if (r.decidedBeforeFetching) out.push('decided before fetching: a site-level statement denies the use')
  if (r.error !== undefined) out.push(`error (${r.error.code}): ${r.error.message}`)
  out.push(r.reasons.length === 0 ? 'reasons: no statement speaks to this use' : 'reasons (* decided the verdict, - applied, blank: not applied):')
  for (const reason of r.reasons) out.push(...reasonLines(reason))
  if (r.unrelated > 0) out.push(`${r.unrelated} other statement(s) found say nothing about ${r.use}`)
  if (r.notes.length > 0) out.push('notes:', ...r.notes.map((n) => `  ${n}`))
  return `${out.join('\n')}\n`
}

function timeoutOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 1) throw new CliInputError(`--timeout must be a positive number of milliseconds, not ${JSON.stringify(text)}`)
  return n
}

async function run(url: string, o: CheckOptions, setExitCode: SetExitCode): Promise<void> {
  const timeoutMs = timeoutOf(o.timeout)
  const options: CheckUrlOptions = {
    use: o.use,
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    verify: { ...(o.trust !== undefined ? { trust: o.trust } : {}), allowHttpLoopback: o.allowHttpLoopback === true },
    readAudio: o.audio !== false,
    verifyAudioBinding: o.verifyAudioBinding === true,
    ...(timeoutMs !== undefined ? { limits: { timeoutMs } } : {}),
  }
  let r: CheckResult
  try {
    r = await checkUrl(url, options)
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw new CliInputError(e.message, { cause: e })
    throw e
  }
  process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatText(r))
  setExitCode(r.error !== undefined && r.verdict === 'unknown' ? 2 : EXIT[r.verdict])
}

/**
 * Registers `noai check`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('check')
    .summary('may this URL be used for this use? (allow, deny or unknown, with the reasons)')
    .description('Read every AI-usage signal a crawler would for a URL and decide for one use (docs/spec.md §11.6).')
    .argument('<url>', 'an http(s) URL')
    .requiredOption('--use <use>', 'the use you intend: train-ai, train-genai, ai-input, search, tdm, ai, all, or an alias')
    .option('--user-agent <ua>', `your crawler's user agent; its product token selects robots.txt groups (default: ${DEFAULT_USER_AGENT})`)
    .option('--json', 'print the result as one JSON object { verdict, reasons, ... }')
    .option('--timeout <ms>', 'deadline of each request, in milliseconds (default 10000)')
    .option('--trust <origins...>', 'issuer origins whose signed tags you trust')
    .option('--allow-http-loopback', 'fetch key sets of http://localhost and 127.0.0.1 issuers (tests, demos)')
    .option('--no-audio', 'do not read the tag embedded in audio files')
    .option('--verify-audio-binding', "download audio to check a signed tag's essence digest")
    .showHelpAfterError('(run noai check --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (url: string, options: CheckOptions) => {
      try {
        await run(url, options, setExitCode)
      } catch (e) {
        process.stderr.write(`noai check: ${e instanceof Error ? e.message : String(e)}\n`)
        setExitCode(2)
      }
    })
}
