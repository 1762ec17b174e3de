// Bounded memory: a 2 GB file (sparse: ftruncate, never written) with a small tag is read and
// stamped in place by a child Node process limited to a 64 MB heap, through the built package.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { fixture } from './audio-id3v2-build.js'

const DIST = fileURLToPath(new URL('../dist/node.js', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'noai-mem-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const CHILD = `
const { readAudioFile, writeAudioFile, fileSource } = await import(process.argv[2])
const { readAudioTag } = await import(process.argv[3])
const file = process.argv[1]
const tag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' }
const w = await writeAudioFile(file, { tag })
const s = await fileSource(file)
const r = await readAudioTag(s)
await s.close()
console.log(JSON.stringify({ method: w.method, readable: r.readable, bytesRead: s.bytesRead, heapUsed: process.memoryUsage().heapUsed }))
`

describe('bounded memory', () => {
  it('reads and stamps a 2 GB sparse MP3 in place under --max-old-space-size=64', () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` first (npm test does it in pretest)`)
    const file = join(dir, 'huge.mp3')
    writeFileSync(file, fixture('foreign.mp3'))
    const size = 2 * 1024 ** 3
    truncateSync(file, size)
    const r = spawnSync(process.execPath, ['--max-old-space-size=64', '--input-type=module', '-e', CHILD, file, pathToFileURL(DIST).href, pathToFileURL(DIST.replace(/node\.js$/, 'audio.js')).href], {
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const out = JSON.parse(r.stdout) as { method: string; readable: string; bytesRead: number; heapUsed: number }
    expect(out.method).toBe('in-place')
    expect(out.readable).toBe('train-ai=n')
    expect(out.bytesRead).toBeLessThan(64 * 1024)
    expect(out.heapUsed).toBeLessThan(64 * 1024 * 1024)
    expect(statSync(file).size).toBe(size)
    expect(statSync(file).blocks * 512).toBeLessThan(1024 * 1024) // still sparse: the audio region was never written
  })
})
