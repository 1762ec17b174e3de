// Format checks used by the generated validator (src/validate/_compiled.js) for the JSON Schema
// formats `date-time` (RFC 3339 §5.6) and `uri` (RFC 3986 §3, absolute URI). Plain JS so that
// scripts/generate.mjs can load the same functions at build time.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * RFC 3339 date-time with a real calendar date, hours 0-23, minutes 0-59, seconds 0-59, and a leap
 * second (:60) only at 23:59:60 UTC (RFC 3339 §5.7).
 */
export function isDateTime(s) {
  return timestampOf(s) !== undefined
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
  const ms = fraction ? Math.floor(Number(`0.${fraction[1]}`) * 1000) : 0
  const utcMinutes = (((hour * 60 + minute - offsetMinutes) % 1440) + 1440) % 1440
  if (second === 60 && utcMinutes !== 23 * 60 + 59) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000
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
