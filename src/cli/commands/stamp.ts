/**
 * `noai stamp AUDIO... (--tag TAG.json | --usage 'train-ai=n, search=y') [--key PRIVATE.jwk
 * [--kid ID]] [--issuer ORIGIN] [-o OUT | --in-place] [--json]`: writes a NoAI Tag into audio files
 * (docs/spec.md §10): the readable line and the document, in place when the file's padding allows,
 * else as a checked new file renamed over the old one. With a key, the tag is signed and bound to
 * the file's essence digest. Exit status 0 every file stamped, 1 a file whose audio could not be
 * stamped (damaged or unsupported), 2 usage or I/O error.
 *
 * @module
 */
import type { Command } from 'commander'
import { JsonParseError, LimitExceededError, TagValidationError } from '../../errors.js'
import { LIMITS } from '../../limits.js'
import type { NoaiTag } from '../../model/tag.js'
import { audioTagEntries } from '../../audio/tag-entries.js'
import { audioFileEssence } from '../../node/audio-file-essence.js'
import { writeAudioFile } from '../../node/write-audio-file.js'
import { signTag } from '../../sign/sign-tag.js'
import { parseTag } from '../../validate/parse.js'
import { validateTag } from '../../validate/validate.js'
import { checkOutputFlags, errorObject, isAudioFault, messageOf, readPrivateJwk, usageFromCompact, usageTag } from '../_audio.js'
import { CliInputError, expandInputs, readInput } from '../_io.js'
import type { SetExitCode } from './index.js'

interface StampOptions {
  readonly tag?: string
  readonly usage?: string
  readonly key?: string
  readonly kid?: string
  readonly issuer?: string
  readonly output?: string
  readonly inPlace?: boolean
  readonly json?: boolean
}

const HELP_AFTER = `
The tag is either a tag document (--tag TAG.json) or built from the compact form (--usage
'train-ai=n, search=y': a tag about the file itself, issued now). Its subject.essence is set to the
essence digest of each file (computed before writing; writing the tag does not change it), so the
tag names the audio it was stamped on. With --key the tag is signed (a compact JWS bound to that
digest); a signed tag must name its issuer: in TAG.json or with --issuer ORIGIN (which also
replaces the issuer of TAG.json). Without --key the tag is stored unsigned, as JSON.

Each file gets two entries: NOAI, the readable line that ffprobe, exiftool and mutagen show, and
NOAI_TAG, the full document. Other tags and the audio stay byte for byte. The file is changed in
place when its padding allows, else a checked new file replaces it (never half-written).

Output: -o OUT writes a new file (one input only); --in-place changes the inputs. One of the two is
required: stamp never overwrites its input unless asked to.

Exit status: 0 every file stamped, 1 a file that could not be stamped because of its audio
(damaged or unsupported container), 2 usage or I/O error (including an invalid TAG.json).

Examples:
  noai stamp song.mp3 --usage 'train-ai=n, search=y' -o stamped.mp3
  noai stamp *.flac --tag tag.json --key keys/k1.private.jwk --in-place
  noai stamp album/*.m4a --usage 'ai=n' --key k1.private.jwk --issuer https://label.example --in-place --json
`

/** The tag of --tag or --usage, before each file's essence is added. */
async function baseTag(o: StampOptions): Promise<NoaiTag> {
  if ((o.tag === undefined) === (o.usage === undefined)) throw new CliInputError('give exactly one of --tag TAG.json and --usage COMPACT')
  if (o.kid !== undefined && o.key === undefined) throw new CliInputError('--kid needs --key')
  let tag: NoaiTag
  if (o.usage !== undefined) tag = usageTag(usageFromCompact(o.usage), undefined)
  else {
    const read = await readInput({ name: o.tag!, stdin: false }, LIMITS.maxDocumentBytes)
    if (read.tooLarge) throw new CliInputError(`${o.tag} is over maxDocumentBytes = ${LIMITS.maxDocumentBytes} bytes`)
    try {
      tag = parseTag(read.bytes)
    } catch (e) {
      if (e instanceof TagValidationError) throw new CliInputError(`${o.tag} is not a valid tag: ${e.issues.map((i) => `${i.path || '/'}: ${i.message} (${i.keyword})`).join('; ')}`)
      if (e instanceof JsonParseError || e instanceof LimitExceededError) throw new CliInputError(`${o.tag}: ${e.message}`)
      throw e
    }
  }
  if (o.issuer !== undefined) {
    const r = validateTag({ ...tag, issuer: o.issuer })
    if (!r.ok) throw new CliInputError(`--issuer ${JSON.stringify(o.issuer)}: ${r.issues.map((i) => i.message).join('; ')}`)
    tag = r.tag
  }
  if (o.key !== undefined && tag.issuer === undefined) throw new CliInputError('a signed tag must name its issuer: give --issuer ORIGIN (the https origin whose key set has the key)')
  return tag
}

interface Stamped {
  readonly input: string
  readonly output: string
  readonly format: string
  readonly method: 'in-place' | 'rewrite' | 'unchanged'
  readonly readable: string
  readonly signed: boolean
  readonly kid?: string
  readonly essence: { readonly format: string; readonly sha256: string }
}

async function stampOne(input: string, base: NoaiTag, key: JsonWebKey | undefined, o: StampOptions): Promise<Stamped> {
  // The essence first: the tag names it, and writing the tag does not change it (docs/spec.md §10.3.1).
  const essence = await audioFileEssence(input)
  const tag: NoaiTag = { ...base, subject: { ...base.subject, essence: [essence] } }
  const entry = key === undefined ? { tag } : { jws: await signTag(tag, key, o.kid === undefined ? {} : { kid: o.kid }) }
  const { readable } = audioTagEntries(entry)
  const r = await writeAudioFile(input, entry, o.output === undefined ? {} : { out: o.output })
  const kid = key === undefined ? undefined : (o.kid ?? (key as { kid?: string }).kid)
  return { input, output: r.path, format: r.format, method: r.method, readable, signed: key !== undefined, ...(kid === undefined ? {} : { kid }), essence }
}

function formatText(s: Stamped): string {
  const how = s.method === 'in-place' ? 'in place' : s.method === 'rewrite' ? 'rewritten' : 'unchanged (already stamped)'
  return [
    `${s.input}: stamped (${s.format}, ${how})${s.output === s.input ? '' : ` -> ${s.output}`}`,
    `  readable: ${s.readable}`,
    `  signed: ${s.signed ? `yes${s.kid === undefined ? '' : ` (kid ${s.kid})`}` : 'no (unsigned JSON)'}`,
    `  essence: ${s.essence.format}:${s.essence.sha256}`,
    '',
  ].join('\n')
}

async function run(args: readonly string[], o: StampOptions, setExitCode: SetExitCode): Promise<void> {
  checkOutputFlags('stamp', args, { ...(o.output === undefined ? {} : { output: o.output }), ...(o.inPlace ? { inPlace: true } : {}) })
  const base = await baseTag(o)
  const key = o.key === undefined ? undefined : await readPrivateJwk(o.key)
  if (key !== undefined) {
    // Fail on an unusable key before touching any file.
    try {
      await signTag({ ...base, subject: { self: true } }, key, o.kid === undefined ? {} : { kid: o.kid })
    } catch (e) {
      throw new CliInputError(`${o.key}: ${messageOf(e)}`, { cause: e })
    }
  }
  const { inputs, errors } = await expandInputs(args)
  for (const e of errors) process.stderr.write(`noai stamp: ${e.message}\n`)
  if (errors.length > 0) setExitCode(2)
  if (o.output !== undefined && inputs.length !== 1) throw new CliInputError(`-o OUT takes exactly one input (${inputs.length} matched); use --in-place for several`)
  for (const { name } of inputs) {
    try {
      const s = await stampOne(name, base, key, o)
      process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : formatText(s))
    } catch (e) {
      const code = isAudioFault(e) ? 1 : 2
      process.stderr.write(`noai stamp: ${name}: ${messageOf(e)}\n`)
      if (o.json) process.stdout.write(`${JSON.stringify({ input: name, error: errorObject(e) })}\n`)
      setExitCode(code)
    }
  }
}

/**
 * Registers `noai stamp`.
 *
 * @example
 * ```ts
 * register(program, (code) => (exitCode = Math.max(exitCode, code)))
 * ```
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('stamp')
    .summary('write a NoAI Tag into audio files (signed with --key)')
    .description('Write (or replace) the NoAI Tag of audio files: the readable line and the document, signed and bound to the audio with --key (docs/spec.md §10).')
    .argument('<audio...>', 'audio files (MP3, FLAC, Ogg Vorbis/Opus, MP4/M4A...) or glob patterns')
    .option('--tag <file>', 'the tag document (JSON) to store')
    .option('--usage <compact>', "build the tag from a compact form, e.g. 'train-ai=n, search=y'")
    .option('--key <file>', 'sign with this private key (JWK), e.g. from noai keygen')
    .option('--kid <id>', "key id to write in the JWS header (default: the JWK's kid)")
    .option('--issuer <origin>', 'the issuer (https origin) to name in the tag; required with --key unless TAG.json has one')
    .option('-o, --output <file>', 'write the stamped file here (one input only)')
    .option('--in-place', 'change the input files')
    .option('--json', 'print one JSON object per file')
    .showHelpAfterError('(run noai stamp --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .action(async (args: string[], options: StampOptions) => {
      try {
        await run(args, options, setExitCode)
      } catch (e) {
        process.stderr.write(`noai stamp: ${messageOf(e)}\n`)
        setExitCode(2)
      }
    })
}
