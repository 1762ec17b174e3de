// The fuzz targets, in the order a full run takes them. Each lives in fuzz/targets/<name>.ts and is
// loaded only when it runs. Names starting with `_` are the harness's self-tests: they are never
// part of a full run.
import type { Target } from '../_target.js'

export const TARGETS = [
  'audio-mp3',
  'audio-flac',
  'audio-ogg',
  'audio-mp4',
  'audio-wav',
  'audio-aiff',
  'audio-detect',
  'html',
  'http-headers',
  'robots-txt',
  'ai-txt',
  'tdmrep-json',
  'policy',
  'rsl',
  'jws',
  'tag-document',
  'compact-form',
  'roundtrip-tag',
  'roundtrip-sign',
  'roundtrip-audio',
  'roundtrip-web',
  'roundtrip-site',
] as const

export const SELF_TESTS = ['_selftest-crash', '_selftest-hang', '_selftest-oom', '_selftest-generated'] as const

export type TargetName = (typeof TARGETS)[number] | (typeof SELF_TESTS)[number]

export const isTargetName = (name: string): name is TargetName => (TARGETS as readonly string[]).includes(name) || (SELF_TESTS as readonly string[]).includes(name)

type Module = Promise<{ default: unknown }>

/** Each target's module, loaded on demand. */
const MODULES: Readonly<Record<TargetName, () => Module>> = {
  'audio-mp3': () => import('./audio-mp3.js'),
  'audio-flac': () => import('./audio-flac.js'),
  'audio-ogg': () => import('./audio-ogg.js'),
  'audio-mp4': () => import('./audio-mp4.js'),
  'audio-wav': () => import('./audio-wav.js'),
  'audio-aiff': () => import('./audio-aiff.js'),
  'audio-detect': () => import('./audio-detect.js'),
  'html': () => import('./html.js'),
  'http-headers': () => import('./http-headers.js'),
  'robots-txt': () => import('./robots-txt.js'),
  'ai-txt': () => import('./ai-txt.js'),
  'tdmrep-json': () => import('./tdmrep-json.js'),
  'policy': () => import('./policy.js'),
  'rsl': () => import('./rsl.js'),
  'jws': () => import('./jws.js'),
  'tag-document': () => import('./tag-document.js'),
  'compact-form': () => import('./compact-form.js'),
  'roundtrip-tag': () => import('./roundtrip-tag.js'),
  'roundtrip-sign': () => import('./roundtrip-sign.js'),
  'roundtrip-audio': () => import('./roundtrip-audio.js'),
  'roundtrip-web': () => import('./roundtrip-web.js'),
  'roundtrip-site': () => import('./roundtrip-site.js'),
  '_selftest-crash': () => import('./_selftest-crash.js'),
  '_selftest-hang': () => import('./_selftest-hang.js'),
  '_selftest-oom': () => import('./_selftest-oom.js'),
  '_selftest-generated': () => import('./_selftest-generated.js'),
}

/** The target module of `name`. */
export async function loadTarget(name: string): Promise<Target<unknown>> {
  if (!isTargetName(name)) throw new Error(`no fuzz target ${JSON.stringify(name)}; targets: ${TARGETS.join(', ')}`)
  return (await MODULES[name]()).default as Target<unknown>
}
