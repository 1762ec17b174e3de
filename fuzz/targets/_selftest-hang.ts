// Self-test of the harness (not part of a full run): the fourth mutant loops forever. The runner's
// watchdog must kill the worker and save the input.
import { defineTarget, textCodec } from '../_target.js'

export default defineTarget<string>({
  name: '_selftest-hang',
  about: 'self-test: a synchronous endless loop on the fourth mutant',
  codec: textCodec,
  ext: '.txt',
  shrink: 'text',
  async load() {
    return {
      seeds: ['ok'],
      mutate: (_r, index) => (index === 3 ? 'loop' : `ok ${index}`),
      check(input) {
        const start = Date.now()
        while (input === 'loop') if (Date.now() - start < 0) break
      },
    }
  },
})
