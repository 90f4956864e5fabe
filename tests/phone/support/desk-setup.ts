/**
 * The desk under test for the media scenarios and the benchmark: the real
 * browser host (built bundle) configured with the rig's SIP account, its
 * phone host in headless Chromium, the UI in a Chromium page signed in as
 * agent01, and a second UI bridge connection for reading main's state.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import type { Browser, Page } from 'playwright-core'
import { startHost, type RunningHost } from '../../e2e/support/host'
import type { AppState } from '../../../src/shared/ipc/state'
import type { Rig } from '../../rig/rig'

export interface Bridge {
  call<T = unknown>(service: string, method: string, args?: unknown): Promise<{ ok: boolean; value?: T; error?: { message: string } }>
  state(): Promise<AppState>
  close(): void
}

export async function openBridge(uiUrl: string): Promise<Bridge> {
  const u = new URL(uiUrl)
  const token = u.pathname.split('/')[1]
  const ws = new WebSocket(`ws://${u.host}/${token}/bridge`)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let id = 0
  const waiting = new Map<number, (r: never) => void>()
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: never }
    if (msg.type === 'result' && msg.id !== undefined) waiting.get(msg.id)?.(msg.result!)
  })
  const call = <T>(service: string, method: string, args: unknown = {}) =>
    new Promise<{ ok: boolean; value?: T; error?: { message: string } }>((resolve) => {
      const n = ++id
      waiting.set(n, resolve as never)
      ws.send(JSON.stringify({ id: n, service, method, args }))
    })
  return {
    call,
    state: async () => ((await call<{ state: AppState }>('system', 'snapshot')).value as { state: AppState }).state,
    close: () => ws.close()
  }
}

/**
 * `wsUrl`: another address of the rig (its wss://); `registered: false` when the desk is not expected to register;
 * `phoneInPage`: the phone host runs as a page of `browser` (host --no-phone) so a test can reach into it;
 * `sip`: more `sip.*` config keys (e.g. `dtmfMode`); `phoneInitScript`: page code run before the phone host's own.
 */
export async function startDesk(
  rig: Rig,
  browser: Browser,
  ext = '1001',
  opts: { wsUrl?: string; registered?: boolean; phoneInPage?: boolean; sip?: Record<string, unknown>; phoneInitScript?: string } = {}
): Promise<{ host: RunningHost; ui: Page; bridge: Bridge; phone: Page | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-phone-'))
  const configFile = path.join(dir, 'config.json')
  fs.writeFileSync(configFile, JSON.stringify({ profile: 'sandbox', sip: { wsUrl: opts.wsUrl ?? rig.wsUrl, user: ext, password: rig.users[ext], domain: rig.domain, acwSeconds: 5, ...opts.sip } }))
  const host = await startHost({ dataDir: path.join(dir, 'data'), args: ['--config', configFile, ...(opts.phoneInPage ? ['--no-phone'] : [])] })
  let phone: Page | null = null
  if (opts.phoneInPage) {
    const url = host.output.map((l) => /^PHONE_URL=(.+)$/m.exec(l)?.[1]).find(Boolean)
    if (!url) throw new Error(`host printed no PHONE_URL:\n${host.output.join('')}`)
    phone = await browser.newPage()
    if (opts.phoneInitScript) await phone.addInitScript(opts.phoneInitScript)
    await phone.goto(url)
  }
  const ui = await browser.newPage()
  await ui.goto(host.url)
  await ui.getByLabel('工号').fill('agent01')
  await ui.getByLabel('密码').fill('sandbox')
  await ui.getByRole('button', { name: '登录' }).click()
  if (opts.registered !== false) await ui.getByTestId('phone-registration').filter({ hasText: '可接听' }).waitFor({ timeout: 30_000 })
  const bridge = await openBridge(host.url)
  return { host, ui, bridge, phone }
}
