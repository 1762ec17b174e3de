// Child process of bench/scan.mjs: starts N HTTP servers on 127.0.0.1 (one per origin), each with a
// robots.txt and pages of realistic shape (a head of about 1 KB, then an 8 KB body); every other
// page denies AI training in its head. Sends the ports to the parent. Runs in its own process so
// that serving does not share the event loop (or the memory) of what is measured.
import { createServer } from 'node:http'

const origins = Number(process.argv[2] ?? 100)

const filler = Array.from({ length: 6 }, (_, i) => `<meta name="x-filler-${i}" content="${'v'.repeat(120)}">`).join('\n')
const body = `<body>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n'.repeat(130)}</body></html>`
const page = (deny) =>
  Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>Track</title>\n${filler}\n${deny ? '<meta name="noai-tag" content="train-ai=n, search=y">' : '<meta name="robots" content="index, follow">'}\n</head>${body}`)
const PAGES = [page(false), page(true)]
const ROBOTS = 'User-agent: *\nAllow: /\n\nUser-agent: GPTBot\nDisallow: /\n'

/** Whether page i of origin k denies (bench/scan.mjs checks the verdicts with the same rule). */
const denies = (i, k) => (i + k) % 2 === 1

const ports = []
for (let k = 0; k < origins; k++) {
  const server = createServer((req, res) => {
    const m = /^\/p\/(\d+)\.html$/.exec(req.url ?? '/')
    if (req.url === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=3600' })
      return void res.end(ROBOTS)
    }
    if (!m) {
      res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'max-age=3600' })
      return void res.end('not found')
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(PAGES[denies(Number(m[1]), k) ? 1 : 0])
  })
  server.keepAliveTimeout = 5000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  ports.push(server.address().port)
}

process.on('message', (msg) => {
  if (msg?.type === 'exit') process.exit(0)
})
process.send({ type: 'ports', ports })
