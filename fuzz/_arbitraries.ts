// fast-check arbitraries of valid documents, built from the shapes of schema/v1/tag.schema.json and
// schema/v1/policy.schema.json: every value they produce must validate (the round-trip targets
// check that first, so a generator that drifts from the schema is caught, not silently skipped).
import fc from 'fast-check'
import type { NoaiTag } from '../src/index.js'
import type { NoaiPolicy } from '../src/robots.js'

const USES = ['all', 'search', 'tdm', 'ai', 'train-ai', 'train-genai', 'ai-input'] as const
const lower = 'abcdefghijklmnopqrstuvwxyz'
const alnum = `${lower}0123456789`

const chars = (set: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...set), { minLength: min, maxLength: max }).map((a) => a.join(''))

/** A DNS label: [a-z0-9] with inner hyphens. */
const label = fc.tuple(chars(alnum, 1, 1), chars(`${alnum}-`, 0, 10), chars(alnum, 0, 1)).map(([a, b, c]) => (c === '' ? a : a + b + c))
const host = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => `${ls.join('.')}.example`)
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }).map((p) => (p === undefined ? '' : `:${p}`))

/** An issuer origin (docs/spec.md §4.4): https, or an http loopback origin. */
export const issuerArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(host, port).map(([h, p]) => `https://${h}${p}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('localhost', '127.0.0.1', '[::1]', '127.1.2.3'), port).map(([h, p]) => `http://${h}${p}`) },
)

const pathChars = `${alnum}-._~/`
/** An absolute https or http URL of plain characters (a valid RFC 3986 URI). */
export const urlArb: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('https', 'http'), host, port, chars(pathChars, 0, 30)).map(([s, h, p, path]) => `${s}://${h}${p}/${path}`)

/** Text of the lengths the schema allows, with any well-formed characters. */
const text = (min: number, max: number): fc.Arbitrary<string> => fc.string({ minLength: min, maxLength: max, unit: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...`${alnum} ,.'"\\/<>&-`) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) }) })

/** An RFC 3339 date-time between 1970 and 2100, with Z, a lower-case t/z, fractions or offsets. */
export const dateTimeArb: fc.Arbitrary<{ text: string; ms: number }> = fc
  .tuple(fc.integer({ min: 0, max: 4_102_444_799_000 }), fc.constantFrom('Z', 'z', '+00:00', '+05:30', '-08:00'), fc.boolean(), fc.boolean())
  .map(([ms, zone, fraction, lowerT]) => {
    const offset = zone.length === 1 ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)))
    const local = new Date(ms + offset * 60_000).toISOString()
    let s = fraction ? local.slice(0, 23) : local.slice(0, 19)
    if (lowerT) s = s.replace('T', 't')
    const whole = fraction ? ms : ms - (ms % 1000)
    return { text: s + zone, ms: whole }
  })

const usageArb: fc.Arbitrary<Record<string, 'allowed' | 'denied'>> = fc
  .uniqueArray(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...USES) }, { weight: 1, arbitrary: fc.tuple(chars(lower, 1, 1), chars(`${alnum}_.-`, 0, 20)).map(([a, b]) => a + b) }), fc.constantFrom('allowed' as const, 'denied' as const)), {
    minLength: 1,
    maxLength: 10,
    selector: ([k]) => k,
  })
  .map((pairs) => Object.fromEntries(pairs))

const hex64 = chars('0123456789abcdef', 64, 64)
const essenceArb = fc.record({ format: fc.constantFrom('mp3' as const, 'flac' as const, 'ogg' as const, 'mp4' as const, 'wav' as const, 'aiff' as const), sha256: hex64 })
const idArb = fc.oneof(
  fc.tuple(chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 2, 2), chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 3, 3), chars('0123456789', 7, 7)).map(([a, b, c]) => ({ scheme: 'isrc', value: a + b + c })),
  chars('0123456789', 10, 10).map((d) => ({ scheme: 'iswc', value: `T${d}` })),
  fc.tuple(fc.constantFrom('upc', 'ean', 'grid', 'isni', 'doi'), text(1, 40)).map(([scheme, value]) => ({ scheme, value })),
  fc.tuple(chars(alnum, 1, 1), chars(`${alnum}-`, 0, 12), text(1, 20)).map(([a, b, value]) => ({ scheme: `x-${a}${b}`, value })),
)
const patternArb = fc.tuple(fc.constantFrom('https', 'http'), host, chars(`${pathChars}*$`, 0, 20)).map(([s, h, p]) => `${s}://${h}/${p}`)

const subjectArb: fc.Arbitrary<NoaiTag['subject']> = fc
  .record(
    {
      self: fc.constant(true as const),
      essence: fc.array(essenceArb, { minLength: 1, maxLength: 3 }),
      ids: fc.array(idArb, { minLength: 1, maxLength: 3 }),
      urls: fc.array(urlArb.filter((u) => u.length >= 8), { minLength: 1, maxLength: 3 }),
      urlPatterns: fc.array(patternArb, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  .filter((s) => Object.keys(s).length > 0) as fc.Arbitrary<NoaiTag['subject']>

const extNameArb = fc.oneof(
  fc.tuple(label, label, fc.option(chars(`${alnum}_`, 1, 10), { nil: undefined })).map(([a, b, c]) => `${a}.${b}${c === undefined ? '' : `/${c}`}`),
  host.map((h) => `https://${h}/ext`),
)
const extArb = fc.dictionary(extNameArb, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>)

/** A valid tag document. `issuer` forces the issuer (for signing with a test key). */
export function tagArb(issuer?: string): fc.Arbitrary<NoaiTag> {
  return fc
    .record(
      {
        schema: fc.constant('https://noai-tag.org/schema/v1/tag.schema.json'),
        id: fc.oneof(urlArb, chars(alnum, 8, 32).map((u) => `urn:uuid:${u}`)),
        subject: subjectArb,
        issuer: issuer === undefined ? issuerArb : fc.constant(issuer),
        rightsHolder: fc.record({ name: text(1, 60), id: urlArb, url: urlArb }, { requiredKeys: ['name'] }),
        usage: usageArb,
        license: urlArb,
        contact: fc.oneof(urlArb.map((u) => u.replace(/^http:/, 'https:')), fc.tuple(label, host).map(([u, h]) => `mailto:${u}@${h}`)),
        issued: dateTimeArb,
        expiresAfter: fc.integer({ min: 1, max: 10 * 365 * 86_400_000 }),
        disclosure: fc.record({ ai: fc.constantFrom('none' as const, 'partial' as const, 'all' as const), note: text(1, 60) }, { requiredKeys: ['ai'] }),
        ext: extArb,
      },
      { requiredKeys: ['subject', 'usage', 'issued'] },
    )
    .map((r) => {
      const tag: Record<string, unknown> = {}
      if (r.schema !== undefined) tag['$schema'] = r.schema
      tag['version'] = 1
      if (r.id !== undefined) tag['id'] = r.id
      tag['subject'] = r.subject
      if (issuer !== undefined || r.issuer !== undefined) tag['issuer'] = issuer ?? r.issuer
      if (r.rightsHolder !== undefined) tag['rightsHolder'] = r.rightsHolder
      tag['usage'] = r.usage
      if (r.license !== undefined) tag['license'] = r.license
      if (r.contact !== undefined) tag['contact'] = r.contact
      tag['issued'] = r.issued.text
      if (r.expiresAfter !== undefined) {
        const e = new Date(Math.min(r.issued.ms + r.expiresAfter, 4_102_444_799_000) + 1000)
        tag['expires'] = `${e.toISOString().slice(0, 19)}Z`
      }
      if (r.disclosure !== undefined) tag['disclosure'] = r.disclosure
      if (r.ext !== undefined) tag['ext'] = r.ext
      return tag as unknown as NoaiTag
    })
}

/** A valid site policy. */
export const policyArb: fc.Arbitrary<NoaiPolicy> = fc
  .record(
    {
      issuer: issuerArb,
      default: fc.record({ usage: usageArb, license: urlArb, contact: fc.tuple(label, host).map(([u, h]) => `mailto:${u}@${h}`) }, { requiredKeys: ['usage'] }),
      rules: fc.array(fc.record({ path: chars(`${pathChars}*`, 0, 16).map((p) => `/${p}`), usage: usageArb, license: urlArb }, { requiredKeys: ['path', 'usage'] }), { minLength: 1, maxLength: 6 }),
      rsl: urlArb,
      essence: fc.array(fc.record({ format: essenceArb.map((e) => e.format), sha256: hex64, usage: usageArb }, { requiredKeys: ['format', 'sha256'] }), { minLength: 1, maxLength: 3 }),
      updated: dateTimeArb.map((d) => d.text),
    },
    { requiredKeys: ['issuer', 'default', 'updated'] },
  )
  .map((r) => ({ version: 1, ...r }) as unknown as NoaiPolicy)
