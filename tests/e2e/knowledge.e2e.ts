import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser'
import { platformUrlOf, startHost, type RunningHost } from './support/host'
import { client, login, ticketBody, until } from '../platform/support'

/**
 * Knowledge lookup, callbacks and SMS in Chromium through the browser host, against the sandbox's embedded
 * reference platform: the agent searches as they type in Chinese (the local index synced at sign-in), cites
 * an article into the reply, records a callback result that syncs to the platform, and texts the citizen
 * with the delivery status shown.
 */

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('工号').fill('agent01')
  await page.getByLabel('密码').fill('sandbox')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByTestId('current-user').waitFor({ timeout: 30_000 })
}

describe('knowledge, callbacks and SMS (browser host, embedded platform)', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  let platform: string

  before(async () => {
    host = await startHost()
    browser = await launchChromium()
    page = await browser.newPage()
    platform = platformUrlOf(host)
    await signIn(page, host.url)
  })
  after(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('searches as the agent types in Chinese and cites an article with its version into the reply', async () => {
    await page.getByRole('tab', { name: '知识库' }).click()
    const panel = page.getByTestId('knowledge-panel')
    // The local index is synced from the platform at sign-in.
    await until(async () => /本地索引 [1-9]\d* 条/.test(await panel.getByTestId('kb-status').innerText()), 30_000, 'the local index to hold articles (kb-status 本地索引 N 条)')
    const box = panel.getByTestId('kb-search')
    await box.click()
    // Typed key by key, as an IME commits: results follow the typing without pressing Enter.
    await box.pressSequentially('出租车拒载', { delay: 60 })
    const hits = panel.getByTestId('kb-hits')
    await hits.getByText('出租车拒载、不打表的投诉').waitFor({ timeout: 10_000 })
    await box.fill('')
    await box.pressSequentially('水', { delay: 60 })
    await hits.locator('li').first().waitFor({ timeout: 10_000 })
    assert.ok((await hits.locator('li').count()) > 0, 'a one-character query finds articles')

    await box.fill('')
    await box.pressSequentially('拖欠工资怎么办', { delay: 40 })
    await hits.getByText('被拖欠工资如何维权').click()
    const preview = panel.getByTestId('kb-article')
    await preview.getByText('第 1 版').waitFor()
    await preview.getByTestId('kb-cite').click()
    await preview.getByText('已引用到答复').waitFor()
    assert.match(await panel.getByTestId('kb-cited').innerText(), /被拖欠工资如何维权（第 1 版）/)

    // A revision on the platform reaches the local index: the preview shows the new version and the earlier one.
    const lead = client(platform, await login(platform, 'lead01'))
    const listed = await lead('GET', '/api/v1/knowledge/articles?limit=200')
    const wages = listed.body.items.find((a: { title: string }) => a.title === '被拖欠工资如何维权')
    const revised = await lead('PATCH', `/api/v1/knowledge/articles/${wages.id}`, { version: wages.version, body: `${wages.body}（2026年修订：可通过“桂薪宝”平台线上投诉。）` }, { 'idempotency-key': randomUUID() })
    assert.equal(revised.status, 200)
    await panel.getByRole('button', { name: '同步' }).click()
    await box.fill('')
    await box.pressSequentially('拖欠工资', { delay: 40 })
    await hits.locator('li', { hasText: '被拖欠工资如何维权' }).getByText('第 2 版').waitFor({ timeout: 15_000 })
    await hits.getByText('被拖欠工资如何维权').click()
    await preview.getByText('桂薪宝').waitFor()
    await preview.getByText('历史版本').click()
    await preview.getByText('第 1 版 · 被拖欠工资如何维权').waitFor()

    // A second revision (the push event syncs it too; 同步 makes the test independent of push timing under load).
    const again = await lead('PATCH', `/api/v1/knowledge/articles/${wages.id}`, { version: revised.body.version, title: '被拖欠工资如何维权（2026）' }, { 'idempotency-key': randomUUID() })
    assert.equal(again.status, 200)
    await panel.getByRole('button', { name: '同步' }).click()
    // Typed once and then waited for, as an agent would: the panel searches again when the sync is done and
    // 150 ms after the last key. (Retyping in a loop every ~100 ms restarted that debounce before it could fire,
    // so the hits stayed those of the sync's own search, made while the box was momentarily empty.)
    await box.fill('')
    await box.pressSequentially('拖欠工资', { delay: 40 })
    await hits
      .locator('li', { hasText: '被拖欠工资如何维权（2026）' })
      .getByText('第 3 版')
      .waitFor({ timeout: 20_000 })
      .catch(async (err: Error) => {
        const shown = { index: await panel.getByTestId('kb-status').innerText(), query: await box.inputValue(), hits: await panel.locator('[data-testid=kb-hits] li .kb-hit-title').allInnerTexts() }
        throw new Error(`version 3 of 被拖欠工资如何维权（2026） not in the hits after 同步: ${JSON.stringify(shown)}\n${err.message}`)
      })

    // Markup in a query is text: nothing is injected, the search still answers.
    await box.fill('<img src=x onerror="window.__xss=1">停水')
    await page.waitForTimeout(500)
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined)
  })

  it('records a callback result that syncs to the platform, and texts the citizen with delivery status', async () => {
    // A ticket walked to review on the platform, so a callback task is due.
    const agentApi = client(platform, await login(platform, 'agent01'))
    const lead = client(platform, await login(platform, 'lead01'))
    const post = (api: typeof lead, id: number, action: string, body: object) => api('POST', `/api/v1/tickets/${id}/${action}`, body, { 'idempotency-key': randomUUID() })
    let t = (await agentApi('POST', '/api/v1/tickets', ticketBody(9101, { citizen: { name: '回访测试', phone: '13900009101' } }), { 'idempotency-key': randomUUID() })).body
    t = (await post(lead, t.id, 'sign', { version: t.version, departmentId: 'scjgj' })).body
    t = (await post(lead, t.id, 'handle', { version: t.version, departmentId: 'scjgj', reply: '已约谈经营者，同意退费。' })).body
    t = (await post(lead, t.id, 'review', { version: t.version, approved: true })).body
    assert.equal(t.status, 'reviewed')

    await page.getByRole('tab', { name: '回访' }).click()
    const view = page.getByTestId('callbacks-view')
    await view.getByRole('button', { name: '刷新' }).click()
    const row = view.getByTestId('callbacks-table').locator('tr', { hasText: t.number })
    await row.waitFor({ timeout: 15_000 })
    // Without a softphone that can dial, the view says so plainly and offers no call button that does nothing.
    const dialEnabled = await row.getByRole('button', { name: '拨打' }).isEnabled()
    const notReady = await view.getByTestId('callbacks-phone-not-ready').count()
    assert.ok(dialEnabled !== (notReady > 0), 'either the phone is ready to dial or the view says it is not')

    await row.getByTestId('callback-record').click()
    const dialog = page.getByTestId('callback-dialog')
    await dialog.getByTestId('callback-satisfaction').click()
    await page.getByRole('option', { name: '不满意' }).click()
    await dialog.getByTestId('callback-save').click()
    await dialog.getByText('不满意时必须填写原因').waitFor()
    await dialog.getByLabel('不满意原因').fill('退费金额与承诺不一致')
    await dialog.getByTestId('callback-save').click()
    await view.getByTestId('callbacks-notice').waitFor()

    // Synced through the outbox: the platform has the result with the reason.
    const task = await until(async () => {
      const list = await agentApi('GET', '/api/v1/callbacks?status=done&limit=200')
      return list.body.items.find((c: { ticketId: number }) => c.ticketId === t.id) ?? null
    }, 15_000, 'the platform to list the callback as done')
    assert.equal(task.satisfaction, 'dissatisfied')
    assert.equal(task.dissatisfactionReason, '退费金额与承诺不一致')
    await view.getByRole('tab', { name: '已完成' }).click()
    const doneRow = view.getByTestId('callbacks-table').locator('tr', { hasText: t.number })
    await doneRow.getByText('不满意').waitFor({ timeout: 15_000 })

    // SMS with the result to the ticket's citizen: template variables, preview, delivery status.
    await doneRow.getByTestId('callback-sms').click()
    const sms = page.getByTestId('sms-dialog')
    await sms.getByTestId('sms-template').click()
    await page.getByRole('option', { name: '受理告知' }).click()
    await sms.getByLabel('答复期限（工作日）').fill('5')
    assert.match(await sms.getByTestId('sms-preview').innerText(), new RegExp(`工单编号${t.number}，我们将在5个工作日内`))
    await sms.getByTestId('sms-send').click()
    await sms.getByTestId('sms-status').getByText('已送达').waitFor({ timeout: 15_000 })
    const sent = await agentApi('GET', `/api/v1/sms/messages?ticketId=${t.id}`)
    assert.equal(sent.body.items[0].phone, '13900009101')
    assert.equal(sent.body.items[0].status, 'delivered')
  })
})
