// Child process of bench/check.mjs: starts N HTTP servers on 127.0.0.1 (one per origin), each with
// a robots.txt, some site files and pages, and counts the requests per origin and path. Sends the
// ports to the parent, then answers {type: 'counts'} with the counts. Runs in its own process so
// that serving does not share the event loop with the crawler being measured.
import { createServer } from 'node:http'

const origins = Number(process.argv[2] ?? 100)

// A page of realistic shape: a head of ~2 KB with a few meta elements, then a 30 KB body.
const filler = Array.from({ length: 12 }, (_, i) => `<meta name="x-filler-${i}" content="${'v'.repeat(120)}">`).join('\n')
const body = `<body>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n'.repeat(500)}</body></html>`
const page = (deny) =>
  Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>Track</title>\n${filler}\n${deny ? '<meta name="noai-tag" content="train-ai=n, search=y">' : '<meta name="robots" content="index, follow">'}\n<link rel="stylesheet" href="/s.css"></head>${body}`)
const PAGES = [page(false), page(true)]

/** What origin k serves besides its pages: none of it denies train-ai, so every page is read. */
function siteFiles(k) {
  const files = new Map([['/robots.txt', [200, 'text/plain', `User-agent: *\nAllow: /\nContent-Usage: / search=y\n\nUser-agent: GPTBot\nDisallow: /\n`]]])
  if (k % 3 === 0) files.set('/.well-known/noai-tag/policy.json', [200, 'application/noai-policy+json', JSON.stringify({ version: 1, issuer: `https://o${k}.example`, updated: '2026-11-26T00:00:00Z', default: { usage: { search: 'allowed' } } })])
  if (k % 3 === 1) files.set('/.well-known/tdmrep.json', [200, 'application/json', JSON.stringify([{ location: '/private/', 'tdm-reservation': 1 }])])
  return files
}

const counts = Array.from({ length: origins }, () => new Map())
const ports = []
for (let k = 0; k < origins; k++) {
  const files = siteFiles(k)
  const count = counts[k]
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    const key = path.startsWith('/p/') ? 'page' : path
    count.set(key, (count.get(key) ?? 0) + 1)
    const file = files.get(path)
    if (file) {
      res.writeHead(file[0], { 'content-type': file[1], 'cache-control': 'max-age=3600' })
      return void res.end(file[2])
    }
    const m = /^\/p\/(\d+)\.html$/.exec(path)
    if (!m) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      return void res.end('not found')
    }
    // Every other page of every other origin denies AI training in its head.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(PAGES[(Number(m[1]) + k) % 2])
  })
  server.keepAliveTimeout = 5000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  ports.push(server.address().port)
}

process.on('message', (msg) => {
  if (msg?.type === 'counts') process.send({ type: 'counts', counts: counts.map((m) => Object.fromEntries(m)) })
  if (msg?.type === 'exit') process.exit(0)
})
process.send({ type: 'ports', ports })
