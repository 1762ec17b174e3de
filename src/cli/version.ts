import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
/** The package version, read from package.json (dist/cli.js and src/cli/ both sit two levels below it... or one). */
export const VERSION: string = ((): string => {
  for (const p of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(p) as { name?: string; version?: string }
      if (pkg.name === 'noai-tag' && pkg.version) return pkg.version
    } catch {
      // try the next location
    }
  }
  return '0.0.0'
})()
