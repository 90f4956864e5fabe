import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import WebSocket from 'ws'

/** Calls one UI method over a second bridge connection (what another window of the same session would do). */
export async function bridgeCall<T>(uiUrl: string, service: string, method: string, args: unknown = {}): Promise<T> {
  const result = await bridgeResult<T>(uiUrl, service, method, args)
  assert.ok(result.ok, `${service}.${method}: ${JSON.stringify(result.error)}`)
  return result.value as T
}

/** The same call, answered as it came: `{ok, value}` or `{ok: false, error}` (for refusals a test expects). */
export async function bridgeResult<T>(uiUrl: string, service: string, method: string, args: unknown = {}): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }> {
  const u = new URL(uiUrl)
  const token = u.pathname.split('/')[1]
  const ws = new WebSocket(`ws://${u.host}/${token}/bridge`)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  try {
    return await new Promise((resolve) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: { ok: boolean; value?: T; error?: { code: string; message: string } } }
        if (msg.type === 'result' && msg.id === 1) resolve(msg.result!)
      })
      ws.send(JSON.stringify({ id: 1, service, method, args }))
    })
  } finally {
    ws.close()
  }
}

/** Signs in through the login page and waits for the workbench's intake form. */
export async function signIn(page: Page, username = 'agent01'): Promise<void> {
  await page.getByLabel('工号').fill(username, { timeout: 30_000 })
  await page.getByLabel('密码').fill('sandbox')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByTestId('intake-form').waitFor({ timeout: 30_000 })
}

/** The intake form's 诉求内容 textarea. */
export const contentBox = (page: Page) => page.getByLabel('诉求内容', { exact: true })
