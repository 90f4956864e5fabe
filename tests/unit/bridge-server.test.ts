import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { appWindowArgs } from '../../src/main/host/chromium'
import { LAUNCH_TTL_MS } from '../../src/main/host/window-sessions'
import { createMemoryLogger } from '../../src/main/logging'
import { useStandInHost } from './support/use-stand-in-host'

/** The browser host's server with a real core (production profile, platform unreachable). */
const log = createMemoryLogger()
/** The server's clock, moved by the test that lets a launch URL expire. */
let clock = Date.now()
const host = useStandInHost(log, () => clock)

function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}
function call(ws: WebSocket, payload: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>
      if (msg.type === 'event') return
      ws.off('message', onMessage)
      resolve(msg)
    }
    ws.on('message', onMessage)
    ws.send(typeof payload === 'string' ? payload : JSON.stringify(payload))
  })
}
const bridgeUrl = (pageUrl: string) => pageUrl.replace('http://', 'ws://').replace(/\/(renderer|phone)\/index\.html$/, '/bridge')

describe('browser host bridge server', () => {
  it('serves the pages with the token and a strict CSP', async () => {
    const res = await fetch(host.server.uiUrl)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/)
  })

  it('refuses every request without a valid token, and path escapes', async () => {
    const origin = new URL(host.server.uiUrl).origin
    const uiToken = new URL(host.server.uiUrl).pathname.split('/')[1]
    for (const p of ['/', '/renderer/index.html', '/bogus/renderer/index.html', `/${uiToken}/phone/index.html`, `/${uiToken}/renderer/../../secret.txt`, `/${uiToken}/renderer/%2e%2e/%2e%2e/secret.txt`]) {
      const res = await fetch(origin + p)
      expect([403, 404], p).toContain(res.status)
      expect(await res.text()).not.toContain('SECRET-OUTSIDE')
    }
  })

  it('refuses bridge connections without a token or from a foreign origin', async () => {
    const origin = new URL(host.server.uiUrl).origin.replace('http', 'ws')
    await expect(connect(`${origin}/nope/bridge`)).rejects.toThrow()
    await expect(connect(bridgeUrl(host.server.uiUrl), { origin: 'http://evil.example' })).rejects.toThrow()
    await expect(connect(bridgeUrl(host.server.uiUrl), { origin: 'http://localhost:' + host.server.port })).rejects.toThrow()
    const own = await connect(bridgeUrl(host.server.uiUrl), { origin: new URL(host.server.uiUrl).origin })
    own.close()
  })

  it('exchanges a launch URL, once, for an HttpOnly SameSite=Strict session cookie scoped to the window’s path', async () => {
    const launchUrl = host.server.launchUrl('ui')
    const { origin } = new URL(host.server.uiUrl)
    expect(launchUrl).toMatch(new RegExp(`^${origin}/launch/[A-Za-z0-9_-]{32}$`))
    for (const token of [host.server.uiUrl, host.server.phoneUrl].map((u) => new URL(u).pathname.split('/')[1]!)) expect(launchUrl).not.toContain(token)

    const first = await fetch(launchUrl, { redirect: 'manual' })
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe('/ui/renderer/index.html')
    const setCookie = first.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^desk-session=[A-Za-z0-9_-]{32}; Path=\/ui\/; HttpOnly; SameSite=Strict$/)
    const cookie = setCookie.split(';')[0]!

    // Used once: the same URL is worthless now, even to the browser that used it.
    const second = await fetch(launchUrl, { redirect: 'manual' })
    expect(second.status).toBe(403)
    expect(second.headers.get('set-cookie')).toBeNull()

    // The cookie opens the UI window's path, and nothing else.
    expect((await fetch(`${origin}/ui/renderer/index.html`, { headers: { cookie } })).status).toBe(200)
    expect((await fetch(`${origin}/ui/renderer/index.html`)).status).toBe(403)
    expect((await fetch(`${origin}/ui/renderer/index.html`, { headers: { cookie: 'desk-session=forged' } })).status).toBe(403)
    expect((await fetch(`${origin}/phone/phone/index.html`, { headers: { cookie } })).status).toBe(403)

    // On the bridge, the cookie counts only with the host's own Origin: a browser sends cookies for any page.
    const bridge = `${origin.replace('http', 'ws')}/ui/bridge`
    const ui = await connect(bridge, { headers: { cookie }, origin })
    expect(await call(ui, { id: 1, service: 'system', method: 'snapshot', args: {} })).toMatchObject({ type: 'result', result: { ok: true } })
    ui.close()
    await expect(connect(bridge, { headers: { cookie }, origin: 'http://evil.example' })).rejects.toThrow()
    await expect(connect(bridge, { headers: { cookie } })).rejects.toThrow()
    await expect(connect(bridge, { origin })).rejects.toThrow()
  })

  it('refuses a launch URL opened after its minute, and one never issued', async () => {
    const launchUrl = host.server.launchUrl('ui')
    clock += LAUNCH_TTL_MS
    try {
      expect((await fetch(launchUrl, { redirect: 'manual' })).status).toBe(403)
    } finally {
      clock -= LAUNCH_TTL_MS
    }
    expect((await fetch(launchUrl.replace(/launch\/.*/, 'launch/' + 'A'.repeat(32)), { redirect: 'manual' })).status).toBe(403)
    expect(log.entries.filter((e) => e.message.startsWith('host: launch URL refused')).length).toBeGreaterThanOrEqual(2)
  })

  it('puts a launch URL, never a token, on the app window’s command line', () => {
    const launchUrl = host.server.launchUrl('ui')
    const argv = appWindowArgs({ profileDir: '/tmp/profile', launchUrl })
    expect(argv).toContain(`--app=${launchUrl}`)
    for (const token of [host.server.uiUrl, host.server.phoneUrl].map((u) => new URL(u).pathname.split('/')[1]!)) expect(argv.join(' ')).not.toContain(token)
  })

  it('answers contract calls, gives each token only its window’s methods, and survives garbage', async () => {
    const ui = await connect(bridgeUrl(host.server.uiUrl))
    const phone = await connect(bridgeUrl(host.server.phoneUrl))
    const snap = await call(ui, { id: 1, service: 'system', method: 'snapshot', args: {} })
    expect(snap).toMatchObject({ type: 'result', id: 1, result: { ok: true, value: { state: { app: { profile: 'production' } } } } })
    expect(await call(ui, { id: 2, service: 'phoneHost', method: 'heartbeat', args: { at: 1 } })).toMatchObject({ result: { ok: false, error: { code: 'wrong_caller' } } })
    expect(await call(phone, { id: 3, service: 'session', method: 'login', args: { username: 'a', password: 'b' } })).toMatchObject({ result: { ok: false, error: { code: 'wrong_caller' } } })
    expect(await call(ui, '{not json')).toMatchObject({ type: 'error' })
    expect(await call(ui, { id: 'x', service: 1 })).toMatchObject({ type: 'error' })
    expect(await call(ui, { id: 4, service: 'session', method: 'login', args: { username: 42 } })).toMatchObject({ result: { ok: false, error: { code: 'bad_request' } } })
    // The platform is unreachable: a clear, typed failure rather than a hang or a crash.
    expect(await call(ui, { id: 5, service: 'session', method: 'login', args: { username: 'agent01', password: 'x' } })).toMatchObject({
      result: { ok: false, error: { code: 'unavailable' } }
    })
    expect(host.server.connections()).toEqual({ ui: 1, phone: 1 })
    ui.close()
    phone.close()
  })

  it('pushes state changes with consecutive revisions to connected windows', async () => {
    const ui = await connect(bridgeUrl(host.server.uiUrl))
    const events: { revision: number; topic: string }[] = []
    ui.on('message', (d) => {
      const msg = JSON.parse(String(d)) as { type: string; event?: { kind: string; revision: number; topic: string } }
      if (msg.type === 'event' && msg.event?.kind === 'state') events.push(msg.event)
    })
    const phone = await connect(bridgeUrl(host.server.phoneUrl))
    await call(phone, { id: 1, service: 'phoneHost', method: 'hello', args: { userAgent: 'test', bundle: 't' } })
    host.core.notify('info', { key: 'notice.micRestored' })
    await new Promise((r) => setTimeout(r, 100))
    expect(events.map((e) => e.topic)).toEqual(['phoneHost', 'notices'])
    expect(events[1]!.revision).toBe(events[0]!.revision + 1)
    ui.close()
    phone.close()
  })
})
