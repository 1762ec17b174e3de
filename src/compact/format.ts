/**
 * Serialises preferences in the compact form (docs/spec.md §8.1), with `structured-headers`.
 *
 * @module
 */
import { serializeDictionary, Token, type Dictionary } from 'structured-headers'
import { InvalidArgumentError } from '../errors.js'
import { USES } from '../vocabulary/uses.js'

const LABEL = /^[a-z][a-z0-9_.-]*$/

/**
 * Writes a usage map as the compact form: v1 uses first in the canonical order of the vocabulary,
 * then other uses in code-point order; `allowed` → `y`, `denied` → `n`.
 *
 * @throws InvalidArgumentError when a key is not a valid use label or a value is not allowed/denied.
 * @example
 * ```ts
 * formatCompact({ search: 'allowed', 'train-ai': 'denied' }) // 'search=y, train-ai=n'
 * ```
 */
export function formatCompact(usage: Readonly<Record<string, 'allowed' | 'denied' | undefined>>): string {
  const keys = Object.keys(usage).filter((k) => usage[k] !== undefined)
  const known = USES.filter((u) => keys.includes(u))
  const other = keys.filter((k) => !(USES as readonly string[]).includes(k)).sort()
  const dict: Dictionary = new Map()
  for (const key of [...known, ...other]) {
    const v = usage[key]
    if (!LABEL.test(key)) throw new InvalidArgumentError(`use label ${JSON.stringify(key)} is not valid (lower-case a-z, 0-9, _ . -)`)
    if (v !== 'allowed' && v !== 'denied') throw new InvalidArgumentError(`use ${key} has value ${JSON.stringify(v)}; expected "allowed" or "denied"`)
    dict.set(key, [new Token(v === 'allowed' ? 'y' : 'n'), new Map()])
  }
  return serializeDictionary(dict)
}
