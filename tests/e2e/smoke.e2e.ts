import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { _electron, type Browser, type Page } from 'playwright-core'
import WebSocket from 'ws'
import { electronBinary, launchChromium } from './support/browser'
import { ROOT, startHost, type RunningHost } from './support/host'

/**
 * The foundation's smoke test, one spec for two targets: the browser host in
 * Debian's Chromium, and the real Electron app where its binary exists.
 * The workbench loads in zh-CN, a sandbox account signs in, the shell renders,
 * the phone host is alive and reporting to main, and a reload resyncs main's
 * state by revision.
 */
interface Target {
  page: Page
  /** Reloads the window while main's state changes (agent02 signs in), so the window must resync. */
  reloadAcrossChange(): Promise<void>
  close(): Promise<void>
}

async function shellSpec(target: Target): Promise<void> {
  const { page } = target
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN')
  await page.getByRole('button', { name: '登录' }).waitFor({ timeout: 30_000 })
  // Waited for, not sampled: a clean-clone run once found the badge not yet visible the moment 登录 was.
  await page.getByText('培训沙箱').first().waitFor({ timeout: 10_000 })

  // Client-side validation speaks Chinese.
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByText('请输入工号').waitFor()

  // A wrong password is refused by the platform with a clear message.
  await page.getByLabel('工号').fill('agent01')
  await page.getByLabel('密码').fill('wrong-password')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByRole('alert').filter({ hasText: '工号或密码错误' }).waitFor()

  await page.getByLabel('密码').fill('sandbox')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByTestId('current-user').waitFor()
  assert.match(await page.getByTestId('current-user').innerText(), /话务员/)

  // The phone host (hidden window / headless page) is alive and reporting heartbeats to main.
  await page.getByTestId('phone-host-status').filter({ hasText: '就绪' }).waitFor({ timeout: 30_000 })
  await page.getByTestId('platform-status').filter({ hasText: '在线' }).waitFor({ timeout: 15_000 })

  // Reload: the window resyncs from main's snapshot, including a change made while it was gone.
  const before = Number((await page.getByTestId('revision').innerText()).match(/\d+/)![0])
  await target.reloadAcrossChange()
  await page.getByTestId('current-user').waitFor()
  const after = Number((await page.getByTestId('revision').innerText()).match(/\d+/)![0])
  assert.ok(after > before, `revision after reload (${after}) is newer than before (${before})`)
  assert.match(await page.getByTestId('current-user').innerText(), /陈志华/)
}

describe('browser host', () => {
  let host: RunningHost
  let browser: Browser

  before(async () => {
    host = await startHost()
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('refuses requests and bridge connections without the token', async () => {
    for (const p of ['/', '/renderer/index.html', '/not-a-token/renderer/index.html', `${new URL(host.url).pathname.split('/').slice(0, 2).join('/')}/../package.json`]) {
      const res = await fetch(host.origin + p)
      assert.ok(res.status === 403 || res.status === 404, `${p} → ${res.status}`)
    }
    const refused = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/not-a-token/bridge`)
      ws.on('open', () => resolve(false))
      ws.on('error', () => resolve(true))
    })
    assert.ok(refused, 'bridge without token refused')
  })

  it('loads the workbench in zh-CN, signs in, shows the phone host alive, resyncs after reload', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    await page.goto(host.url)
    await shellSpec({
      page,
      reloadAcrossChange: async () => {
        await page.goto('about:blank')
        await loginOverBridge(host.url, 'agent02')
        await page.goto(host.url)
      },
      close: () => page.close()
    })
    // No CSP violations or script errors along the way.
    assert.deepEqual(errors.filter((e) => !/favicon/.test(e)), [])
  })
})

describe('electron', () => {
  const binary = electronBinary()
  it('runs the same spec in the real Electron app', { skip: binary ? false : 'SKIPPED: no Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)' }, async () => {
    const app = await _electron.launch({ executablePath: binary!, args: [ROOT], env: { ...process.env, XDG_DATA_HOME: `/tmp/desk-electron-${Date.now()}` } })
    try {
      let page = app.windows().find((w) => w.url().includes('/renderer/'))
      while (!page) page = (await app.waitForEvent('window')).url().includes('/renderer/') ? app.windows().find((w) => w.url().includes('/renderer/')) : undefined
      await shellSpec({
        page,
        reloadAcrossChange: async () => {
          // Electron has no second connection to change state from: the change is made just before the reload.
          await page!.evaluate(async () => {
            const desk = (window as unknown as { desk: { api: { session: { login(a: unknown): Promise<unknown> } } } }).desk
            await desk.api.session.login({ username: 'agent02', password: 'sandbox' })
          })
          await page!.reload()
        },
        close: () => app.close()
      })
    } finally {
      await app.close()
    }
  })
  if (!binary) console.log('electron e2e: SKIPPED — the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1); the browser-host run above covers the same spec')
})

/** Signs in another account through a second UI bridge connection (what another window would do). */
async function loginOverBridge(uiUrl: string, username: string): Promise<void> {
  const u = new URL(uiUrl)
  const token = u.pathname.split('/')[1]
  const ws = new WebSocket(`ws://${u.host}/${token}/bridge`)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const result = await new Promise<{ ok: boolean }>((resolve) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: { ok: boolean } }
      if (msg.type === 'result' && msg.id === 1) resolve(msg.result!)
    })
    ws.send(JSON.stringify({ id: 1, service: 'session', method: 'login', args: { username, password: 'sandbox' } }))
  })
  ws.close()
  assert.ok(result.ok, `login of ${username} over the bridge`)
}
