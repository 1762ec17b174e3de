/**
 * The table of docs/limits.md, rendered from the limit constants themselves (test helper, not a
 * test): every member of every `*_LIMITS` object and the other named bounds, with its value (read
 * from the code), what it bounds (the constant's TSDoc, read from the source file), whether it can
 * be changed and how, and the tests that prove it holds. test/limits-doc.test.ts fails when
 * docs/limits.md and this rendering differ, when a constant or a member has no note here, and when
 * a bound or default names no test (or a test that is not there).
 *
 *   UPDATE_LIMITS=1 npx vitest run test/limits-doc.test.ts   # rewrites the generated part
 */
import { readFileSync } from 'node:fs'
import { AUDIO_LIMITS, MAX_STREAM_BUFFER_BYTES, URL_SOURCE_LIMITS } from '../src/audio.js'
import { AIFF_LIMITS } from '../src/audio/aiff/limits.js'
import { FLAC_LIMITS } from '../src/audio/flac/limits.js'
import { ID3V2_LIMITS } from '../src/audio/id3v2/limits.js'
import { IFF_LIMITS } from '../src/audio/iff/limits.js'
import { MP3_LIMITS } from '../src/audio/mp3/limits.js'
import { MP4_LIMITS, MP4_PADDING_BYTES } from '../src/audio/mp4/limits.js'
import { OGG_LIMITS } from '../src/audio/ogg/limits.js'
import { DETECT_LIMITS } from '../src/audio/registry.js'
import { VORBIS_COMMENT_LIMITS } from '../src/audio/vorbis-comment/limits.js'
import { WAV_LIMITS } from '../src/audio/wav/limits.js'
import { MAX_KEY_FILE_BYTES, MAX_STDIN_AUDIO_BYTES } from '../src/cli/_audio.js'
import { MAX_LINE_LENGTH } from '../src/cli/_scan/lines.js'
import { PROGRESS_REDRAWS_PER_SECOND } from '../src/cli/_scan/progress.js'
import { MAX_SHARDS } from '../src/cli/_scan/shard.js'
import { DEFAULT_SCAN_CONCURRENCY, MAX_SCAN_CONCURRENCY, SYNC_READ_CONCURRENCY } from '../src/cli/commands/scan.js'
import { ASYNC_FILES_AFTER_SLOW, PREFETCH_BYTES, SLOW_READS_TO_SWITCH, SLOW_SYNC_READ_MS, SYNC_OPENS_PER_TURN } from '../src/cli/_scan/prefetched-file.js'
import { CRAWL_LIMITS } from '../src/crawl.js'
import { HTML_LIMITS } from '../src/html.js'
import { HTTP_LIMITS } from '../src/http.js'
import { LIMITS } from '../src/index.js'
import { FILE_WRITE_LIMITS } from '../src/node.js'
import { SITE_LIMITS } from '../src/robots.js'
import { DEFAULT_CLOCK_TOLERANCE, KEY_SET_LIMITS, SIGN_LIMITS } from '../src/sign.js'

/** What a row is: a `bound` the library enforces, the `default` of one (a time, a cache size), or a `policy` (a size it uses, not a bound). */
export type Kind = 'bound' | 'default' | 'policy'
export type Unit = 'bytes' | 'characters' | 'count' | 'levels' | 'ms' | 's' | 'per second'
/** A test that proves a row: its file (in test/) and text that must appear in it (its title). */
export type TestRef = readonly [file: string, text: string]

export interface Note {
  readonly kind: Kind
  readonly unit: Unit
  /** How a caller changes it; absent: fixed. */
  readonly change?: string
  readonly tests?: readonly TestRef[]
  /** Why a bound or default has no test (it is not observable through the API). */
  readonly untested?: string
  /** What it bounds, for constants without a doc comment in the source. */
  readonly what?: string
}

/** A note, with what single constants need: their value (when imported) and their source file (when not the group's). */
export type RowNote = Note & { readonly value?: number; readonly source?: string }

export interface Group {
  /** Heading: the constant, or a name for a set of single constants. */
  readonly name: string
  /** Where it comes from: `noai-tag/sign`, or "internal". */
  readonly access: string
  /** Source file (doc comments and, for unexported constants, values are read from it). */
  readonly source: string
  /** The object constant (absent for a set of single constants). */
  readonly object?: Readonly<Record<string, number>>
  /** For an object that spreads another one (`...IFF_LIMITS`): that one's name. */
  readonly spreads?: string
  readonly notes: Readonly<Record<string, RowNote>>
}

const t = (file: string, text: string): TestRef => [file, text]
const T = {
  fault: t('fault-injection.test.ts', 'SIGKILL at every create, write, fsync, chmod, chown, rename and unlink'),
}

// ------------------------------------------------------------------------------------------------
// The groups. Keep them in the order of the package's entry points, then the internal ones.

export const GROUPS: readonly Group[] = [
  {
    name: 'LIMITS',
    access: '`noai-tag`',
    source: 'src/limits.ts',
    object: LIMITS,
    notes: {
      maxDocumentBytes: {
        kind: 'bound',
        unit: 'bytes',
        change: '`parseTag(text, { maxBytes })` (lower or higher); the standard fixes 65,536 for conforming documents (docs/spec.md §4.10)',
        tests: [t('parse-bad-input.test.ts', 'a 50 MB string → LimitExceededError on maxDocumentBytes'), t('parse-bad-input.test.ts', 'honours a lower maxBytes option'), t('cli-validate.test.ts', 'reports one byte over the limit as invalid')],
      },
      maxJsonDepth: { kind: 'bound', unit: 'levels', tests: [t('parse-bad-input.test.ts', 'a million deep with the size limit raised still fails on depth'), t('json-strict.test.ts', 'bounds nesting without recursion blow-up')] },
      maxCompactLength: { kind: 'bound', unit: 'characters', tests: [t('compact.test.ts', 'treats a parse failure as no statement')] },
    },
  },
  {
    name: 'SIGN_LIMITS',
    access: '`noai-tag/sign`',
    source: 'src/sign/sign-limits.ts',
    object: SIGN_LIMITS,
    notes: {
      maxTokenLength: { kind: 'bound', unit: 'characters', tests: [t('sign-security.test.ts', 'rejects a token over SIGN_LIMITS.maxTokenLength before decoding it')] },
      maxHeaderLength: { kind: 'bound', unit: 'characters', tests: [t('limits-web.test.ts', 'maxHeaderLength: a protected header over 2048 characters')] },
      maxPayloadBytes: { kind: 'bound', unit: 'bytes', tests: [t('sign-verify.test.ts', 'rejects a payload over SIGN_LIMITS.maxPayloadBytes'), t('sign-tag.test.ts', 'refuses a payload over the size limit')] },
    },
  },
  {
    name: 'KEY_SET_LIMITS',
    access: '`noai-tag/sign`',
    source: 'src/sign/keys/limits.ts',
    object: KEY_SET_LIMITS,
    notes: {
      maxKeys: { kind: 'bound', unit: 'count', tests: [t('keys-parse.test.ts', 'rejects too many keys and non-sets')] },
      maxKidLength: { kind: 'bound', unit: 'characters', tests: [t('keys-parse.test.ts', 'rejects a missing or malformed kid')] },
      maxJsonDepth: { kind: 'bound', unit: 'levels', tests: [t('limits-web.test.ts', 'KEY_SET_LIMITS.maxJsonDepth: a key set nested deeper than 16')] },
      maxBytes: { kind: 'bound', unit: 'bytes', change: '`createKeyResolver({ maxBytes })`', tests: [t('keys-security.test.ts', 'a key set response over the size limit'), t('keys-security.test.ts', 'honours a lower maxBytes')] },
      timeoutMs: { kind: 'default', unit: 'ms', change: '`createKeyResolver({ timeoutMs })`', tests: [t('keys-resolver.test.ts', 'times out a server that never answers, within the timeout')] },
      maxRedirects: { kind: 'bound', unit: 'count', tests: [t('keys-resolver.test.ts', 'follows same-origin redirects, at most 3'), t('keys-resolver.test.ts', 'bounds a redirect loop')] },
      minTtlMs: { kind: 'default', unit: 'ms', change: '`createKeyResolver({ minTtlMs })`', tests: [t('keys-resolver.test.ts', 'clamps a short max-age to the lower bound')] },
      maxTtlMs: { kind: 'default', unit: 'ms', change: '`createKeyResolver({ maxTtlMs })`', tests: [t('keys-resolver.test.ts', 'clamps a long max-age to the upper bound')] },
      defaultTtlMs: { kind: 'default', unit: 'ms', change: '`createKeyResolver({ defaultTtlMs })`', tests: [t('keys-resolver.test.ts', 'uses the default without max-age')] },
      maxStaleMs: { kind: 'default', unit: 'ms', change: '`createKeyResolver({ maxStaleMs })`', tests: [t('keys-resolver.test.ts', 'serves a stale set when a refetch fails, up to maxStaleMs'), t('keys-resolver.test.ts', 'does not use a stale set with maxStaleMs 0')] },
      unknownKidCooldownMs: { kind: 'default', unit: 'ms', change: '`createKeyResolver({ unknownKidCooldownMs })`', tests: [t('keys-resolver.test.ts', 'refetches for an unknown kid at most once per cooldown')] },
      failureCooldownMs: { kind: 'default', unit: 'ms', change: '`createKeyResolver({ failureCooldownMs })`', tests: [t('keys-resolver.test.ts', 'retries only after the failure cooldown')] },
      memoryStoreEntries: { kind: 'default', unit: 'count', change: '`createMemoryKeySetStore({ maxEntries })`, or another store', tests: [t('limits-web.test.ts', 'memoryStoreEntries: the default key set store keeps at most 1000 issuers'), t('keys-parse.test.ts', 'expires entries and evicts the least recently used')] },
      servedMaxAgeSeconds: { kind: 'policy', unit: 's', change: '`keySetHeaders({ maxAgeSeconds })`', tests: [t('keys-parse.test.ts', 'gives content type, caching, CORS and nosniff')] },
    },
  },
  {
    name: 'DEFAULT_CLOCK_TOLERANCE',
    access: '`noai-tag/sign`',
    source: 'src/sign/verify-tag.ts',
    notes: {
      DEFAULT_CLOCK_TOLERANCE: { value: DEFAULT_CLOCK_TOLERANCE, kind: 'default', unit: 's', change: '`verifyTag(jws, { clockTolerance })`', tests: [t('sign-verify.test.ts', 'applies the clock tolerance (default 300 s) to issued and expires')] },
    },
  },
  {
    name: 'HTTP_LIMITS',
    access: '`noai-tag/http`',
    source: 'src/http/limits.ts',
    object: HTTP_LIMITS,
    notes: {
      maxHeaderValueLength: { kind: 'bound', unit: 'characters', tests: [t('http-read.test.ts', 'does not parse values over maxHeaderValueLength, and says so')] },
      maxSignedTagFieldLength: { kind: 'bound', unit: 'characters', tests: [t('limits-web.test.ts', 'maxSignedTagFieldLength: a NoAI-Tag-JWS value longer than')] },
      maxFieldLines: { kind: 'bound', unit: 'count', tests: [t('http-read.test.ts', 'bounds field lines, agents and statements')] },
      maxLinks: { kind: 'bound', unit: 'count', tests: [t('limits-web.test.ts', 'maxLinks: links of a Link field past the first 32')] },
      maxAgents: { kind: 'bound', unit: 'count', tests: [t('http-read.test.ts', 'bounds field lines, agents and statements')] },
      maxSignals: { kind: 'bound', unit: 'count', tests: [t('http-read.test.ts', 'bounds field lines, agents and statements')] },
      maxSourceText: { kind: 'bound', unit: 'characters', tests: [t('http-read.test.ts', 'does not parse values over maxHeaderValueLength, and says so')] },
    },
  },
  {
    name: 'HTML_LIMITS',
    access: '`noai-tag/html`',
    source: 'src/html/limits.ts',
    object: HTML_LIMITS,
    notes: {
      maxBytes: { kind: 'default', unit: 'bytes', change: '`readHtmlSignals(input, { maxBytes })`; `checkUrl` uses `limits.maxHtmlBytes`', tests: [t('html-input.test.ts', '10 MB with no </head> stops at maxBytes quickly (string, bytes and stream)')] },
      maxTagLength: { kind: 'bound', unit: 'characters', tests: [t('html-input.test.ts', '100 000 attributes in one tag are bounded; 1 MB tags are skipped and reported')] },
      maxAttributes: { kind: 'bound', unit: 'count', tests: [t('html-input.test.ts', '100 000 attributes in one tag are bounded; 1 MB tags are skipped and reported')] },
      maxScriptText: { kind: 'bound', unit: 'characters', tests: [t('html-input.test.ts', 'a script of our type longer than the limit is reported, not read')] },
      maxElements: { kind: 'bound', unit: 'count', tests: [t('limits-web.test.ts', 'maxElements: at most 256 elements of interest are kept')] },
      maxSignals: { kind: 'bound', unit: 'count', tests: [t('limits-web.test.ts', 'maxSignals: at most 64 statements are returned for a page')] },
      maxRslDocuments: { kind: 'bound', unit: 'count', tests: [t('limits-web.test.ts', 'maxRslDocuments: at most 4 inline RSL documents are kept')] },
      prescanBytes: { kind: 'policy', unit: 'bytes', tests: [t('html-input.test.ts', 'the prescan finds <meta charset> and http-equiv in the first 1024 bytes')] },
    },
  },
  {
    name: 'SITE_LIMITS',
    access: '`noai-tag/robots`',
    source: 'src/robots/limits.ts',
    object: SITE_LIMITS,
    notes: {
      maxRobotsBytes: { kind: 'default', unit: 'bytes', change: '`parseRobotsTxt(text, { maxBytes })` (and `parseAiTxt`)', tests: [t('robots-hostile.test.ts', 'parses only the first 512 KiB of a 1 million line file, quickly'), t('robots-hostile.test.ts', 'parses 1 million short lines within the byte cap when the caller raises it')] },
      maxLineLength: { kind: 'bound', unit: 'characters', tests: [t('robots-hostile.test.ts', 'ignores a single 100 KB line and keeps the rest')] },
      maxGroups: { kind: 'bound', unit: 'count', tests: [t('robots-hostile.test.ts', 'stops at maxGroups and maxRules')] },
      maxRules: { kind: 'bound', unit: 'count', tests: [t('robots-hostile.test.ts', 'stops at maxGroups and maxRules')] },
      maxRecords: { kind: 'bound', unit: 'count', tests: [t('robots-hostile.test.ts', 'keeps at most maxRecords Sitemap and License records')] },
      maxWarnings: { kind: 'bound', unit: 'count', tests: [t('robots-parse.test.ts', 'caps the warnings it records')] },
      maxOtherAgentSignals: { kind: 'bound', unit: 'count', tests: [t('robots-hostile.test.ts', 'reports at most maxOtherAgentSignals other agents')] },
      maxUrlLength: { kind: 'bound', unit: 'characters', tests: [t('limits-web.test.ts', 'maxUrlLength: a URL over 16,384 characters is refused')] },
      maxTdmrepBytes: { kind: 'bound', unit: 'bytes', tests: [t('wellknown-tdmrep.test.ts', 'rejects huge files before parsing, and too many rules')] },
      maxTdmrepRules: { kind: 'bound', unit: 'count', tests: [t('wellknown-tdmrep.test.ts', 'rejects huge files before parsing, and too many rules')] },
      maxPolicyBytes: { kind: 'bound', unit: 'bytes', tests: [t('crawl-hostile.test.ts', 'a 1 MB policy is ignored')] },
      maxJsonDepth: { kind: 'bound', unit: 'levels', tests: [t('wellknown-tdmrep.test.ts', 'rejects text that is not JSON, duplicate names and deep nesting')] },
      maxRslBytes: { kind: 'bound', unit: 'bytes', tests: [t('rsl-parse.test.ts', 'rejects oversized documents, too many contents')] },
      maxRslDepth: { kind: 'bound', unit: 'levels', tests: [t('rsl-parse.test.ts', 'rejects malformed XML and deep nesting quickly')] },
      maxRslContents: { kind: 'bound', unit: 'count', tests: [t('rsl-parse.test.ts', 'rejects oversized documents, too many contents')] },
      maxRslTokens: { kind: 'bound', unit: 'count', tests: [t('rsl-parse.test.ts', 'caps the tokens read from one element')] },
    },
  },
  {
    name: 'CRAWL_LIMITS',
    access: '`noai-tag/crawl`',
    source: 'src/crawl/limits.ts',
    object: CRAWL_LIMITS,
    notes: {
      timeoutMs: { kind: 'default', unit: 'ms', change: '`checkUrl(url, { limits: { timeoutMs } })`', tests: [t('crawl-hostile.test.ts', 'a slow-loris page (one byte at a time, forever) ends at the deadline'), t('crawl-check.test.ts', 'a timeout: unreachable, a complete disallow')] },
      maxRedirects: { kind: 'default', unit: 'count', change: '`limits.maxRedirects`', tests: [t('crawl-check.test.ts', 'more than five redirects in a row: unavailable, no crawl rules'), t('crawl-check.test.ts', 'a redirect loop and too many redirects are errors')] },
      maxHtmlBytes: { kind: 'default', unit: 'bytes', change: '`limits.maxHtmlBytes`', tests: [t('crawl-hostile.test.ts', 'a 10 MB page without </head> is read up to maxHtmlBytes only')] },
      maxSiteFileBytes: { kind: 'default', unit: 'bytes', change: '`limits.maxSiteFileBytes`', tests: [t('crawl-hostile.test.ts', 'a 2 MB robots.txt is parsed up to its limit; a 1 MB policy is ignored')] },
      maxAudioBytes: { kind: 'default', unit: 'bytes', change: '`limits.maxAudioBytes`', tests: [t('limits-web.test.ts', 'maxAudioBytes and maxAudioRequests: reading an embedded tag stops at either')] },
      maxAudioRequests: { kind: 'default', unit: 'count', change: '`limits.maxAudioRequests`', tests: [t('limits-web.test.ts', 'maxAudioBytes and maxAudioRequests: reading an embedded tag stops at either')] },
      maxRslDocuments: { kind: 'default', unit: 'count', change: '`limits.maxRslDocuments`', tests: [t('limits-web.test.ts', 'maxRslDocuments: at most 3 RSL licences are fetched for one check')] },
      originConcurrency: { kind: 'default', unit: 'count', change: '`limits.originConcurrency`', tests: [t('crawl-politeness.test.ts', 'keeps at most originConcurrency requests in flight to one origin')] },
      maxCrawlDelayMs: { kind: 'default', unit: 'ms', change: '`limits.maxCrawlDelayMs`', tests: [t('crawl-politeness.test.ts', 'caps a long Crawl-delay')] },
      maxRetryAfterMs: { kind: 'default', unit: 'ms', change: '`limits.maxRetryAfterMs`', tests: [t('crawl-politeness.test.ts', 'honours Retry-After on 503 and 429: waits, then retries once')] },
      minSiteFileTtlMs: { kind: 'default', unit: 'ms', change: '`limits.minSiteFileTtlMs`', tests: [t('crawl-politeness.test.ts', 'honours Cache-Control max-age within the bounds')] },
      maxSiteFileTtlMs: { kind: 'default', unit: 'ms', change: '`limits.maxSiteFileTtlMs`', tests: [t('crawl-politeness.test.ts', 'honours Cache-Control max-age within the bounds')] },
      defaultSiteFileTtlMs: { kind: 'default', unit: 'ms', change: '`limits.defaultSiteFileTtlMs`', tests: [t('limits-web.test.ts', 'defaultSiteFileTtlMs: a site file without Cache-Control is kept that long')] },
      failureTtlMs: { kind: 'default', unit: 'ms', change: '`limits.failureTtlMs`', tests: [t('crawl-politeness.test.ts', 'caches absences (404) and failures, the latter briefly')] },
      maxStaleMs: { kind: 'default', unit: 'ms', change: '`limits.maxStaleMs`', tests: [t('crawl-politeness.test.ts', 'keeps using an earlier copy while refetching fails (RFC 9309 §2.4)')] },
      memoryStoreEntries: { kind: 'default', unit: 'count', change: '`createMemoryCrawlStore({ maxEntries })`, or a shared store (Keyv)', tests: [t('limits-web.test.ts', 'memoryStoreEntries: the default crawl store keeps at most 10,000 entries')] },
      memoryParsedEntries: { kind: 'bound', unit: 'count', tests: [t('limits-web.test.ts', 'memoryParsedEntries: the in-memory caches of parsed site files are LRUs')] },
    },
  },
  {
    name: 'AUDIO_LIMITS',
    access: '`noai-tag/audio`',
    source: 'src/audio/limits.ts',
    object: AUDIO_LIMITS,
    notes: {
      maxEntryBytes: { kind: 'bound', unit: 'bytes', tests: [t('audio-vorbis-comment-codec.test.ts', 'refuses a non-ASCII document and values over AUDIO_LIMITS.maxEntryBytes'), t('audio-mp4-write.test.ts', 'refuses entries over the size limit')] },
      maxMetadataBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxMetadataBytes: an ID3v2 tag over 16 MiB is refused before it is read'), t('audio-wav-handler.test.ts', 'too many chunks, and a metadata chunk over the limit, give LimitExceededError')] },
      maxXmpBytes: { kind: 'bound', unit: 'bytes', tests: [t('audio-mp4-read.test.ts', 'reports an XMP packet over the size limit without its bytes')] },
      ioChunkBytes: { kind: 'policy', unit: 'bytes', tests: [t('node-memory.test.ts', 'reads and stamps a 2 GB sparse MP3 in place under --max-old-space-size=64')] },
    },
  },
  {
    name: 'URL_SOURCE_LIMITS',
    access: '`noai-tag/audio`',
    source: 'src/audio/http-source.ts',
    object: URL_SOURCE_LIMITS,
    notes: {
      blockBytes: { kind: 'policy', unit: 'bytes', tests: [t('audio-http-source.test.ts', 'caches small reads in blocks: reading the same header twice costs one request')] },
      maxCachedBlocks: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxCachedBlocks: at most 32 blocks are kept')] },
      maxRequests: { kind: 'default', unit: 'count', change: '`fromUrl(url, { maxRequests })`', tests: [t('limits-audio.test.ts', 'maxRequests: a source makes at most maxRequests requests')] },
    },
  },
  {
    name: 'MAX_STREAM_BUFFER_BYTES',
    access: '`noai-tag/audio`',
    source: 'src/audio/source.ts',
    notes: {
      MAX_STREAM_BUFFER_BYTES: {
        value: MAX_STREAM_BUFFER_BYTES,
        kind: 'default',
        unit: 'bytes',
        change: '`fromStream(stream, { maxBytes })`, `fromUrl(url, { maxBytes })`',
        tests: [t('limits-audio.test.ts', 'MAX_STREAM_BUFFER_BYTES (fromStream maxBytes): a longer stream is refused and cancelled'), t('audio-http-source.test.ts', 'refuses a download over maxBytes when the server ignores Range')],
      },
    },
  },
  {
    name: 'FILE_WRITE_LIMITS',
    access: '`noai-tag/node`',
    source: 'src/node/limits.ts',
    object: FILE_WRITE_LIMITS,
    notes: {
      maxInPlaceSpanBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-node.test.ts', 'maxInPlaceSpanBytes: patches spanning more than 16 MiB are written by a rewrite')] },
      emptyLockStaleMs: { kind: 'default', unit: 'ms', tests: [T.fault] },
      maxLockRecordBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-node.test.ts', 'maxLockRecordBytes: a lock whose first line is longer than 4 KiB')] },
    },
  },
  {
    name: 'DETECT_LIMITS',
    access: 'internal',
    source: 'src/audio/registry.ts',
    object: DETECT_LIMITS,
    notes: {
      headBytes: { kind: 'policy', unit: 'bytes' },
      probeBytes: { kind: 'policy', unit: 'bytes' },
      maxPrefixTags: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxPrefixTags: FLAC behind 8 ID3v2 tags is found')] },
      maxBoxes: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxBoxes: a moof past the first 1024 top-level boxes is not looked for')] },
    },
  },
  {
    name: 'MP3_LIMITS',
    access: 'internal',
    source: 'src/audio/mp3/limits.ts',
    object: MP3_LIMITS,
    notes: {
      maxLeadingTags: { kind: 'bound', unit: 'count', tests: [t('audio-mp3-container.test.ts', 'too many leading tags, and a tag over the metadata limit, are refused with LimitExceededError')] },
      maxTrailingTags: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxTrailingTags: 8 trailing tags are peeled off the essence')] },
      syncSearchBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'syncSearchBytes: the codec is found past a few junk bytes')] },
      basePaddingBytes: { kind: 'policy', unit: 'bytes', tests: [t('audio-mp3-container.test.ts', 'rewrites with padding per the policy when the tag does not fit')] },
      maxPaddingBytes: { kind: 'policy', unit: 'bytes', tests: [t('audio-mp3-container.test.ts', 'rewrites with padding per the policy when the tag does not fit')] },
    },
  },
  {
    name: 'ID3V2_LIMITS',
    access: 'internal',
    source: 'src/audio/id3v2/limits.ts',
    object: ID3V2_LIMITS,
    notes: {
      headerBytes: { kind: 'policy', unit: 'bytes' },
      maxTagBytes: { kind: 'bound', unit: 'bytes', tests: [t('audio-mp3-container.test.ts', 'too many leading tags, and a tag over the metadata limit, are refused with LimitExceededError')] },
      maxSyncsafe28: { kind: 'policy', unit: 'bytes' },
      maxFrames: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxFrames: a tag of more than 100,000 frames is refused')] },
      maxTextBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxTextBytes: a NOAI_TAG value far over the entry limit is not decoded')] },
    },
  },
  {
    name: 'FLAC_LIMITS',
    access: 'internal',
    source: 'src/audio/flac/limits.ts',
    object: FLAC_LIMITS,
    notes: {
      maxBlocks: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxBlocks: at most 4096 metadata blocks are walked')] },
      maxId3Prefixes: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxId3Prefixes: at most 8 ID3v2 tags before fLaC')] },
      maxBlockBytes: { kind: 'bound', unit: 'bytes', tests: [t('audio-flac-handler.test.ts', 'a VC block over 16 MiB − 1 bytes is a LimitExceededError')] },
      freshPaddingBytes: { kind: 'policy', unit: 'bytes', tests: [t('audio-flac-handler.test.ts', 'no padding: the file is rewritten with a fresh 8 KiB PADDING block at the end')] },
    },
  },
  {
    name: 'VORBIS_COMMENT_LIMITS',
    access: 'internal',
    source: 'src/audio/vorbis-comment/limits.ts',
    object: VORBIS_COMMENT_LIMITS,
    notes: {
      maxFields: { kind: 'bound', unit: 'count', tests: [t('audio-vorbis-comment-codec.test.ts', 'bounds the field count by the bytes that follow and by maxFields, without allocating')] },
    },
  },
  {
    name: 'OGG_LIMITS',
    access: 'internal',
    source: 'src/audio/ogg/limits.ts',
    object: OGG_LIMITS,
    notes: {
      maxSegmentsPerPage: { kind: 'policy', unit: 'count', tests: [t('audio-ogg-handler.test.ts', 'huge lacing: a page of 255 × 255 claimed bytes in a short file')] },
      maxPageBodyBytes: { kind: 'policy', unit: 'bytes', tests: [t('audio-ogg-handler.test.ts', 'huge lacing: a page of 255 × 255 claimed bytes in a short file')] },
      maxStreams: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxStreams: more than 64 logical streams are refused')] },
      maxHeaderPages: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxHeaderPages: a comment header spread over more than 8192 pages is refused')] },
      maxPacketBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxPacketBytes: an audio packet over 16 MiB is refused while hashing')] },
      maxRenumberedPages: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxRenumberedPages: a write that must renumber more than 262,144 pages is refused')] },
      headerReadBytes: { kind: 'policy', unit: 'bytes' },
    },
  },
  {
    name: 'MP4_LIMITS',
    access: 'internal',
    source: 'src/audio/mp4/limits.ts',
    object: MP4_LIMITS,
    notes: {
      maxBoxDepth: { kind: 'bound', unit: 'levels', tests: [t('audio-mp4-bad-input.test.ts', 'boxes nested 10,000 deep are not followed (bounded time)')] },
      maxBoxes: { kind: 'bound', unit: 'count', tests: [t('audio-mp4-bad-input.test.ts', 'too many boxes → LimitExceededError')] },
      maxTracks: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxTracks: a moov of more than 1024 tracks is refused')] },
      maxSampleTableBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxSampleTableBytes: a sample table over 16 MiB is not loaded')] },
      maxMoovBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxMoovBytes: a write that must shift the chunk offsets of a moov over 16 MiB is refused')] },
      maxSampleDescriptionBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxSampleDescriptionBytes: the codec is not read from an stsd over 64 KiB')] },
      maxInPlaceMoveBytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxInPlaceMoveBytes: an in-place edit that would move more than 16 MiB becomes a rewrite')] },
    },
  },
  {
    name: 'MP4_PADDING_BYTES',
    access: 'internal',
    source: 'src/audio/mp4/limits.ts',
    notes: {
      MP4_PADDING_BYTES: { value: MP4_PADDING_BYTES, kind: 'policy', unit: 'bytes', tests: [t('audio-mp4-write.test.ts', 'with padding for later edits')] },
    },
  },
  {
    name: 'IFF_LIMITS',
    access: 'internal',
    source: 'src/audio/iff/limits.ts',
    object: IFF_LIMITS,
    notes: {
      chunkHeaderBytes: { kind: 'policy', unit: 'bytes' },
      fileHeaderBytes: { kind: 'policy', unit: 'bytes' },
      maxChunks: { kind: 'bound', unit: 'count', tests: [t('audio-wav-handler.test.ts', 'too many chunks, and a metadata chunk over the limit, give LimitExceededError'), t('audio-aiff-handler.test.ts', 'too many chunks give LimitExceededError')] },
      maxSubChunks: { kind: 'bound', unit: 'count', tests: [t('limits-audio.test.ts', 'maxSubChunks: a LIST/INFO of more than 4096 sub-chunks is refused')] },
      maxMetadataChunkBytes: { kind: 'bound', unit: 'bytes', tests: [t('audio-wav-handler.test.ts', 'too many chunks, and a metadata chunk over the limit, give LimitExceededError')] },
      maxSize32: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxSize32: a rewrite that would make a RIFF file larger than 4 GiB is refused')] },
      basePaddingBytes: { kind: 'policy', unit: 'bytes' },
      maxPaddingBytes: { kind: 'policy', unit: 'bytes' },
    },
  },
  {
    name: 'WAV_LIMITS',
    access: 'internal',
    source: 'src/audio/wav/limits.ts',
    object: WAV_LIMITS,
    spreads: 'IFF_LIMITS',
    notes: {
      minDs64Bytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxDs64Bytes: an RF64 ds64 chunk over 64 KiB is refused')] },
      maxDs64Bytes: { kind: 'bound', unit: 'bytes', tests: [t('limits-audio.test.ts', 'maxDs64Bytes: an RF64 ds64 chunk over 64 KiB is refused')] },
      fmtProbeBytes: { kind: 'policy', unit: 'bytes' },
    },
  },
  {
    name: 'AIFF_LIMITS',
    access: 'internal',
    source: 'src/audio/aiff/limits.ts',
    object: AIFF_LIMITS,
    spreads: 'IFF_LIMITS',
    notes: {
      commProbeBytes: { kind: 'policy', unit: 'bytes' },
    },
  },
  {
    name: 'Other fixed bounds (module constants, not exported)',
    access: 'internal',
    source: '',
    notes: {
      HEADER_CACHE_SIZE: { source: 'src/sign/_jws.ts', kind: 'bound', unit: 'count', untested: 'a module-private cache of header verdicts, emptied when full; not observable through the API' },
      MAX_PARSED_COMPACTS: { source: 'src/http/_noai-statements.ts', kind: 'bound', unit: 'count', untested: 'a module-private memo of parsed compact forms (pages of one site repeat one), emptied when full; not observable through the API' },
      MAX_PARSED_COMPACT_LENGTH: { source: 'src/http/_noai-statements.ts', kind: 'bound', unit: 'characters', untested: 'keeps long compact forms out of that memo; parsing behaves the same either way' },
      MAX_ISSUER_LENGTH: { source: 'src/sign/keys/create-key-resolver.ts', kind: 'bound', unit: 'characters', untested: 'keeps long issuer strings out of the issuer-check cache; lookups behave the same either way' },
      MAX_AGENT_META_CONTENT: { source: 'src/html/_scanner.ts', kind: 'bound', unit: 'characters', tests: [t('limits-web.test.ts', 'MAX_AGENT_META_CONTENT: an agent meta whose content is over 512 characters')] },
      CLOCK_TOLERANCE_SECONDS: { source: 'src/crawl/_statements.ts', kind: 'default', unit: 's', tests: [t('limits-web.test.ts', 'CLOCK_TOLERANCE_SECONDS: a tag that expired less than 300 s ago still applies')] },
      MAX_DEPTH: { source: 'src/audio/xmp.ts', kind: 'bound', unit: 'levels', what: 'Deepest nesting of an XMP packet walked when looking for PLUS DataMining; deeper parts are ignored.', untested: 'a recursion guard of the XMP walker behind the XML parser, which bounds the input first (AUDIO_LIMITS.maxXmpBytes)' },
      MAX_TEXT: { source: 'src/audio/_signals.ts', kind: 'policy', unit: 'characters', what: 'Longest `source.text` of a statement read from audio (longer text is cut).' },
      MAX_SOURCE_TEXT: { source: 'src/robots/_text.ts', kind: 'policy', unit: 'characters' },
      DEFAULT_MAX_AGE: { source: 'src/robots/well-known-headers.ts', kind: 'policy', unit: 's', change: '`wellKnownHeaders({ maxAgeSeconds })`' },
      LENGTH_BUFFER_BYTES: { source: 'src/audio/ogg/essence.ts', kind: 'policy', unit: 'bytes' },
    },
  },
  {
    name: 'The noai program',
    access: 'the `noai` command',
    source: '',
    notes: {
      MAX_KEY_FILE_BYTES: { source: 'src/cli/_audio.ts', value: MAX_KEY_FILE_BYTES, kind: 'bound', unit: 'bytes', tests: [t('limits-node.test.ts', 'MAX_KEY_FILE_BYTES: a key file over 16 KiB is refused')] },
      MAX_STDIN_AUDIO_BYTES: { source: 'src/cli/_audio.ts', value: MAX_STDIN_AUDIO_BYTES, kind: 'bound', unit: 'bytes', tests: [t('limits-node.test.ts', 'MAX_STDIN_AUDIO_BYTES: audio over 64 MiB on standard input is refused')] },
      MAX_LINE_LENGTH: { source: 'src/cli/_scan/lines.ts', value: MAX_LINE_LENGTH, kind: 'bound', unit: 'characters', tests: [t('limits-node.test.ts', 'MAX_LINE_LENGTH: a scan list line over 64 KiB is reported as too long')] },
      MAX_SHARDS: { source: 'src/cli/_scan/shard.ts', value: MAX_SHARDS, kind: 'bound', unit: 'count', tests: [t('limits-node.test.ts', 'MAX_SHARDS: --shard accepts up to 1,000,000 shards')] },
      MAX_SCAN_CONCURRENCY: { source: 'src/cli/commands/scan.ts', value: MAX_SCAN_CONCURRENCY, kind: 'bound', unit: 'count', tests: [t('cli-scan.test.ts', '--concurrency must be a whole number from 1 to 1024')] },
      DEFAULT_SCAN_CONCURRENCY: { source: 'src/cli/commands/scan.ts', value: DEFAULT_SCAN_CONCURRENCY, kind: 'policy', unit: 'count', change: '`noai scan --concurrency N`' },
      PROGRESS_REDRAWS_PER_SECOND: { source: 'src/cli/_scan/progress.ts', value: PROGRESS_REDRAWS_PER_SECOND, kind: 'policy', unit: 'per second' },
      SYNC_READ_CONCURRENCY: { source: 'src/cli/commands/scan.ts', value: SYNC_READ_CONCURRENCY, kind: 'policy', unit: 'count', tests: [t('cli-scan-units.test.ts', 'asks a concurrency function before each item: the bound follows it as it changes')] },
      PREFETCH_BYTES: { source: 'src/cli/_scan/prefetched-file.ts', value: PREFETCH_BYTES, kind: 'policy', unit: 'bytes', tests: [t('scan-reads.test.ts', 'gives the same bytes, sizes and errors in both modes, and never blocks on a FIFO')] },
      SLOW_SYNC_READ_MS: { source: 'src/cli/_scan/prefetched-file.ts', value: SLOW_SYNC_READ_MS, kind: 'policy', unit: 'ms', tests: [t('scan-reads.test.ts', 'switches to asynchronous reads after slow synchronous ones, for a while, then tries again')] },
      SLOW_READS_TO_SWITCH: { source: 'src/cli/_scan/prefetched-file.ts', value: SLOW_READS_TO_SWITCH, kind: 'policy', unit: 'count', tests: [t('scan-reads.test.ts', 'a fast read between slow ones keeps reads synchronous')] },
      ASYNC_FILES_AFTER_SLOW: { source: 'src/cli/_scan/prefetched-file.ts', value: ASYNC_FILES_AFTER_SLOW, kind: 'policy', unit: 'count', tests: [t('scan-reads.test.ts', 'switches to asynchronous reads after slow synchronous ones, for a while, then tries again')] },
      SYNC_OPENS_PER_TURN: { source: 'src/cli/_scan/prefetched-file.ts', value: SYNC_OPENS_PER_TURN, kind: 'policy', unit: 'count', tests: [t('scan-reads.test.ts', 'timers fire while files are read synchronously from memory')] },
      MAX_POOLED: { source: 'src/cli/_scan/prefetched-file.ts', kind: 'policy', unit: 'count' },
      MAX_CACHED_ISSUERS: { source: 'src/cli/_scan/jwks-resolver.ts', kind: 'bound', unit: 'count', untested: 'a module-private cache of parsed key sets of `noai scan --issuer-discovery`; not observable from outside' },
    },
  },
]

/**
 * Named `MAX_*` and `DEFAULT_*` constants of src/ that are not rows, and why (`file:NAME`). The
 * drift test fails on any other such constant without a row.
 */
export const NOT_ROWS: Readonly<Record<string, string>> = {
  'src/sign/_jws.ts:MAX_PAYLOAD_CHARS': 'derived from SIGN_LIMITS.maxPayloadBytes (its base64url length)',
  'src/audio/ogg/_scan.ts:MAX_PAGE_BYTES': 'derived from OGG_LIMITS (the largest page the format allows)',
  'src/audio/mp4/_box.ts:MAX_SAFE_HIGH_WORD': 'arithmetic of 64-bit box sizes, not a bound',
  'src/crawl/limits.ts:DEFAULT_USER_AGENT': 'a string',
  'src/cli/commands/inspect.ts:TRANSFER_LIMITS': 'a set of limit names (which LimitExceededErrors `noai inspect` reports as I/O errors), not a bound',
  'src/cli/commands/sign.ts:MAX_KEY_FILE_BYTES': 'the same bound as src/cli/_audio.ts MAX_KEY_FILE_BYTES, for `noai sign`',
}

// ------------------------------------------------------------------------------------------------
// Reading the sources.

const ROOT = new URL('../', import.meta.url)
const sourceText = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8')

function cleanDoc(raw: string): string {
  return raw
    .split('\n')
    .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/^\s*\/\/\s?/, ''))
    .join(' ')
    .replace(/@example[\s\S]*$/, '')
    .replace(/\{@link\s+([^}|]+?)\s*\}/g, '`$1`')
    .replace(/\s+/g, ' ')
    .trim()
}

/** The doc comments of the members of `export const NAME = { … } as const` in `source`. */
export function memberDocs(path: string, name: string): Map<string, string> {
  const text = sourceText(path)
  const start = text.indexOf(`export const ${name} = {`)
  if (start < 0) throw new Error(`${path} has no \`export const ${name} = {\``)
  const end = text.indexOf('} as const', start)
  const body = text.slice(start, end)
  const out = new Map<string, string>()
  for (const m of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*([A-Za-z0-9]+)\s*:/g)) out.set(m[2]!, cleanDoc(m[1]!))
  return out
}

/** The comment right before `const NAME` (a doc comment or `//` lines), and its literal value. */
export function constantOf(path: string, name: string): { doc: string; value: number | undefined } {
  const text = sourceText(path)
  const m = new RegExp(`^(?:export )?const ${name}\\b[^=]*=\\s*([^\\n]+)$`, 'm').exec(text)
  if (!m) throw new Error(`${path} has no const ${name}`)
  const before = text.slice(0, m.index).trimEnd()
  let doc = ''
  if (before.endsWith('*/')) doc = cleanDoc(before.slice(before.lastIndexOf('/**') + 3, -2))
  else {
    const lines = before.split('\n')
    const comment: string[] = []
    while (lines.length && /^\s*\/\//.test(lines[lines.length - 1]!)) comment.unshift(lines.pop()!)
    doc = cleanDoc(comment.join('\n'))
  }
  const expr = m[1]!.replace(/\/\/.*$/, '').replace(/as const/, '').trim()
  const value = /^[0-9_x*+ ()a-fA-F]+$/.test(expr) ? (Function(`return (${expr.replace(/_/g, '')})`)() as number) : undefined
  return { doc, value }
}

// ------------------------------------------------------------------------------------------------
// Rendering.

const thousands = (n: number): string => n.toLocaleString('en-US')

function human(n: number, unit: Unit): string {
  const trim = (x: number): string => String(Number(x.toFixed(2)))
  if (unit === 'bytes') {
    if (n >= 1024 ** 3 - 16 && n < 1024 ** 4) return `${thousands(n)} (${n % 1024 ** 3 === 0 ? '' : '≈ '}${trim(n / 1024 ** 3)} GiB)`
    if (n >= 1024 ** 2) return `${thousands(n)} (${n % 1024 ** 2 === 0 ? '' : '≈ '}${trim(n / 1024 ** 2)} MiB)`
    if (n >= 1024) return `${thousands(n)} (${n % 1024 === 0 ? '' : '≈ '}${trim(n / 1024)} KiB)`
    return `${thousands(n)} bytes`
  }
  if (unit === 'ms') {
    if (n >= 3_600_000) return `${thousands(n)} ms (${trim(n / 3_600_000)} h)`
    if (n >= 60_000) return `${thousands(n)} ms (${trim(n / 60_000)} min)`
    if (n >= 1000) return `${thousands(n)} ms (${trim(n / 1000)} s)`
    return `${thousands(n)} ms`
  }
  if (unit === 's') return n >= 60 ? `${thousands(n)} s (${trim(n / 60)} min)` : `${thousands(n)} s`
  return unit === 'count' ? thousands(n) : `${thousands(n)} ${unit}`
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')

function testsCell(n: Note): string {
  if (n.tests?.length) return n.tests.map(([file, text]) => `[${file}](../test/${file}) “${cell(text)}”`).join('; ')
  if (n.untested) return `— (${cell(n.untested)})`
  return '—'
}

/** The rows of one group: name, value, doc, note. */
export function rowsOf(g: Group): { key: string; value: number; doc: string; note: RowNote }[] {
  const docs = g.object ? memberDocs(g.source, g.name) : new Map<string, string>()
  return Object.entries(g.notes).map(([key, note]) => {
    if (g.object) {
      const value = g.object[key]
      if (typeof value !== 'number') throw new Error(`${g.name}.${key} is not a number in the code`)
      return { key, value, doc: note.what ?? docs.get(key) ?? '', note }
    }
    const c = constantOf(note.source ?? g.source, key)
    const value = note.value ?? c.value
    if (typeof value !== 'number') throw new Error(`${key}: no numeric value`)
    if (note.value !== undefined && c.value !== undefined && c.value !== note.value) throw new Error(`${key}: the source says ${c.value}, the import ${note.value}`)
    return { key, value, doc: note.what ?? c.doc, note }
  })
}

function renderGroup(g: Group): string {
  const single = g.object === undefined
  const head = /^[A-Z0-9_]+$/.test(g.name) ? `### \`${g.name}\`` : `### ${g.name}`
  const from = g.access === 'internal' ? 'no entry point (internal)' : g.access
  const where = single && !g.source
    ? `${g.access === 'internal' ? 'Not exported' : `Constants of ${g.access}`}; each row names its source file.`
    : `Exported from ${from}; defined in [${g.source}](../${g.source}).${g.spreads ? ` It also holds every member of \`${g.spreads}\`.` : ''}`
  const rows = rowsOf(g).map(({ key, value, doc, note }) => {
    const name = single ? `\`${key}\`${note.source ? ` ([${note.source.replace(/^src\//, '')}](../${note.source}))` : ''}` : `\`${key}\``
    return `| ${name} | ${note.kind} | ${human(value, note.unit)} | ${cell(doc)} | ${note.change ? cell(note.change) : 'fixed'} | ${testsCell(note)} |`
  })
  return [head, '', where, '', '| Limit | Kind | Default | What it bounds | How to change it | Tested by |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n')
}

/** The generated part of docs/limits.md. */
export function renderLimits(): string {
  return GROUPS.map(renderGroup).join('\n\n')
}
