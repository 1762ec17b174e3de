import { defineConfig } from 'tsup'

// One entry per public subpath (see package.json "exports"). The library entries are built for a
// neutral platform (Web APIs only); the CLI is built for Node with a shebang.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      schema: 'src/schema.ts',
      sign: 'src/sign.ts',
    },
    format: ['esm'],
    platform: 'neutral',
    target: 'es2022',
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    splitting: true,
    treeshake: true,
    sourcemap: false,
    clean: true,
    minify: false,
    external: ['jose', 'structured-headers', '@noble/hashes', 'fast-xml-parser', /^node:/],
    // ajv is a devDependency: the generated validator's runtime helpers are bundled.
    noExternal: [/^ajv/, /^ajv-formats/],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    splitting: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
    external: ['jose', 'structured-headers', 'commander', 'tinyglobby'],
  },
])
