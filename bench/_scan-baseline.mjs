// Child process of bench/scan.mjs: the plain loop `noai scan` is compared with. It does what any
// dataset audit must do and nothing else: `files DIR OUT C` walks the folder (each folder's entries
// sorted, depth first) and reads each file whole; `urls LIST OUT C` reads the list and GETs each URL
// with a deadline, reading the body up to `</head>` and cancelling it (the least a crawler that
// looks at pages does). C items at a time; one JSON line per item written to OUT. Nothing is
// parsed or decided.
import { createReadStream, createWriteStream } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'

const [mode, input, out, concurrencyText] = process.argv.slice(2)
const concurrency = Number(concurrencyText ?? 16)
const UA = 'BenchBot/1.0 (+https://example.com/bot)'
const TIMEOUT_MS = 10_000

async function* walk(dir) {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) yield* walk(full)
    else if (e.isFile()) yield full
  }
}

async function* lines(file) {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line !== '') yield line
}

const HEAD_END = '</head>'
async function head(url) {
  const res = await fetch(url, { headers: { 'User-Agent': UA }, signal: AbortSignal.timeout(TIMEOUT_MS) })
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
    if (text.includes(HEAD_END)) break
  }
  await reader.cancel().catch(() => undefined)
  return { url, status: res.status }
}

const sink = createWriteStream(out)
const work = mode === 'files' ? async (file) => ({ path: file, bytes: (await readFile(file)).byteLength }) : head
const source = (mode === 'files' ? walk(input) : lines(input))[Symbol.asyncIterator]()
let n = 0
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (;;) {
      const next = await source.next()
      if (next.done) return
      sink.write(`${JSON.stringify(await work(next.value))}\n`)
      n++
    }
  }),
)
await new Promise((resolve) => sink.end(resolve))
process.stderr.write(`${n} items\n`)
