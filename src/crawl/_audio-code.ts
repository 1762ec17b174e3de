/**
 * The audio code a check loads on demand: only ever imported with `import()`, when a response is
 * audio, so that `noai-tag/crawl` does not load the container parsers up front.
 *
 * @internal
 * @module
 */
export { fromUrl } from '../audio/http-source.js'
export { readAudioTag } from '../audio/read-audio-tag.js'
export { audioEssence } from '../audio/audio-essence.js'
