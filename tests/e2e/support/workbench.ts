import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './browser'
import { startHost, type RunningHost } from './host'
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

/**
 * Files the intake form as an agent does while the citizen talks: request type,
 * the category found by typing, the words, the district by pinyin initials and
 * the lead department; then submits and returns the confirmation text.
 */
export async function fileDispatchedTicket(
  page: Page,
  t: { type: string; category: string; content: string; areaQuery: string; area: string; department: string; contactName?: string; beforeSubmit?: () => Promise<void> }
): Promise<string> {
  await page.getByTestId('ticket-type').getByText(t.type, { exact: true }).click()
  const category = page.getByTestId('category').locator('input').first()
  await category.click()
  await category.pressSequentially(t.category)
  await page.locator('.el-cascader__suggestion-item').filter({ hasText: t.category }).first().click()
  if (t.contactName) await page.getByLabel('联系人', { exact: true }).fill(t.contactName)
  await contentBox(page).fill(t.content)
  const area = page.getByTestId('area').locator('input').first()
  await area.click()
  await area.pressSequentially(t.areaQuery)
  await page.locator('.el-cascader__suggestion-item').filter({ hasText: t.area }).first().click()
  await page.getByTestId('lead-department').click()
  await page.locator('.wb-lead-popper .el-select-dropdown__item').filter({ hasText: t.department }).click()
  await t.beforeSubmit?.()
  await page.getByTestId('submit-ticket').click()
  const note = page.locator('.el-message--success').filter({ hasText: '工单已提交' })
  await note.waitFor()
  return note.innerText()
}

/** A browser host with the sandbox's embedded platform, and one signed-in agent's workbench in Chromium. */
/** A simulated citizen of the training sandbox rings the agent with `scenario` (培训 → 开始模拟来电); the caller card shows. */
export async function ringSandboxCall(page: Page, scenario: string): Promise<void> {
  await page.getByTestId('phone-registration').filter({ hasText: '可接听' }).waitFor({ timeout: 30_000 })
  await page.getByRole('tab', { name: '培训' }).click()
  await page.getByTestId(`scenario-${scenario}`).getByRole('button', { name: '开始模拟来电' }).click()
  await page.getByRole('region', { name: '来电信息' }).waitFor({ timeout: 20_000 })
}

export interface Desk {
  host: RunningHost
  browser: Browser
  page: Page
  close(): Promise<void>
}
export async function openDesk(username = 'agent01', hostArgs: string[] = []): Promise<Desk> {
  const host = await startHost({ args: hostArgs })
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  await page.goto(host.url)
  await signIn(page, username)
  return {
    host,
    browser,
    page,
    close: async () => {
      await browser.close()
      await host.stop()
    }
  }
}
