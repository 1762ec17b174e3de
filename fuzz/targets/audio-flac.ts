// Fuzz target audio-flac: see fuzz/targets/_audio.ts for the mutations and the properties.
import { audioTarget } from './_audio.js'

export default audioTarget('flac')
