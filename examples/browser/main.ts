/**
 * Example: the script of the browser demo (examples/browser/index.html), bundled by server.ts into
 * one classic script. Reads the NoAI Tag of a dropped audio file, hashes its audio essence, and
 * verifies a signed tag against the issuer's key set, all in the browser (Web APIs only):
 *
 * - `readAudioTag(file)` reads only the metadata regions of the File (a Blob);
 * - `audioEssence(file)` hashes the audio without its metadata, the digest a signed tag binds to;
 * - `verifyTag(jws, { resolver, trust, essence })` checks the signature with Web Crypto, fetching
 *   the issuer's `/.well-known/noai-tag/jwks.json` (served with CORS), and the binding to the essence.
 *
 * Run: `npm run build && npx tsx examples/browser/server.ts`, then open the URL it prints.
 */
import { USES, isNoaiTagError, preferenceFor, resolvePreferences, validateTag } from 'noai-tag'
import { audioEssence, readAudioTag } from 'noai-tag/audio'
import { createKeyResolver, verifyTag } from 'noai-tag/sign'

// http issuers are accepted only on loopback addresses, and only because this demo asks: real
// issuers are https origins.
const resolver = createKeyResolver({ allowHttpLoopback: true })

const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`#${id} is missing from the page`)
  return el as T
}

function show(id: string, text: string, className = ''): void {
  const el = byId(id)
  el.textContent = text
  el.className = className
}

const problem = (e: unknown): string => (isNoaiTagError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e))

function trustedIssuers(): string[] {
  return byId<HTMLInputElement>('trust')
    .value.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

function showUses(usage: Parameters<typeof resolvePreferences>[0] | undefined, note: string): void {
  const table = byId<HTMLTableElement>('uses')
  table.replaceChildren()
  if (usage === undefined) return
  const prefs = resolvePreferences(usage)
  const head = table.insertRow()
  for (const text of ['use', `preference${note}`]) head.appendChild(Object.assign(document.createElement('th'), { textContent: text }))
  for (const use of USES) {
    const row = table.insertRow()
    row.insertCell().textContent = use
    row.insertCell().textContent = preferenceFor(prefs, use)
  }
}

async function check(file: Blob, name: string): Promise<void> {
  const result = byId('result')
  result.hidden = false
  result.removeAttribute('data-done')
  byId('file-name').textContent = name
  for (const id of ['format', 'readable', 'document', 'essence', 'state', 'codes', 'issuer', 'tag']) show(id, '')
  show('status', 'reading…')
  showUses(undefined, '')
  try {
    const report = await readAudioTag(file)
    show('format', report.codec !== undefined ? `${report.format} (${report.codec})` : report.format)
    show('readable', report.readable ?? '(none)')
    const essence = await audioEssence(file)
    show('essence', essence.sha256)
    if (report.document === undefined) {
      show('status', 'no NoAI tag in this file')
      show('state', '—')
      return
    }
    const checked = report.tag === undefined ? undefined : validateTag(report.tag)
    show('document', checked?.ok ? 'valid NoAI Tag v1 document' : `not a valid tag: ${report.warnings.join('; ')}`, checked?.ok ? 'valid' : 'invalid')
    show('tag', report.tag === undefined ? report.document : JSON.stringify(report.tag, null, 2))
    if (report.jws === undefined) {
      show('status', 'NoAI tag found, unsigned')
      show('state', 'unsigned: anyone could have written it')
      showUses(report.tag?.usage, ' (unsigned)')
      return
    }
    show('status', 'NoAI tag found, signed: verifying…')
    const r = await verifyTag(report.jws, { resolver, trust: trustedIssuers(), essence })
    show('state', r.state, r.state)
    show('codes', r.codes.length > 0 ? r.codes.join(', ') : '(none)')
    show('issuer', r.issuer ?? '(none)')
    show('status', r.state === 'invalid' ? 'NoAI tag found, signed, NOT valid for this file' : 'NoAI tag found, signed and verified')
    // A tag that does not verify says nothing reliable about this file.
    showUses(r.state === 'invalid' ? undefined : r.tag?.usage, r.state === 'trusted' ? '' : ` (${r.state})`)
  } catch (e) {
    show('status', `cannot read this file: ${problem(e)}`, 'invalid')
  } finally {
    result.setAttribute('data-done', name)
  }
}

function start(): void {
  byId<HTMLInputElement>('trust').value = document.body.dataset['trust'] ?? ''
  const drop = byId('drop')
  const input = byId<HTMLInputElement>('file')
  input.addEventListener('change', () => {
    const file = input.files?.[0]
    if (file !== undefined) void check(file, file.name)
  })
  drop.addEventListener('dragover', (e) => {
    e.preventDefault()
    drop.classList.add('over')
  })
  drop.addEventListener('dragleave', () => drop.classList.remove('over'))
  drop.addEventListener('drop', (e) => {
    e.preventDefault()
    drop.classList.remove('over')
    const file = e.dataTransfer?.files[0]
    if (file !== undefined) void check(file, file.name)
  })
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-sample]')) {
    link.addEventListener('click', (e) => {
      e.preventDefault()
      const name = link.pathname.slice(1)
      void fetch(link.href)
        .then((res) => (res.ok ? res.blob() : Promise.reject(new Error(`HTTP ${res.status}`))))
        .then(
          (blob) => check(blob, name),
          (err: unknown) => show('status', `cannot fetch ${name}: ${problem(err)}`, 'invalid'),
        )
    })
  }
}

start()
