// Self-test of the harness (not part of a full run): the fourth mutant allocates without bound.
// The worker's heap limit must stop it and the runner must save the input.
import { defineTarget, textCodec } from '../_target.js'

export default defineTarget<string>({
  name: '_selftest-oom',
  about: 'self-test: unbounded allocation on the fourth mutant',
  codec: textCodec,
  ext: '.txt',
  shrink: 'text',
  async load() {
    return {
      seeds: ['ok'],
      mutate: (_r, index) => (index === 3 ? 'grow' : `ok ${index}`),
      check(input) {
        const hoard: string[][] = []
        while (input === 'grow') hoard.push(Array.from({ length: 100_000 }, (_, i) => `${i}`))
      },
    }
  },
})
