// The web conformance vectors (schema/v1/vectors/web/, README.md there; docs/spec.md §12.3), served
// from loopback: for every vector a site on 127.0.0.1 (port 0) serves its files, and every check is
// asked twice, of checkUrl() and of the built CLI (`noai check URL --use USE --user-agent UA
// --json`). Both must give the expected verdict; the CLI also its exit status (0 allow, 1 deny,
// 3 unknown, 2 when the resource could not be read and nothing decided).
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkUrl, createCrawlCache, type CheckResult } from '../src/crawl.js'
import { runCli, type CliRun } from './_cli.js'
import { serveSite, type LoopbackSite, type Site } from './_web-site.js'

/** Where the web vectors are. */
const WEB_VECTORS_DIR: string = fileURLToPath(new URL('../schema/v1/vectors/web/', import.meta.url))

/** The standards a vector may cite. */
const STANDARDS = ['RFC 9309', 'TDMRep', 'aipref-vocab', 'aipref-attach', 'Content Signals', 'RSL', 'robots noai', 'NoAI Tag'] as const
type Standard = (typeof STANDARDS)[number]

const VERDICTS = ['allow', 'deny', 'unknown'] as const
type ExpectedVerdict = (typeof VERDICTS)[number]

/** One question asked of a vector's site, and its expected answer. */
interface WebCheck {
  readonly path: string
  readonly use: string
  readonly userAgent: string
  readonly verdict: ExpectedVerdict
  /** Why, from the cited clause. */
  readonly because: string
  /** The signals of the statements that decide the verdict (every applied deny for deny, every applied allow for allow). */
  readonly decisive?: readonly string[]
  /** `false`: a conforming reader does not request the resource; `true`: it must. */
  readonly fetched?: boolean
  /** The resource cannot be read (429, 5xx, a redirect loop...): the reader reports an error. */
  readonly unreadable?: boolean
}

interface WebVectorSource {
  readonly standard: Standard
  readonly clause: string
  readonly url: string
  readonly verbatim: boolean
  readonly from?: string
  readonly files?: readonly string[]
  readonly adapted?: string
}

interface WebVector {
  readonly description: string
  readonly source: WebVectorSource
  readonly see?: readonly string[]
  readonly site: Site
  readonly checks: readonly WebCheck[]
}

const VECTOR_KEYS = new Set(['description', 'source', 'see', 'site', 'checks'])
const SOURCE_KEYS = new Set(['standard', 'clause', 'url', 'verbatim', 'from', 'files', 'adapted'])
const FILE_KEYS = new Set(['status', 'headers', 'body', 'bodyBase64'])
const CHECK_KEYS = new Set(['path', 'use', 'userAgent', 'verdict', 'because', 'decisive', 'fetched', 'unreadable'])

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const nonEmpty = (x: unknown): x is string => typeof x === 'string' && x.trim() !== ''

function extra(o: Record<string, unknown>, allowed: ReadonlySet<string>, at: string): string[] {
  return Object.keys(o).filter((k) => !allowed.has(k)).map((k) => `${at}: unknown member ${JSON.stringify(k)}`)
}

/** The problems with a vector's shape (README.md of the vectors); empty when it is well formed. */
function vectorProblems(v: unknown): string[] {
  if (!isObject(v)) return ['not an object']
  const out = extra(v, VECTOR_KEYS, '/')
  if (!nonEmpty(v.description)) out.push('/description: a non-empty string is required')
  const s = v.source
  if (!isObject(s)) out.push('/source: an object is required')
  else {
    out.push(...extra(s, SOURCE_KEYS, '/source'))
    if (!STANDARDS.includes(s.standard as Standard)) out.push(`/source/standard: one of ${STANDARDS.join(', ')}`)
    if (!nonEmpty(s.clause)) out.push('/source/clause: required')
    if (!nonEmpty(s.url)) out.push('/source/url: required')
    if (typeof s.verbatim !== 'boolean') out.push('/source/verbatim: true or false')
    if (s.verbatim === true) {
      if (!nonEmpty(s.from)) out.push('/source/from: required for a verbatim example')
      if (!Array.isArray(s.files) || s.files.length === 0) out.push('/source/files: the verbatim files are required')
    }
  }
  const site = v.site
  if (!isObject(site)) out.push('/site: an object is required')
  else {
    for (const [path, file] of Object.entries(site)) {
      if (!path.startsWith('/')) out.push(`/site/${path}: a path starts with "/"`)
      if (!isObject(file)) {
        out.push(`/site/${path}: an object is required`)
        continue
      }
      out.push(...extra(file, FILE_KEYS, `/site/${path}`))
      if (file.status !== undefined && (!Number.isInteger(file.status) || (file.status as number) < 100 || (file.status as number) > 599)) out.push(`/site/${path}/status: an HTTP status`)
      if (file.body !== undefined && file.bodyBase64 !== undefined) out.push(`/site/${path}: body or bodyBase64, not both`)
      if (file.headers !== undefined) {
        if (!isObject(file.headers)) out.push(`/site/${path}/headers: an object`)
        else
          for (const [name, value] of Object.entries(file.headers)) {
            if (name !== name.toLowerCase()) out.push(`/site/${path}/headers/${name}: field names are written in lower case`)
            if (typeof value !== 'string' && !(Array.isArray(value) && value.every((x) => typeof x === 'string'))) out.push(`/site/${path}/headers/${name}: a string or an array of strings`)
          }
      }
    }
    if (isObject(s) && Array.isArray(s.files)) for (const f of s.files) if (typeof f !== 'string' || !Object.hasOwn(site, f)) out.push(`/source/files: ${String(f)} is not a file of the site`)
  }
  if (!Array.isArray(v.checks) || v.checks.length === 0) out.push('/checks: a non-empty array is required')
  else
    v.checks.forEach((c: unknown, i) => {
      const at = `/checks/${i}`
      if (!isObject(c)) return void out.push(`${at}: an object is required`)
      out.push(...extra(c, CHECK_KEYS, at))
      if (!nonEmpty(c.path) || !c.path.startsWith('/')) out.push(`${at}/path: a path starting with "/"`)
      else if (isObject(site) && !Object.hasOwn(site, c.path) && !Object.hasOwn(site, c.path.split('?')[0]!)) out.push(`${at}/path: ${c.path} is not a file of the site`)
      if (!nonEmpty(c.use)) out.push(`${at}/use: required`)
      if (!nonEmpty(c.userAgent)) out.push(`${at}/userAgent: required`)
      if (!VERDICTS.includes(c.verdict as ExpectedVerdict)) out.push(`${at}/verdict: allow, deny or unknown`)
      if (!nonEmpty(c.because)) out.push(`${at}/because: the reason, from the cited clause, is required`)
      if (c.decisive !== undefined && !(Array.isArray(c.decisive) && c.decisive.every(nonEmpty))) out.push(`${at}/decisive: an array of signal ids`)
      if (c.verdict === 'unknown' && Array.isArray(c.decisive) && c.decisive.length > 0) out.push(`${at}/decisive: nothing decides an unknown`)
      if (c.fetched !== undefined && typeof c.fetched !== 'boolean') out.push(`${at}/fetched: true or false`)
      if (c.unreadable !== undefined && c.unreadable !== true) out.push(`${at}/unreadable: true when present`)
    })
  return out
}

/** Every web vector, by file name, sorted. Throws when a file is not JSON. */
function loadWebVectors(): [name: string, vector: WebVector][] {
  return readdirSync(WEB_VECTORS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(WEB_VECTORS_DIR + f, 'utf8')) as WebVector])
}

/** The exit status `noai check` gives for an expected outcome (docs/spec.md §12.3). */
function expectedExitCode(check: WebCheck): number {
  if (check.unreadable === true && check.verdict === 'unknown') return 2
  return { allow: 0, deny: 1, unknown: 3 }[check.verdict]
}

// ---------------------------------------------------------------------------------------------

/** A request's deadline: everything is on loopback, so a slow answer is a bug, not the network. */
const TIMEOUT_MS = 5000

function describeCheck(c: WebCheck): string {
  return `${c.path} use=${c.use} ua=${c.userAgent} → expected ${c.verdict}: ${c.because}`
}

function explain(r: Pick<CheckResult, 'verdict' | 'reasons' | 'notes'> & { error?: unknown }): string {
  const reasons = r.reasons.map((x) => `${x.decisive ? '*' : x.status === 'applied' ? '-' : ' '} ${x.signal} ${x.value} [${x.status}] ${x.source.text ?? ''}`)
  return [`got ${r.verdict}`, ...reasons, ...r.notes.map((n) => `note: ${n}`), ...(r.error !== undefined ? [`error: ${JSON.stringify(r.error)}`] : [])].join('\n    ')
}

const decisiveSignals = (r: Pick<CheckResult, 'reasons'>): string[] => [...new Set(r.reasons.filter((x) => x.decisive).map((x) => x.signal))].sort()

/** What is wrong with a result for a check (empty: it matches). */
function mismatches(c: WebCheck, r: CheckResult, requested: number | undefined): string[] {
  const out: string[] = []
  if (r.verdict !== c.verdict) out.push(`verdict ${r.verdict}, expected ${c.verdict}`)
  if (c.decisive !== undefined && JSON.stringify(decisiveSignals(r)) !== JSON.stringify([...new Set(c.decisive)].sort())) {
    out.push(`decisive signals ${JSON.stringify(decisiveSignals(r))}, expected ${JSON.stringify([...c.decisive].sort())}`)
  }
  if (requested !== undefined && c.fetched === false && requested > 0) out.push(`the resource was requested ${requested} time(s); a conforming reader does not request it`)
  if (requested !== undefined && c.fetched === true && requested === 0) out.push('the resource was not requested')
  if ((r.error !== undefined) !== (c.unreadable === true)) out.push(r.error !== undefined ? `unexpected error: ${r.error.code} ${r.error.message}` : 'expected the resource to be reported unreadable')
  return out
}

const vectors = loadWebVectors()

/**
 * Checks where the reference implementation is known to disagree with the vector, each with the
 * reason. The vector keeps the verdict the cited clause gives; the test asserts the divergence is
 * still there, so that fixing the implementation makes this test fail until the entry is removed.
 */
const KNOWN_DIVERGENCES: Readonly<Record<string, string>> = {}

/** Records a check's problems, or, for a known divergence, that it still diverges. */
function record(failures: string[], key: string, c: WebCheck, problems: string[], detail: string): void {
  const known = KNOWN_DIVERGENCES[key]
  if (known !== undefined) {
    if (problems.length === 0) failures.push(`${key} is listed in KNOWN_DIVERGENCES but now gives the expected verdict: remove the entry (${known})`)
    return
  }
  if (problems.length > 0) failures.push(`${key} ${describeCheck(c)}\n  ${problems.join('\n  ')}\n    ${detail}`)
}

describe('web conformance vectors: the set', () => {
  it('has at least 30 well-formed vectors, each citing its clause', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(30)
    const problems = vectors.flatMap(([name, v]) => vectorProblems(v).map((p) => `${name}${p}`))
    expect(problems).toEqual([])
  })

  it('covers every standard, and includes verbatim published examples of several', () => {
    const cited = new Set(vectors.map(([, v]) => v.source.standard))
    expect([...STANDARDS].filter((s) => !cited.has(s))).toEqual([])
    const verbatim = new Set(vectors.filter(([, v]) => v.source.verbatim).map(([, v]) => v.source.standard))
    for (const s of ['RFC 9309', 'aipref-attach', 'aipref-vocab', 'Content Signals', 'RSL', 'NoAI Tag'] as const) expect(verbatim, s).toContain(s)
  })

  it('lists every vector in the README, and nothing else', () => {
    const readme = readFileSync(`${WEB_VECTORS_DIR}README.md`, 'utf8')
    const listed = [...readme.matchAll(/^\| `([a-z0-9.-]+\.json)` \|/gm)].map((m) => m[1])
    expect(listed.sort()).toEqual(vectors.map(([name]) => name))
  })

  it("keeps the examples quoted from this standard's own text identical to docs/spec.md", () => {
    const spec = readFileSync(fileURLToPath(new URL('../docs/spec.md', import.meta.url)), 'utf8')
    const quoted = vectors.filter(([, v]) => v.source.verbatim && v.source.from?.startsWith('docs/spec.md'))
    expect(quoted.length).toBeGreaterThanOrEqual(2)
    for (const [name, v] of quoted) for (const f of v.source.files ?? []) expect(spec.includes(v.site[f]!.body!.trimEnd()), `${name} ${f}`).toBe(true)
  })

  it('asks every verdict, of several user agents, and includes HTTP status cases', () => {
    const checks = vectors.flatMap(([, v]) => v.checks)
    for (const verdict of VERDICTS) expect(checks.some((c) => c.verdict === verdict), verdict).toBe(true)
    expect(new Set(checks.map((c) => c.userAgent.split('/')[0]!.toLowerCase())).size).toBeGreaterThanOrEqual(8)
    const statuses = new Set(vectors.flatMap(([, v]) => Object.values(v.site).map((f) => f.status ?? 200)))
    for (const s of [301, 403, 429, 500, 503]) expect(statuses, String(s)).toContain(s)
  })
})

/** A site per vector, all on loopback at once (port 0 each). */
const sites = new Map<string, LoopbackSite>()
beforeAll(async () => {
  await Promise.all(vectors.map(async ([name, v]) => sites.set(name, await serveSite(v.site))))
})
afterAll(async () => {
  await Promise.all([...sites.values()].map((s) => s.close()))
})

describe('checkUrl()', () => {
  for (const [name, vector] of vectors) {
    it(`${name}: ${vector.description}`, async () => {
      const site = sites.get(name)!
      const failures: string[] = []
      for (const [i, c] of vector.checks.entries()) {
        const before = site.count(c.path)
        const r = await checkUrl(site.url(c.path), {
          use: c.use,
          userAgent: c.userAgent,
          cache: createCrawlCache(),
          limits: { timeoutMs: TIMEOUT_MS },
          verify: { allowHttpLoopback: true },
        })
        record(failures, `${name}#${i}`, c, mismatches(c, r, site.count(c.path) - before), explain(r))
      }
      expect(failures, failures.join('\n\n')).toEqual([])
    })
  }
})

/** CLI processes run at once: each is mostly Node starting up. */
const CLI_CONCURRENCY = 4

async function pool<T, R>(items: readonly T[], size: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await f(items[i]!)
      }
    }),
  )
  return out
}

describe('noai check (the built CLI)', () => {
  const runs = new Map<string, { i: number; c: WebCheck; run: CliRun }[]>()
  beforeAll(async () => {
    const all = vectors.flatMap(([name, v]) => v.checks.map((c, i) => ({ name, i, c })))
    const done = await pool(all, CLI_CONCURRENCY, async ({ name, i, c }) => {
      const url = sites.get(name)!.url(c.path)
      const run = await runCli(['check', url, '--use', c.use, '--user-agent', c.userAgent, '--json', '--timeout', String(TIMEOUT_MS), '--allow-http-loopback'])
      return { name, i, c, run }
    })
    for (const { name, i, c, run } of done) runs.set(name, [...(runs.get(name) ?? []), { i, c, run }])
  }, 300_000)

  for (const [name, vector] of vectors) {
    it(`${name}: verdict and exit status`, () => {
      const failures: string[] = []
      for (const { i, c, run } of runs.get(name) ?? []) {
        let r: CheckResult | undefined
        try {
          r = JSON.parse(run.stdout) as CheckResult
        } catch {
          failures.push(`${name}#${i} ${describeCheck(c)}\n  stdout is not one JSON object: ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 300)}`)
          continue
        }
        const problems = mismatches(c, r, undefined)
        if (run.code !== expectedExitCode(c)) problems.push(`exit status ${String(run.code)}, expected ${expectedExitCode(c)}`)
        record(failures, `${name}#${i}`, c, problems, explain(r))
      }
      expect(runs.get(name)?.length).toBe(vector.checks.length)
      expect(failures, failures.join('\n\n')).toEqual([])
    })
  }
})
