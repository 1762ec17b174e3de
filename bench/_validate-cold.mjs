// Child process of bench/validate.mjs (cold start). `node bench/_validate-cold.mjs ours|ajv`
// prints {"ms": <time>, "valid": <bool>} where <time> covers only loading the validator and
// validating one tag, measured inside this fresh process (Node's own start-up is excluded).
//   ours: import the root module of the built package + validateTag(doc)
//   ajv:  import ajv + new Ajv2020 (same options and formats as scripts/generate.mjs) +
//         compile(schema) + validate(doc)
// Reading the schema file and loading the format functions happen before the clock starts, which
// favours ajv: the comparison is conservative.
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { dist } from './_lib.mjs'
import { VALID } from './_validate-docs.mjs'

const doc = VALID[1]

async function ours() {
  const url = pathToFileURL(dist('index.js')).href
  const t0 = performance.now()
  const { validateTag } = await import(url)
  const valid = validateTag(doc).ok
  return { ms: performance.now() - t0, valid }
}

async function ajv() {
  const schema = JSON.parse(readFileSync(new URL('../schema/v1/tag.schema.json', import.meta.url), 'utf8'))
  const { isDateTime, isUri } = await import('../src/_internal/formats.js')
  const t0 = performance.now()
  const { Ajv2020 } = await import('ajv/dist/2020.js')
  const ajv = new Ajv2020({ strict: true, allErrors: true, unicodeRegExp: true })
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime })
  ajv.addFormat('uri', { type: 'string', validate: isUri })
  const validate = ajv.compile(schema)
  const valid = validate(doc)
  return { ms: performance.now() - t0, valid }
}

const run = { ours, ajv }[process.argv[2]]
if (!run) {
  console.error('usage: node bench/_validate-cold.mjs ours|ajv')
  process.exit(2)
}
run().then((r) => console.log(JSON.stringify(r)))
