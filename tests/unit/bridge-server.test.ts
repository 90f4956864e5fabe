import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createMemoryLogger } from '../../src/main/logging'
import { useStandInHost } from './support/use-stand-in-host'

/** The browser host's server with a real core (production profile, platform unreachable). */
const log = createMemoryLogger()
const host = useStandInHost(log)

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
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
    await expect(
      new Promise((resolve, reject) => {
        const ws = new WebSocket(bridgeUrl(host.server.uiUrl), { origin: 'http://evil.example' })
        ws.once('open', resolve)
        ws.once('error', reject)
      })
    ).rejects.toThrow()
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
    host.core.notify('info', '测试提示')
    await new Promise((r) => setTimeout(r, 100))
    expect(events.map((e) => e.topic)).toEqual(['phoneHost', 'notices'])
    expect(events[1]!.revision).toBe(events[0]!.revision + 1)
    ui.close()
    phone.close()
  })
})
