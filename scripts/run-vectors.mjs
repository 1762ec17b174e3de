#!/usr/bin/env node
// Runs the conformance vectors of the tag document (schema/v1/vectors/, docs/spec.md §12.3)
// against the BUILT library (dist/index.js), the way the spec tells any implementation to:
//   "document" → validateTag(document); "text" → parseTag(text) (and the same text as UTF-8
//   bytes), a JsonParseError counting as keyword "json" and a LimitExceededError on
//   maxDocumentBytes as keyword "maxDocumentBytes", both at path "".
// A valid vector must give no issue; an invalid one must report every expected {path, keyword}.
//
// Usage: node [--disallow-code-generation-from-strings] scripts/run-vectors.mjs
//          [--lib <module>] [--vectors <dir>] [--require-no-codegen]
// Prints one line per mismatch and a summary; exits 1 on any mismatch (or, with
// --require-no-codegen, when code generation from strings is allowed in this process).
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const here = fileURLToPath(new URL('.', import.meta.url))
const { values: args } = parseArgs({
  options: {
    lib: { type: 'string', default: join(here, '../dist/index.js') },
    vectors: { type: 'string', default: join(here, '../schema/v1/vectors') },
    'require-no-codegen': { type: 'boolean', default: false },
  },
})

// Under --disallow-code-generation-from-strings both eval and the Function constructor throw.
let codegen = 'allowed'
try {
  new Function('')
} catch {
  codegen = 'blocked'
}

let parseTag, validateTag, isNoaiTagError

function outcomeOfThrown(e) {
  if (!isNoaiTagError(e)) return { crash: e }
  if (e.code === 'ERR_NOAI_JSON_INVALID') return { ok: false, issues: [{ path: '', keyword: 'json' }] }
  if (e.code === 'ERR_NOAI_LIMIT_EXCEEDED' && e.limit === 'maxDocumentBytes') return { ok: false, issues: [{ path: '', keyword: 'maxDocumentBytes' }] }
  if (e.code === 'ERR_NOAI_TAG_INVALID') return { ok: false, issues: e.issues }
  return { crash: e }
}

function runText(input) {
  try {
    parseTag(input)
    return { ok: true }
  } catch (e) {
    return outcomeOfThrown(e)
  }
}

function runDocument(document) {
  try {
    const r = validateTag(document)
    return r.ok ? { ok: true } : { ok: false, issues: r.issues }
  } catch (e) {
    return { crash: e }
  }
}

/** Why an outcome does not match the vector, or undefined when it does. */
function mismatch(vector, outcome) {
  if (outcome.crash) return `threw ${outcome.crash?.name ?? typeof outcome.crash}: ${outcome.crash?.message ?? String(outcome.crash)}`
  if (vector.valid) return outcome.ok ? undefined : `expected valid, got ${JSON.stringify(outcome.issues.map(({ path, keyword }) => ({ path, keyword })))}`
  if (outcome.ok) return 'expected invalid, got valid'
  if (!Array.isArray(vector.errors) || vector.errors.length === 0) return 'invalid vector lists no expected errors'
  const missing = vector.errors.filter((x) => !outcome.issues.some((i) => i.path === x.path && i.keyword === x.keyword))
  return missing.length === 0 ? undefined : `missing ${JSON.stringify(missing)}; got ${JSON.stringify(outcome.issues.map(({ path, keyword }) => ({ path, keyword })))}`
}

async function main() {
  ;({ parseTag, validateTag, isNoaiTagError } = await import(pathToFileURL(resolve(args.lib)).href))
  const files = readdirSync(args.vectors).filter((f) => f.endsWith('.json')).sort()
  let valid = 0
  let invalid = 0
  let failed = 0
  for (const file of files) {
    const vector = JSON.parse(readFileSync(join(args.vectors, file), 'utf8'))
    if (vector.valid) valid++
    else invalid++
    const runs =
      typeof vector.text === 'string'
        ? [['text', runText(vector.text)], ['bytes', runText(new TextEncoder().encode(vector.text))]]
        : [['document', runDocument(vector.document)]]
    const problems = runs.map(([how, outcome]) => [how, mismatch(vector, outcome)]).filter(([, why]) => why !== undefined)
    if (problems.length > 0) failed++
    for (const [how, why] of problems) console.log(`FAIL ${file} (${how}): ${why}`)
  }

  console.log(`code generation from strings: ${codegen}`)
  console.log(`vectors: ${files.length} (${valid} valid, ${invalid} invalid); passed: ${files.length - failed}; failed: ${failed}`)
  if (failed > 0 || files.length === 0 || (args['require-no-codegen'] && codegen !== 'blocked')) process.exitCode = 1
}

// No top-level await (house rule): the script runs from a plain async main.
main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
