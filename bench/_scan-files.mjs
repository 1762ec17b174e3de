// Fixtures of bench/scan.mjs: folders of small audio files, built once and cached under
// .tmp/bench-scan/ (a `.complete` marker records a finished build). The base folder holds real
// copies of tiny test fixtures of six containers, every other one stamped with an unsigned tag
// (train-ai=n) through the built library; larger folders hold hard links to the base files, so
// that 100,000 items cost directory entries, not disk space. Files are spread over folders of
// 1,000, as datasets usually are.
import { existsSync } from 'node:fs'
import { copyFile, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { dist } from './_lib.mjs'

export const ROOT = fileURLToPath(new URL('../.tmp/bench-scan/', import.meta.url))
const FIXTURES = fileURLToPath(new URL('../test/fixtures/audio/', import.meta.url))
const PER_FOLDER = 1000

/** Tiny fixtures of each container (0.7 to 5 KB). */
const BASE = ['mp3/bare.mp3', 'flac/no-padding.flac', 'ogg/ffmpeg.opus', 'wav/sox.wav', 'aiff/ffmpeg.aiff', 'mp4/aac-faststart.m4a']

const TAG = { version: 1, subject: { self: true }, usage: { 'train-ai': 'denied', search: 'allowed' }, issued: '2026-11-26T00:00:00Z' }

/**
 * Path of item `i` of a folder; `model` is the index of the base file it holds (its own index in a
 * base folder, `i mod base` in a linked one), which gives its container.
 */
export const itemPath = (dir, i, model = i) => path.join(dir, `part-${String(Math.floor(i / PER_FOLDER)).padStart(3, '0')}`, `f-${String(i).padStart(6, '0')}${path.extname(BASE[model % BASE.length])}`)

/** Whether base item `model` is stamped (denied for train-ai; the others are unknown). */
export const isStamped = (model) => Math.floor(model / BASE.length) % 2 === 0

/** The marker of a finished build, next to the folder (inside it, it would be scanned). */
const marker = (dir) => `${dir}.complete`

/** The base folder of `n` real files (`n` a multiple of 1,000), built once. */
export async function baseFolder(n) {
  const dir = path.join(ROOT, `files-${n}`)
  if (existsSync(marker(dir))) return dir
  await rm(dir, { recursive: true, force: true })
  const { writeAudioFile } = await import(dist('node.js'))
  // The 2 x 6 distinct files, then copies of them.
  const models = path.join(ROOT, 'models')
  await mkdir(models, { recursive: true })
  const model = []
  for (const [k, rel] of BASE.entries()) {
    const plain = path.join(models, `plain-${k}${path.extname(rel)}`)
    const stamped = path.join(models, `stamped-${k}${path.extname(rel)}`)
    await copyFile(path.join(FIXTURES, rel), plain)
    await copyFile(path.join(FIXTURES, rel), stamped)
    await writeAudioFile(stamped, { tag: TAG })
    model.push({ plain: await readFile(plain), stamped: await readFile(stamped) })
  }
  for (let i = 0; i < n; i++) {
    const file = itemPath(dir, i)
    if (i % PER_FOLDER === 0) await mkdir(path.dirname(file), { recursive: true })
    const m = model[i % BASE.length]
    await writeFile(file, isStamped(i) ? m.stamped : m.plain)
  }
  await writeFile(marker(dir), String(n))
  return dir
}

/** A folder of `n` items made of hard links to the files of a base folder of `base` items. */
export async function linkedFolder(n, base) {
  const dir = path.join(ROOT, `links-${n}-of-${base}`)
  if (existsSync(marker(dir))) return dir
  const from = await baseFolder(base)
  await rm(dir, { recursive: true, force: true })
  for (let i = 0; i < n; i++) {
    const file = itemPath(dir, i, i % base)
    if (i % PER_FOLDER === 0) await mkdir(path.dirname(file), { recursive: true })
    await link(itemPath(from, i % base), file)
  }
  await writeFile(marker(dir), String(n))
  return dir
}
