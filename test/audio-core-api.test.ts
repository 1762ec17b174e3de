// The noai-tag/audio API over the MP3 module: the report (signals, mismatch, signed documents,
// unverified payloads), writing from a tag or a JWS, hashing options, and the XMP reader.
import { describe, expect, it } from 'vitest'
import {
  audioEssence,
  audioTagEntries,
  createSha256,
  readAudioTag,
  removeAudioTag,
  writeAudioTag,
  type Hasher,
} from '../src/audio.js'
import { readXmpDataMining } from '../src/audio/xmp.js'
import { C2PA_NOTE } from '../src/audio/_signals.js'
import { encodeAsciiBase64url } from '../src/sign/_base64url.js'
import { formatCompact, type NoaiTag } from '../src/index.js'
import { ascii, concat, fixture, geob, mpegFrames, priv, tag, txxx, utf8 } from './audio-id3v2-build.js'

const TAG: NoaiTag = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z', issuer: 'https://label.example' }
/** A compact JWS with a junk signature: the audio API decodes the payload without verifying. */
const fakeJws = (t: unknown): string => `${encodeAsciiBase64url('{"alg":"EdDSA","typ":"noai-tag+jws","kid":"k1"}')}.${encodeAsciiBase64url(JSON.stringify(t))}.c2lnbmF0dXJl`
const file = (...frames: Uint8Array[]): Uint8Array => concat(tag({ frames, padding: 64 }), mpegFrames(8))
const xmpPacket = (inner: string): string =>
  `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${inner}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`
const PLUS = 'xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"'
const VOCAB = 'http://ns.useplus.org/ldf/vocab/'

describe('readAudioTag', () => {
  it('reports an unsigned tag as the noai-tag signal of the resource', async () => {
    const r = await readAudioTag(file(txxx('NOAI', formatCompact(TAG.usage)), txxx('NOAI_TAG', JSON.stringify(TAG))))
    expect(r).toMatchObject({ format: 'mp3', signed: false, mismatch: false, tag: TAG, warnings: [] })
    expect(r.jws).toBeUndefined()
    expect(r.signals).toEqual([
      {
        signal: 'noai-tag',
        source: { kind: 'audio', name: 'NOAI_TAG' },
        scope: 'resource',
        usage: { 'train-ai': 'denied', search: 'allowed' },
        tokens: [
          { token: 'train-ai', value: 'denied', read: 'denied' },
          { token: 'search', value: 'allowed', read: 'allowed' },
        ],
        tag: TAG,
      },
    ])
  })

  it('decodes a JWS payload without verifying it, and says so by keeping the JWS on the signal', async () => {
    const jws = fakeJws(TAG)
    const r = await readAudioTag(file(txxx('NOAI', 'search=y, train-ai=n'), txxx('NOAI_TAG', jws)))
    expect(r).toMatchObject({ signed: true, jws, tag: TAG, mismatch: false })
    expect(r.signals[0]).toMatchObject({ signal: 'noai-tag', jws, tag: TAG })
  })

  it('reports a mismatch when the readable line is absent, does not parse, or differs; the document wins', async () => {
    const doc = txxx('NOAI_TAG', JSON.stringify(TAG))
    for (const line of [undefined, 'Train-AI=n', 'train-ai=n', 'search=y, train-ai=y']) {
      const r = await readAudioTag(file(...(line === undefined ? [] : [txxx('NOAI', line)]), doc))
      expect(r.mismatch, String(line)).toBe(true)
      expect(r.signals[0]!.usage).toEqual({ 'train-ai': 'denied', search: 'allowed' })
    }
    expect((await readAudioTag(file(txxx('NOAI', 'train-ai=n, search=y'), doc))).mismatch).toBe(false)
  })

  it('never uses the readable line in place of an unusable document', async () => {
    for (const bad of ['{"version":1}', 'not.a.jws', fakeJws({ version: 1 }), '{"version":1,"version":1}']) {
      const r = await readAudioTag(file(txxx('NOAI', 'train-ai=n'), txxx('NOAI_TAG', bad)))
      expect(r.tag, bad).toBeUndefined()
      expect(r.signals, bad).toEqual([])
      expect(r.warnings.join(), bad).toMatch(/not a valid tag.*not used in its place/)
    }
  })

  it('reads a readable line alone as a statement about the file, and says no document was present', async () => {
    const r = await readAudioTag(file(txxx('NOAI', 'train-ai=n, x-custom=y')))
    expect(r.signals).toEqual([
      {
        signal: 'noai-tag',
        source: { kind: 'audio', name: 'NOAI', text: 'train-ai=n, x-custom=y' },
        scope: 'resource',
        usage: { 'train-ai': 'denied' },
        tokens: [
          { token: 'train-ai', value: 'n', read: 'denied' },
          { token: 'x-custom', value: 'y', read: 'ignored', note: 'unknown noai-tag token' },
        ],
      },
    ])
    expect(r.warnings).toContain('the file holds a readable line and no document (docs/spec.md §8.3)')
  })

  it('treats each of several documents as a separate statement, so that an added allow cannot displace a deny', async () => {
    const allow = { ...TAG, usage: { 'train-ai': 'allowed' } } as NoaiTag
    const r = await readAudioTag(file(txxx('NOAI_TAG', JSON.stringify(TAG)), txxx('NOAI_TAG', JSON.stringify(allow))))
    expect(r.signals.map((s) => s.usage['train-ai'])).toEqual(['denied', 'allowed'])
    expect(r.warnings.join()).toMatch(/2 TXXX NOAI_TAG entries/)
  })

  it('maps plus:DataMining from an XMP PRIV frame and reports C2PA presence without reading it', async () => {
    const xmp = xmpPacket(`<rdf:Description rdf:about="" ${PLUS} plus:DataMining="${VOCAB}DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING"/>`)
    const r = await readAudioTag(file(priv('XMP', utf8(xmp)), geob('application/x-c2pa-manifest-store', ascii('jumb'))))
    expect(r.foreign.map((f) => [f.kind, f.location])).toEqual([
      ['xmp', 'ID3v2 PRIV XMP'],
      ['c2pa', 'ID3v2 GEOB application/x-c2pa-manifest-store'],
    ])
    expect(r.signals).toEqual([
      {
        signal: 'iptc-plus',
        source: { kind: 'audio', name: 'ID3v2 PRIV XMP plus:DataMining', text: `${VOCAB}DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING` },
        scope: 'resource',
        usage: { tdm: 'denied' },
        tokens: [expect.objectContaining({ token: 'DMI-PROHIBITED-EXCEPTSEARCHENGINEINDEXING', read: 'denied' })],
      },
      {
        signal: 'cawg',
        source: { kind: 'audio', name: 'ID3v2 GEOB application/x-c2pa-manifest-store' },
        scope: 'resource',
        usage: {},
        tokens: [{ token: 'c2pa', value: 'present', read: 'ignored', note: C2PA_NOTE }],
      },
    ])
    const fx = await readAudioTag(fixture('foreign.mp3'))
    expect(fx.signals.map((s) => [s.signal, s.usage])).toEqual([
      ['iptc-plus', { 'train-ai': 'denied' }],
      ['cawg', {}],
    ])
  })
})

describe('writeAudioTag', () => {
  it('stores a JWS as is and the readable line of its payload', async () => {
    const jws = fakeJws(TAG)
    const w = await writeAudioTag(fixture('bare.mp3'), { jws })
    const r = await readAudioTag(w)
    expect(r).toMatchObject({ document: jws, readable: 'search=y, train-ai=n', signed: true, tag: TAG })
    expect(audioTagEntries({ jws, tag: TAG })).toEqual({ readable: 'search=y, train-ai=n', document: jws })
  })

  it('refuses a tag that is not the JWS payload, an invalid tag, a malformed JWS, or nothing', async () => {
    const b = fixture('bare.mp3')
    await expect(writeAudioTag(b, { jws: fakeJws(TAG), tag: { ...TAG, usage: { all: 'denied' } } })).rejects.toMatchObject({ code: 'ERR_NOAI_INVALID_ARGUMENT' })
    await expect(writeAudioTag(b, { tag: { version: 1 } as NoaiTag })).rejects.toMatchObject({ code: 'ERR_NOAI_TAG_INVALID' })
    await expect(writeAudioTag(b, { jws: 'a.b' })).rejects.toMatchObject({ code: 'ERR_NOAI_INVALID_ARGUMENT' })
    await expect(writeAudioTag(b, { jws: fakeJws({ version: 1 }) })).rejects.toMatchObject({ code: 'ERR_NOAI_TAG_INVALID' })
    await expect(writeAudioTag(b, {})).rejects.toMatchObject({ code: 'ERR_NOAI_INVALID_ARGUMENT' })
  })

  it('stores the JSON as ASCII: non-ASCII characters escaped, the same value read back', async () => {
    const t = { ...TAG, rightsHolder: { name: 'Bj\u00f6rk \ud83c\udfb5' } }
    const w = await writeAudioTag(fixture('tone-v23-id3v1.mp3'), { tag: t })
    const r = await readAudioTag(w)
    expect(r.document).toMatch(/^[\x20-\x7e]+$/)
    expect(r.document).toContain('Bj\\u00f6rk \\ud83c\\udfb5')
    expect(r.tag).toEqual(t)
  })

  it('returns a copy when removing a tag that is not there', async () => {
    const b = fixture('bare.mp3')
    const out = await removeAudioTag(b)
    expect(out).toEqual(b)
    expect(out).not.toBe(b)
  })
})

describe('audioEssence', () => {
  it('uses the hasher it is given, in chunks, and stops on abort', async () => {
    let updates = 0
    const counting = (): Hasher => {
      const h = createSha256()
      return { update: (b) => (updates++, h.update(b)), digest: () => h.digest() }
    }
    const b = fixture('tone-v24.mp3')
    expect(await audioEssence(b, { createHasher: counting })).toEqual(await audioEssence(b))
    expect(updates).toBeGreaterThan(0)
    const ac = new AbortController()
    ac.abort()
    await expect(audioEssence(b, { signal: ac.signal })).rejects.toThrow()
  })
})

describe('readXmpDataMining', () => {
  const codes = (xml: string | Uint8Array) => readXmpDataMining(typeof xml === 'string' ? utf8(xml) : xml).values.map((v) => v.code)
  it('reads the attribute form, the element form with rdf:resource or text, containers, bare codes and any prefix', () => {
    expect(codes(xmpPacket(`<rdf:Description ${PLUS} plus:DataMining="${VOCAB}DMI-PROHIBITED"/>`))).toEqual(['DMI-PROHIBITED'])
    expect(codes(xmpPacket(`<rdf:Description ${PLUS}><plus:DataMining rdf:resource="${VOCAB}DMI-ALLOWED"/></rdf:Description>`))).toEqual(['DMI-ALLOWED'])
    expect(codes(xmpPacket(`<rdf:Description ${PLUS}><plus:DataMining>DMI-PROHIBITED-AIMLTRAINING</plus:DataMining></rdf:Description>`))).toEqual(['DMI-PROHIBITED-AIMLTRAINING'])
    expect(codes(xmpPacket(`<rdf:Description xmlns:p="http://ns.useplus.org/ldf/xmp/1.0/"><p:DataMining><rdf:Bag><rdf:li>${VOCAB}DMI-PROHIBITED-GENAIMLTRAINING</rdf:li></rdf:Bag></p:DataMining></rdf:Description>`)))
      .toEqual(['DMI-PROHIBITED-GENAIMLTRAINING'])
    expect(codes(xmpPacket(`<rdf:Description xmlns:plus="http://other.example/"><plus:DataMining>DMI-PROHIBITED</plus:DataMining></rdf:Description>`))).toEqual([])
  })

  it('reads UTF-16 packets, and refuses DOCTYPEs and broken XML with a problem instead of throwing', () => {
    const x = xmpPacket(`<rdf:Description ${PLUS} plus:DataMining="${VOCAB}DMI-PROHIBITED"/>`)
    const le = new Uint8Array(2 + x.length * 2)
    le.set([0xff, 0xfe])
    for (let i = 0; i < x.length; i++) le[2 + i * 2] = x.charCodeAt(i) & 0xff
    expect(codes(le)).toEqual(['DMI-PROHIBITED'])
    expect(readXmpDataMining(utf8('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')).problem).toMatch(/DOCTYPE/)
    expect(readXmpDataMining(utf8('<x:xmpmeta><rdf:RDF>')).problem).toMatch(/not well-formed/)
    expect(readXmpDataMining(utf8('<a>'.repeat(5000) + '</a>'.repeat(5000))).values).toEqual([])
  })
})
