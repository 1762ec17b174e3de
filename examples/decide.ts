/**
 * Example: read the example tag documents, validate them, show their compact form, and answer
 * "may I use this for X?" for every use, first per tag and then for a track page that carries
 * both the platform-wide default and the track's own tag.
 *
 * Run: npx tsx examples/decide.ts
 */
import { readFile, readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import {
  USES,
  combinePreferences,
  formatCompact,
  normalizeUse,
  parseTag,
  preferenceFor,
  resolvePreferences,
  type NoaiTag,
} from 'noai-tag'

const dir = fileURLToPath(new URL('.', import.meta.url))

async function loadExamples(): Promise<Map<string, NoaiTag>> {
  const tags = new Map<string, NoaiTag>()
  for (const name of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    // parseTag enforces the size limit and strict JSON, then validates against the v1 schema.
    tags.set(name, parseTag(await readFile(dir + name)))
  }
  return tags
}

const pad = (s: string, n: number): string => s.padEnd(n)

async function main(): Promise<void> {
  const tags = await loadExamples()
  console.log(`${pad('example', 30)} ${pad('compact form', 58)} answers (${USES.join(' ')})`)
  for (const [name, tag] of tags) {
    const resolved = resolvePreferences(tag.usage)
    const answers = USES.map((u) => ({ allowed: 'Y', denied: 'n', unknown: '?' })[preferenceFor(resolved, u)])
    console.log(`${pad(name, 30)} ${pad(formatCompact(tag.usage), 58)} ${answers.join(' ')}`)
  }

  // A track page under the platform default: statements combine, and any deny wins (docs/spec.md §6.2).
  const platform = tags.get('platform-default.json')
  const track = tags.get('with-extension.json')
  if (!platform || !track) throw new Error('example files missing')
  const combined = combinePreferences([resolvePreferences(platform.usage), resolvePreferences(track.usage)])
  console.log('\nplatform default + track tag:')
  for (const asked of ['search', 'ai-input', 'train-genai', 'ai-train'] as const) {
    const use = normalizeUse(asked)
    if (!use) continue
    console.log(`  may I use it for ${pad(asked, 12)} → ${preferenceFor(combined, use)}${asked !== use ? `   (alias of ${use})` : ''}`)
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
