// Self-test of the harness (not part of a full run): a "reader" that throws a TypeError when the
// input contains "ab". The runner must report a crash and minimise the input to "ab".
import { call, defineTarget, textCodec } from '../_target.js'

export default defineTarget<string>({
  name: '_selftest-crash',
  about: 'self-test: a TypeError on inputs containing "ab", minimised to "ab"',
  codec: textCodec,
  ext: '.txt',
  shrink: 'text',
  async load() {
    return {
      seeds: ['hello'],
      mutate: (r) => Array.from({ length: 40 }, () => r.pick(['a', 'b', 'c', 'd'])).join(''),
      check(input) {
        call('selftest', () => {
          if (input.includes('ab')) throw new TypeError('found ab')
        })
      },
    }
  },
})
