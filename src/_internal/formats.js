// Format checks used by the generated validator (src/validate/_compiled.js) for the JSON Schema
// formats `date-time` (RFC 3339 §5.6) and `uri` (RFC 3986 §3, absolute URI). Plain JS so that
// scripts/generate.mjs can load the same functions at build time.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** RFC 3339 date-time with a real calendar date, hours 0-23, minutes 0-59, seconds 0-60 (leap second). */
export function isDateTime(s) {
  const m = DATE_TIME.exec(s)
  if (!m) return false
  const year = +m[1], month = +m[2], day = +m[3], hour = +m[4], minute = +m[5], second = +m[6]
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (day > (month === 2 && leap ? 29 : DAYS[month - 1])) return false
  if (hour > 23 || minute > 59 || second > 60) return false
  if (m[7] !== undefined && (+m[8] > 23 || +m[9] > 59)) return false
  return true
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
