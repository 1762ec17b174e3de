/**
 * A small XMP reader for the one property the audio API maps: IPTC/PLUS `plus:DataMining`
 * (PLUS LDF XMP; docs/spec.md §7.2, §9.7). Element and attribute forms, `rdf:resource` and text
 * values, `rdf:Alt`/`rdf:Bag`/`rdf:Seq` items, full vocabulary URIs and bare codes, UTF-8 and UTF-16
 * packets. Packets with a DOCTYPE are refused (XMP never has one; it is the door to entity
 * expansion attacks).
 *
 * @module
 */
import { XMLParser } from 'fast-xml-parser'
import { IPTC_VOCAB_PREFIX as PLUS_VOCAB_PREFIX } from '../vocabulary/write-tokens.js'

/** The PLUS XMP namespace. */
export const PLUS_NAMESPACE = 'http://ns.useplus.org/ldf/xmp/1.0/'
const RDF_NAMESPACE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'
const MAX_DEPTH = 64

/** What {@link readXmpDataMining} found. */
export interface XmpDataMining {
  /** Each `plus:DataMining` value: the code (`DMI-PROHIBITED-AIMLTRAINING`) and the value as written. */
  readonly values: readonly { readonly code: string; readonly written: string }[]
  /** Why the packet could not be read, when it could not. */
  readonly problem?: string
}

function decodePacket(b: Uint8Array): string {
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2))
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2))
  if (b[0] === 0 && b[1] !== 0) return new TextDecoder('utf-16be').decode(b)
  if (b[0] !== 0 && b[1] === 0) return new TextDecoder('utf-16le').decode(b)
  return new TextDecoder('utf-8').decode(b)
}

type Scope = ReadonlyMap<string, string>
type Node = Record<string, unknown>

function split(name: string): [prefix: string, local: string] {
  const i = name.indexOf(':')
  return i < 0 ? ['', name] : [name.slice(0, i), name.slice(i + 1)]
}

function nsOf(prefix: string, scope: Scope): string | undefined {
  // Lenient with a missing declaration of the usual prefixes (seen in hand-written packets).
  return scope.get(prefix) ?? (prefix === 'plus' ? PLUS_NAMESPACE : prefix === 'rdf' ? RDF_NAMESPACE : undefined)
}

function withDeclarations(node: Node, scope: Scope): Scope {
  let out: Map<string, string> | undefined
  for (const k of Object.keys(node)) {
    if (k !== '@_xmlns' && !k.startsWith('@_xmlns:')) continue
    out ??= new Map(scope)
    out.set(k === '@_xmlns' ? '' : k.slice(8), String(node[k]))
  }
  return out ?? scope
}

function valuesOf(v: unknown, scope: Scope, depth: number): string[] {
  if (depth > MAX_DEPTH || v === null || v === undefined) return []
  if (typeof v === 'string' || typeof v === 'number') return [String(v)]
  if (Array.isArray(v)) return v.flatMap((x) => valuesOf(x, scope, depth + 1))
  if (typeof v !== 'object') return []
  const node = v as Node
  const s = withDeclarations(node, scope)
  const out: string[] = []
  for (const k of Object.keys(node)) {
    if (k === '#text') out.push(String(node[k]))
    else if (k.startsWith('@_')) {
      const [p, l] = split(k.slice(2))
      if (l === 'resource' && nsOf(p, s) === RDF_NAMESPACE) out.push(String(node[k]))
    } else {
      const [p, l] = split(k)
      if (nsOf(p, s) === RDF_NAMESPACE && (l === 'Alt' || l === 'Bag' || l === 'Seq' || l === 'li')) out.push(...valuesOf(node[k], s, depth + 1))
    }
  }
  return out
}

function collect(v: unknown, scope: Scope, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return
  if (Array.isArray(v)) {
    for (const x of v) collect(x, scope, depth + 1, out)
    return
  }
  const node = v as Node
  const s = withDeclarations(node, scope)
  for (const k of Object.keys(node)) {
    const attr = k.startsWith('@_')
    const [p, l] = split(attr ? k.slice(2) : k)
    if (l === 'DataMining' && p !== '' && nsOf(p, s) === PLUS_NAMESPACE) out.push(...valuesOf(node[k], s, depth + 1))
    else if (l === 'DataMining' && p === '' && !attr && s.get('') === PLUS_NAMESPACE) out.push(...valuesOf(node[k], s, depth + 1))
    else if (!attr && k !== '#text') collect(node[k], s, depth + 1, out)
  }
}

/**
 * Reads the `plus:DataMining` values of an XMP packet.
 *
 * @example
 * ```ts
 * readXmpDataMining(packet).values // [{ code: 'DMI-PROHIBITED-AIMLTRAINING', written: 'http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING' }]
 * ```
 */
export function readXmpDataMining(packet: Uint8Array): XmpDataMining {
  const text = decodePacket(packet)
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { values: [], problem: 'the XMP packet has a DOCTYPE or ENTITY declaration (not allowed in XMP)' }
  let tree: unknown
  try {
    tree = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      ignorePiTags: true,
    }).parse(text, true)
  } catch (e) {
    return { values: [], problem: `the XMP packet is not well-formed XML: ${e instanceof Error ? e.message : String(e)}` }
  }
  const found: string[] = []
  collect(tree, new Map(), 0, found)
  const values = found.map((w) => {
    const t = w.trim()
    return { code: t.startsWith(PLUS_VOCAB_PREFIX) ? t.slice(PLUS_VOCAB_PREFIX.length) : t, written: t }
  })
  return { values }
}
