// Format checks used by the generated validator (src/validate/_compiled.js) for the JSON Schema
// formats `date-time` (RFC 3339 §5.6) and `uri` (RFC 3986 §3, absolute URI). Plain JS so that
// scripts/generate.mjs can load the same functions at build time.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000

/**
 * RFC 3339 date-time with a real calendar date, hours 0-23, minutes 0-59, seconds 0-59, and a leap
 * second (:60) only at 23:59:60 UTC (RFC 3339 §5.7).
 */
export function isDateTime(s) {
  const ms = timestampOf(s)
  // Remembered for instantOf(): validateTag compares `issued` and `expires` right after the
  // generated validator checked both, so they need not be parsed again.
  lastText2 = lastText1
  lastMs2 = lastMs1
  lastText1 = s
  lastMs1 = ms
  return ms !== undefined
}

// The last two texts isDateTime checked, with their instants (timestampOf is a pure function of
// the text, so a text equal to one of them has its instant).
let lastText1 = ''
let lastMs1
let lastText2 = ''
let lastMs2

/**
 * timestampOf(s), without parsing `s` again when isDateTime has just checked it (one of the last
 * two texts it saw).
 */
export function instantOf(s) {
  if (s === lastText1) return lastMs1
  if (s === lastText2) return lastMs2
  return timestampOf(s)
}

/**
 * Milliseconds since the epoch of an RFC 3339 date-time, or undefined when it is not one. A leap
 * second 23:59:60 counts as the first instant of the next day (Date.parse rejects it).
 */
export function timestampOf(s) {
  const m = DATE_TIME.exec(s)
  if (!m) return undefined
  const year = +m[1], month = +m[2], day = +m[3], hour = +m[4], minute = +m[5], second = +m[6]
  if (month < 1 || month > 12 || day < 1) return undefined
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (day > (month === 2 && leap ? 29 : DAYS[month - 1])) return undefined
  if (hour > 23 || minute > 59 || second > 60) return undefined
  let offsetMinutes = 0
  if (m[7] !== undefined) {
    const oh = +m[8], om = +m[9]
    if (oh > 23 || om > 59) return undefined
    offsetMinutes = (m[7] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  const fraction = /\.(\d+)/.exec(s)
  // Milliseconds are the first three digits: digits beyond them are ignored (docs/spec.md §4.7).
  const ms = fraction ? Number(fraction[1].slice(0, 3).padEnd(3, '0')) : 0
  const utcMinutes = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440
  if (second === 60 && utcMinutes !== 23 * 60 + 59) return undefined
  // Date.UTC reads years 0 to 99 as 1900 to 1999: those are computed 400 years later (the
  // Gregorian calendar repeats every 400 years, 146,097 days) and moved back.
  const t = year < 100 ? Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - GREGORIAN_CYCLE_MS : Date.UTC(year, month - 1, day, hour, minute, second, ms)
  return t - offsetMinutes * 60_000
}

// RFC 3986 §3: scheme ":" hier-part [ "?" query ] [ "#" fragment ], with only unreserved,
// reserved and percent-encoded characters. An authority, when present, must have a host.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/
const AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/

/** An absolute URI per RFC 3986. */
export function isUri(s) {
  if (!URI.test(s)) return false
  const a = AUTHORITY.exec(s)
  if (a) {
    const host = a[1].replace(/^[^@]*@/, '').replace(/:\d*$/, '')
    if (host.length === 0 && !/^file:/i.test(s)) return false
  }
  return (s.match(/#/g) || []).length <= 1
}

/** Length in Unicode code points, as JSON Schema counts minLength/maxLength. */
export function ucs2length(s) {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    n++
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
  }
  return n
}
