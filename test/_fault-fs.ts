// Fault injection for the write path of noai-tag/node (test helper, not a test).
//
// `faultFs(base, plan)` wraps a WriteFs (src/node/_fs.ts) and numbers, from 1, every operation that
// changes the file system: `create` (open with w/a/x), `write`, `fsync`, `chmod`, `chown`,
// `rename`, `link`, `unlink`. At step `plan.at` it does `plan.action` INSTEAD of the operation:
// - `kill`: the process kills itself with SIGKILL (nothing after it runs: no finally, no cleanup);
// - `torn`: (a write) writes every other 512-byte sector of it (aligned on file offsets, the first
//   one included), as a power failure during the write may leave it, then SIGKILL;
// - `pause`: writes a line `{"paused":<step>}` to stdout and waits for a line on stdin, then does
//   the operation (another process acts on the file meanwhile);
// - an error code (`ENOSPC`, `EIO`, `EROFS`...): throws a Node-style system error with that code.
// Production code never sees this: it is passed to applyToFile's internal `fs` parameter.
import { createInterface } from 'node:readline'
import type { WriteFs, WriteHandle } from '../src/node/_fs.js'

/** What happens at the chosen step. */
export type FaultAction = 'kill' | 'torn' | 'pause' | 'ENOSPC' | 'EIO' | 'EROFS' | 'EACCES'

/** One numbered operation. */
export interface FaultStep {
  readonly step: number
  readonly op: 'create' | 'write' | 'fsync' | 'chmod' | 'chown' | 'rename' | 'link' | 'unlink'
  readonly path: string
}

/** Where and what to inject; `at: 0` injects nothing (a dry run that lists the steps). */
export interface FaultPlan {
  readonly at: number
  readonly action: FaultAction
}

/** A WriteFs that also records the steps it numbered. */
export type FaultFs = WriteFs & { readonly steps: readonly FaultStep[] }

function die(): Promise<never> {
  process.kill(process.pid, 'SIGKILL')
  return new Promise<never>(() => undefined) // never reached
}

let stdinLines: AsyncIterator<string> | undefined
/** Waits for the next line on stdin (one reader for the whole process). */
export async function waitForLine(): Promise<void> {
  stdinLines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]()
  await stdinLines.next()
}

/** Wraps `base`; see the file comment. */
export function faultFs(base: WriteFs, plan: FaultPlan): FaultFs {
  const steps: FaultStep[] = []
  /** Numbers an operation and, at the chosen step, injects the fault (`tear` writes the torn part of a write). */
  async function step(op: FaultStep['op'], path: string, tear?: () => Promise<void>): Promise<void> {
    const n = steps.length + 1
    steps.push({ step: n, op, path })
    if (n !== plan.at) return
    switch (plan.action) {
      case 'kill':
        return die()
      case 'torn':
        if (tear) await tear()
        return die()
      case 'pause':
        process.stdout.write(`${JSON.stringify({ paused: n, op, path })}\n`)
        return waitForLine()
      default:
        throw Object.assign(new Error(`${plan.action}: injected at step ${n} (${op} ${path})`), { code: plan.action, syscall: op, path })
    }
  }
  const wrap = (h: WriteHandle, path: string): WriteHandle => ({
    read: (b, o, l, p) => h.read(b, o, l, p),
    stat: (o) => h.stat(o),
    close: () => h.close(),
    async write(b, o, l, p) {
      await step('write', path, async () => {
        // Every other 512-byte sector (aligned on file offsets), starting with the first.
        for (let at = p, i = 0; at < p + l; i++) {
          const end = Math.min(p + l, (Math.floor(at / 512) + 1) * 512)
          if (i % 2 === 0) await h.write(b, o + (at - p), end - at, at)
          at = end
        }
      })
      return h.write(b, o, l, p)
    },
    async sync() {
      await step('fsync', path)
      return h.sync()
    },
    async chmod(m) {
      await step('chmod', path)
      return h.chmod(m)
    },
    async chown(u, g) {
      await step('chown', path)
      return h.chown(u, g)
    },
  })
  return {
    steps,
    async open(path, flags, mode) {
      if (/[wax]/.test(flags)) await step('create', path)
      return wrap(await base.open(path, flags, mode), path)
    },
    stat: (p, o) => base.stat(p, o),
    realpath: (p) => base.realpath(p),
    access: (p, m) => base.access(p, m),
    readdir: (p) => base.readdir(p),
    async rename(a, b) {
      await step('rename', a)
      return base.rename(a, b)
    },
    async link(a, b) {
      await step('link', b)
      return base.link(a, b)
    },
    async unlink(p) {
      await step('unlink', p)
      return base.unlink(p)
    },
  }
}
