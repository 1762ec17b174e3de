// Benchmark: the build-time (ajv standalone) validator behind validateTag against ajv compiling
// the same schema at run time (issue 2, Performance). Goals:
//   throughput  validateTag ops/s ÷ ajv ops/s, on a mix of valid and invalid documents  >= 0.95
//   cold start  ajv (import + compile + validate) ÷ ours (import root + validateTag)    >= 5
// Run `npm run build` first; BENCH_SMOKE=1 for a short run (see bench/README.md).
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { isDateTime, isUri } from '../src/_internal/formats.js'
// The generated function itself (bundled into dist, not exported): shown for information, to
// separate the cost of the generated code from the work validateTag adds on top of it (the rules
// JSON Schema cannot state, and turning ajv errors into issues).
import { validateTag as standalone } from '../src/validate/_compiled.js'
import { SMOKE, RUNS, compareColdStart, compareThroughput, dist, finish, fmt, result, table } from './_lib.mjs'
import { INVALID, VALID } from './_validate-docs.mjs'

const { validateTag } = await import(pathToFileURL(dist('index.js')).href)

// The same options and format functions as scripts/generate.mjs used for src/validate/_compiled.js.
const ajv = new Ajv2020({ strict: true, allErrors: true, unicodeRegExp: true })
ajv.addFormat('date-time', { type: 'string', validate: isDateTime })
ajv.addFormat('uri', { type: 'string', validate: isUri })
const ajvValidate = ajv.compile(JSON.parse(readFileSync(new URL('../schema/v1/tag.schema.json', import.meta.url), 'utf8')))

// Both must give the same verdict on every document, or the comparison means nothing.
for (const [label, docs, expected] of [['valid', VALID, true], ['invalid', INVALID, false]]) {
  docs.forEach((doc, i) => {
    const a = validateTag(doc).ok
    const b = ajvValidate(doc)
    const c = standalone(doc)
    if (a !== expected || b !== expected || c !== expected) {
      console.error(`bench/validate: ${label} document #${i}: validateTag=${a}, standalone=${c}, ajv=${b}, expected ${expected}`)
      process.exit(2)
    }
  })
}

const candidates = { ours: (d) => validateTag(d).ok, standalone: (d) => standalone(d), ajv: (d) => ajvValidate(d) }
const sets = [
  ['valid', VALID],
  ['invalid', INVALID],
  ['mix', [...VALID, ...INVALID]],
]
console.log(`validate: ${SMOKE ? 'smoke run' : 'full run'}, median of ${RUNS}, Node ${process.versions.node}`)
const rows = [['documents', 'validateTag ops/s', 'standalone fn ops/s', 'ajv run-time ops/s', 'validateTag/ajv', 'standalone/ajv']]
let mixRatio = 0
for (const [label, docs] of sets) {
  const { ops, ratio } = compareThroughput(candidates, docs)
  if (label === 'mix') mixRatio = ratio('ours', 'ajv')
  rows.push([`${label} (${docs.length})`, fmt(ops.ours), fmt(ops.standalone), fmt(ops.ajv), ratio('ours', 'ajv').toFixed(2), ratio('standalone', 'ajv').toFixed(2)])
}
table(rows)

const script = fileURLToPath(new URL('./_validate-cold.mjs', import.meta.url))
const cold = compareColdStart(script, ['ours', 'ajv'])
const coldRatio = cold.ratio('ajv', 'ours')
console.log('')
table([
  ['cold start (fresh process)', 'ms'],
  ['import noai-tag + validateTag', fmt(cold.ms.ours, 1)],
  ['import ajv + compile + validate', fmt(cold.ms.ajv, 1)],
  ['ratio (ajv / ours)', coldRatio.toFixed(2)],
])
console.log('')
finish([result('validate', 'throughput', mixRatio, 0.95), result('validate', 'cold-start', coldRatio, 5)])
