// Example documents for bench/validate.mjs and its cold-start child: valid and invalid NoAI Tag v1
// documents (docs/spec.md §4). The benchmark checks that both validators agree on every one.

const hex = (c) => c.repeat(64)

/** Documents that are valid tags. */
export const VALID = [
  { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied' }, issued: '2026-11-26T00:00:00Z' },
  {
    version: 1,
    subject: { urls: ['https://music.example/track/1', 'https://music.example/track/2'] },
    issuer: 'https://platform.example',
    usage: { all: 'denied', search: 'allowed' },
    issued: '2026-01-02T03:04:05.678+01:00',
    expires: '2031-01-01T00:00:00Z',
  },
  {
    $schema: 'https://noai-tag.org/schema/v1/tag.schema.json',
    version: 1,
    id: 'urn:uuid:0f4b7c3e-6a39-4d55-9b1e-2f4f1f3c9a10',
    subject: {
      essence: [
        { format: 'flac', sha256: hex('a') },
        { format: 'mp3', sha256: hex('b') },
      ],
      ids: [
        { scheme: 'isrc', value: 'GBAYE0601498' },
        { scheme: 'iswc', value: 'T0345246801' },
        { scheme: 'x-label-cat', value: 'CAT-0001' },
      ],
      urlPatterns: ['https://music.example/album/*', 'https://cdn.music.example/*.flac$'],
    },
    issuer: 'https://label.example',
    rightsHolder: { name: 'Example Records', id: 'https://isni.org/isni/0000000121032683', url: 'https://label.example' },
    usage: { tdm: 'denied', 'train-genai': 'denied', 'ai-input': 'allowed', search: 'allowed' },
    license: 'https://label.example/licensing',
    contact: 'mailto:licensing@label.example',
    issued: '2026-11-26T12:00:00Z',
    expires: '2036-11-26T12:00:00Z',
    disclosure: { ai: 'none', note: 'Recorded live.' },
    ext: { 'org.example.catalogue': { shelf: 3 } },
  },
  {
    version: 1,
    subject: { self: true, urls: ['http://blog.example/post/42'] },
    usage: { ai: 'denied', 'org.example-custom': 'denied' },
    issued: '2026-06-30T23:59:60Z',
  },
]

/** Documents that are not valid tags, each for a different reason. */
export const INVALID = [
  { version: 1, subject: { self: true }, usage: { 'train-ai': 'no' }, issued: '2026-11-26T00:00:00Z' },
  { version: 2, subject: {}, usage: {}, issued: '2026-02-30T00:00:00Z', extra: true },
  {
    version: 1,
    subject: { ids: [{ scheme: 'isrc', value: 'not-an-isrc' }], urls: ['ftp://x'] },
    issuer: 'http://platform.example',
    usage: { 'Train-AI': 'denied' },
    issued: 'yesterday',
  },
  'train-ai=n, search=y',
]
