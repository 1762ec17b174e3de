import { defineConfig } from 'tsup'

// One entry per public subpath (see package.json "exports"). The library entries are built for a
// neutral platform (Web APIs only); the CLI is built for Node with a shebang.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      schema: 'src/schema.ts',
      sign: 'src/sign.ts',
      http: 'src/http.ts',
      html: 'src/html.ts',
      robots: 'src/robots.ts',
      audio: 'src/audio.ts',
      node: 'src/node.ts',
      crawl: 'src/crawl.ts',
    },
    format: ['esm'],
    platform: 'neutral',
    target: 'es2022',
    // Node types for the declaration build only: noai-tag/node imports node:*; the core cannot
    // (tsconfig.json has no Node types, and lint forbids node:* outside src/node and src/cli).
    dts: { compilerOptions: { ignoreDeprecations: '6.0', types: ['node'] } },
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
    // The CLI is split so that each command's code, and the code only it needs, is loaded when the
    // command runs (src/cli/commands/index.ts): dist/cli.js, with its chunks in dist/_cli/. The
    // shebang comes from src/cli/main.ts (a banner would also go on every chunk).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    splitting: true,
    clean: false,
    esbuildOptions(options) {
      options.chunkNames = '_cli/[name]-[hash]'
    },
    external: ['jose', 'structured-headers', 'commander', 'tinyglobby'],
  },
])
