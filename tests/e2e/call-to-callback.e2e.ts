import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { platformUrlOf, type RunningHost } from './support/host'
import { bridgeCall, fileDispatchedTicket, openDesk, ringSandboxCall, type Desk } from './support/workbench'
import { client, login, until } from '../platform/support'
import type { Snapshot } from '../../src/shared/ipc/state'

/**
 * One whole 12345 case in Chromium through the browser host, with no SIP
 * server: a citizen calls (the sandbox's simulated caller, real sip.js and
 * WebRTC), the agent answers from the phone bar, the screen pop opens the
 * intake for the call, the agent files and dispatches the ticket with the SMS
 * receipt ticked, hangs up; the citizen's receipt is delivered and shown on the
 * ticket; the department answers on the platform; the callback comes due, the
 * agent dials it from 回访 presenting 12345, the citizen picks up and speaks,
 * the agent hangs up and records 满意, which reaches the platform.
 */
describe('a whole case: call → intake → dispatch → SMS receipt → callback', () => {
  let desk: Desk
  let host: RunningHost
  let page: Page
  let platform: string

  before(async () => {
    desk = await openDesk()
    ;({ host, page } = desk)
    platform = platformUrlOf(host)
  })
  after(() => desk?.close())

  const snapshot = () => bridgeCall<Snapshot>(host.url, 'system', 'snapshot')
  /** The loudest inbound audio level the agent's phone measured (getStats, via the phone topic) within `ms`; stops once it is clearly audio. */
  async function loudestHeard(ms: number): Promise<number> {
    let heard = 0
    for (const end = Date.now() + ms; Date.now() < end && heard <= 0.01; ) {
      heard = Math.max(heard, (await snapshot()).state.phone.quality[0]?.audioLevel ?? 0)
      await new Promise((r) => setTimeout(r, 250))
    }
    return heard
  }

  it('takes the call, files the ticket with a receipt, and calls the citizen back', async () => {
    // ── the citizen calls ──────────────────────────────────────────────────
    await ringSandboxCall(page, 'pension-question')
    await page.getByRole('button', { name: '接听', exact: true }).click()
    await page.getByTestId('training-live').getByText('灵活就业人员怎么交养老保险', { exact: false }).waitFor({ timeout: 20_000 })
    assert.ok((await loudestHeard(10_000)) > 0.01, 'the agent hears the caller')

    // ── intake while the citizen is on the line ────────────────────────────
    await page.getByRole('tab', { name: '受理' }).click()
    await page.getByTestId('screen-pop-number').filter({ hasText: '1234' }).waitFor({ timeout: 15_000 })
    const confirmation = await fileDispatchedTicket(page, {
      type: '咨询',
      category: '养老保险',
      contactName: '陈女士',
      content: '来电人咨询灵活就业人员如何缴纳养老保险、每年最低缴费标准，以及能否在手机上办理，请人社部门答复。',
      areaQuery: 'yzq',
      area: '玉州区',
      department: '市人力资源和社会保障局',
      beforeSubmit: async () => {
        assert.equal(await page.getByTestId('sms-receipt').locator('input').isChecked(), true, '短信告知 is ticked by default for a mobile number')
        await page.screenshot({ path: '/tmp/flow-intake.png', fullPage: true })
      }
    })
    assert.match(confirmation, /受理回执短信/)
    assert.match(confirmation, /189\*{4}1234/, 'the confirmation names the masked number the receipt goes to')
    await page.getByRole('button', { name: '挂断', exact: true }).click()
    await until(async () => (await snapshot()).state.phone.calls.every((c) => c.state === 'terminated') || null, 15_000)

    // ── the platform numbered it; the receipt SMS was delivered ─────────────
    const lead = client(platform, await login(platform, 'lead01'))
    let t = await until(async () => {
      const list = await lead('GET', '/api/v1/tickets?createdBy=agent01&limit=50')
      return list.body.items.find((x: { title: string }) => x.title.startsWith('来电人咨询灵活就业人员如何缴纳养老保险')) ?? null
    }, 30_000)
    assert.equal(t.status, 'dispatched')
    const receipt = await until(async () => {
      const sms = await lead('GET', `/api/v1/sms/messages?ticketId=${t.id}`)
      return sms.body.items.find((m: { status: string }) => m.status === 'delivered') ?? null
    }, 30_000)
    assert.match(receipt.text, new RegExp(`工单编号${t.number}，我们将在10个工作日内`))
    assert.equal(receipt.phone, '18977561234')

    // The agent sees it on the ticket, from the work list.
    await page.getByRole('tab', { name: '工作清单' }).click()
    const worklist = page.getByTestId('worklist')
    await worklist.getByRole('button', { name: '刷新' }).click()
    await worklist.locator('.el-table-v2__row', { hasText: t.number }).getByRole('button', { name: '查看' }).click()
    const sms = page.getByTestId('ticket-sms')
    await sms.getByText('已送达').waitFor({ timeout: 15_000 })
    assert.match(await sms.innerText(), new RegExp(`工单编号${t.number}`))
    await page.screenshot({ path: '/tmp/flow-ticket-sms.png', fullPage: true })
    await page.keyboard.press('Escape')

    // ── the department answers; the callback comes due ─────────────────────
    const post = async (action: string, body: object) => (await lead('POST', `/api/v1/tickets/${t.id}/${action}`, body, { 'idempotency-key': randomUUID() })).body
    t = await post('sign', { version: t.version, departmentId: 'rsj' })
    t = await post('handle', { version: t.version, departmentId: 'rsj', reply: '灵活就业人员可在“桂盛通”或“广西人社”App 办理参保缴费，2026 年最低缴费基数为 4,500 元/月。' })
    t = await post('review', { version: t.version, approved: true })
    assert.equal(t.status, 'reviewed')

    // ── the callback: dialled from 回访, presenting 12345; the citizen answers ─
    await page.getByRole('tab', { name: '回访' }).click()
    const view = page.getByTestId('callbacks-view')
    await view.getByRole('button', { name: '刷新' }).click()
    const row = view.getByTestId('callbacks-table').locator('tr', { hasText: t.number })
    await row.waitFor({ timeout: 15_000 })
    await row.getByRole('button', { name: '拨打' }).click()
    const answered = await until(async () => {
      const s = await snapshot()
      const out = s.state.phone.calls.find((c) => c.direction === 'outbound' && c.state === 'established')
      return out && s.state.training.callee?.status === 'talking' ? s : null
    }, 20_000)
    assert.equal(answered.state.training.callee!.presented, '12345', "the citizen's phone shows the hotline's number")
    assert.equal(answered.state.phone.calls.find((c) => c.direction === 'outbound')!.peer.normalised, '18977561234')
    assert.ok((await loudestHeard(15_000)) > 0.01, 'the agent hears the citizen who picked up')
    await until(async () => ((await snapshot()).state.training.callee!.lines.some((l) => l.text.includes('满意')) ? true : null), 30_000)
    await page.screenshot({ path: '/tmp/flow-callback-call.png', fullPage: true })
    await page.getByRole('button', { name: '挂断', exact: true }).click()
    await until(async () => ((await snapshot()).state.training.callee?.endedBy === 'agent' ? true : null), 15_000)

    // ── the result, synced to the platform ──────────────────────────────────
    await row.getByTestId('callback-record').click()
    const dialog = page.getByTestId('callback-dialog')
    await dialog.getByTestId('callback-satisfaction').click()
    await page.getByRole('option', { name: '满意', exact: true }).click()
    await dialog.getByTestId('callback-save').click()
    await view.getByTestId('callbacks-notice').waitFor()
    const done = await until(async () => {
      const list = await lead('GET', '/api/v1/callbacks?status=done&limit=200')
      return list.body.items.find((c: { ticketId: number }) => c.ticketId === t.id) ?? null
    }, 30_000)
    assert.equal(done.satisfaction, 'satisfied')
    const closed = (await lead('GET', `/api/v1/tickets/${t.id}`)).body
    assert.equal(closed.status, 'callback')

    // The trainer's view of the practice callback.
    await page.getByRole('tab', { name: '培训' }).click()
    const practice = page.getByTestId('training-callee')
    await practice.getByText('市民来电显示：12345').waitFor()
    await practice.getByText('喂，你好，哪位？').waitFor()
    // The incoming call's attempt was scored from the ticket filed during it, and the list shows it without a reload.
    await page.getByTestId('training-attempts').getByText('承办部门正确', { exact: false }).waitFor({ timeout: 15_000 })
    await page.screenshot({ path: '/tmp/flow-training-callee.png', fullPage: true })
  })
})
