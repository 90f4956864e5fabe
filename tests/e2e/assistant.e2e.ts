import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser'
import { startHost, type RunningHost } from './support/host'

/**
 * The seat assistant in the browser host (real Chromium, real main, the embedded reference platform): typing a
 * citizen's request shows category and department suggestions with the reasons, one click fills the ticket's
 * category and department, and a threatening text raises an escalation alert.
 */
async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('工号').fill(username)
  await page.getByLabel('密码').fill('sandbox')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByTestId('current-user').waitFor()
}

/**
 * Types the citizen's words where the agent would: the intake form's 诉求内容 when the workbench form is there,
 * otherwise straight into the shared intake store the form owns (what the form's v-model does).
 */
async function typeRequest(page: Page, text: string): Promise<void> {
  const field = page.getByTestId('intake-area').getByLabel('诉求内容')
  if ((await field.count()) > 0) {
    await field.fill('')
    await field.pressSequentially(text, { delay: 5 })
    return
  }
  await page.evaluate((t) => {
    type Pinia = { _s: Map<string, { content: string }> }
    const app = (document.querySelector('#app') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: Pinia } } } }).__vue_app__
    const intake = app.config.globalProperties.$pinia._s.get('intake')!
    // Keystroke by keystroke, as typing would change it.
    for (let i = 1; i <= t.length; i++) intake.content = t.slice(0, i)
  }, text)
}

describe('seat assistant in the browser host', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const errors: string[] = []

  before(async () => {
    host = await startHost()
    browser = await launchChromium()
    page = await browser.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(host.url)
    await page.getByRole('button', { name: '登录' }).waitFor({ timeout: 30_000 })
    await signIn(page, 'agent01')
  })
  after(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('suggests category and department as the agent types, explains why, and one click fills the ticket', async () => {
    const panel = page.getByTestId('assistant-panel')
    await panel.waitFor()
    await typeRequest(page, '我们小区物业不作为，电梯坏了半个月都没人修，老人上下楼很困难')
    const category = panel.getByTestId('assistant-category')
    // The model trains from the platform's history on first sign-in: allow for it.
    await category.getByText('城乡建设 / 物业管理 / 物业服务').waitFor({ timeout: 60_000 })
    await panel.getByTestId('assistant-department').getByText('市住房和城乡建设局').first().waitFor()
    const why = await panel.getByTestId('assistant-explanation').innerText()
    assert.match(why, /物业|电梯/)
    assert.match(why, /职责清单条款/)

    await panel.getByTestId('assistant-apply-best').click()
    const current = panel.getByTestId('assistant-current')
    await current.getByText('物业服务').waitFor()
    assert.match(await current.innerText(), /城乡建设 \/ 物业管理 \/ 物业服务/)
    assert.match(await current.innerText(), /市住房和城乡建设局/)

    // The pre-submit check sees what was applied and what is still missing (area, phone).
    await panel.getByTestId('assistant-check-run').click()
    await panel.getByTestId('assistant-issue-area-required').waitFor()
    assert.equal(await panel.getByTestId('assistant-issue-category-required').count(), 0)
    assert.equal(await panel.getByTestId('assistant-issue-department-required').count(), 0)
  })

  it('raises an escalation alert for a threatening text', async () => {
    const panel = page.getByTestId('assistant-panel')
    await typeRequest(page, '拖欠工资半年了，再不给钱我就拿刀去找老板，同归于尽')
    const alert = panel.getByTestId('assistant-alert-threat')
    await alert.waitFor({ timeout: 15_000 })
    const text = await alert.innerText()
    assert.match(text, /人身威胁/)
    assert.match(text, /建议立即上报班长/)
    // And the suggestion followed the new text.
    await panel.getByTestId('assistant-category').getByText('劳动和社会保障', { exact: false }).first().waitFor()

    // The category's reply template goes into 答复内容 with one click.
    const templates = panel.getByTestId('assistant-knowledge')
    await templates.getByText('拖欠工资受理').click()
    await templates.locator('details', { hasText: '拖欠工资受理' }).getByRole('button', { name: '插入答复' }).click()
    await page.getByTestId('handling').getByText('直接答复').click()
    assert.match(await page.getByLabel('答复内容', { exact: true }).inputValue(), /^您反映的拖欠工资问题已受理/)
  })

  it('shows the model’s accuracy view', async () => {
    const panel = page.getByTestId('assistant-panel')
    await panel.getByRole('tab', { name: '模型准确率' }).click()
    await panel.getByTestId('assistant-model-state').getByText('就绪').waitFor()
    // Agents do not retrain; team leads do (checked in main too).
    assert.equal(await panel.getByTestId('assistant-retrain').count(), 0)
    assert.deepEqual(errors, [])
  })
})
