// `npm start` (after `prestart: npm run build`): the README's main job, on bundled data, with no
// network beyond loopback. It uses the BUILT package through its public subpaths, as a user would
// (`noai-tag`, `noai-tag/sign`, `noai-tag/node`, `noai-tag/crawl`...: the package refers to itself):
//
//   1. makes a throwaway Ed25519 key in a temp dir;
//   2. makes a WAV and a FLAC from code and copies MP3, Ogg and M4A fixtures, and stamps them with
//      signed tags bound to their audio essence (one with no tag, one with another track's tag);
//   3. serves a small site on 127.0.0.1: pages, media, header fields, robots.txt, tdmrep.json, the
//      site policy and the key set;
//   4. crawls it with checkUrl as an AI crawler would and prints a table: URL, use, verdict and
//      the deciding signals.
//
// It ends by itself (a deadline aborts a stuck run), closes the server and deletes the temp dir,
// also on failure; exit status 0 when it ran, 1 with the failed step named otherwise.
// For tests only: NOAI_DEMO_FAIL_AT=<step> makes that step fail, to check the cleanup.
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeThrowawayKey } from './demo/key.mjs'
import { startDemoServer } from './demo/server.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** The whole run normally takes about a second; past this it is stuck, and the crawl is aborted. */
const DEADLINE_MS = 30_000
/** After the abort, the time left to wind down before the process is ended (temp dir deleted first). */
const GRACE_MS = 5_000
/** The table's width: the terminal's (or $COLUMNS), kept within 80 to 100 columns; 100 by default. */
const WIDTH = Math.min(100, Math.max(80, process.stdout.columns || Number(process.env.COLUMNS) || 100))

/** A failure, with the step it happened in. */
class StepError extends Error {
  constructor(step, cause) {
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.step = step
  }
}

/** Runs one step; a failure names the step. */
async function step(name, id, fn) {
  try {
    if (process.env.NOAI_DEMO_FAIL_AT === id) throw new Error(`simulated failure (NOAI_DEMO_FAIL_AT=${id})`)
    return await fn()
  } catch (e) {
    throw e instanceof StepError ? e : new StepError(name, e)
  }
}

/** RFC 3339 without fractions, a minute ago (clear of any clock tolerance question). */
const issuedNow = () => new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z')

/**
 * The modules that import the built package, loaded here so that a missing or broken build is
 * reported as such (static imports would fail before any message could be printed).
 */
async function loadBuilt() {
  try {
    const [site, crawl, report] = await Promise.all([import('./demo/site.mjs'), import('./demo/crawl.mjs'), import('./demo/report.mjs')])
    return { ...site, ...crawl, ...report }
  } catch (e) {
    const hint = e?.code === 'ERR_MODULE_NOT_FOUND' && /[\\/]dist[\\/]/.test(e.message) ? ' (dist/ is incomplete: run `npm run build`; `npm start` does it first)' : ''
    throw new Error(`${e instanceof Error ? e.message : String(e)}${hint}`, { cause: e })
  }
}

async function demo(dir, abort, state) {
  const { buildSite, crawl, describeCrawl, describeSetup, describeSite, describeSummary, resultTable } = await step('loading the built package', 'load', loadBuilt)
  const server = (state.server = await step('starting the server', 'server', () => startDemoServer()))
  const { origin } = server
  const key = await step('making the key', 'key', () => makeThrowawayKey(dir))
  const site = await step('stamping the audio and building the site', 'site', () => buildSite({ dir, root: ROOT, origin, key, issued: issuedNow() }))
  server.setRoutes(site.routes)
  console.log(`${describeSetup({ dir, key, origin, tracks: site.tracks })}\n`)
  console.log(`${describeSite({ origin, policy: site.policy, robotsTxt: site.robotsTxt }, WIDTH)}\n`)
  console.log(`${describeCrawl({ origin })}\n`)
  const t0 = performance.now()
  const checks = await step('crawling', 'crawl', () => crawl(origin, site.tracks, { signal: abort.signal }))
  const ms = performance.now() - t0
  await step('printing', 'print', () => {
    console.log(`${resultTable(checks, WIDTH)}\n`)
    console.log(describeSummary({ checks, stats: server.stats, ms }))
  })
}

async function main() {
  console.log('noai-tag demo: a throwaway site on 127.0.0.1, stamped and crawled (no network)\n')
  const abort = new AbortController()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'noai-tag-demo-'))
  // Stuck or interrupted: abort, and if that does not end the run, delete the temp dir and exit.
  const stop = (why, status, graceMs) => {
    abort.abort(new Error(why))
    setTimeout(() => {
      rmSync(dir, { recursive: true, force: true })
      console.error(`\nnpm start: ${why}; ${dir} deleted`)
      process.exit(status)
    }, graceMs).unref()
  }
  const deadline = setTimeout(() => stop(`the demo did not finish within ${DEADLINE_MS / 1000} s`, 1, GRACE_MS), DEADLINE_MS)
  const onInterrupt = () => stop('interrupted', 130, 0)
  process.once('SIGINT', onInterrupt)
  const state = { server: undefined }
  let failure
  try {
    await demo(dir, abort, state)
  } catch (e) {
    failure = e
  } finally {
    clearTimeout(deadline)
    process.off('SIGINT', onInterrupt)
    await state.server?.close()
    await rm(dir, { recursive: true, force: true })
  }
  console.log(`\nCleaned up: server closed, ${dir} deleted.`)
  if (failure !== undefined) {
    const message = failure instanceof StepError ? `failed while ${failure.message}` : `failed: ${failure instanceof Error ? failure.message : String(failure)}`
    console.error(`\nnpm start: ${message}`)
    if (process.env.NOAI_DEMO_DEBUG) console.error(failure)
    process.exitCode = 1
  }
}

// A failure inside the cleanup itself (it should not happen) is still reported, with status 1.
main().catch((e) => {
  console.error(`npm start: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 1
})
