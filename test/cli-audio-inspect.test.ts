// `noai inspect` and `noai strip`, run as a user runs them (the built CLI in a child process): our
// tag survives mutagen editing other tags (issue 5 "done when"), verification bound to the
// essence, foreign signals, strip then inspect, invalid documents, and URLs over HTTP Range.
import { readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyAudioPlan, planAudioWrite } from '../src/audio.js'
import { audioFileEssence } from '../src/node.js'
import { runCli } from './_cli.js'
import { PY, has, runOk } from './_tools.js'
import { CONTAINERS, extOf, fileSha256, fixture, mutagenRetitle, scratch, type Scratch } from './cli-audio-helpers.js'

const USAGE = 'train-ai=n, search=y'
const READABLE = 'search=y, train-ai=n'

interface Inspection {
  input: string
  format: string
  readable?: string
  document: 'signed' | 'unsigned' | 'none'
  jws?: string
  tag?: { usage: Record<string, string>; subject: { essence?: { format: string; sha256: string }[] } }
  documentInvalid: boolean
  mismatch: boolean
  essence?: { format: string; sha256: string }
  essenceInTag?: boolean
  verification?: { state: string; codes?: string[]; reason?: string; binding?: string }
  signals: { signal: string; usage: Record<string, string>; source: { name?: string } }[]
  foreign: { kind: string; location: string }[]
  warnings: string[]
  transfer?: { ranged: boolean; bytesFetched: number; requests: number; size: number }
}

let s: Scratch

async function inspect(target: string, ...args: string[]): Promise<{ code: number | null; result: Inspection; stderr: string }> {
  const r = await runCli(['inspect', target, '--json', ...args])
  expect(r.stdout.trim().split('\n')).toHaveLength(1)
  return { code: r.code, result: JSON.parse(r.stdout) as Inspection, stderr: r.stderr }
}

async function stampSigned(rel: string, name: string): Promise<string> {
  const file = await s.copy(rel, name)
  const r = await runCli(['stamp', file, '--usage', USAGE, '--key', s.privateKey, '--issuer', s.issuer, '--in-place'])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return file
}

beforeAll(async () => {
  s = await scratch('noai-inspect-')
})

afterAll(async () => {
  await s.remove()
})

describe('noai inspect: they write, we read (issue 5 "done when")', () => {
  const editable = CONTAINERS.filter((c) => c.mutagen !== null)
  it.skipIf(!has('mutagen')).each(editable.map((c) => [c.name, c] as const))(
    '%s: finds the tag after mutagen edits other tags, and it still verifies (needs /usr/bin/python3 with mutagen)',
    async (name, c) => {
      const file = await stampSigned(c.fixture, `edited-${name}${extOf(c.fixture)}`)
      const before = await inspect(file)
      runOk(PY, ['-c', mutagenRetitle(c.mutagen!), file])
      expect(runOk(PY, ['-c', 'import sys,mutagen;print(mutagen.File(sys.argv[1]).pprint())', file])).toContain('Edited by mutagen')
      const { code, result } = await inspect(file, '--jwks', s.jwks, '--trust', s.issuer)
      expect(code).toBe(0)
      expect(result).toMatchObject({ format: c.format, readable: READABLE, document: 'signed', jws: before.result.jws, mismatch: false, essence: before.result.essence, essenceInTag: true })
      expect(result.verification).toMatchObject({ state: 'trusted', binding: 'checked', codes: [] })
    },
  )
})

describe('noai inspect', () => {
  it('shows the container, the tag, the essence and the verification in text', async () => {
    const file = await stampSigned('flac/reference.flac', 'text.flac')
    const digest = await audioFileEssence(file)
    const r = await runCli(['inspect', file, '--jwks', s.jwks])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('format: flac (codec flac)\n')
    expect(r.stdout).toContain(`readable line: ${READABLE}\n`)
    expect(r.stdout).toContain('document: signed\n')
    expect(r.stdout).toContain(`  issuer: ${s.issuer}\n`)
    expect(r.stdout).toContain(`essence: flac:${digest.sha256} (named by the tag)\n`)
    expect(r.stdout).toContain('  state: valid\n')
    expect(r.stdout).toContain('other signals: none\n')
  })

  it('without keys, shows the tag unverified and says how to verify it', async () => {
    const file = await stampSigned('mp3/tone-v24.mp3', 'nokeys.mp3')
    const r = await runCli(['inspect', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('tag (unverified):\n')
    expect(r.stdout).toContain('verification: not verified: no keys given (use --jwks or --issuer-discovery)\n')
  })

  it('reports a signed tag moved from another file as content-hash-mismatch (exit 1)', async () => {
    const a = await stampSigned('flac/ffmpeg.flac', 'moved-a.flac')
    const { result: ra } = await inspect(a)
    const b = await s.copy('flac/reference.flac', 'moved-b.flac')
    expect((await audioFileEssence(b)).sha256).not.toBe(ra.essence!.sha256)
    // The tag copied byte for byte with the library (as a tag editor would copy it).
    const { writeAudioFile } = await import('../src/node.js')
    await writeAudioFile(b, { jws: ra.jws! })
    const { code, result } = await inspect(b, '--jwks', s.jwks)
    expect(code).toBe(1)
    expect(result.essenceInTag).toBe(false)
    expect(result.verification).toMatchObject({ state: 'invalid', codes: ['content-hash-mismatch', 'issuer-untrusted'] })
  })

  it('reports other signals: XMP DataMining and C2PA presence', async () => {
    for (const rel of ['mp3/foreign.mp3', 'wav/xmp-c2pa.wav']) {
      const { code, result } = await inspect(fixture(rel))
      expect(code).toBe(0)
      expect(result.document).toBe('none')
      expect(result.signals.find((x) => x.signal === 'iptc-plus')?.usage, rel).toEqual({ 'train-ai': 'denied' })
      expect(result.signals.some((x) => x.signal === 'cawg'), rel).toBe(true)
      expect(result.foreign.map((f) => f.kind).sort(), rel).toEqual(['c2pa', 'xmp'])
    }
    const text = await runCli(['inspect', fixture('mp3/foreign.mp3')])
    expect(text.stdout).toMatch(/iptc-plus \(ID3v2 PRIV XMP plus:DataMining\): train-ai=n \(written ".*DMI-PROHIBITED-AIMLTRAINING"\)/)
    expect(text.stdout).toContain('C2PA manifest present')
  })

  it('exits 1 for a document that is not a valid tag, and flags a readable line that disagrees', async () => {
    const bytes = new Uint8Array(await readFile(fixture('mp3/tone-v24.mp3')))
    const doc = '{"version":2,"subject":{"self":true},"usage":{"train-ai":"denied"},"issued":"2026-01-01T00:00:00Z"}'
    await writeFile(s.file('bad-doc.mp3'), await applyAudioPlan(bytes, await planAudioWrite(bytes, { readable: 'train-ai=n', document: doc })))
    const bad = await inspect(s.file('bad-doc.mp3'))
    expect(bad.code).toBe(1)
    expect(bad.result).toMatchObject({ document: 'unsigned', documentInvalid: true })
    expect(bad.result.warnings.join('\n')).toMatch(/not a valid tag/)
    const good = doc.replace('"version":2', '"version":1')
    await writeFile(s.file('mismatch.mp3'), await applyAudioPlan(bytes, await planAudioWrite(bytes, { readable: 'train-ai=y', document: good })))
    const m = await inspect(s.file('mismatch.mp3'))
    expect(m.code).toBe(0)
    expect(m.result.mismatch).toBe(true)
    expect((await runCli(['inspect', s.file('mismatch.mp3')])).stdout).toContain('MISMATCH')
  })

  it('exits 1 for damaged or unknown audio and 2 for a missing file or bad options', async () => {
    await writeFile(s.file('text.mp3'), 'hello\n')
    const unknown = await runCli(['inspect', s.file('text.mp3')])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/not a known audio container/)
    expect((await runCli(['inspect', s.file('missing.mp3')])).code).toBe(2)
    expect((await runCli(['inspect', fixture('mp3/bare.mp3'), '--jwks', s.jwks, '--issuer-discovery'])).code).toBe(2)
    expect((await runCli(['inspect', 'https://127.0.0.1:1/x.mp3', '--max-bytes', 'lots'])).code).toBe(2)
  })
})

describe('noai strip', () => {
  it.each(CONTAINERS.map((c) => [c.name, c] as const))('%s: strip -o, then inspect finds no tag; the essence is unchanged', async (name, c) => {
    const file = await stampSigned(c.fixture, `strip-${name}${extOf(c.fixture)}`)
    const before = await fileSha256(file)
    const out = s.file(`stripped-${name}${extOf(c.fixture)}`)
    const r = await runCli(['strip', file, '-o', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`removed readable line "${READABLE}" and signed document (${c.format}`)
    expect(await fileSha256(file)).toBe(before)
    const { code, result } = await inspect(out)
    expect(code).toBe(0)
    expect(result).toMatchObject({ document: 'none', essence: await audioFileEssence(fixture(c.fixture)) })
    expect(result.readable).toBeUndefined()
  })

  it('--in-place on several files, and a file without a tag is left as it is', async () => {
    const a = await stampSigned('ogg/oggenc.ogg', 'inplace-a.ogg')
    const b = await s.copy('mp3/bare.mp3', 'inplace-b.mp3')
    const bBefore = await fileSha256(b)
    const r = await runCli(['strip', a, b, '--in-place', '--json'])
    expect(r.code).toBe(0)
    const [ra, rb] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { method: string; removed: Record<string, string> })
    expect(ra!.removed).toEqual({ readable: READABLE, document: 'signed' })
    expect(rb).toMatchObject({ method: 'unchanged', removed: {} })
    expect(await fileSha256(b)).toBe(bBefore)
    expect((await inspect(a)).result.document).toBe('none')
  })

  it('refuses to run without -o or --in-place (exit 2)', async () => {
    const r = await runCli(['strip', fixture('mp3/bare.mp3')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/give -o OUT to write a new file, or --in-place/)
  })
})

describe('noai inspect URL', () => {
  let server: Server
  let base: string
  let body: Uint8Array
  const served = { bytes: 0, requests: 0 }

  beforeAll(async () => {
    const file = await stampSigned('mp4/aac-faststart.m4a', 'served.m4a')
    body = new Uint8Array(await readFile(file))
    server = createServer((req, res) => {
      served.requests++
      const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''))
      if (req.url === '/plain.m4a' || !m) {
        served.bytes += body.length
        res.writeHead(200, { 'content-length': String(body.length) }).end(body)
        return
      }
      const start = Number(m[1])
      const end = Math.min(Number(m[2]), body.length - 1)
      served.bytes += end + 1 - start
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${body.length}`, 'content-length': String(end + 1 - start) }).end(body.subarray(start, end + 1))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('reads the tag over Range requests and verifies it against the essence', async () => {
    served.bytes = 0
    const { code, result } = await inspect(`${base}/track.m4a`, '--jwks', s.jwks)
    expect(code).toBe(0)
    expect(result).toMatchObject({ format: 'mp4', readable: READABLE, document: 'signed', essenceInTag: true })
    expect(result.verification).toMatchObject({ state: 'valid', binding: 'checked' })
    expect(result.transfer).toMatchObject({ ranged: true, size: body.length })
    expect(result.transfer!.bytesFetched).toBe(served.bytes)
  })

  it('downloads once from a server that ignores Range, within --max-bytes', async () => {
    served.requests = 0
    const { result } = await inspect(`${base}/plain.m4a`)
    expect(result.transfer).toMatchObject({ ranged: false, requests: 1, bytesFetched: body.length })
    const over = await runCli(['inspect', `${base}/plain.m4a`, '--max-bytes', '100'])
    expect(over.code).toBe(2)
    expect(over.stderr).toMatch(/maxBytes/)
  })
})
