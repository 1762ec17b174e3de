// Self-test of the harness (not part of a full run): a property on generated arrays that fails when
// their sum exceeds 1000; fast-check must shrink the counterexample to one element of 1001.
import fc from 'fast-check'
import { defineTarget, fail, jsonCodec } from '../_target.js'

export default defineTarget<number[]>({
  name: '_selftest-generated',
  about: 'self-test: a failing property on generated values, shrunk by fast-check',
  codec: jsonCodec<number[]>(),
  ext: '.json',
  shrink: 'none',
  async load() {
    return {
      seeds: [[1, 2, 3]],
      arbitrary: fc.array(fc.nat({ max: 5000 })),
      check(input) {
        if (input.reduce((a, b) => a + b, 0) > 1000) fail('sum', `sum of ${input.length} numbers is over 1000`)
      },
    }
  },
})
