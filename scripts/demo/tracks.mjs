// The demo's catalogue: six short tracks in five containers, each with a different statement, so
// that the crawl meets every kind of answer: a deny, a deny of a narrower use, a site-level deny
// that beats a tag's allow, no statement at all, a trusted allow, and a signed tag copied from
// another track (which must not verify).

/** Committed test fixtures the lossy files are copied from (test/fixtures/audio/). */
export const FIXTURES = 'test/fixtures/audio/'

/**
 * @typedef {object} Track
 * @property {number} n
 * @property {string} title
 * @property {string} file       the media file name
 * @property {string} format     what the table calls its container
 * @property {string} type       its Content-Type
 * @property {'wav' | 'flac' | string} source  `wav`/`flac`: made from code; else a fixture path under FIXTURES
 * @property {boolean} [private] under the site's private paths (the policy denies train-ai there)
 * @property {Record<string, 'allowed' | 'denied'>} [usage]  the signed tag's usage; none: no tag at all
 * @property {number} [copyOf]   carries the signed tag of track `copyOf`, copied as is
 * @property {string} story      one line for the index page
 * @property {string} [note]     a line for the listing
 */

/** @type {readonly Track[]} */
export const TRACKS = [
  { n: 1, title: 'Harbour Lights', file: '1-harbour-lights.wav', format: 'WAV', type: 'audio/wav', source: 'wav', usage: { search: 'allowed', 'train-ai': 'denied' }, story: 'search yes, AI training no' },
  { n: 2, title: 'Paper Boats', file: '2-paper-boats.flac', format: 'FLAC', type: 'audio/flac', source: 'flac', usage: { all: 'allowed', 'train-genai': 'denied' }, story: 'everything but generative training' },
  { n: 3, title: 'Night Bus', file: '3-night-bus.mp3', format: 'MP3', type: 'audio/mpeg', source: 'mp3/bare.mp3', private: true, usage: { search: 'allowed', 'train-ai': 'allowed' }, story: 'the tag allows AI training, the site denies it on its private paths', note: "but the site's policy denies AI training on its private paths" },
  { n: 4, title: 'Quiet Field', file: '4-quiet-field.ogg', format: 'Ogg', type: 'audio/ogg', source: 'ogg/oggenc.ogg', story: 'no tag at all' },
  { n: 5, title: 'Open Sky', file: '5-open-sky.m4a', format: 'M4A', type: 'audio/mp4', source: 'mp4/aac-faststart.m4a', usage: { all: 'allowed' }, story: 'everything allowed' },
  { n: 6, title: 'Open Sky (copy)', file: '6-copycat.mp3', format: 'MP3', type: 'audio/mpeg', source: 'mp3/tone-v24.mp3', copyOf: 5, story: "other audio, carrying track 5's signed tag" },
]

/** The page of a track. */
export const pagePath = (t) => (t.private ? `/tracks/private/${t.n}` : `/tracks/${t.n}`)

/** The media file of a track. */
export const mediaPath = (t) => (t.private ? `/media/private/${t.file}` : `/media/${t.file}`)

/** The site's policy: search allowed everywhere, AI training denied under the private paths. */
export function sitePolicy(origin, updated) {
  const denyTraining = { search: 'allowed', 'train-ai': 'denied' }
  return {
    version: 1,
    issuer: origin,
    default: { usage: { search: 'allowed' } },
    rules: [
      { path: '/tracks/private/', usage: denyTraining },
      { path: '/media/private/', usage: denyTraining },
    ],
    updated,
  }
}
