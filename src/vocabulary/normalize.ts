/**
 * Use names as callers write them: our vocabulary plus every alias in the mapping table
 * (docs/spec.md §7.3).
 *
 * @module
 */
import { MAPPING_TABLE } from './mappings.js'
import { isUse, type Use } from './uses.js'

const ALIASES: ReadonlyMap<string, Use> = (() => {
  const m = new Map<string, Use>()
  // A query names the use the caller intends to do, so an alias stands for the widest use it maps to.
  for (const r of MAPPING_TABLE) if (r.denies && !m.has(r.token) && r.signal !== 'robots-txt' && r.signal !== 'ai-txt') m.set(r.token, r.denies)
  return m
})()

/**
 * Turns a use name or alias into a v1 use: our own names first, then the tokens of other signals
 * (`ai-train` → `train-ai`, `genai` → `train-genai`, `inference` → `ai-input`, `cawg.ai_inference`
 * → `ai-input`, ...). Returns `undefined` for a name the table does not know.
 *
 * @example
 * ```ts
 * normalizeUse('ai-train')  // 'train-ai'
 * normalizeUse('train-ai')  // 'train-ai'
 * normalizeUse('teleport')  // undefined
 * ```
 */
export function normalizeUse(name: string): Use | undefined {
  if (isUse(name)) return name
  return ALIASES.get(name)
}
