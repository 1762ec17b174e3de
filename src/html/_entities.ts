// Character references in attribute values (HTML §13.2.5.72-80), for the values a reader needs
// (meta content, link href and rel, script type). Numeric references are decoded in full, with
// the Windows-1252 remapping of 0x80-0x9F and U+FFFD for invalid code points. Named references are
// decoded for the names that occur in such values (the five XML ones, nbsp, and a few
// punctuation names); other named references are left as written. As HTML says for attribute
// values, a legacy reference written without `;` is not decoded when the next character is `=` or
// alphanumeric. Internal.

// None of these stands for an ASCII letter: the scanner relies on it (a named reference can then
// neither form nor join a word such as noai, so only numeric references are decoded to look for one).
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  comma: ',', colon: ':', semi: ';', sol: '/', equals: '=', num: '#', period: '.', lowbar: '_', hyphen: '\u2010', dash: '\u2010',
  copy: '\u00a9', reg: '\u00ae', eacute: '\u00e9', egrave: '\u00e8', agrave: '\u00e0', uuml: '\u00fc', ouml: '\u00f6', auml: '\u00e4', ccedil: '\u00e7',
}
/** Names HTML also accepts without a semicolon (a subset of its legacy list). */
const LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg', 'eacute', 'egrave', 'agrave', 'uuml', 'ouml', 'auml', 'ccedil'])

/** HTML §13.2.5.80: numeric references to 0x80-0x9F mean the Windows-1252 characters. */
const C1: Readonly<Record<number, number>> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
  0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
  0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
}

const REF = /&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*)(;?))/g

function codePoint(n: number): string {
  if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd'
  return String.fromCodePoint(C1[n] ?? n)
}

/** Decodes the character references of an attribute value. */
export function decodeAttribute(value: string): string {
  if (!value.includes('&')) return value
  return value.replace(REF, (all: string, hex: string | undefined, dec: string | undefined, name: string | undefined, semi: string, offset: number) => {
    if (hex !== undefined) return codePoint(hex.length > 8 ? 0x110000 : parseInt(hex, 16))
    if (dec !== undefined) return codePoint(dec.length > 8 ? 0x110000 : parseInt(dec, 10))
    const char = Object.hasOwn(NAMED, name!) ? NAMED[name!]! : undefined
    if (char === undefined) return all
    if (semi === ';') return char
    if (!LEGACY.has(name!)) return all
    const next = value.charCodeAt(offset + all.length)
    const alnumOrEq = next === 0x3d || (next >= 0x30 && next <= 0x39) || ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a)
    return alnumOrEq ? all : char
  })
}
