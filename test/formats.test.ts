// The date-time functions behind the generated validator and the `expires` rule (docs/spec.md
// §4.7): timestampOf gives the instant of an RFC 3339 date-time to the millisecond, for every year
// from 0000 to 9999, and instantOf gives the same without parsing again what isDateTime just checked.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { instantOf, isDateTime, timestampOf } from '../src/_internal/formats.js'

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Valid RFC 3339 date-times (upper-case T and Z), without leap seconds: Date.parse reads them too. */
const dateTime = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,40}$/), { nil: undefined }),
    offset: fc.option(fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }), { nil: undefined }),
  })
  .map(({ year, month, day, hour, minute, second, fraction, offset }) => {
    const zone = offset === undefined ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
    return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction === undefined ? '' : `.${fraction}`}${zone}`
  })

describe('timestampOf', () => {
  it('gives the instant Date.parse gives, to the millisecond, for years 0000 to 9999 (property)', () => {
    // Date.parse is given the fraction cut to its first three digits: V8 misreads some longer ones
    // ('.0001000000' is 1 ms to it), which is why the library does not use it.
    const toMilliseconds = (s: string): string => s.replace(/\.(\d+)/, (_, digits: string) => `.${digits.slice(0, 3).padEnd(3, '0')}`)
    fc.assert(
      fc.property(dateTime, (s) => {
        expect(timestampOf(s), s).toBe(Date.parse(toMilliseconds(s)))
      }),
      { numRuns: 3000 },
    )
  })

  it('reads years 0 to 99 as themselves, not as 1900 to 1999', () => {
    expect(timestampOf('0050-01-01T00:00:00Z')).toBe(Date.parse('0050-01-01T00:00:00Z'))
    expect(new Date(timestampOf('0000-02-29T12:00:00Z')!).toISOString()).toBe('0000-02-29T12:00:00.000Z')
    // A leap second that ends year 99 is the first instant of year 100.
    expect(timestampOf('0099-12-31T23:59:60Z')).toBe(Date.parse('0100-01-01T00:00:00Z'))
  })

  it('ignores digits beyond the millisecond, however many there are', () => {
    expect(timestampOf('2026-01-01T00:00:00.0001000000Z')).toBe(Date.parse('2026-01-01T00:00:00Z'))
    expect(timestampOf(`2026-01-01T00:00:59.${'9'.repeat(40)}Z`)).toBe(Date.parse('2026-01-01T00:00:59.999Z'))
    expect(timestampOf('2026-01-01T00:00:00.1231Z')).toBe(timestampOf('2026-01-01T00:00:00.1239Z'))
    expect(timestampOf('2026-01-01T00:00:00.5Z')).toBe(Date.parse('2026-01-01T00:00:00.500Z'))
  })

  it('reads a leap second as the next day\'s first instant, and only at 23:59:60 UTC', () => {
    expect(timestampOf('2016-12-31T23:59:60Z')).toBe(Date.parse('2017-01-01T00:00:00Z'))
    expect(timestampOf('2016-12-31T18:59:60-05:00')).toBe(Date.parse('2017-01-01T00:00:00Z'))
    expect(timestampOf('2016-12-31T23:58:60Z')).toBeUndefined()
    expect(timestampOf('2026-02-29T00:00:00Z')).toBeUndefined()
    expect(timestampOf('2026-01-01 00:00:00Z')).toBeUndefined()
  })
})

describe('instantOf', () => {
  it('equals timestampOf for any text, whatever isDateTime checked before (property)', () => {
    const text = fc.oneof(dateTime, fc.constantFrom('2016-12-31T23:59:60Z', 'yesterday', '', '2026-13-01T00:00:00Z'))
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), text, (checked, s) => {
        for (const c of checked) isDateTime(c)
        expect(instantOf(s)).toBe(timestampOf(s))
        isDateTime(s)
        expect(instantOf(s)).toBe(timestampOf(s))
        if (checked.length > 0) expect(instantOf(checked.at(-1)!)).toBe(timestampOf(checked.at(-1)!))
      }),
      { numRuns: 2000 },
    )
  })
})
