// The child process of the fault-injection tests (test helper, bundled by the test with esbuild
// and run with plain `node`). It stamps (or, with `tag: null`, strips) one file through the real
// write path of noai-tag/node, with the file-system calls wrapped by faultFs:
//   NOAI_FAULT_AT=<n>       the step at which to inject (0 or unset: none)
//   NOAI_FAULT_ACTION=<a>   kill (default), torn, pause, or an error code (ENOSPC, EIO...)
// argv[2] is a JSON job: { file, tag, options, waitForGo?, pauseAtStage? }. With `waitForGo` it
// prints `{"ready":true}` and waits for a line on stdin first (to release several children
// together); with `pauseAtStage` (an ApplyStage such as `after-plan`) it prints
// `{"paused":"<stage>"}` there and waits for a line on stdin (another process changes the file).
// It prints one JSON line with the outcome: { ok: true, result, steps } or { ok: false, code,
// name, reason, message, steps }.
import { audioTagEntries, type AudioTagInput } from '../src/audio/tag-entries.js'
import type { WriteAudioFileOptions } from '../src/node.js'
import { applyToFile } from '../src/node/_apply.js'
import { NODE_FS } from '../src/node/_fs.js'
import { applyHooks, type ApplyStage } from '../src/node/_hooks.js'
import { wrapIo } from '../src/node/_io.js'
import { faultFs, waitForLine, type FaultAction } from './_fault-fs.js'

interface Job {
  readonly file: string
  readonly tag: AudioTagInput | null
  readonly options: WriteAudioFileOptions
  readonly waitForGo?: boolean
  readonly pauseAtStage?: ApplyStage
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as Job
  const fs = faultFs(NODE_FS, { at: Number(process.env.NOAI_FAULT_AT ?? 0), action: (process.env.NOAI_FAULT_ACTION ?? 'kill') as FaultAction })
  if (job.waitForGo) {
    process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
    await waitForLine()
  }
  if (job.pauseAtStage) {
    applyHooks.onStage = async (s) => {
      if (s !== job.pauseAtStage) return
      process.stdout.write(`${JSON.stringify({ paused: s })}\n`)
      await waitForLine()
    }
  }
  const print = (x: object): void => {
    process.stdout.write(`${JSON.stringify({ ...x, steps: fs.steps })}\n`)
  }
  try {
    const entries = job.tag === null ? null : audioTagEntries(job.tag)
    const result = await wrapIo(job.file, () => applyToFile(job.file, entries, job.options, fs))
    print({ ok: true, result })
  } catch (e) {
    const x = e as { code?: string; name?: string; reason?: string; message?: string }
    print({ ok: false, code: x.code, name: x.name, reason: x.reason, message: x.message })
  }
  process.exit(0) // stdin may still be open (pause, waitForGo)
}

void main()
