import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './support/browser'
import { startHost, type RunningHost } from './support/host'
import { bridgeCall, contentBox, signIn } from './support/workbench'
import { pinyinInitials } from '../../src/shared/workbench/pinyin'
import type { IntakeReference, WorkRow } from '../../src/shared/ipc/services/workbench'
import type { Ticket } from '../../src/shared/api/tickets'

/**
 * The workbench end to end, in Chromium through the browser host against the
 * embedded reference platform: screen pop from a typed number, the intake
 * form in zh-CN with a pinyin-initial category search, dispatch with
 * co-handling, the ticket in the work list; hostile and unusual text kept
 * exactly and shown only as text; a 20,000-character request; drafts back
 * after a reload; the idle lock surviving a reload.
 */
const SCRIPT = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
const SQL = "'); DROP TABLE tickets; -- \" OR 1=1 --"
const NAME = '张<img src=x onerror=alert(1)>'
const RARE = '𠀀 㐀 𪚥 😀👨‍👩‍👧 ﷺ'

describe('workbench', () => {
  let host: RunningHost
  let browser: Browser
  let page: Page
  const dialogs: string[] = []
  const errors: string[] = []

  before(async () => {
    host = await startHost()
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(host.url)
    await signIn(page)
  })
  after(async () => {
    await browser?.close()
    await host?.stop()
  })

  it('pops the caller, takes a dispatched co-handled ticket with hostile text kept exactly, and lists it', async () => {
    const ref = await bridgeCall<IntakeReference>(host.url, 'intakeRef', 'get')
    const mine = await bridgeCall<{ mine: WorkRow[] }>(host.url, 'worklist', 'list')
    const past = await bridgeCall<Ticket>(host.url, 'tickets', 'get', { id: mine.mine.find((r) => r.ticketId)!.ticketId })
    const phone = past.citizen.phone!

    // Screen pop follows the typed number: history from the cache/platform with flags.
    await page.getByLabel('来电号码').fill(phone)
    await page.getByTestId('screen-pop-number').filter({ hasText: phone }).waitFor()
    await page.getByTestId('screen-pop-tickets').getByText(past.number).waitFor()
    await page.getByTestId('screen-pop-source').filter({ hasText: '平台最新' }).waitFor()
    await page.screenshot({ path: '/tmp/workbench-screen-pop.png', fullPage: true })
    // One click opens a previous ticket; another continues it as a new, linked ticket prefilled from it.
    const pastRow = page.getByTestId('screen-pop-tickets').locator('tr').filter({ hasText: past.number })
    await pastRow.getByRole('button', { name: '查看' }).click()
    await page.getByTestId('ticket-detail').getByText(past.number).waitFor()
    await page.keyboard.press('Escape')
    await page.getByTestId('ticket-detail').waitFor({ state: 'hidden' })
    await pastRow.getByRole('button', { name: '续办' }).click()
    await page.getByText(`续办工单 ${past.number}`).waitFor()
    assert.equal(await page.getByLabel('来电号码').inputValue(), phone)
    assert.equal(await page.getByLabel('详细地址').inputValue(), past.address)
    assert.ok((await page.getByTestId('category').locator('input').first().inputValue()).includes(past.categoryPath.at(-1)!), 'category prefilled from the earlier ticket')
    // Back to a fresh ticket for the same caller.
    await page.getByRole('button', { name: '新建工单（无来电）' }).click()
    await page.getByLabel('来电号码').fill(phone)

    await page.getByTestId('ticket-type').getByText('投诉').click()
    // Category by pinyin initials of a level-3 name.
    const leaf = ref.categories.find((c) => c.level === 3 && pinyinInitials(c.name).length >= 2)!
    const category = page.getByTestId('category').locator('input').first()
    await category.click()
    await category.pressSequentially(pinyinInitials(leaf.name).toLowerCase())
    await page.locator('.el-cascader__suggestion-item').filter({ hasText: leaf.name }).first().click()

    const content = `市民来电反映：小区噪音扰民，请尽快处理。${SCRIPT}${SQL}${RARE}`
    await contentBox(page).click()
    await contentBox(page).pressSequentially('市民来电反映：')
    await contentBox(page).fill(content)
    // The platform keeps names to 40 characters: a short hostile one.
    await page.getByLabel('联系人').fill(NAME)
    await page.getByLabel('详细地址').fill(`人民路${SQL}${RARE}`)
    const area = page.getByTestId('area').locator('input').first()
    await area.click()
    await area.pressSequentially('yzq')
    await page.locator('.el-cascader__suggestion-item').filter({ hasText: '玉州区' }).first().click()
    const [lead, , co] = ref.departments
    await page.getByTestId('lead-department').click()
    await page.locator('.wb-lead-popper .el-select-dropdown__item').filter({ hasText: lead!.name }).click()
    await page.getByTestId('co-departments').click()
    await page.locator('.wb-co-popper .el-select-dropdown__item').filter({ hasText: co!.name }).click()
    await page.keyboard.press('Escape')
    await page.getByTestId('draft-status').filter({ hasText: '草稿已保存' }).waitFor()
    await page.screenshot({ path: '/tmp/workbench-intake.png', fullPage: true })

    await page.getByTestId('submit-ticket').click()
    await page.getByText('工单已提交').waitFor()

    // In the work list once the platform has numbered it.
    await page.getByRole('tab', { name: '工作清单' }).click()
    let row: WorkRow | undefined
    for (let i = 0; i < 50 && !row; i++) {
      const lists = await bridgeCall<{ mine: WorkRow[] }>(host.url, 'worklist', 'list')
      row = lists.mine.find((r) => r.kind === 'ticket' && r.title.startsWith('市民来电反映：小区噪音扰民'))
      if (!row) await new Promise((r) => setTimeout(r, 200))
    }
    assert.ok(row, 'the ticket reached the platform and the work list')
    // 已同步 once the ticket, its receipt SMS and its announcement are all done.
    await page.getByTestId('sync-settled').filter({ hasText: '已同步' }).waitFor({ timeout: 30_000 })
    await page.getByRole('button', { name: '刷新' }).click()
    await page.getByTestId('worklist').getByText(row.number).waitFor()
    await page.screenshot({ path: '/tmp/workbench-worklist.png', fullPage: true })

    const filed = await bridgeCall<Ticket>(host.url, 'tickets', 'get', { id: row.ticketId })
    assert.equal(filed.content, content)
    assert.equal(filed.citizen.name, NAME)
    assert.equal(filed.address, `人民路${SQL}${RARE}`)
    assert.equal(filed.status, 'dispatched')
    assert.deepEqual(
      filed.departments.map((d) => [d.departmentId, d.role]),
      [
        [lead!.id, 'lead'],
        [co!.id, 'co']
      ]
    )
    // Shown as text, never run.
    await page.getByTestId('worklist').getByText(row.number).locator('xpath=ancestor::*[contains(@class,"el-table-v2__row")]').getByRole('button', { name: '查看' }).click()
    await page.getByTestId('ticket-detail').getByText(SCRIPT, { exact: false }).first().waitFor()
    assert.ok((await page.getByTestId('ticket-detail').innerText()).includes(RARE))
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined)
    assert.deepEqual(dialogs, [])
    await page.keyboard.press('Escape')
  })

  it('files a 20,000-character request exactly and keeps a draft across a reload', async () => {
    await page.getByRole('tab', { name: '受理' }).click()
    const long = ('玉林市容县' + RARE).repeat(Math.ceil(20_000 / 13)).slice(0, 20_000 - 2) + '完毕'
    await page.getByLabel('来电号码').fill('13907750000')
    await contentBox(page).fill(long)
    await page.getByTestId('content-count').filter({ hasText: String(long.length) }).waitFor()
    await page.getByTestId('draft-status').filter({ hasText: '草稿已保存' }).waitFor()
    await page.reload()
    await page.getByTestId('intake-form').waitFor({ timeout: 30_000 })
    await page.getByTestId('content-count').filter({ hasText: String(long.length) }).waitFor()
    assert.equal(await contentBox(page).inputValue(), long)

    await page.getByTestId('ticket-type').getByText('咨询').click()
    const ref = await bridgeCall<IntakeReference>(host.url, 'intakeRef', 'get')
    const leaf = ref.categories.find((c) => c.level === 3)!
    const category = page.getByTestId('category').locator('input').first()
    await category.click()
    await category.pressSequentially(leaf.name)
    await page.locator('.el-cascader__suggestion-item').filter({ hasText: leaf.name }).first().click()
    const area = page.getByTestId('area').locator('input').first()
    await area.click()
    await area.pressSequentially('容县')
    await page.locator('.el-cascader__suggestion-item').filter({ hasText: '容县' }).first().click()
    await page.getByTestId('handling').getByText('直接答复').click()
    // Validation speaks Chinese and names the field.
    await page.getByTestId('submit-ticket').click()
    await page.getByText('直接答复必须填写答复内容').waitFor()
    await page.getByLabel('答复内容').fill('已按政策答复。')
    await page.getByTestId('submit-ticket').click()
    await page.getByText('工单已提交').waitFor()
    let found: Ticket | undefined
    for (let i = 0; i < 50 && !found; i++) {
      const lists = await bridgeCall<{ mine: WorkRow[] }>(host.url, 'worklist', 'list')
      const r = lists.mine.find((x) => x.kind === 'ticket' && x.title.startsWith('玉林市容县'))
      if (r) found = await bridgeCall<Ticket>(host.url, 'tickets', 'get', { id: r.ticketId })
      else await new Promise((res) => setTimeout(res, 200))
    }
    assert.ok(found)
    assert.equal(found.content, long)
    assert.equal(found.status, 'closed')
  })

  it('locks in main: a reload does not get past the lock, the password does', async () => {
    await bridgeCall(host.url, 'privacy', 'lock')
    await page.reload()
    await page.getByTestId('idle-lock').waitFor({ timeout: 30_000 })
    assert.ok(await page.getByTestId('watermark').getAttribute('data-text').then((v) => v!.includes('seat-01 agent01')))
    await page.screenshot({ path: '/tmp/workbench-locked.png' })
    await page.getByLabel('密码').fill('wrong')
    await page.getByRole('button', { name: '解锁' }).click()
    await page.getByRole('alert').filter({ hasText: '密码错误' }).waitFor()
    await page.getByLabel('密码').fill('sandbox')
    await page.getByRole('button', { name: '解锁' }).click()
    await page.getByTestId('idle-lock').waitFor({ state: 'detached' })
    await page.getByTestId('intake-form').waitFor()
    assert.deepEqual(errors, [])
  })
})
