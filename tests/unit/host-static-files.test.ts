import http from 'node:http'
import { describe, expect, it } from 'vitest'
import { decodeRequestPath } from '../../src/main/host/static-files'
import { createMemoryLogger } from '../../src/main/logging'
import { STAND_IN_FILES } from './support/bridge-host'
import { useStandInHost } from './support/use-stand-in-host'

/**
 * Each window's token loads exactly its own bundle, whatever encoding a request
 * path uses: real HTTP requests with raw, unnormalised paths to a running host.
 */
const log = createMemoryLogger()
const host = useStandInHost(log)

const tokenOf = (pageUrl: string) => new URL(pageUrl).pathname.split('/')[1]!

/** GET with the path exactly as written (Node's client neither decodes nor resolves dot segments). */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: host.server.port, path: rawPath }, (res) => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
  })
}

/** `../` and its disguises: the same climb, written every way a path parser might be fooled. */
const CLIMBS = [
  '../',
  './../',
  '%2e%2e/',
  '%2e%2e%2f',
  '..%2f',
  '..%2F',
  '%2E%2e%2F',
  '.%2e/',
  '..%5c',
  '..\\',
  '%5c..%5c',
  '%252e%252e%252f',
  '..%252f',
  '%c0%ae%c0%ae/',
  '%c0%ae%c0%ae%c0%af',
  '%e0%80%ae%e0%80%ae/',
  '..%00/',
  '%00../',
  '..;/',
  '..//',
  '%2f..%2f'
]
/** Targets that belong to the other window or to no window at all, by kind of the requesting token. */
const FOREIGN = {
  ui: ['phone/index.html', 'assets/phone-2b.js', 'assets/ring-2b.ogg'],
  phone: ['renderer/index.html', 'assets/renderer-1a.js', 'assets/renderer-1a.css']
}
const OUTSIDE = ['secret.txt', '.vite/manifest.json', 'static/renderer/index.html']
const startsFrom = { ui: ['renderer/', 'assets/', ''], phone: ['phone/', 'assets/', ''] }

describe('browser host static files', () => {
  it('serves each window its page and exactly the files its entry imports', async () => {
    for (const [kind, pageUrl] of [['ui', host.server.uiUrl], ['phone', host.server.phoneUrl]] as const) {
      for (const [rel, text] of Object.entries({ ...STAND_IN_FILES[kind], ...STAND_IN_FILES.shared })) {
        expect(await rawGet(`/${tokenOf(pageUrl)}/${rel}`), `${kind} ${rel}`).toEqual({ status: 200, body: text })
      }
    }
  })

  it('refuses every encoding of a climb into the other bundle or out of the bundles, with no byte of them', async () => {
    const marker = { ui: 'PHONE-BUNDLE', phone: 'UI-BUNDLE' }
    let tried = 0
    for (const kind of ['ui', 'phone'] as const) {
      const token = tokenOf(kind === 'ui' ? host.server.uiUrl : host.server.phoneUrl)
      const targets = [...FOREIGN[kind], ...OUTSIDE]
      const paths = [
        ...targets.map((t) => t),
        ...targets.map((t) => '/' + t),
        ...targets.map((t) => encodeURIComponent(t)),
        ...targets.map((t) => '%2f' + t),
        ...targets.map((t) => `${t}%00.html`),
        ...targets.map((t) => t.toUpperCase()),
        ...[`${host.dir}/secret.txt`, `%2f${host.dir.slice(1).replaceAll('/', '%2f')}%2fsecret.txt`, '/etc/passwd', '%2fetc%2fpasswd', 'C:%5cWindows%5cwin.ini'],
        ...startsFrom[kind].flatMap((from) => CLIMBS.flatMap((climb) => targets.flatMap((t) => [from + climb + t, from + climb + climb + t, from + climb + climb + climb + t])))
      ]
      for (const p of paths) {
        const { status, body } = await rawGet(`/${token}/${p}`)
        expect([403, 404], `${kind}: ${p}`).toContain(status)
        expect(body, `${kind}: ${p}`).not.toContain(marker[kind])
        expect(body, `${kind}: ${p}`).not.toContain('SECRET-OUTSIDE')
        expect(body, `${kind}: ${p}`).not.toContain('isEntry')
        tried++
      }
    }
    expect(tried).toBeGreaterThan(1000)
  })

  it('decodes a path once and refuses anything that is not a plain relative path', () => {
    expect(decodeRequestPath('renderer/index.html')).toBe('renderer/index.html')
    expect(decodeRequestPath('assets/a%20b.js')).toBe('assets/a b.js')
    expect(decodeRequestPath('%252e%252e%252fx')).toBe('%2e%2e%2fx')
    for (const p of ['', '/x', 'a//b', 'a/./b', 'a/../b', '..%2fb', 'a%5cb', 'a\\b', 'a%00b', '%c0%ae', '%e0%80%ae', '%', 'a/'])
      expect(decodeRequestPath(p), p).toBeNull()
  })
})
